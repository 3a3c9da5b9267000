import { specsOf, toggleSpec, withChange } from './search-url';

describe('search addresses', () => {
  it('when a facet value is chosen twice, then it is added and then taken away, the query kept and the page reset', () => {
    const p = { q: '青瓷', spec: 'colour:red', cursor: 'abc' };
    expect(toggleSpec(p, 'colour', 'blue')).toEqual({ q: '青瓷', spec: 'colour:red,colour:blue' });
    expect(toggleSpec(p, 'colour', 'red')).toEqual({ q: '青瓷' });
  });

  it('when a change removes a key, then it leaves the address; malformed spec values are dropped', () => {
    expect(withChange({ q: 'tea', shop: 'x', sort: 'sales' }, { shop: undefined })).toEqual({ q: 'tea', sort: 'sales' });
    expect(specsOf({ spec: 'colour:red,<script>,size' })).toEqual(['colour:red']);
  });
});

import type { SearchSort } from '@emporium/contracts';
import type { SearchRepository } from '../data/search-repository';
import type { EngineQuery, SearchEngine } from '../domain/engine';
import { toTsquery } from '../domain/query';

/** The default engine: search's own tables, queried as tsquery literals (see data/search-repository.ts). */
export class PostgresEngine implements SearchEngine {
  readonly name = 'postgres' as const;
  constructor(private readonly repo: SearchRepository) {}

  search(q: EngineQuery, sort: SearchSort, limit: number, after: { keys: string[]; id: string } | null) {
    const { text: _text, groups, ...filters } = q;
    return this.repo.search({ ...filters, tsquery: toTsquery(groups) }, sort, limit, after);
  }

  async suggest(q: Pick<EngineQuery, 'text' | 'groups'>, limit: number) {
    const tsquery = toTsquery(q.groups, { lastIsPrefix: true });
    return tsquery ? this.repo.suggest(tsquery, limit) : [];
  }
}

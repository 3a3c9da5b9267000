// The order of suites within one jest run (jest.config.js `testSequencer`). npm test runs the
// component suites and, beside them, the unit and delivery suites (scripts/test.mjs): the image
// check's thirteen npm installs go first in theirs, and the suites that start whole platforms (the
// dev runner's four, a new service's, checkout's hundred racing checkouts) go last in theirs, so
// the heaviest of each do not meet. On a fresh clone with no timing cache they did: the dev-runner
// suite took 150 s beside the installs instead of 80. Otherwise jest's own order (failed first,
// then slowest first from its cache, which packs the e2e workers) is kept.
const Sequencer = require('@jest/test-sequencer').default;

const FIRST = [/\/charts\/test\/images\.test\.ts$/];
const LAST = [/\/scripts\/test\/new-service\.component\.test\.ts$/, /\/apps\/order\/test\/checkout\.component\.test\.ts$/, /\/scripts\/test\/dev-runner\.component\.test\.ts$/];
const rank = (path) => {
  if (FIRST.some((r) => r.test(path))) return -1;
  const last = LAST.findIndex((r) => r.test(path));
  return last === -1 ? 0 : 1 + last;
};

class HeavyApart extends Sequencer {
  async sort(tests) {
    const ordered = await super.sort(tests);
    // Array.prototype.sort is stable: jest's order holds within each rank
    return [...ordered].sort((a, b) => rank(a.path) - rank(b.path));
  }
}

module.exports = HeavyApart;

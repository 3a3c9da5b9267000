// One runner, three tiers by suffix (STYLE.md §7):
//   *.test.ts                    unit tests beside pure code
//   test/*.component.test.ts     a service with its real sidecar and PostgreSQL
//   e2e/*.e2e.test.ts            the running platform (npm run dev) through the /api/v1 gateway
// Workspace packages resolve to their sources, so tests never run stale builds.
const transform = { '^.+\\.tsx?$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }] };
const moduleNameMapper = {
  '^@emporium/contracts$': '<rootDir>/contracts/src/index.ts',
  '^@emporium/contracts/(sku-matrix)$': '<rootDir>/contracts/src/$1.ts',
  '^@emporium/kit$': '<rootDir>/apps/kit/src/index.ts',
  '^@emporium/kit/jwt$': '<rootDir>/apps/kit/src/auth/jwt.ts',
  '^@emporium/kit/retry-after$': '<rootDir>/apps/kit/src/http/retry-after.ts',
  '^@emporium/devkit$': '<rootDir>/apps/devkit/src/index.ts',
  '^@emporium/devkit/(platform|testing|client)$': '<rootDir>/apps/devkit/src/$1/index.ts',
};
const common = { rootDir: __dirname, transform, moduleNameMapper, testEnvironment: 'node', modulePathIgnorePatterns: ['<rootDir>/.*/dist/', '<rootDir>/web/.next/', '<rootDir>/.emporium/'], testPathIgnorePatterns: ['/node_modules/', '<rootDir>/web/.next/'] };

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 120_000,
  // heavy suites apart when npm test runs two jests side by side (scripts/test-sequencer.cjs)
  testSequencer: '<rootDir>/scripts/test-sequencer.cjs',
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/{contracts,apps,scripts}/**/*.test.ts', '<rootDir>/web/{lib,gateway}/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '\\.component\\.test\\.ts$', '\\.e2e\\.test\\.ts$'],
    },
    {
      ...common,
      displayName: 'component',
      testMatch: ['<rootDir>/apps/**/test/**/*.component.test.ts', '<rootDir>/{scripts,web/gateway}/test/**/*.component.test.ts'],
      // sidecars, brokers and databases are real: give them time
      testTimeout: 120_000,
    },
    {
      ...common,
      displayName: 'delivery',
      // the chart, images and Tiltfile, checked by helm and the strict checkers of tools/manifests
      testMatch: ['<rootDir>/{charts,tilt}/test/**/*.test.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/e2e/**/*.e2e.test.ts'],
      // one platform for the whole suite, started as `npm run dev` does
      globalSetup: '<rootDir>/e2e/global-setup.cjs',
      globalTeardown: '<rootDir>/e2e/global-teardown.cjs',
      // a 5xx the test did not expect fails it (e2e/server-errors.ts)
      setupFilesAfterEnv: ['<rootDir>/e2e/server-errors.ts'],
    },
  ],
};

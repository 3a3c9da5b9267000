// One flat config for the whole workspace (typescript-eslint, type-aware).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'contracts/generated/**', '.emporium/**', 'coverage/**', 'web/.next/**', 'web/next-env.d.ts'] },
  js.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    extends: [...tseslint.configs.strictTypeChecked],
    languageOptions: { parserOptions: { project: ['./tsconfig.tests.json', './web/tsconfig.json', './web/gateway/tsconfig.json'], tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      '@typescript-eslint/no-unnecessary-type-parameters': 'off',
      '@typescript-eslint/no-confusing-void-expression': 'off',
      '@typescript-eslint/no-invalid-void-type': 'off',
      // Record<never, never> marks "no extra config / no events" on purpose
      '@typescript-eslint/no-generated-empty-object-type': 'off',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // config.ts is the only place that reads process.env (STYLE.md §1); the platform tooling reads its own
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'read configuration in config.ts' }],
    },
  },
  {
    files: ['**/*.test.ts', '**/test/**/*.ts', 'e2e/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      // afterAll hooks guard against a beforeAll that failed half-way
      '@typescript-eslint/no-unnecessary-condition': 'off',
    },
  },
  {
    files: ['**/config.ts', 'web/lib/config.ts', 'e2e/**', 'charts/test/**', 'apps/devkit/src/**', 'apps/kit/src/service.ts', 'scripts/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // a service and its tests never reach into another service's sources or tests: peers run
    // from their builds (devkit's startPeer), shared fixtures live in @emporium/devkit
    files: ['apps/*/src/**/*.ts', 'apps/*/test/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['../../*/src/**', '../../*/test/**', '../../../*/src/**', '@emporium/{identity,shop,catalog,inventory,marketing,cart,order,payment,provider-sim}', '@emporium/{identity,shop,catalog,inventory,marketing,cart,order,payment,provider-sim}/**'], message: "another service's code: start it with platform.startPeer, share fixtures through @emporium/devkit" }] }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js', '**/*.cjs'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['**/*.cjs', 'jest.config.js'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
  },
);

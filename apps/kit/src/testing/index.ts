export * from './test-platform';

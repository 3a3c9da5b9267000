export * from './test-platform';
export * from './caller-service';
export * from './hostile-requests';
export * from './fixtures/identity-client';
export * from './fixtures/marketplace-fixtures';

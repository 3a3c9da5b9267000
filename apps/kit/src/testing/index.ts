export * from './test-platform';
export * from './caller-service';

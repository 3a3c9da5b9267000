export * from './test-platform';
export * from './caller-service';
export * from './hostile-requests';

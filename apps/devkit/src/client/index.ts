export * from './api-client';
export * from './tracking';

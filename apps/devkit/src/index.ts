export * from './platform';
export * from './testing';
export * from './client';

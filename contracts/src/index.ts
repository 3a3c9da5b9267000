export * from './names';
export * from './money';
export * from './problem';
export * from './health';
export * from './events';
export * from './platform-events';
export * from './api';

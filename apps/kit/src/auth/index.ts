export * from './jwt';
export * from './principal';

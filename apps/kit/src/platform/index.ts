export * from './repo';
export * from './ports';
export * from './processes';
export * from './infrastructure';
export * from './control-plane';
export * from './sidecar-process';
export * from './secrets';
export * from './jetstream';

// Types for `require('./sandbox/server')`: the same as index.d.ts.
export * from './index';

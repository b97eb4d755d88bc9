export * from './index'; // legacy import path: the sandbox's types live in index.d.ts (import from 'sandbox')

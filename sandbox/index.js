// @ts-check
'use strict';

/**
 * The sandbox's one entry point (types: index.d.ts):
 *
 *   const { startSandbox, EXAMPLE } = require('./sandbox');
 *   import { startSandbox, EXAMPLE, type Sandbox, type SandboxFault } from '../../sandbox';
 *
 * Everything else in this folder is internal. `./server` still exports the same two names
 * for callers that have not switched yet.
 */

const { startSandbox } = require('./server');
const { EXAMPLE } = require('./state');

module.exports = { startSandbox, EXAMPLE };

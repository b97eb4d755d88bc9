// @ts-check
'use strict';

// `require('./sandbox')` / `import ... from '../sandbox'` (types: index.d.ts) = `./sandbox/server`.
module.exports = require('./server');

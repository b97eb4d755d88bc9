#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * Starts the sandbox from the command line:
 *
 *   node sandbox/cli.js [--port 5680] [--latency 0]
 *
 * Prints the API root, the consent URL of the example app and the example credentials.
 * Ctrl-C (or SIGTERM) stops it.
 */

const { startSandbox, EXAMPLE } = require('./index');
const { authorizeUrl } = require('./consent');

const USAGE = 'Usage: node sandbox/cli.js [--port <port, default 5680>] [--latency <ms, default 0>]';

/** @param {string[]} argv @returns {{ port: number, latencyMs: number, help: boolean }} */
function parseArgs(argv) {
  const options = { port: 5680, latencyMs: 0, help: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    if (flag === '--help' || flag === '-h') {
      options.help = true;
      continue;
    }
    if (flag !== '--port' && flag !== '--latency') throw new Error(`Unknown option ${flag}`);
    const value = inline ?? argv[++i];
    const number = Number(value);
    if (value === undefined || value === '' || !Number.isInteger(number) || number < 0) {
      throw new Error(`${flag} needs a whole number >= 0`);
    }
    if (flag === '--port') options.port = number;
    else options.latencyMs = number;
  }
  return options;
}

async function main() {
  /** @type {ReturnType<typeof parseArgs>} */
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : error}\n${USAGE}`);
    process.exit(2);
  }
  if (options.help) {
    console.log(USAGE);
    return;
  }

  const sb = await startSandbox({ port: options.port, latencyMs: options.latencyMs });
  const consentUrl = authorizeUrl(sb.url, { clientId: EXAMPLE.clientId, callbackUrl: EXAMPLE.callbackUrl });
  console.log([
    `Cloud Elements sandbox listening on ${sb.url}${options.latencyMs ? ` (latency ${options.latencyMs} ms)` : ''}`,
    '',
    `  API root:     ${sb.apiRoot}`,
    `  Consent URL:  ${consentUrl}`,
    `  Control API:  ${sb.url}/__sandbox/health`,
    '',
    'Example account (Cloud Elements credential):',
    `  User secret:          ${EXAMPLE.userSecret}`,
    `  Organization secret:  ${EXAMPLE.organizationSecret}`,
    'Example OAuth app (Infusionsoft credential):',
    `  Client id:            ${EXAMPLE.clientId}`,
    `  Client secret:        ${EXAMPLE.clientSecret}`,
    `  Callback URL:         ${EXAMPLE.callbackUrl}`,
    `  Infusionsoft server:  ${EXAMPLE.server}`,
    `  Encrypted Key:        ${EXAMPLE.encryptedKey}`,
    '',
    'Press Ctrl-C to stop.',
  ].join('\n'));

  const stop = () => {
    sb.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}

module.exports = { parseArgs };

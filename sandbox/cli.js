#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * Starts the sandbox from the command line:
 *
 *   node sandbox/cli.js [--port 5680] [--latency 0] [--rate-limit 25] [--event-minute-ms 60000]
 *
 * Prints the API root, the consent URL of the example app and the example credentials.
 * Ctrl-C (or SIGTERM) stops it.
 */

const { startSandbox, EXAMPLE } = require('./index');
const { authorizeUrl } = require('./consent');

const USAGE =
	'Usage: node sandbox/cli.js [--port <port, default 5680>] [--latency <ms, default 0>]' +
	' [--rate-limit <requests a second per account, default none>] [--event-minute-ms <ms an event minute lasts, default 60000>]';

/** The numeric flags and the option each sets. */
const FLAGS = /** @type {const} */ ({
	'--port': 'port',
	'--latency': 'latencyMs',
	'--rate-limit': 'rateLimit',
	'--event-minute-ms': 'eventMinuteMs',
});

/**
 * @param {string[]} argv
 * @returns {{ port: number, latencyMs: number, rateLimit: number, eventMinuteMs: number, help: boolean }}  rateLimit 0: none
 */
function parseArgs(argv) {
	const options = { port: 5680, latencyMs: 0, rateLimit: 0, eventMinuteMs: 60000, help: false };
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].split('=', 2);
		if (flag === '--help' || flag === '-h') {
			options.help = true;
			continue;
		}
		if (!(flag in FLAGS)) throw new Error(`Unknown option ${flag}`);
		const value = inline ?? argv[++i];
		const number = Number(value);
		if (value === undefined || value === '' || !Number.isInteger(number) || number < 0) {
			throw new Error(`${flag} needs a whole number >= 0`);
		}
		options[FLAGS[/** @type {keyof typeof FLAGS} */ (flag)]] = number;
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

	const sb = await startSandbox({
		port: options.port,
		latencyMs: options.latencyMs,
		rateLimit: options.rateLimit > 0 ? { perSecond: options.rateLimit } : null,
		eventMinuteMs: options.eventMinuteMs,
	});
	const consentUrl = authorizeUrl(sb.url, {
		clientId: EXAMPLE.clientId,
		callbackUrl: EXAMPLE.callbackUrl,
	});
	console.log(
		[
			`Cloud Elements sandbox listening on ${sb.url}${options.latencyMs ? ` (latency ${options.latencyMs} ms)` : ''}` +
				`${options.rateLimit ? ` (rate limit ${options.rateLimit} requests a second per account)` : ''}` +
				`${options.eventMinuteMs !== 60000 ? ` (an event minute lasts ${options.eventMinuteMs} ms)` : ''}`,
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
		].join('\n'),
	);

	const stop = () => {
		sb.close().then(
			() => process.exit(0),
			() => process.exit(1),
		);
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

'use strict';
/**
 * The stand-in in its own process, so that its work does not share the event loop of the
 * client being measured (on loopback, as a real server would be):
 *
 *   node bench/lib/sandboxChild.js '{"latencyMs": 20}'   → prints {"url", "apiRoot"} on stdout
 *
 * Driven through its control API (/__sandbox/reset, /codes, /latency). Stops on SIGTERM.
 */
const { startSandbox } = require('../../sandbox');

async function main() {
	const options = JSON.parse(process.argv[2] || '{}');
	const sb = await startSandbox({ port: 0, ...options });
	process.stdout.write(`${JSON.stringify({ url: sb.url, apiRoot: sb.apiRoot })}\n`);
	const stop = () =>
		sb.close().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	process.once('SIGTERM', stop);
	process.once('SIGINT', stop);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});

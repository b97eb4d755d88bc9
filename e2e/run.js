#!/usr/bin/env node
/*
 * End-to-end tests in a REAL n8n (npm run e2e):
 *
 *   node e2e/run.js [n8n-2] [n8n-1] [--no-start | --start-only] [--no-queue]
 *
 * Installs the n8n runtimes it needs first (bash e2e/install-n8n.sh <flavor>: ~3-5 min each the
 * first time, under a second afterwards). Builds and packs this package once, then for each flavor (default: both) runs
 * e2e/flavor.js: install the tarball as n8n does, import the example credentials and
 * workflows, run them with `n8n execute` against a fresh stand-in, then the credential test
 * and the OAuth Callback Trigger through a running n8n server; then e2e/hub.js: the operations
 * that use a connection, the Instance list over REST, the hub examples; then e2e/resources.js: one
 * workflow per CRM resource (companies, notes, emails, files, …) and the dropdowns the editor loads
 * from the chosen instance; then e2e/events.js: the
 * Events Trigger (signed notifications, refusals, Register on Activation) and the Connection
 * Health Trigger in a running n8n; then (unless --no-queue)
 * e2e/queue.js: queue mode (main + worker + webhook process, Postgres, Redis). Then (unless --no-start)
 * e2e/start.js: `npm start` itself on free ports, the newcomer's walkthrough (in headless
 * Chromium when /usr/bin/chromium exists), Ctrl-C, and a second, warm start.
 *
 * Prints one line per check and ends with "N passed, N failed"; exits 1 on any failure.
 * E2E_KEEP=1 keeps the temporary n8n user folders (they are kept anyway after a failure).
 */
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const n8n = require('./lib/n8n');
const demo = require('./lib/demo');
const { run, stopDescendants } = require('./lib/processes');
const { Report } = require('./lib/report');
const { flavorSuite } = require('./flavor');
const { hubSuite } = require('./hub');
const { resourcesSuite } = require('./resources');
const { eventsSuite } = require('./events');
const { startSuite } = require('./start');
const { queueSuite } = require('./queue');

function parseArgs(argv) {
	const options = { flavors: [], start: true, startOnly: false, queue: true };
	for (const arg of argv) {
		if (n8n.FLAVORS.includes(arg)) options.flavors.push(arg);
		else if (arg === '--no-start') options.start = false;
		else if (arg === '--start-only') options.startOnly = true;
		else if (arg === '--no-queue') options.queue = false;
		else
			throw new Error(
				`unknown argument ${arg} (flavors: ${n8n.FLAVORS.join(', ')}; --no-start; --start-only; --no-queue)`,
			);
	}
	if (options.flavors.length === 0 && !options.startOnly) options.flavors = [...n8n.FLAVORS];
	return options;
}

async function main() {
	const options = parseArgs(process.argv.slice(2));
	const report = new Report();
	const t0 = Date.now();
	const timing = [];
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-pack-'));
	try {
		let pkg;
		const flavorsNeeded = [...new Set([...options.flavors, ...(options.start ? ['n8n-2'] : [])])];
		for (const flavor of flavorsNeeded) {
			// Idempotent: under a second when installed (it verifies), ~3-5 min the first time.
			const ok = await report.check('runtime', `bash e2e/install-n8n.sh ${flavor}`, async () => {
				const r = await run('bash', [path.join(demo.ROOT, 'e2e', 'install-n8n.sh'), flavor]);
				return r.stdout
					.trim()
					.split('\n')
					.pop()
					.replace(/^\[install-n8n [^\]]*\] /, '');
			});
			if (!ok) throw Object.assign(new Error(`${flavor} is not installed`), { reported: true });
		}
		const packed = await report.check('package', 'npm run build && npm pack', async () => {
			await demo.build();
			pkg = await demo.pack(tmp);
			return `${path.basename(pkg.tarball)}, ${pkg.files.length} files`;
		});
		if (!packed)
			throw Object.assign(new Error('nothing to test without the package'), { reported: true });

		/** One suite, timed; a crash it did not report is one failure, and the next suite still runs. */
		async function runSuite(label, suite) {
			const t = Date.now();
			try {
				await suite();
			} catch (error) {
				if (!error.reported) report.skipFailed(label, 'suite', error.stack || error.message);
			}
			timing.push(`${label} ${((Date.now() - t) / 1000).toFixed(0)} s`);
		}
		for (const flavor of options.flavors) {
			await runSuite(flavor, () => flavorSuite(flavor, pkg, report));
			await runSuite(`${flavor} hub`, () => hubSuite(flavor, pkg, report));
			await runSuite(`${flavor} resources`, () => resourcesSuite(flavor, pkg, report));
			await runSuite(`${flavor} events`, () => eventsSuite(flavor, pkg, report));
			// Queue mode (needs Debian's postgresql and redis-server).
			if (options.queue) await runSuite(`${flavor} queue`, () => queueSuite(flavor, pkg, report));
		}
		if (options.start) await runSuite('npm start', () => startSuite(report));
	} catch (error) {
		if (!error.reported) report.skipFailed('e2e', 'runner', error.stack || error.message);
	} finally {
		fs.rmSync(tmp, { recursive: true, force: true });
		await stopDescendants(5000);
	}
	console.log(`\ne2e took ${((Date.now() - t0) / 1000).toFixed(0)} s (${timing.join(', ')})`);
	console.log(report.summary());
	process.exitCode = report.failed > 0 ? 1 : 0;
}

main().catch((error) => {
	console.error(error);
	console.log('0 passed, 1 failed');
	process.exit(1);
});

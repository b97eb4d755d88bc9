'use strict';
/**
 * Steps the per-flavor suites share: the package installed and the credentials imported;
 * `n8n start` with the package, the owner
 * set up and logged in; the server log free of package errors; the end of a suite (server and
 * stand-in stopped, the work folder kept when asked or after a failure).
 */
const assert = require('node:assert/strict');
const fs = require('node:fs');

const n8n = require('./n8n');
const rest = require('./rest');

/** The fatal first check: the packed tarball installed as n8n installs it, the credentials imported. */
function installCheck(check, { flavor, folder, pkg, credentials, title }) {
	return check(
		title,
		async () => {
			await n8n.installCommunityPackage(folder, pkg.tarball, flavor);
			await n8n.importCredentials(flavor, folder, credentials);
			return credentials.map((cr) => cr.id).join(', ');
		},
		{ fatal: true },
	);
}

/**
 * The fatal "n8n start" check. Sets `into.server` as soon as it runs (so the suite's end stops
 * it even when the owner set-up fails) and `into.session` (cookie + browser-id headers).
 */
async function startServerCheck(check, flavor, folder, port, into) {
	await check(
		'n8n start (server) with the package, owner set up, logged in',
		async () => {
			const t0 = Date.now();
			into.server = await n8n.startN8n(flavor, folder, { port });
			const ready = Date.now() - t0;
			await rest.setupOwner(into.server.url);
			into.session = await rest.login(into.server.url);
			return `${into.server.url}, ready after ${(ready / 1000).toFixed(1)} s`;
		},
		{ fatal: true },
	);
}

/** No line of the server log names the package together with an error. */
function serverLogCheck(check, server) {
	return check('n8n server log has no errors about the package', async () => {
		const logText = fs.readFileSync(server.logFile, 'utf8');
		const bad = logText
			.split('\n')
			.filter((l) => /infusionsoft/i.test(l) && /error|fail|problem/i.test(l));
		assert.deepEqual(bad, []);
	});
}

/** The suite's end: server and stand-in stopped; `work` removed unless E2E_KEEP or a check of `group` failed. */
async function closeSuite({ flavor, server, sb, work, report, group, failed = false }) {
	if (server) {
		const res = await server.stop();
		if (res && res.code !== 0)
			console.log(`     (${flavor} n8n server exited with ${JSON.stringify(res)})`);
	}
	await sb.close();
	if (process.env.E2E_KEEP || failed || report.results.some((r) => r.group === group && !r.ok)) {
		console.log(`     kept ${work} (n8n user folder and server log)`);
	} else {
		fs.rmSync(work, { recursive: true, force: true });
	}
}

module.exports = { installCheck, startServerCheck, serverLogCheck, closeSuite };

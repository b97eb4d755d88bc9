'use strict';
/**
 * The e2e checks of `npm start` itself (scripts/start.js), on free ports and a temporary data
 * folder so a developer's own `npm start` (.cache/n8n-start, :5678, :5680) is left alone:
 * a cold start, the newcomer's walkthrough it prints (in headless Chromium when available),
 * Ctrl-C, and a second, warm start that keeps the owner and the imports.
 */
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const n8n = require('./lib/n8n');
const demo = require('./lib/demo');
const { n8nProcessesUsing, sleep } = require('./lib/processes');
const { ceAuthorization, exampleCredentialFiles } = require('./lib/credentials');
const { DEMO_OWNER: OWNER } = require('./lib/rest');
const { hasChromium } = require('./lib/chromium');
const { browserWalkthrough, editorActionPanel, httpWalkthrough } = require('./walkthrough');

const START = path.join(demo.ROOT, 'scripts', 'start.js');

/** Runs scripts/start.js; collects its output. */
function spawnStart(args) {
	const child = spawn(process.execPath, [START, ...args], {
		cwd: demo.ROOT,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const proc = { child, output: '', exited: null };
	child.stdout.on('data', (d) => (proc.output += d));
	child.stderr.on('data', (d) => (proc.output += d));
	proc.exit = new Promise((resolve) =>
		child.on('exit', (code, signal) => {
			proc.exited = { code, signal };
			resolve(proc.exited);
		}),
	);
	proc.waitFor = async (re, timeoutMs) => {
		const deadline = Date.now() + timeoutMs;
		while (!re.test(proc.output)) {
			if (proc.exited)
				throw new Error(
					`npm start exited (${JSON.stringify(proc.exited)}) before ${re}:\n${tail(proc.output)}`,
				);
			if (Date.now() > deadline)
				throw new Error(
					`npm start did not print ${re} within ${timeoutMs} ms:\n${tail(proc.output)}`,
				);
			await sleep(200);
		}
	};
	return proc;
}

const tail = (text, n = 40) => text.split('\n').slice(-n).join('\n');

/** Stops `npm start` with a signal; asserts it exits with 128+n and leaves nothing behind. */
async function stopAndCheck(proc, signal, { data, ports }) {
	proc.child.kill(signal);
	const timer = setTimeout(() => proc.child.kill('SIGKILL'), 45000);
	const exited = await proc.exit;
	clearTimeout(timer);
	const expected = { SIGINT: 130, SIGTERM: 143 }[signal];
	assert.equal(
		exited.code,
		expected,
		`exit code after ${signal}: ${JSON.stringify(exited)}\n${tail(proc.output, 10)}`,
	);
	await sleep(500);
	const left = n8nProcessesUsing(data);
	assert.deepEqual(left, [], `processes still running with the demo's user folder: ${left}`);
	for (const port of ports) assert.ok(await n8n.portIsFree(port), `port ${port} is free again`);
	assert.match(proc.output, /n8n stopped/);
	assert.match(proc.output, /Cloud Elements stand-in stopped/);
	return `exit ${exited.code}; n8n, its task runner and the stand-in are gone`;
}

async function startSuite(report, { flavor = 'n8n-2' } = {}) {
	const group = 'npm start';
	const check = (name, fn, opts) => report.check(group, name, fn, opts);
	const data = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-npm-start-'));
	const port = await n8n.getFreePort();
	let sandboxPort = await n8n.getFreePort();
	while (sandboxPort === port) sandboxPort = await n8n.getFreePort();
	const args = [
		'--data',
		data,
		'--port',
		String(port),
		'--sandbox-port',
		String(sandboxPort),
		'--flavor',
		flavor,
	];
	const publicUrl = `http://localhost:${port}`;
	const folder = path.join(data, flavor);
	const shotsDir = path.join(data, 'screenshots');
	let proc;
	let failed = false;
	const started = [];

	try {
		proc = spawnStart(args);
		started.push(proc);
		await check(
			'cold start (empty data folder): ready, prints the editor URL, the login and what to click',
			async () => {
				const t0 = Date.now();
				await proc.waitFor(/ready in /, 15 * 60 * 1000);
				const out = proc.output;
				for (const text of [
					`n8n with n8n-nodes-infusionsoft-crm:  ${publicUrl}`,
					`${OWNER.email}  /  ${OWNER.password}`,
					`${publicUrl}/workflow/${demo.PROVISIONING_WORKFLOW_ID}`,
					`listens on ${publicUrl}/webhook/infusionsoft-crm/callback`,
					`listens on ${publicUrl}/webhook/infusionsoft-crm/move`,
					'"from New customer"',
					'through Keap REST, the element for new connections',
					'The legacy element (Infusionsoft CRM, needs the Encrypted Key), one click away',
					`${publicUrl}/workflow/${demo.LEGACY_LINK_WORKFLOW_ID}`,
					`${publicUrl}/workflow/${demo.MIGRATION_WORKFLOW_ID}`,
					'"from Start the move"',
					'created the owner',
					`importing ${exampleCredentialFiles().length} example credentials and ${demo.exampleWorkflows().length} example workflows`,
					'Press Ctrl-C',
				]) {
					assert.ok(out.includes(text), `prints ${JSON.stringify(text)}`);
				}
				return `ready after ${((Date.now() - t0) / 1000).toFixed(1)} s (${/ready in ([\d.]+ s)/.exec(out)[1]} by its own clock)`;
			},
			{ fatal: true },
		);

		const browser = hasChromium();
		await check(
			browser
				? 'walkthrough in headless Chromium: Keap REST from "New customer", the legacy link, both listed in the editor, the move to Keap REST: each link Allowed -> "Thank you", the instances in the stand-in'
				: 'walkthrough over HTTP (no /usr/bin/chromium): n8n execute of the Keap REST, legacy and move links, each Allowed -> "Thank you", the instances in the stand-in',
			async () => {
				const result = browser
					? await browserWalkthrough({ publicUrl, outDir: shotsDir })
					: await httpWalkthrough({ publicUrl, folder, flavor });
				const standIn = `http://127.0.0.1:${sandboxPort}`;
				for (const [round, callbackPath, message] of [
					[result, 'infusionsoft-crm/callback', /Your Infusionsoft account is being connected/],
					[
						result.legacy,
						'infusionsoft-crm/callback',
						/Your Infusionsoft account is being connected/,
					],
					[
						result.migration,
						'infusionsoft-crm/move',
						/Your Keap account is being moved to its new connection/,
					],
				]) {
					assert.ok(round.oauthUrl.startsWith(`${standIn}/app/oauth/authorize?`), round.oauthUrl);
					assert.match(round.consentTitle, /wants access to your account/);
					assert.ok(
						round.answer.url.startsWith(`${publicUrl}/webhook/${callbackPath}?code=`),
						round.answer.url,
					);
					assert.equal(round.answer.title, 'Thank you');
					assert.match(round.answer.message, message);
				}
				if (browser)
					assert.deepEqual(result.listedInEditor, [
						'Infusionsoft – customer-42',
						'Infusionsoft – customer-43',
					]);
				await proc.waitFor(
					/\[stand-in\] instance 12345 created: "Infusionsoft – customer-42", element infusionsoftrest/,
					20000,
				);
				await proc.waitFor(
					/\[stand-in\] instance 12346 created: "Infusionsoft – customer-43", element infusionsoftcrm/,
					20000,
				);
				await proc.waitFor(
					/\[stand-in\] instance 12347 created: "Infusionsoft – customer-43", element infusionsoftrest/,
					20000,
				);
				await proc.waitFor(/\[stand-in\] instance 12346 deleted/, 20000);
				const res = await fetch(`${standIn}/elements/api-v2/instances`, {
					headers: { authorization: ceAuthorization() },
				});
				const instances = await res.json();
				assert.deepEqual(
					instances.map((i) => [
						i.id,
						i.name,
						i.element.key,
						i.valid,
						Object.keys(i.configuration).length,
					]),
					[
						[12345, 'Infusionsoft – customer-42', 'infusionsoftrest', true, 3],
						[12347, 'Infusionsoft – customer-43', 'infusionsoftrest', true, 3],
					],
				);
				assert.deepEqual(
					instances[1].tags.slice(0, 2),
					['customer', 'customer-43'],
					'the moved instance keeps its tags',
				);
				return browser
					? `screenshots: ${result.shots.length} in ${shotsDir}`
					: 'instances 12345 (Keap REST), 12346 (legacy, then moved), 12347 (its Keap REST one)';
			},
		);

		if (browser) {
			await check(
				'the editor: the node\'s page in the node creator lists its trigger; "Create an instance" opens Instance → Create, with its Resource menu and Authorization Code field, the two credentials labelled apart (the account pre-selected, the app left to choose), and Callback State not shown as unresolved',
				async () => {
					const panel = await editorActionPanel({ publicUrl, outDir: shotsDir });
					const { creator, ...fields } = panel;
					assert.equal(
						creator.noTriggersCallout,
						0,
						'the node page does not say it has no triggers',
					);
					assert.ok(
						creator.items.some((text) => /^Triggers\b/.test(text)) &&
							creator.items.some((text) => /Infusionsoft CRM \(Cloud Elements\) event/.test(text)),
						`the node page lists its trigger: ${JSON.stringify(creator.items)}`,
					);
					assert.deepEqual(fields, {
						resource: 'Instance',
						operation: 'Create',
						code: true,
						credentials: [
							{ label: 'Cloud Elements Account', selected: 'Cloud Elements (local stand-in)' },
							{ label: 'Infusionsoft App', selected: '' },
						],
						callbackStateUnresolved: 0,
					});
					return `Resource "${panel.resource}", Operation "${panel.operation}", Authorization Code shown, credentials ${JSON.stringify(panel.credentials)}`;
				},
			);
		}

		await check('Ctrl-C (SIGINT) stops n8n, the stand-in and every process it started', () =>
			stopAndCheck(proc, 'SIGINT', { data, ports: [port, sandboxPort] }),
		);

		proc = spawnStart(args);
		started.push(proc);
		await check(
			'second start: fast, package and imports kept, same owner, both callback workflows active again, the stand-in still has the customer connections',
			async () => {
				const t0 = Date.now();
				await proc.waitFor(/ready in /, 5 * 60 * 1000);
				const secs = (Date.now() - t0) / 1000;
				const out = proc.output;
				for (const text of [
					'package in the n8n user folder is up to date',
					'imported already',
					'signed in as the existing owner',
				]) {
					assert.ok(out.includes(text), `prints ${JSON.stringify(text)}`);
				}
				assert.ok(!out.includes('importing 3 example'), 'imports nothing again');
				assert.ok(
					out.includes('the stand-in has the 2 customer connection(s) of the last run'),
					'the stand-in is restored',
				);
				const kept = await fetch(`http://127.0.0.1:${sandboxPort}/elements/api-v2/instances`, {
					headers: { authorization: ceAuthorization() },
				});
				assert.deepEqual(
					(await kept.json()).map((i) => i.id),
					[12345, 12347],
					'the instances of the first run are on the stand-in',
				);
				for (const callbackPath of ['infusionsoft-crm/callback', 'infusionsoft-crm/move']) {
					const page = await fetch(`${publicUrl}/webhook/${callbackPath}`);
					assert.equal(
						page.status,
						400,
						`the callback trigger on ${callbackPath} listens (a bare GET is not a callback)`,
					);
				}
				return `ready after ${secs.toFixed(1)} s`;
			},
		);

		await check('SIGTERM stops everything too', () =>
			stopAndCheck(proc, 'SIGTERM', { data, ports: [port, sandboxPort] }),
		);
	} catch (error) {
		failed = true;
		if (!error.reported) throw error;
	} finally {
		for (const p of started) {
			if (!p.exited) {
				p.child.kill('SIGTERM');
				await Promise.race([p.exit, sleep(30000)]);
			}
		}
		if (process.env.E2E_KEEP || failed || report.results.some((r) => r.group === group && !r.ok)) {
			console.log(
				`     kept ${data} (n8n data, log, screenshots); last npm start output:\n${tail(proc?.output || '', 15)}`,
			);
		} else {
			fs.rmSync(data, { recursive: true, force: true });
		}
	}
}

module.exports = { startSuite };

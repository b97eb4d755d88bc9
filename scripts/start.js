#!/usr/bin/env node
/*
 * npm start: try the package in a real n8n, with no Cloud Elements or Infusionsoft account.
 *
 *   npm start                 # n8n 2.x (Node 24, installed from npm into e2e/runtime/ on first run)
 *   npm start -- --reset      # forget the demo's n8n data (owner, workflows, executions) first
 *   npm start -- --flavor n8n-1   # the same with n8n 1.x (Node 22)
 *
 * 1. builds and packs this package (npm ci first when the dev tools are missing);
 * 2. installs n8n (bash e2e/install-n8n.sh: 10-15 min the first time on a busy 2-core machine,
 *    instant afterwards);
 * 3. installs the tarball into a persistent n8n user folder, .cache/n8n-start/<flavor>/, the
 *    way n8n installs a community package (again only when the package changed);
 * 4. starts the local Cloud Elements stand-in (sandbox/) on 127.0.0.1:5680;
 * 5. imports the example credentials (examples/credentials/, pointing at the stand-in) and the
 *    example workflows (examples/*.json) — again only when those files changed, so edits made
 *    in the editor survive a restart;
 * 6. starts n8n on http://localhost:5678, creates the owner (demo@example.com / Demo-Passw0rd)
 *    and activates the workflows with an OAuth Callback Trigger: the provisioning workflow
 *    (http://localhost:5678/webhook/infusionsoft-crm/callback, the example app's Callback URL)
 *    and the move to Keap REST (.../infusionsoft-crm/move, the Keap REST app's);
 * 7. prints what to click, then reports what happens in the stand-in until Ctrl-C, which
 *    stops n8n, the stand-in and every other process it started.
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const n8n = require('../e2e/lib/n8n');
const demo = require('../e2e/lib/demo');
const rest = require('../e2e/lib/rest');
const { exampleCredentials, exampleCredentialFiles } = require('../e2e/lib/credentials');
const { run, stopDescendants, signalDescendants, sleep } = require('../e2e/lib/processes');

const ROOT = demo.ROOT;
const OWNER = rest.DEMO_OWNER;
const STATE_VERSION = 1;

const USAGE = `Usage: npm start [-- options]
  --reset              delete the demo's n8n data first (owner, workflows, executions)
  --flavor <name>      n8n-2 (default: n8n 2.41.1 on Node 24) or n8n-1 (n8n 1.123.81 on Node 22)
  --port <port>        n8n's port (default 5678; the example app's Callback URL follows it)
  --sandbox-port <p>   the Cloud Elements stand-in's port (default 5680)
  --data <dir>         where the n8n data lives (default .cache/n8n-start)
  --event-minute-ms <ms>  how long a minute of the stand-in's event engine lasts (default 2000
                       for the demo: a 5-minute poll interval polls every 10 seconds; 60000 is real time)`;

function parseArgs(argv) {
	const options = {
		reset: false,
		flavor: 'n8n-2',
		help: false,
		port: 5678,
		sandboxPort: 5680,
		data: path.join(ROOT, '.cache', 'n8n-start'),
		eventMinuteMs: 2000,
	};
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].split('=', 2);
		const value = () => {
			const v = inline ?? argv[++i];
			if (v === undefined || v === '') throw new Error(`${flag} needs a value`);
			return v;
		};
		const port = () => {
			const n = Number(value());
			if (!Number.isInteger(n) || n < 1 || n > 65535)
				throw new Error(`${flag} needs a port number`);
			return n;
		};
		if (flag === '--reset') options.reset = true;
		else if (flag === '--help' || flag === '-h') options.help = true;
		else if (flag === '--flavor') options.flavor = value();
		else if (flag === '--port') options.port = port();
		else if (flag === '--sandbox-port') options.sandboxPort = port();
		else if (flag === '--data') options.data = path.resolve(value());
		else if (flag === '--event-minute-ms') {
			options.eventMinuteMs = Number(value());
			if (!Number.isInteger(options.eventMinuteMs) || options.eventMinuteMs < 1)
				throw new Error(`${flag} needs a whole number of ms >= 1`);
		} else throw new Error(`unknown option ${argv[i]}`);
	}
	if (!n8n.FLAVORS.includes(options.flavor))
		throw new Error(`--flavor must be one of ${n8n.FLAVORS.join(', ')}`);
	if (options.port === options.sandboxPort)
		throw new Error('--port and --sandbox-port must differ');
	return options;
}

/** A path as the user reads it: relative inside the repository, absolute elsewhere. */
const shown = (p) => (path.relative(ROOT, p).startsWith('..') ? p : path.relative(ROOT, p) || '.');

/** An error the user can act on: shown without a stack trace. */
const userError = (message) => Object.assign(new Error(message), { plain: true });

const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const log = (message) => process.stdout.write(`[npm start ${elapsed().padStart(7)}] ${message}\n`);

/* ------------------------------------------------------------------------------------------
 * Shutdown: Ctrl-C (SIGINT) or SIGTERM at any point stops everything started so far.
 * ---------------------------------------------------------------------------------------- */

const running = { server: null, sandbox: null, watcher: null, keeper: null };
let stopping = null;

function shutdown(reason, exitCode) {
	if (stopping) return stopping;
	stopping = (async () => {
		log(`${reason}: stopping ...`);
		if (running.watcher) clearInterval(running.watcher);
		if (running.keeper) {
			clearInterval(running.keeper.timer);
			running.keeper.save();
		}
		if (running.server) {
			const res = await running.server.stop().catch((e) => ({ error: e.message }));
			log(`n8n stopped (${JSON.stringify(res)})`);
		}
		if (running.sandbox) {
			await running.sandbox.close().catch(() => {});
			log('Cloud Elements stand-in stopped');
		}
		// Anything else still running: an import, npm, the n8n installer.
		const left = await stopDescendants(8000);
		if (left > 0) log(`killed ${left} leftover process(es)`);
		process.exit(exitCode);
	})();
	return stopping;
}

let signals = 0;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
	process.on(signal, () => {
		signals += 1;
		if (signals > 1) {
			// A second Ctrl-C: no more waiting.
			signalDescendants('SIGKILL');
			process.exit(130);
		}
		shutdown(signal === 'SIGINT' ? 'Ctrl-C' : signal, signal === 'SIGINT' ? 130 : 143);
	});
}

/* ------------------------------------------------------------------------------------------
 * Steps
 * ---------------------------------------------------------------------------------------- */

async function requireFreePorts(options) {
	for (const [port, what, flag] of [
		[options.port, 'n8n', '--port'],
		[options.sandboxPort, 'the Cloud Elements stand-in', '--sandbox-port'],
	]) {
		if (!(await n8n.portIsFree(port))) {
			throw userError(
				`port ${port} (for ${what}) is in use: stop whatever listens there (another npm start or n8n?), or pick another with npm start -- ${flag} <port>`,
			);
		}
	}
}

function readState(file) {
	try {
		const state = JSON.parse(fs.readFileSync(file, 'utf8'));
		return state.version === STATE_VERSION ? state : {};
	} catch {
		return {};
	}
}

function writeState(file, state) {
	fs.writeFileSync(file, JSON.stringify({ ...state, version: STATE_VERSION }, null, 2));
}

/**
 * The example credentials as this start needs them, and the callback triggers of the example
 * workflows. Each trigger must listen where the app credential it uses calls back (the
 * provisioning flow on infusionsoft-crm/callback, the move to Keap REST on infusionsoft-crm/move).
 * With the default ports the credentials are the files as they are: their Callback URLs must
 * then already be the triggers' Production URLs.
 */
function startCredentials(options, publicUrl, apiRoot, workflows) {
	const asFiles = exampleCredentials();
	const credentials = exampleCredentials({ apiRoot, n8nUrl: publicUrl });
	const triggers = demo.exampleTriggers(workflows).map((trigger) => {
		const app = credentials.find((c) => c.id === trigger.credentialId);
		const url = `${publicUrl}/webhook/${trigger.path}`;
		if (!app || app.data.callbackUrl !== url) {
			throw new Error(
				`${path.basename(trigger.file)}: trigger "${trigger.node}" listens on ${url}, its app credential ${trigger.credentialId} calls back ${app?.data.callbackUrl}`,
			);
		}
		return { ...trigger, url };
	});
	if (
		options.port === 5678 &&
		options.sandboxPort === 5680 &&
		JSON.stringify(asFiles) !== JSON.stringify(credentials)
	) {
		throw new Error(
			`examples/credentials/ do not point at the stand-in (${apiRoot}) and the triggers' Production URLs (${publicUrl}/webhook/...)`,
		);
	}
	const callbackUrl = triggers.find((t) => t.workflowId === demo.PROVISIONING_WORKFLOW_ID)?.url;
	if (!callbackUrl) throw new Error('the provisioning example has no OAuth Callback Trigger');
	return { credentials, triggers, callbackUrl };
}

/** Signs in as the demo owner, creating it on the first start. Returns { session, created }. */
async function ensureOwner(url) {
	try {
		return { session: await rest.login(url, OWNER), created: false };
	} catch {
		/* no owner yet, or another password */
	}
	try {
		await rest.setupOwner(url, OWNER);
	} catch (e) {
		throw userError(
			`could not sign in as ${OWNER.email} nor create that owner (${e.message.slice(0, 200)}).\n` +
				'The demo user folder has another owner: run `npm start -- --reset` to start from scratch.',
		);
	}
	return { session: await rest.login(url, OWNER), created: true };
}

/** Tells in the terminal what the stand-in sees: the consent page, the decision, instances. */
/**
 * The stand-in's customer connections (instances, their event settings and records) outlive a
 * restart, as they would on the platform: n8n keeps its workflows registered with them. Restored
 * from `file` now, saved there every 2 s when something changed, and at shutdown.
 */
function keepStandIn(sb, file) {
	if (fs.existsSync(file)) {
		try {
			const count = sb.restore(JSON.parse(fs.readFileSync(file, 'utf8')));
			log(
				`the stand-in has the ${count} customer connection(s) of the last run (${shown(file)}; npm start -- --reset forgets them)`,
			);
		} catch (error) {
			log(`the stand-in starts empty: ${shown(file)} could not be read (${error.message})`);
		}
	}
	let last = JSON.stringify(sb.snapshot());
	const save = () => {
		const now = JSON.stringify(sb.snapshot());
		if (now === last) return;
		fs.writeFileSync(`${file}.tmp`, now);
		fs.renameSync(`${file}.tmp`, file);
		last = now;
	};
	return { save, timer: setInterval(save, 2000) };
}

function watchSandbox(sb) {
	let seen = sb.requests.length;
	const instances = new Map(
		[...sb.instances].map(([id, i]) => [id, `${i.valid}/${i.disabled}/${i.name}`]),
	);
	const say = (message) => process.stdout.write(`[stand-in] ${message}\n`);
	return setInterval(() => {
		if (sb.requests.length < seen) seen = 0;
		for (const r of sb.requests.slice(seen)) {
			const api = r.path.replace(/^\/elements\/api-v2/, '');
			if (r.path === '/app/oauth/authorize')
				say(`consent page opened (client_id ${r.query.client_id})`);
			else if (r.path === '/app/oauth/authorize/decision') {
				say(
					r.query.decision === 'allow'
						? `Allow clicked: the browser goes back to ${r.query.redirect_uri} with a code`
						: `${r.query.decision === 'deny' ? 'Deny' : 'A decision'} clicked: the browser goes back to ${r.query.redirect_uri} with error=access_denied`,
				);
			} else if (api !== r.path)
				say(`${r.method} ${api}${r.fault ? ` (fault ${JSON.stringify(r.fault)})` : ''}`);
		}
		seen = sb.requests.length;
		for (const [id, i] of sb.instances) {
			const now = `${i.valid}/${i.disabled}/${i.name}`;
			if (!instances.has(id))
				say(
					`instance ${id} created: "${i.name}", element ${i.element.key}, tags ${JSON.stringify(i.tags)}`,
				);
			else if (instances.get(id) !== now)
				say(
					`instance ${id} is now ${i.valid ? 'valid' : 'INVALID'}, ${i.disabled ? 'disabled' : 'enabled'}`,
				);
			instances.set(id, now);
		}
		for (const id of [...instances.keys()]) {
			if (!sb.instances.has(id)) {
				say(`instance ${id} deleted`);
				instances.delete(id);
			}
		}
	}, 300);
}

function instructions({
	publicUrl,
	apiRoot,
	sandboxUrl,
	folder,
	logFile,
	callbackUrl,
	moveUrl,
	reset,
}) {
	const wf = (id) => `${publicUrl}/workflow/${id}`;
	const auth = 'User uS3r/Secret+Example==, Organization 0rG/Secret+Example+9x=';
	return `
============================================================================================
  n8n with n8n-nodes-infusionsoft-crm:  ${publicUrl}
  Sign in:                              ${OWNER.email}  /  ${OWNER.password}
  Cloud Elements stand-in (no account): ${apiRoot}
============================================================================================

Connect a (pretend) customer's Keap account through Keap REST, the element for new connections:

  1. Open ${wf(demo.PROVISIONING_WORKFLOW_ID)} and sign in.
     ("Infusionsoft CRM: connect a customer's account"; close the "Production Checklist"
     box if n8n 2.x shows one.) The workflow is active ("Published" in n8n 2.x, "Active" in
     1.x): its OAuth Callback Trigger listens on ${callbackUrl}
     (the Infusionsoft app credential's Callback URL already is that URL).
  2. Bottom of the canvas: click the arrow next to "Execute workflow", pick
     "from New customer", then click "Execute workflow". (n8n preselects the callback
     trigger, which would only wait for a test callback.)
  3. Double-click "Get OAuth URL" (Element: Keap REST): its output has the oauthUrl, the link
     you would email to the customer (also in "Send the link to the customer"). Open it in a
     new browser tab.
  4. The consent page of the stand-in's Keap asks to allow access: click "Allow".
  5. Keap sends the browser back to n8n's callback URL, and the page says
     "Thank you — Your Infusionsoft account is being connected". The trigger checked the
     signed state, which also says the link was for Keap REST, and "Create Instance" made an
     infusionsoftrest instance in the stand-in; this terminal shows
     "[stand-in] instance 12345 created: ... element infusionsoftrest". (The workflow does not
     save successful executions — they hold the instance token — so look here, or at step 7.)

  The legacy element (Infusionsoft CRM, needs the Encrypted Key), one click away:
  6. Open ${wf(demo.LEGACY_LINK_WORKFLOW_ID)}
     ("... (legacy Infusionsoft CRM link)") and click "Execute workflow". Its link, in
     "Get OAuth URL (legacy Infusionsoft CRM)", comes back to the same callback: Allow, and
     "Create Instance" makes an infusionsoftcrm instance for customer-43 with the app's
     Infusionsoft Server and Encrypted Key (this terminal: "element infusionsoftcrm").

  7. Open ${wf(demo.REPROVISIONING_WORKFLOW_ID)}
     ("keep customer connections alive") and click "Execute workflow":
     "List customer connections" shows the instances of both elements. Break one, then run
     that workflow again:
       curl -X POST ${sandboxUrl}/__sandbox/instances/12345/state -d '{"valid":false}'
         -> "Get re-authorization URL" makes a new signed link for it, for its own element;
            Allow on it, and the callback of step 1 re-authenticates the instance
       curl -X POST ${sandboxUrl}/__sandbox/instances/12345/state -d '{"valid":true,"disabled":true}'
         -> "Re-enable" enables it again
  8. Move the legacy customers to Keap REST (before Keap turns XML-RPC off on 2026-12-31):
     open ${wf(demo.MIGRATION_WORKFLOW_ID)}
     ("move legacy customers to Keap REST", active: its own trigger listens on
     ${moveUrl}), pick "from Start the move" next to "Execute workflow" and run it.
     "Not moved yet: send the link" has a Keap REST link for each legacy instance (customer-43
     of step 6); open it and Allow: a Keap REST instance with the same name and tags is made,
     then the legacy one is deleted (this terminal shows both).
  9. Hear from the customers' Keap: open ${wf(demo.EVENTS_WORKFLOW_ID)}
     ("new or changed contacts ... (events)") and publish / activate it. Its Events Trigger
     registers the Keap REST instances tagged "customer" (connect one first, steps 1-5): their
     events now go to it, signed with the credential's Event Signature Key. Add a contact in
     that customer's Keap:
       curl -X POST ${sandboxUrl}/__sandbox/instances/12345/records/contacts \
            -d '[{"given_name":"Ada","family_name":"Lovelace","email_addresses":[{"email":"ada@example.com","field":"EMAIL1"}]}]'
     Within the poll interval (5 "minutes" of the stand-in: 10 s here) an execution shows the
     contact in "The contact". Deactivating the workflow turns those events off again.
 10. Connection health: open ${wf(demo.HEALTH_WORKFLOW_ID)} ("tell customers and the team when
     a connection breaks") and click "Fetch Test Event" on its trigger: the instances in trouble
     now (break one with the curl of step 7 first), each with a re-authorization link or a note
     for the team. Activated, it polls every 15 minutes and fires once per change.
  Try also "Deny" on the consent page ("Access not granted"; the execution goes to
  "Notify: not connected"), or a link whose state you changed ("This link cannot be used").

  The stand-in's API:  curl -H '${'Authorization: ' + auth}' ${apiRoot}/instances
  It keeps everything in memory: each start begins with no instances.
  n8n data: ${folder}  (${reset} starts over)
  n8n log:  ${logFile}

Press Ctrl-C to stop n8n and the stand-in.
`;
}

async function main() {
	const options = parseArgs(process.argv.slice(2));
	if (options.help) {
		console.log(USAGE);
		return;
	}
	const { flavor } = options;
	const publicUrl = `http://localhost:${options.port}`;
	const folder = path.join(options.data, flavor);
	const stateFile = path.join(folder, 'npm-start-state.json');
	if (options.reset && fs.existsSync(folder)) {
		log(`--reset: deleting ${shown(folder)}`);
		fs.rmSync(folder, { recursive: true, force: true });
	}
	await requireFreePorts(options);

	if (await demo.ensureDevDependencies(log)) log('dev tools installed');
	log('building the package (npm run build) ...');
	await demo.build();
	const pkg = await demo.pack(options.data);
	log(`packed ${shown(pkg.tarball)}`);

	log(
		`making sure n8n is installed (bash e2e/install-n8n.sh ${flavor}; the first time takes 10-15 min on a busy machine) ...`,
	);
	await run('bash', [path.join(ROOT, 'e2e', 'install-n8n.sh'), flavor], { inherit: true });

	n8n.makeUserFolder(folder);
	const state = readState(stateFile);
	const installed = path.join(
		folder,
		'.n8n',
		'nodes',
		'node_modules',
		demo.PACKAGE.name,
		'package.json',
	);
	if (state.packageIntegrity !== pkg.integrity || !fs.existsSync(installed)) {
		log(
			'installing the package into the n8n user folder (as n8n installs a community package) ...',
		);
		await n8n.installCommunityPackage(folder, pkg.tarball, flavor);
		state.packageIntegrity = pkg.integrity;
		writeState(stateFile, state);
	} else {
		log('the package in the n8n user folder is up to date');
	}

	const { startSandbox } = require('../sandbox');
	running.sandbox = await startSandbox({
		port: options.sandboxPort,
		eventMinuteMs: options.eventMinuteMs,
	});
	log(`Cloud Elements stand-in listening on ${running.sandbox.url}`);
	running.keeper = keepStandIn(running.sandbox, path.join(folder, 'stand-in.json'));

	const workflows = demo.exampleWorkflows();
	const { credentials, triggers, callbackUrl } = startCredentials(
		options,
		publicUrl,
		running.sandbox.apiRoot,
		workflows,
	);
	const examplesHash = `${demo.hashFiles([...exampleCredentialFiles(), ...workflows.map((w) => w.file)])}:${options.port}:${options.sandboxPort}`;
	if (state.examplesHash !== examplesHash) {
		log(
			`importing ${credentials.length} example credentials and ${workflows.length} example workflows (n8n CLI) ...`,
		);
		await n8n.importCredentials(flavor, folder, credentials);
		await n8n.importWorkflows(
			flavor,
			folder,
			workflows.map(({ workflow }) => workflow),
		);
		state.examplesHash = examplesHash;
		writeState(stateFile, state);
	} else {
		log(
			'the example credentials and workflows are imported already (unchanged since the last start)',
		);
	}

	log(`starting n8n ${flavor} on ${publicUrl} ...`);
	running.server = await n8n.startN8n(flavor, folder, {
		port: options.port,
		env: { WEBHOOK_URL: `${publicUrl}/`, N8N_EDITOR_BASE_URL: publicUrl },
	});
	log(`n8n is up (log: ${shown(running.server.logFile)})`);

	const { session, created } = await ensureOwner(running.server.url);
	log(
		created ? `created the owner ${OWNER.email}` : `signed in as the existing owner ${OWNER.email}`,
	);
	for (const trigger of triggers) {
		await rest.activateWorkflow(running.server.url, session.headers, trigger.workflowId);
		await rest.waitForWebhook(running.server.url, trigger.path);
		log(`active: "${trigger.workflowName}", its callback trigger listens on ${trigger.url}`);
	}

	const defaults =
		options.port === 5678 &&
		options.sandboxPort === 5680 &&
		options.data === path.join(ROOT, '.cache', 'n8n-start');
	console.log(
		instructions({
			publicUrl,
			apiRoot: running.sandbox.apiRoot,
			sandboxUrl: running.sandbox.url,
			folder: shown(folder),
			logFile: shown(running.server.logFile),
			callbackUrl,
			moveUrl: triggers.find((t) => t.workflowId === demo.MIGRATION_WORKFLOW_ID)?.url,
			reset: `npm start -- --reset${defaults ? '' : ' (with the same options)'}`,
		}),
	);
	log(`ready in ${elapsed()}`);
	running.watcher = watchSandbox(running.sandbox);

	// Stay up until Ctrl-C; notice when n8n dies on its own.
	for (;;) {
		await sleep(2000);
		if (stopping) return;
		try {
			process.kill(running.server.pid, 0);
		} catch {
			running.server = null;
			await shutdown(
				`n8n exited unexpectedly (see ${shown(path.join(folder, 'n8n-server.log'))})`,
				1,
			);
			return;
		}
	}
}

main().catch((error) => {
	if (stopping) return; // Ctrl-C during start-up: what failed is what the shutdown stopped
	process.stderr.write(
		`\nnpm start failed: ${(error.plain && error.message) || error.stack || error}\n`,
	);
	shutdown('failed', 1);
});

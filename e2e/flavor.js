'use strict';
/**
 * The e2e suite for one n8n flavor: the packed tarball installed as n8n installs a community
 * package, the example credentials and workflows (and a workflow saved with version-1 nodes)
 * imported and their link halves run with the real n8n CLI against a fresh stand-in, then,
 * through a running n8n server: the credential test and the customers' clicks on the links,
 * which reach the OAuth Callback Triggers of the provisioning flow (Keap REST, the legacy
 * element, re-authorization) and of the move to Keap REST through their production webhooks.
 */
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const n8n = require('./lib/n8n');
const demo = require('./lib/demo');
const rest = require('./lib/rest');
const { listExecutions, waitForNewExecution, executionRun } = rest;
const V1_FIXTURE = path.join(
	demo.ROOT,
	'test',
	'examples',
	'fixtures',
	'v1-provisioning-flow.json',
);
const V1_COPY_ID = 'infusionsoftV1Saved';
const APP_ID = 'isLocalStandIn01';
const REST_APP_ID = 'isLocalStandInRest1';
const REST_KEYS = ['oauth.api.key', 'oauth.api.secret', 'oauth.callback.url'];
const LEGACY_KEYS = ['infusionsoft.private.key', 'infusionsoft.server', ...REST_KEYS].sort();
const {
	EXAMPLE,
	ceAuthorization,
	exampleCredentials,
	instanceConfiguration,
} = require('./lib/credentials');
const { clickConsent, openPage, eventually } = require('./lib/http');
const { decodeState, signatureValid, forgeContext } = require('./lib/signedState');
const { startServerCheck, serverLogCheck, closeSuite } = require('./lib/suiteSteps');
const { startSandbox } = require('../sandbox');

const CE_AUTH = ceAuthorization();
const CLI_COPY_ID = 'infusionsoftReprovisionCli';

/**
 * `n8n execute` cannot start at a Schedule Trigger: the CLI copy of the scheduled example has
 * a Manual Trigger of the same name in its place; every other node and connection is the file's.
 */
function scheduledCliCopy(workflow) {
	const nodes = workflow.nodes.map((node) =>
		node.type === 'n8n-nodes-base.scheduleTrigger'
			? {
					id: node.id,
					name: node.name,
					type: 'n8n-nodes-base.manualTrigger',
					typeVersion: 1,
					position: node.position,
					parameters: {},
				}
			: node,
	);
	assert.ok(
		nodes.some((n, i) => n !== workflow.nodes[i]),
		'the scheduled example has a Schedule Trigger',
	);
	return {
		...workflow,
		id: CLI_COPY_ID,
		name: `${workflow.name} (CLI copy: Manual Trigger)`,
		nodes,
		active: false,
	};
}

/** A platform call to the stand-in as the node makes it. */
async function platform(sb, method, route, body) {
	const res = await fetch(`${sb.apiRoot}${route}`, {
		method,
		headers: { authorization: CE_AUTH, ...(body ? { 'content-type': 'application/json' } : {}) },
		body: body ? JSON.stringify(body) : undefined,
	});
	const json = await res.json().catch(() => undefined);
	if (!res.ok) throw new Error(`${method} ${route} -> ${res.status} ${JSON.stringify(json)}`);
	return json;
}

/** Creates an instance of `element` in the stand-in through its API (a code from its fake Keap). */
async function seedInstance(sb, element, name, tags, callbackUrl) {
	const code = sb.issueCode({ clientId: EXAMPLE.clientId, callbackUrl });
	return platform(sb, 'POST', '/instances', {
		element: { key: element },
		providerData: { code },
		configuration: instanceConfiguration({ callbackUrl, encryptedKey: '', element }),
		tags,
		name,
	});
}

/** The saved version-1 workflow (examples/provisioning-flow.json of 70944b7) under its own ID; nodes and connections as saved. */
function v1Copy() {
	const workflow = JSON.parse(fs.readFileSync(V1_FIXTURE, 'utf8'));
	assert.ok(
		workflow.nodes.filter((n) => n.type === demo.NODE_TYPE).every((n) => n.typeVersion === 1),
		'the fixture has version-1 nodes',
	);
	return {
		...workflow,
		id: V1_COPY_ID,
		name: `${workflow.name} (saved with version-1 nodes)`,
		active: false,
	};
}

/** The platform's element key an OAuth URL call asked for. */
const askedElement = (r) => /\/elements\/([^/]+)\/oauth\/url$/.exec(r.path)?.[1];
const keysOf = (instance) => Object.keys(instance.configuration).sort();

const query = (url) => Object.fromEntries(new URL(url).searchParams);
/** Platform calls that change something: not reads, and not the OAuth URL (a POST that only answers). */
const changes = (sb, since) =>
	sb.requests
		.slice(since)
		.filter(
			(r) =>
				r.method !== 'GET' &&
				r.path.startsWith('/elements/api-v2/') &&
				!r.path.endsWith('/oauth/url'),
		);
const described = (calls) =>
	calls.map((r) => `${r.method} ${r.path.replace('/elements/api-v2', '')}`);

/**
 * @param {string} flavor 'n8n-2' | 'n8n-1'
 * @param {{ tarball: string, files: string[] }} pkg  the packed package
 * @param {import('./lib/report').Report} report
 */
async function flavorSuite(flavor, pkg, report) {
	const group = flavor;
	const check = (name, fn, opts) => report.check(group, name, fn, opts);
	const work = fs.mkdtempSync(path.join(os.tmpdir(), `e2e-${flavor}-`));
	const folder = n8n.makeUserFolder(path.join(work, 'user'));
	const sb = await startSandbox({ port: 0 });
	const port = await n8n.getFreePort();
	const base = `http://127.0.0.1:${port}`;
	const callbackUrl = `${base}/webhook/${demo.triggerDefaultPath()}`;
	const moveUrl = `${base}/webhook/infusionsoft-crm/move`;
	const credentials = exampleCredentials({ apiRoot: sb.apiRoot, n8nUrl: base });
	const app = credentials.find((c) => c.id === APP_ID);
	const restApp = credentials.find((c) => c.id === REST_APP_ID);
	const examples = demo.exampleWorkflows();
	const exampleByFile = (name) => examples.find((e) => path.basename(e.file) === name).workflow;
	let failed = false;
	const shared = {};

	/** Opens a link (the consent page's Allow or Deny, or a callback URL) and reads the execution it started. */
	async function callback(workflowId, { link, decision, url }) {
		const seen = (await listExecutions(base, headers(), workflowId)).map((e) => e.id);
		const location = url ?? (await clickConsent(link, decision)).location;
		const page = await openPage(location);
		const execution = await waitForNewExecution(base, headers(), workflowId, seen);
		const { status, run } = await executionRun(base, headers(), flavor, execution.id);
		return {
			location,
			page,
			execution,
			status,
			run,
			out: (node, output = 0) => n8n.nodeOutput(run, node, { output }),
		};
	}
	const headers = () => shared.session.headers;
	const instances = () => [...sb.instances.values()];
	const byName = (name, element) =>
		instances().filter((i) => i.name === name && i.element.key === element);

	try {
		await check('n8n version', async () => {
			const r = await n8n.n8nCli(flavor, folder, ['--version']);
			assert.equal(r.code, 0, r.stderr);
			return `n8n ${r.stdout.trim()} on Node ${fs.existsSync(n8n.runtimePaths(flavor).node) ? require('node:child_process').execFileSync(n8n.runtimePaths(flavor).node, ['--version']).toString().trim() : '?'}`;
		});

		await check(
			'install the packed tarball as n8n installs a community package',
			async () => {
				const installed = await n8n.installCommunityPackage(folder, pkg.tarball, flavor);
				const manifest = JSON.parse(
					fs.readFileSync(path.join(installed.dir, 'package.json'), 'utf8'),
				);
				const declared = [...manifest.n8n.credentials, ...manifest.n8n.nodes];
				for (const file of declared)
					assert.ok(
						fs.existsSync(path.join(installed.dir, file)),
						`${file} (n8n section) is in the tarball`,
					);
				for (const icon of [
					'dist/nodes/InfusionsoftCrm/infusionsoftCrm.svg',
					'dist/nodes/InfusionsoftCrm/infusionsoftCrm.dark.svg',
				]) {
					assert.ok(fs.existsSync(path.join(installed.dir, icon)), `${icon} is in the tarball`);
				}
				assert.ok(
					!pkg.files.some((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')),
					'no TypeScript sources shipped',
				);
				assert.ok(
					!pkg.files.some((f) => /^(test|sandbox|examples|e2e|scripts)\//.test(f)),
					'no repository-only files shipped',
				);
				assert.equal(manifest.peerDependencies, undefined, 'peerDependencies removed as n8n does');
				return `${pkg.files.length} files; n8n section: ${declared.length} entries present`;
			},
			{ fatal: true },
		);

		await check(
			`import:credentials examples/credentials/*.json (API root = stand-in, Callback URLs on ${base})`,
			async () => {
				assert.equal(app.data.callbackUrl, callbackUrl);
				assert.equal(restApp.data.callbackUrl, moveUrl);
				assert.deepEqual(
					Object.keys(restApp.data).sort(),
					['callbackUrl', 'clientId', 'clientSecret'],
					'the Keap REST app has no Server and no Encrypted Key',
				);
				await n8n.importCredentials(flavor, folder, credentials);
				return credentials.map((c) => `${c.type} "${c.name}"`).join(', ');
			},
			{ fatal: true },
		);

		await check(
			'import:workflow examples/*.json (+ a CLI copy of the scheduled one, + a workflow saved with version-1 nodes)',
			async () => {
				const list = examples.map(({ workflow }) =>
					// Saved successful executions let the checks below read what the callbacks did; the
					// files' own setting ("none") keeps instance tokens out of the database. Nodes unchanged.
					[demo.PROVISIONING_WORKFLOW_ID, demo.MIGRATION_WORKFLOW_ID].includes(workflow.id)
						? { ...workflow, settings: { ...workflow.settings, saveDataSuccessExecution: 'all' } }
						: workflow,
				);
				list.push(scheduledCliCopy(exampleByFile('scheduled-reprovisioning.json')), v1Copy());
				const file = path.join(work, 'workflows.json');
				fs.writeFileSync(file, JSON.stringify(list, null, 2));
				await n8n.importWorkflow(flavor, folder, file);
				return list.map((w) => w.id).join(', ');
			},
			{ fatal: true },
		);

		await check(
			'execute provisioning-flow.json: the URL half makes a signed Keap REST oauthUrl',
			async () => {
				const before = sb.requests.length;
				const run = await n8n.executeWorkflow(flavor, folder, demo.PROVISIONING_WORKFLOW_ID);
				const [out] = n8n.nodeOutput(run, 'Get OAuth URL');
				const url = new URL(out.oauthUrl);
				assert.equal(`${url.origin}${url.pathname}`, `${sb.url}/app/oauth/authorize`);
				const q = query(out.oauthUrl);
				assert.equal(q.client_id, EXAMPLE.clientId);
				assert.equal(q.redirect_uri, callbackUrl);
				assert.equal(q.state, out.state);
				assert.equal(out.element, 'infusionsoftrest');
				assert.ok(
					signatureValid(out.state, EXAMPLE.clientSecret),
					'state signed with the app secret',
				);
				const payload = decodeState(out.state);
				assert.equal(payload.c, 'customer-42');
				assert.equal(payload.k, 'infusionsoftrest', 'the state carries the element');
				assert.equal(payload.e - payload.t, 60 * 60, 'valid for 60 minutes (State Valid For)');
				assert.equal(out.context, 'customer-42');
				const [mail] = n8n.nodeOutput(run, 'Send the link to the customer');
				assert.ok(mail.text.includes(out.oauthUrl), 'the email text carries the link');
				assert.equal(mail.to, 'owner@customer-42.example');
				assert.equal(
					run.data.resultData.runData['Create Instance'],
					undefined,
					'the callback half did not run',
				);
				const calls = sb.requests
					.slice(before)
					.filter((r) => r.path.startsWith('/elements/api-v2/'));
				assert.deepEqual(described(calls), ['POST /elements/infusionsoftrest/oauth/url']);
				assert.deepEqual(calls[0].query, {}, 'no field (the client secret above all) in the URL');
				assert.equal(
					calls[0].body.apiSecret,
					EXAMPLE.clientSecret,
					'the client secret in the body, as it is',
				);
				assert.equal(calls[0].headers.authorization, CE_AUTH, 'secrets sent as they are');
				shared.restUrl = out.oauthUrl;
				shared.state = out.state;
				return `state ${out.state.length} chars, element ${payload.k}, context ${payload.c}`;
			},
		);

		await check(
			'execute provisioning-flow-legacy.json: the legacy (infusionsoftcrm) link, back to the same callback',
			async () => {
				const before = sb.requests.length;
				const run = await n8n.executeWorkflow(flavor, folder, demo.LEGACY_LINK_WORKFLOW_ID);
				const [out] = n8n.nodeOutput(run, 'Get OAuth URL (legacy Infusionsoft CRM)');
				assert.equal(out.element, 'infusionsoftcrm');
				assert.equal(query(out.oauthUrl).redirect_uri, callbackUrl);
				const payload = decodeState(out.state);
				assert.deepEqual([payload.k, payload.c], ['infusionsoftcrm', 'customer-43']);
				assert.ok(signatureValid(out.state, EXAMPLE.clientSecret));
				assert.deepEqual(
					described(
						sb.requests.slice(before).filter((r) => r.path.startsWith('/elements/api-v2/')),
					),
					['POST /elements/infusionsoftcrm/oauth/url'],
				);
				shared.legacyUrl = out.oauthUrl;
				return `element ${payload.k}, context ${payload.c}`;
			},
		);

		await check(
			'execute the workflow saved with version-1 nodes (examples/provisioning-flow.json of 70944b7): a legacy link, as before',
			async () => {
				const before = sb.requests.length;
				const run = await n8n.executeWorkflow(flavor, folder, V1_COPY_ID);
				const [out] = n8n.nodeOutput(run, 'Get OAuth URL');
				assert.equal(out.element, 'infusionsoftcrm');
				const payload = decodeState(out.state);
				assert.deepEqual(
					[payload.k, payload.c, payload.e - payload.t],
					['infusionsoftcrm', 'customer-42', 60 * 60],
				);
				assert.equal(query(out.oauthUrl).redirect_uri, callbackUrl);
				assert.deepEqual(
					described(
						sb.requests.slice(before).filter((r) => r.path.startsWith('/elements/api-v2/')),
					),
					['POST /elements/infusionsoftcrm/oauth/url'],
				);
				shared.v1Url = out.oauthUrl;
				return `element ${out.element}`;
			},
		);

		await check(
			'execute scheduled-reprovisioning.json (CLI copy): both Keap elements listed, a re-auth link for each broken one through its own element, the disabled one re-enabled',
			async () => {
				sb.reset();
				const seed = (element, name, tags) => seedInstance(sb, element, name, tags, callbackUrl);
				const s = {
					anna: await seed('infusionsoftcrm', 'Infusionsoft – anna', ['customer', 'anna']),
					bert: await seed('infusionsoftcrm', 'Infusionsoft – bert', ['customer', 'bert']),
					carl: await seed('infusionsoftcrm', 'Infusionsoft – carl', ['customer', 'carl']),
					carlRest: await seed('infusionsoftrest', 'Infusionsoft – carl', ['customer', 'carl']),
					dora: await seed('infusionsoftrest', 'Infusionsoft – dora', ['customer', 'dora']),
					emil: await seed('infusionsoftrest', 'Infusionsoft – emil', ['customer', 'emil']),
					other: await seed('infusionsoftcrm', 'Internal – not a customer', ['internal']),
				};
				sb.instances.get(s.bert.id).valid = false;
				sb.instances.get(s.dora.id).valid = false;
				sb.instances.get(s.emil.id).disabled = true;
				sb.instances.get(s.other.id).disabled = true;
				shared.seeds = s;
				const before = sb.requests.length;

				const run = await n8n.executeWorkflow(flavor, folder, CLI_COPY_ID);
				const listed = n8n.nodeOutput(run, 'List customer connections').map((i) => i.id);
				assert.deepEqual(
					listed,
					[s.anna, s.bert, s.carl, s.carlRest, s.dora, s.emil].map((i) => i.id),
					'the instances tagged customer, of both elements',
				);
				const flagged = n8n.nodeOutput(run, 'Flag: ask the customer to reconnect');
				assert.deepEqual(
					flagged.map((f) => [f.instanceId, f.instanceName, f.element, f.status]),
					[
						[s.bert.id, s.bert.name, 'infusionsoftcrm', 'needs re-authorization'],
						[s.dora.id, s.dora.name, 'infusionsoftrest', 'needs re-authorization'],
					],
				);
				for (const f of flagged) {
					assert.ok(f.reconnectUrl.startsWith(`${sb.url}/app/oauth/authorize?`));
					const state = query(f.reconnectUrl).state;
					assert.ok(signatureValid(state, EXAMPLE.clientSecret), 're-auth link signed');
					const payload = decodeState(state);
					assert.deepEqual(payload.c, {
						reauthenticateInstanceId: f.instanceId,
						name: f.instanceName,
					});
					assert.equal(payload.k, f.element, 'the link is for the instance’s own element');
					assert.equal(payload.e - payload.t, 1440 * 60, 'valid for a day');
				}
				const asked = sb.requests
					.slice(before)
					.filter((r) => r.path.endsWith('/oauth/url'))
					.map(askedElement);
				assert.deepEqual(asked, ['infusionsoftcrm', 'infusionsoftrest']);
				assert.deepEqual(
					n8n.nodeOutput(run, 'Re-enable').map((i) => i.id),
					[s.emil.id],
				);
				assert.equal(
					sb.instances.get(s.emil.id).disabled,
					false,
					'the disabled one is enabled in the stand-in',
				);
				assert.equal(
					sb.instances.get(s.other.id).disabled,
					true,
					'an instance not tagged customer is left alone',
				);
				assert.deepEqual(
					described(changes(sb, before)),
					[`PUT /instances/${s.emil.id}/enabled`],
					'the only change is re-enabling',
				);
				shared.reconnect = flagged;
				return `listed ${listed.length}, re-auth links for ${flagged.map((f) => `${f.instanceId} (${f.element})`).join(', ')}, re-enabled ${s.emil.id}`;
			},
		);

		await check(
			'execute migrate-to-keap-rest.json (the link half): a Keap REST link per legacy instance not moved yet, made with the Keap REST app (no Server, no Encrypted Key); one reported moved; nothing changed',
			async () => {
				const s = shared.seeds;
				assert.ok(s, 'needs the instances of the scheduled check');
				const before = sb.requests.length;
				const run = await n8n.executeWorkflow(flavor, folder, demo.MIGRATION_WORKFLOW_ID);
				assert.deepEqual(
					n8n
						.nodeOutput(run, 'Moved: legacy instance left')
						.map((r) => [r.legacyInstanceId, r.name]),
					[[s.carl.id, s.carl.name]],
				);
				const notMoved = n8n.nodeOutput(run, 'Not moved yet: send the link');
				assert.deepEqual(
					notMoved.map((r) => [r.legacyInstanceId, r.name, r.status]),
					[s.anna, s.bert, s.other].map((i) => [
						i.id,
						i.name,
						'not moved yet: Keap REST link sent',
					]),
				);
				const links = n8n.nodeOutput(run, 'Keap REST link');
				shared.moveLinks = {};
				for (const [i, out] of links.entries()) {
					const legacy = [s.anna, s.bert, s.other][i];
					assert.ok(notMoved[i].text.includes(out.oauthUrl), 'the email text carries the link');
					assert.equal(
						query(out.oauthUrl).redirect_uri,
						moveUrl,
						'back to the migration workflow’s own trigger',
					);
					const payload = decodeState(out.state);
					assert.equal(payload.k, 'infusionsoftrest');
					assert.deepEqual(payload.c, {
						moveFrom: { id: legacy.id, name: legacy.name, tags: legacy.tags },
					});
					assert.equal(payload.e - payload.t, 7 * 24 * 60 * 60, 'valid for 7 days');
					shared.moveLinks[legacy.id] = out.oauthUrl;
				}
				const calls = sb.requests.slice(before).filter((r) => r.path.endsWith('/oauth/url'));
				assert.deepEqual(calls.map(askedElement), [
					'infusionsoftrest',
					'infusionsoftrest',
					'infusionsoftrest',
				]);
				assert.ok(
					calls.every((r) => r.body.callbackUrl === moveUrl && r.body.apiKey === EXAMPLE.clientId),
				);
				assert.deepEqual(described(changes(sb, before)), [], 'the link half changes nothing');
				return `links for ${Object.keys(shared.moveLinks).join(', ')}; moved already: ${s.carl.id}`;
			},
		);

		await startServerCheck(check, flavor, folder, port, shared);

		await check(
			'the editor lists both nodes and both credential types; the imported credentials and the version-1 nodes as saved',
			async () => {
				const nodes = await rest.editorTypes(base, headers(), 'nodes');
				const creds = await rest.editorTypes(base, headers(), 'credentials');
				for (const type of [demo.NODE_TYPE, demo.TRIGGER_TYPE])
					assert.ok(nodes.includes(`"name":"${type}"`), `${type} in /types/nodes.json`);
				for (const type of ['cloudElementsApi', 'infusionsoftCrmOAuth2Api'])
					assert.ok(creds.includes(`"name":"${type}"`), `${type} in /types/credentials.json`);
				const ids = (await rest.listCredentials(base, headers())).map((c) => c.id);
				for (const c of credentials)
					assert.ok(ids.includes(c.id), `credential ${c.id} visible to the owner`);
				const saved = await rest.getWorkflow(base, headers(), V1_COPY_ID);
				assert.deepEqual(
					saved.nodes.filter((n) => n.type === demo.NODE_TYPE).map((n) => n.typeVersion),
					[1, 1],
				);
			},
		);

		await check(
			'activate the provisioning flow and the move to Keap REST (both callback triggers listen)',
			async () => {
				const lines = [];
				for (const [id, webhook] of [
					[demo.PROVISIONING_WORKFLOW_ID, demo.triggerDefaultPath()],
					[demo.MIGRATION_WORKFLOW_ID, 'infusionsoft-crm/move'],
				]) {
					const wf = await rest.activateWorkflow(base, headers(), id);
					assert.equal(wf.active, true);
					const t0 = Date.now();
					const status = await rest.waitForWebhook(base, webhook);
					const page = await openPage(`${base}/webhook/${webhook}`);
					assert.equal(page.status, 400, 'a bare GET (no code, error or state) is not a callback');
					lines.push(`${webhook} live after ${Date.now() - t0} ms (bare GET -> ${status})`);
				}
				return lines.join('; ');
			},
		);

		await check(
			'the re-authorization links clicked: the provisioning callback re-authenticates each instance through its own element',
			async () => {
				assert.ok(shared.reconnect, 'needs the links of the scheduled check');
				const lines = [];
				for (const flag of shared.reconnect) {
					const instance = sb.instances.get(flag.instanceId);
					const token = instance.token;
					const before = sb.requests.length;
					const { page, status, run, out, execution } = await callback(
						demo.PROVISIONING_WORKFLOW_ID,
						{ link: flag.reconnectUrl, decision: 'allow' },
					);
					assert.equal(page.title, 'Thank you');
					assert.equal(status, 'success');
					assert.equal(
						run.data.resultData.runData['Create Instance'],
						undefined,
						'not a new instance',
					);
					assert.deepEqual(
						out('Store the new token').map((r) => [r.instanceId, r.element, r.action]),
						[[instance.id, flag.element, 'reauthenticated']],
					);
					assert.deepEqual(described(changes(sb, before)), [`PUT /instances/${instance.id}`]);
					const put = sb.requests.slice(before).find((r) => r.method === 'PUT');
					assert.deepEqual(put.body.element, { key: flag.element });
					assert.deepEqual(
						Object.keys(put.body.configuration).sort(),
						flag.element === 'infusionsoftrest' ? REST_KEYS : LEGACY_KEYS,
					);
					assert.equal(instance.valid, true);
					assert.notEqual(instance.token, token, 'a new token');
					assert.equal(instance.element.key, flag.element);
					lines.push(`${instance.id} (${flag.element}) in execution ${execution.id}`);
				}
				return lines.join(', ');
			},
		);

		await check(
			'the move for real: Allow on a Keap REST link -> the move workflow’s production webhook creates the Keap REST instance (same name and tags, 3 keys), then deletes the legacy one',
			async () => {
				const { anna, bert, carl, other } = shared.seeds;
				const before = sb.requests.length;
				const { location, page, status, out, execution } = await callback(
					demo.MIGRATION_WORKFLOW_ID,
					{ link: shared.moveLinks[anna.id], decision: 'allow' },
				);
				assert.ok(location.startsWith(`${moveUrl}?code=`), location);
				assert.equal(page.status, 200);
				assert.equal(page.title, 'Thank you');
				assert.match(page.message, /Your Keap account is being moved to its new connection/);
				assert.equal(status, 'success');
				const [created] = out('Create the Keap REST instance');
				const [moved] = out('Moved');
				assert.deepEqual(moved, {
					name: anna.name,
					keapRestInstanceId: created.id,
					action: 'created',
					legacyInstanceId: anna.id,
					legacyAlreadyDeleted: false,
					status: 'moved',
				});
				assert.deepEqual(
					described(changes(sb, before)),
					['POST /instances', `DELETE /instances/${anna.id}`],
					'created first, deleted only then',
				);
				const post = sb.requests
					.slice(before)
					.find((r) => r.method === 'POST' && r.path.endsWith('/instances'));
				assert.deepEqual(post.body.element, { key: 'infusionsoftrest' });
				assert.deepEqual(post.body.configuration, {
					'oauth.callback.url': moveUrl,
					'oauth.api.key': EXAMPLE.clientId,
					'oauth.api.secret': EXAMPLE.clientSecret,
				});
				const [rest] = byName(anna.name, 'infusionsoftrest');
				assert.equal(rest.id, created.id);
				assert.deepEqual(keysOf(rest), REST_KEYS);
				assert.deepEqual(rest.tags.slice(0, 2), anna.tags);
				assert.match(rest.tags[2], /^used-state:/);
				assert.equal(sb.instances.has(anna.id), false, 'the legacy instance is gone');
				for (const kept of [bert, carl, other])
					assert.ok(sb.instances.has(kept.id), `${kept.name} (legacy) is still there`);
				shared.moved = { id: created.id, token: rest.token };
				return `legacy ${anna.id} -> Keap REST ${created.id}, execution ${execution.id}`;
			},
		);

		await check(
			'the move: the same link again -> the Keap REST instance is reused, nothing else deleted',
			async () => {
				const { anna } = shared.seeds;
				assert.ok(shared.moved, 'needs the move of the previous check');
				const snapshot = JSON.stringify(instances());
				const before = sb.requests.length;
				const { status, out } = await callback(demo.MIGRATION_WORKFLOW_ID, {
					link: shared.moveLinks[anna.id],
					decision: 'allow',
				});
				assert.equal(status, 'success');
				const [moved] = out('Moved');
				assert.deepEqual(
					[
						moved.keapRestInstanceId,
						moved.action,
						moved.legacyInstanceId,
						moved.legacyAlreadyDeleted,
					],
					[shared.moved.id, 'reused', anna.id, true],
				);
				assert.deepEqual(
					described(changes(sb, before)),
					[`DELETE /instances/${anna.id}`],
					'only the (already gone) legacy ID of the state',
				);
				assert.equal(
					JSON.stringify(instances()),
					snapshot,
					'no instance created, changed or deleted',
				);
				return `reused ${moved.keapRestInstanceId}`;
			},
		);

		await check(
			'the move: a forged link (the state names another legacy instance) -> 400, refused, nothing deleted',
			async () => {
				const { anna, carl } = shared.seeds;
				const snapshot = JSON.stringify(instances());
				const before = sb.requests.length;
				const state = query(shared.moveLinks[anna.id]).state;
				const forged = forgeContext(state, {
					moveFrom: { id: carl.id, name: carl.name, tags: carl.tags },
				});
				const code = sb.issueCode({ clientId: EXAMPLE.clientId, callbackUrl: moveUrl });
				const { page, out } = await callback(demo.MIGRATION_WORKFLOW_ID, {
					url: `${moveUrl}?${new URLSearchParams({ code, state: forged })}`,
				});
				assert.equal(page.status, 400);
				assert.equal(page.title, 'This link cannot be used');
				const [refused] = out('Not moved: link refused');
				assert.equal(refused.reason, 'bad-signature');
				assert.equal(refused.legacyInstanceId, 'unknown (state not verified)');
				assert.deepEqual(described(changes(sb, before)), []);
				assert.equal(JSON.stringify(instances()), snapshot);
				return `reason ${refused.reason}`;
			},
		);

		const ce = credentials.find((c) => c.type === 'cloudElementsApi');
		await check(
			'credential test (POST /rest/credentials/test): good secrets, account with no instances -> OK',
			async () => {
				// The account must be empty for this check: the instances are set aside and put back after.
				const kept = [...sb.instances];
				sb.instances.clear();
				try {
					const empty = await fetch(`${sb.apiRoot}/instances`, {
						headers: { authorization: CE_AUTH },
					});
					assert.equal(
						empty.status,
						404,
						'the stand-in account has no instances (GET /instances answers 404)',
					);
					const result = await rest.testCredential(base, headers(), {
						id: ce.id,
						name: ce.name,
						type: ce.type,
						data: ce.data,
					});
					assert.equal(result.status, 'OK', JSON.stringify(result));
					const call = sb.requests.filter((r) => r.path.startsWith('/elements/api-v2/')).at(-1);
					assert.equal(
						`${call.method} ${call.path}`,
						'GET /elements/api-v2/elements/infusionsoftcrm',
					);
					assert.equal(call.headers.authorization, CE_AUTH);
					return JSON.stringify(result);
				} finally {
					for (const [id, instance] of kept) sb.instances.set(id, instance);
				}
			},
		);

		await check(
			'credential test: a wrong User Secret, or Organization Secret -> Error',
			async () => {
				const messages = [];
				for (const wrong of [
					{ userSecret: 'wrong/User+Secret=' },
					{ organizationSecret: 'wrong/Org+Secret=' },
				]) {
					const result = await rest.testCredential(base, headers(), {
						id: ce.id,
						name: ce.name,
						type: ce.type,
						data: { ...ce.data, ...wrong },
					});
					assert.equal(result.status, 'Error', JSON.stringify(result));
					messages.push(result.message);
				}
				const saved = await rest.testCredential(base, headers(), {
					id: ce.id,
					name: ce.name,
					type: ce.type,
					data: ce.data,
				});
				assert.equal(saved.status, 'OK', 'the stored credential is unchanged');
				return messages.map((m) => JSON.stringify(m)).join(' / ');
			},
		);

		await check(
			'credential test: a 5-character User Secret, a secret with an accent -> Error naming the field, nothing sent',
			async () => {
				const before = sb.requests.length;
				const short = await rest.testCredential(base, headers(), {
					id: ce.id,
					name: ce.name,
					type: ce.type,
					data: { ...ce.data, userSecret: '12345' },
				});
				assert.equal(short.status, 'Error', JSON.stringify(short));
				assert.match(short.message, /^User Secret is shorter than 8 characters/);
				const accented = await rest.testCredential(base, headers(), {
					id: ce.id,
					name: ce.name,
					type: ce.type,
					data: { ...ce.data, organizationSecret: `${ce.data.organizationSecret}é` },
				});
				assert.equal(accented.status, 'Error', JSON.stringify(accented));
				assert.match(
					accented.message,
					/^Organization Secret holds characters other than printable ASCII/,
				);
				assert.equal(
					sb.requests.slice(before).filter((r) => r.path.startsWith('/elements/api-v2/')).length,
					0,
					'nothing reached the platform',
				);
				return [short.message, accented.message].map((m) => JSON.stringify(m)).join(' / ');
			},
		);

		await check(
			'the app credential saved without Infusionsoft Server and Encrypted Key (PATCH /rest/credentials/:id)',
			async () => {
				const data = { ...app.data, server: '', encryptedKey: '' };
				await rest.updateCredential(base, headers(), {
					id: app.id,
					name: app.name,
					type: app.type,
					data,
				});
				shared.appStripped = true;
				return `${app.id}: ${Object.keys(app.data)
					.filter((k) => data[k])
					.join(', ')}`;
			},
		);

		await check(
			'Keap REST for real (that credential): consent -> Allow -> production webhook -> "being connected" page, infusionsoftrest instance with exactly 3 keys',
			async () => {
				assert.ok(
					shared.restUrl && shared.appStripped,
					'needs the oauthUrl of the CLI run and the credential without Server and Encrypted Key',
				);
				const known = new Set(sb.instances.keys());
				const before = sb.requests.length;
				const { html, location } = await clickConsent(shared.restUrl, 'allow');
				assert.match(html, /wants access to your account/);
				assert.ok(location.startsWith(`${callbackUrl}?code=`), location);
				const seen = (await listExecutions(base, headers(), demo.PROVISIONING_WORKFLOW_ID)).map(
					(e) => e.id,
				);
				const page = await openPage(location);
				assert.equal(page.status, 200);
				assert.equal(page.title, 'Thank you');
				assert.match(page.message, /Your Infusionsoft account is being connected/);
				assert.ok(!page.text.includes(query(location).code), 'the page does not show the code');
				assert.match(page.headers.get('content-security-policy') || '', /default-src 'none'/);

				const instance = await eventually(() => instances().find((i) => !known.has(i.id)), {
					what: 'a new instance in the stand-in',
				});
				assert.equal(instance.name, 'Infusionsoft – customer-42');
				assert.equal(instance.element.key, 'infusionsoftrest');
				assert.deepEqual(keysOf(instance), REST_KEYS);
				assert.deepEqual(instance.tags.slice(0, 2), ['customer', 'customer-42']);
				assert.match(
					instance.tags[2],
					/^used-state:/,
					'the instance remembers the callback that made it',
				);
				assert.equal(instance.configuration['oauth.callback.url'], callbackUrl);
				shared.instance = { id: instance.id, token: instance.token };
				const create = sb.requests
					.slice(before)
					.find((r) => r.method === 'POST' && r.path === '/elements/api-v2/instances');
				assert.equal(
					create.body.providerData.code,
					query(location).code,
					'created with the code of this redirect',
				);
				assert.deepEqual(Object.keys(create.body.configuration).sort(), REST_KEYS);

				const execution = await waitForNewExecution(
					base,
					headers(),
					demo.PROVISIONING_WORKFLOW_ID,
					seen,
				);
				const { status, run } = await executionRun(base, headers(), flavor, execution.id);
				assert.equal(status, 'success');
				const [stored] = n8n.nodeOutput(run, 'Store instance ID and token');
				assert.deepEqual(
					[stored.instanceId, stored.customerId, stored.element, stored.action],
					[instance.id, 'customer-42', 'infusionsoftrest', 'created'],
				);
				assert.equal(run.data.resultData.runData['Notify: not connected'], undefined);
				return `instance ${instance.id} "${instance.name}" (${instance.element.key}), execution ${execution.id} (${execution.mode})`;
			},
		);

		await check(
			'the legacy link while the credential has no Infusionsoft Server -> refused by name before the code is spent, nothing created',
			async () => {
				assert.ok(shared.legacyUrl && shared.appStripped);
				const before = sb.requests.length;
				const count = sb.instances.size;
				const { status, run } = await callback(demo.PROVISIONING_WORKFLOW_ID, {
					link: shared.legacyUrl,
					decision: 'allow',
				});
				assert.equal(status, 'error');
				assert.match(
					run.data.resultData.error.message,
					/Infusionsoft Server is empty \(the infusionsoftcrm element needs it\)/,
				);
				assert.deepEqual(described(changes(sb, before)), []);
				assert.equal(sb.instances.size, count);
				return run.data.resultData.error.message;
			},
		);

		await check(
			'callback: Deny -> "Access not granted", second output, nothing created',
			async () => {
				const instancesBefore = sb.instances.size;
				const requestsBefore = sb.requests.length;
				const { location, page, run, out, execution } = await callback(
					demo.PROVISIONING_WORKFLOW_ID,
					{ link: shared.restUrl, decision: 'deny' },
				);
				assert.equal(query(location).error, 'access_denied');
				assert.equal(page.status, 200);
				assert.equal(page.title, 'Access not granted');
				const [notified] = out('Notify: not connected');
				assert.equal(notified.reason, 'denied');
				assert.equal(notified.customerId, 'customer-42');
				assert.equal(
					run.data.resultData.runData['Create Instance'],
					undefined,
					'Create Instance did not run',
				);
				assert.equal(sb.instances.size, instancesBefore);
				assert.deepEqual(changes(sb, requestsBefore), [], 'no platform call changed anything');
				return `execution ${execution.id}: ${JSON.stringify(notified)}`;
			},
		);

		await check(
			'callback: the same link replayed with a fresh code from another account -> refused by Create, instance untouched',
			async () => {
				assert.ok(shared.instance, 'needs the instance of the Keap REST Allow check');
				const requestsBefore = sb.requests.length;
				const code = sb.issueCode({ clientId: EXAMPLE.clientId, callbackUrl });
				const { page, status, run, execution } = await callback(demo.PROVISIONING_WORKFLOW_ID, {
					url: `${callbackUrl}?${new URLSearchParams({ code, state: shared.state })}`,
				});
				assert.equal(
					page.status,
					200,
					'the trigger cannot know: the state is genuine and unexpired',
				);
				assert.equal(status, 'error');
				const error = run.data.resultData.error;
				assert.match(
					error.message,
					new RegExp(
						`This callback was used before: it already connected instance ${shared.instance.id}`,
					),
				);
				assert.equal(
					sb.instances.get(shared.instance.id).token,
					shared.instance.token,
					'the instance still points at the first account',
				);
				assert.deepEqual(changes(sb, requestsBefore), [], 'no platform call changed anything');
				return `execution ${execution.id}: ${error.message}`;
			},
		);

		await check(
			'callback: a forged state (context changed) -> 400 "This link cannot be used", refused',
			async () => {
				const instancesBefore = sb.instances.size;
				const requestsBefore = sb.requests.length;
				const code = sb.issueCode({ clientId: EXAMPLE.clientId, callbackUrl });
				const forged = forgeContext(shared.state, 'customer-666');
				const { page, run, out } = await callback(demo.PROVISIONING_WORKFLOW_ID, {
					url: `${callbackUrl}?${new URLSearchParams({ code, state: forged })}`,
				});
				assert.equal(page.status, 400);
				assert.equal(page.title, 'This link cannot be used');
				const [notified] = out('Notify: not connected');
				assert.equal(notified.reason, 'bad-signature');
				assert.equal(notified.customerId, 'unknown (state not verified)');
				assert.equal(run.data.resultData.runData['Create Instance'], undefined);
				assert.equal(sb.instances.size, instancesBefore);
				assert.deepEqual(changes(sb, requestsBefore), []);
				return `reason ${notified.reason}`;
			},
		);

		await check(
			'the legacy element for real: the credential’s Server and Encrypted Key back (PATCH), Allow on the legacy link -> an infusionsoftcrm instance with the five keys',
			async () => {
				await rest.updateCredential(base, headers(), {
					id: app.id,
					name: app.name,
					type: app.type,
					data: app.data,
				});
				shared.appStripped = false;
				const known = new Set(sb.instances.keys());
				const before = sb.requests.length;
				const { page, status, out, execution } = await callback(demo.PROVISIONING_WORKFLOW_ID, {
					link: shared.legacyUrl,
					decision: 'allow',
				});
				assert.equal(page.title, 'Thank you');
				assert.equal(status, 'success');
				const created = instances().filter((i) => !known.has(i.id));
				assert.equal(created.length, 1);
				const [instance] = created;
				assert.deepEqual(
					[instance.name, instance.element.key, keysOf(instance)],
					['Infusionsoft – customer-43', 'infusionsoftcrm', LEGACY_KEYS],
				);
				const post = sb.requests
					.slice(before)
					.find((r) => r.method === 'POST' && r.path.endsWith('/instances'));
				assert.deepEqual(post.body.configuration, instanceConfiguration({ callbackUrl }));
				const [stored] = out('Store instance ID and token');
				assert.deepEqual(
					[stored.instanceId, stored.customerId, stored.element, stored.action],
					[instance.id, 'customer-43', 'infusionsoftcrm', 'created'],
				);
				return `instance ${instance.id} "${instance.name}" (${instance.element.key}), execution ${execution.id}`;
			},
		);

		await check(
			'the link of the version-1 workflow, Allowed: the callback creates a legacy instance beside the Keap REST one of the same name',
			async () => {
				const known = new Set(sb.instances.keys());
				const { status, out } = await callback(demo.PROVISIONING_WORKFLOW_ID, {
					link: shared.v1Url,
					decision: 'allow',
				});
				assert.equal(status, 'success');
				const [created] = out('Create Instance');
				assert.deepEqual(
					[created.action, created.name, created.element.key],
					['created', 'Infusionsoft – customer-42', 'infusionsoftcrm'],
				);
				assert.deepEqual(
					instances()
						.filter((i) => !known.has(i.id))
						.map((i) => [i.id, keysOf(i).length]),
					[[created.id, 5]],
				);
				assert.deepEqual(
					instances()
						.filter((i) => i.name === 'Infusionsoft – customer-42')
						.map((i) => i.element.key),
					['infusionsoftrest', 'infusionsoftcrm'],
					'one instance of that name per element: the look-up by name stays within the element',
				);
				return `instance ${created.id}`;
			},
		);

		await check(
			'activate scheduled-reprovisioning.json as it is (Schedule Trigger), then deactivate',
			async () => {
				const wf = await rest.activateWorkflow(base, headers(), demo.REPROVISIONING_WORKFLOW_ID);
				assert.equal(wf.active, true);
				const off = await rest.deactivateWorkflow(base, headers(), demo.REPROVISIONING_WORKFLOW_ID);
				assert.equal(off.active, false);
			},
		);

		await serverLogCheck(check, shared.server);
	} catch (error) {
		failed = true;
		if (!error.reported) throw error;
	} finally {
		await closeSuite({ flavor, server: shared.server, sb, work, report, group, failed });
	}
}

module.exports = { flavorSuite, scheduledCliCopy };

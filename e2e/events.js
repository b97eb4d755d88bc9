#!/usr/bin/env node
'use strict';
/**
 * The e2e suite for HEARING from the connections, per flavor (run by e2e/run.js after hub.js;
 * also alone: `node e2e/events.js [n8n-2] [n8n-1]`, which builds and packs first). Its own n8n
 * user folder and stand-in (event engine without timers: the suite polls through it):
 *
 * - `n8n execute`: Instance → Configure Events points a Keap REST instance at the Events
 *   Trigger's Production URL, signed with the credential's Event Signature Key; Contact → Create
 *   makes a contact in that customer's Keap;
 * - a server: the Events Trigger of an active workflow receives the stand-in's signed
 *   notification of that contact and emits one item per event; forged, unsigned, tampered and
 *   `sha1=` notifications get 401, a malformed one 400, and none starts an execution;
 * - Register on Activation: activating a second workflow points the events of the instances with
 *   its tags at its URL (legacy and other instances untouched), a contact seeded there reaches
 *   it, deactivating turns those events off again; an instance whose events go elsewhere is left
 *   alone, unless a third workflow takes it over, and its deactivation gives the instance back;
 * - the same signed notification posted again starts no second execution (the trigger keeps its
 *   id in the workflow's static data, which n8n saves from the webhook);
 * - the Connection Health Trigger: each activation polls at once (n8n does), so activations
 *   stand in for the minutes between polls: quiet on the first poll, fires once when an instance
 *   is broken, stays quiet on the next poll, fires once when it recovers.
 */
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const n8n = require('./lib/n8n');
const demo = require('./lib/demo');
const rest = require('./lib/rest');
const { sleep } = require('./lib/processes');
const { EXAMPLE, ceAuthorization, exampleCredentials } = require('./lib/credentials');
const { call, connect } = require('./lib/customers');
const { lineWorkflow, execute, byId, one } = require('./lib/cliWorkflows');
const { installCheck } = require('./lib/suiteSteps');
const { startSandbox } = require('../sandbox');

const EVENTS_TYPE = `${demo.PACKAGE.name}.infusionsoftCrmEventsTrigger`;
const HEALTH_TYPE = `${demo.PACKAGE.name}.infusionsoftCrmHealthTrigger`;
const CONFIGURE_ID = 'evConfigure';
const CONTACT_ID = 'evContact';
const LISTEN_ID = 'evListen';
const REGISTER_ID = 'evRegister';
const TAKEOVER_ID = 'evTakeover';
const HEALTH_ID = 'evHealth';
const LISTEN_PATH = 'e2e/events';
const REGISTER_PATH = 'e2e/registered';
const TAKEOVER_PATH = 'e2e/takeover';
const ELSEWHERE = 'https://elsewhere.example/hooks/keap';

/** A trigger → No Operation workflow. */
function triggerWorkflow(id, name, ceRef, trigger) {
	return {
		id,
		name,
		nodes: [
			{
				id: `${id}-0`,
				name: 'Trigger',
				position: [0, 0],
				credentials: { cloudElementsApi: ceRef },
				...trigger,
			},
			{
				id: `${id}-1`,
				name: 'Received',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [220, 0],
				parameters: {},
			},
		],
		connections: { Trigger: { main: [[{ node: 'Received', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
		active: false,
	};
}

const eventsTrigger = (webhookId, parameters) => ({
	type: EVENTS_TYPE,
	typeVersion: 1,
	webhookId,
	parameters,
});

const sign = (key, body) =>
	`sha256=${crypto.createHmac('sha256', key).update(body).digest('base64')}`;

async function post(url, body, headers = {}) {
	const res = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		body,
	});
	return { status: res.status, text: await res.text() };
}

/** Waits until n8n serves the trigger's production webhook (an unsigned POST: 401 once it listens, 404 before). */
async function waitForEventsWebhook(url, timeoutMs = 30000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const { status } = await post(url, '{}').catch(() => ({ status: 0 }));
		if (status !== 404 && status !== 0) return status;
		if (Date.now() > deadline) throw new Error(`${url} was not registered within ${timeoutMs} ms`);
		await sleep(200);
	}
}

async function waitFor(condition, what, timeoutMs = 30000) {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
		await sleep(200);
	}
}

/** The trigger node's items of an execution. */
const triggerItems = (run) =>
	n8n.nodeOutput(run, 'Trigger') ?? assert.fail('the trigger emitted nothing');

/**
 * @param {string} flavor 'n8n-2' | 'n8n-1'
 * @param {{ tarball: string }} pkg  the packed package
 * @param {import('./lib/report').Report} report
 */
async function eventsSuite(flavor, pkg, report) {
	const group = `${flavor} events`;
	const check = (name, fn, opts) => report.check(group, name, fn, opts);
	const work = fs.mkdtempSync(path.join(os.tmpdir(), `e2e-events-${flavor}-`));
	const folder = n8n.makeUserFolder(path.join(work, 'user'));
	const sb = await startSandbox({ port: 0, eventMinuteMs: 0 });
	const port = await n8n.getFreePort();
	const base = `http://127.0.0.1:${port}`;
	const listenUrl = `${base}/webhook/${LISTEN_PATH}`;
	const registerUrl = `${base}/webhook/${REGISTER_PATH}`;
	const takeoverUrl = `${base}/webhook/${TAKEOVER_PATH}`;
	const credentials = exampleCredentials({ apiRoot: sb.apiRoot, n8nUrl: base });
	const ce = credentials.find((c) => c.type === 'cloudElementsApi');
	const ceRef = { id: ce.id, name: ce.name };
	const key = ce.data.eventSignatureSecret;
	const c = {};
	const shared = {};
	let server;
	const headers = () => shared.session.headers;
	const config = (instance) => sb.instances.get(instance.id).configuration;
	const executionIds = async (id) =>
		(await rest.listExecutions(base, headers(), id)).map((e) => e.id);
	/** The execution a step started: waits for it and reads its run. */
	async function started(workflowId, seen, step) {
		await step();
		const execution = await rest.waitForNewExecution(base, headers(), workflowId, seen);
		const { status, run } = await rest.executionRun(base, headers(), flavor, execution.id);
		assert.equal(status, 'success', `execution ${execution.id} of ${workflowId}: ${status}`);
		return { execution, run };
	}
	/** Nothing new: no execution of the workflow besides `seen`, after a pause that would have shown one. */
	async function quiet(workflowId, seen, what) {
		await sleep(1500);
		const now = await executionIds(workflowId);
		assert.deepEqual(
			now.filter((id) => !seen.includes(id)),
			[],
			`${what} started no execution`,
		);
	}

	try {
		assert.ok(key, 'the example Cloud Elements credential has an Event Signature Key');
		await installCheck(check, {
			flavor,
			folder,
			pkg,
			credentials,
			title:
				'install the packed tarball, import the example credentials (with the Event Signature Key)',
		});

		await check(
			'customers connected in the stand-in: Keap REST ones to listen to, register and watch, a legacy one, one whose events go elsewhere',
			async () => {
				c.acme = await connect(sb, 'infusionsoftrest', 'Acme', ['customer', 'acme']);
				c.beta = await connect(sb, 'infusionsoftrest', 'Beta', ['events-e2e']);
				c.gamma = await connect(sb, 'infusionsoftrest', 'Gamma', ['events-e2e']);
				c.delta = await connect(sb, 'infusionsoftcrm', 'Delta (legacy)', ['events-e2e']);
				// Its tags include the registering workflow's: its events go elsewhere, so it is left alone.
				c.other = await connect(sb, 'infusionsoftrest', 'Other', ['other', 'events-e2e']);
				c.watched = await connect(sb, 'infusionsoftrest', 'Watched', ['health-e2e']);
				await call(`${sb.apiRoot}/instances/${c.other.id}`, {
					method: 'PATCH',
					headers: { authorization: ceAuthorization() },
					body: {
						configuration: {
							'event.notification.enabled': 'true',
							'event.vendor.type': 'polling',
							'event.notification.callback.url': ELSEWHERE,
							'event.poller.refresh_interval': '30',
							'event.poller.configuration': JSON.stringify({
								tasks: { url: '/hubs/crm/tasks', idField: 'id' },
							}),
						},
					},
				});
				return `${sb.instances.size} instances`;
			},
			{ fatal: true },
		);

		await check(
			'import:workflow: Configure Events, Create contact, an Events Trigger listening, one registering on activation, a Connection Health Trigger',
			async () => {
				const list = [
					lineWorkflow(CONFIGURE_ID, 'Events e2e: configure', ceRef, [
						[
							'Configure Events',
							{
								resource: 'instance',
								operation: 'configureEvents',
								instanceId: String(c.acme.id),
								eventsCallbackUrl: listenUrl,
								eventsInterval: 1,
							},
						],
					]),
					lineWorkflow(CONTACT_ID, 'Events e2e: a contact', ceRef, [
						[
							'Create contact',
							{
								resource: 'contact',
								operation: 'create',
								instance: byId(c.acme),
								fields: { firstName: 'Eve', lastName: 'Events', email: 'eve@events.example' },
							},
						],
					]),
					triggerWorkflow(
						LISTEN_ID,
						'Events e2e: listen',
						ceRef,
						eventsTrigger('0d6f1c2a-e2e0-4e1a-9a00-000000000001', { path: LISTEN_PATH }),
					),
					triggerWorkflow(
						REGISTER_ID,
						'Events e2e: register',
						ceRef,
						eventsTrigger('0d6f1c2a-e2e0-4e1a-9a00-000000000002', {
							path: REGISTER_PATH,
							registerOnActivation: true,
							registerTags: 'events-e2e',
							intervalMinutes: 1,
						}),
					),
					triggerWorkflow(
						TAKEOVER_ID,
						'Events e2e: take over',
						ceRef,
						eventsTrigger('0d6f1c2a-e2e0-4e1a-9a00-000000000003', {
							path: TAKEOVER_PATH,
							registerOnActivation: true,
							registerTags: 'other',
							takeOverInstances: true,
						}),
					),
					triggerWorkflow(HEALTH_ID, 'Events e2e: health', ceRef, {
						type: HEALTH_TYPE,
						typeVersion: 1,
						parameters: {
							pollTimes: { item: [{ mode: 'everyHour', minute: 0 }] },
							tags: 'health-e2e',
							fireOnRecovery: true,
						},
					}),
				];
				const file = path.join(work, 'workflows.json');
				fs.writeFileSync(file, JSON.stringify(list, null, 2));
				await n8n.importWorkflow(flavor, folder, file);
				return list.map((w) => w.id).join(', ');
			},
			{ fatal: true },
		);

		await check(
			'n8n execute: Configure Events points Acme at the trigger, signed; the key is in the stand-in only',
			async () => {
				const { run, printed } = await execute(flavor, folder, CONFIGURE_ID);
				const out = one(run, 'Configure Events');
				assert.deepEqual(out.events, {
					enabled: true,
					callbackUrl: listenUrl,
					resources: ['contacts'],
					intervalMinutes: 1,
					signed: true,
				});
				assert.equal(config(c.acme)['event.notification.signature.key'], key);
				assert.ok(!printed.includes(key), 'the Event Signature Key is not in the output');
				sb.pollEvents(c.acme.id); // the first poll: what exists now is the baseline
				await sb.eventsSettled();
				return `instance ${c.acme.id}: ${out.events.callbackUrl}`;
			},
		);

		await check('n8n execute: Contact → Create in Acme', async () => {
			const { run } = await execute(flavor, folder, CONTACT_ID);
			shared.contact = one(run, 'Create contact');
			assert.equal(typeof shared.contact.id, 'number');
			return `contact ${shared.contact.id}`;
		});

		await check(
			'n8n start (server) with the package, owner set up, logged in',
			async () => {
				server = await n8n.startN8n(flavor, folder, { port });
				await rest.setupOwner(server.url);
				shared.session = await rest.login(server.url);
				return server.url;
			},
			{ fatal: true },
		);

		await check(
			'the Events Trigger of an active workflow gets the stand-in’s signed notification of that contact: one item per event',
			async () => {
				await rest.activateWorkflow(base, headers(), LISTEN_ID);
				assert.equal(await waitForEventsWebhook(listenUrl), 401, 'an unsigned POST is refused');
				const seen = await executionIds(LISTEN_ID);
				const from = sb.eventDeliveries({ instanceId: c.acme.id }).length;
				const { execution, run } = await started(LISTEN_ID, seen, async () => {
					sb.pollEvents(c.acme.id);
					await sb.eventsSettled();
				});
				const deliveries = sb.eventDeliveries({ instanceId: c.acme.id }).slice(from);
				assert.deepEqual(
					deliveries.map((d) => d.status),
					[200],
					'one delivery, answered 200',
				);
				const items = triggerItems(run);
				assert.equal(items.length, deliveries[0].eventCount, 'one item per event');
				const item = items.find((i) => i.objectId === String(shared.contact.id));
				assert.ok(item, `an item for contact ${shared.contact.id}`);
				assert.deepEqual(
					[
						item.eventType,
						item.objectType,
						item.instanceId,
						item.instanceName,
						item.elementKey,
						item.signatureVerified,
					],
					['CREATED', 'contacts', String(c.acme.id), 'Acme', 'infusionsoftrest', true],
				);
				assert.equal(
					item.raw?.email_addresses?.[0]?.email,
					'eve@events.example',
					'the raw record comes along',
				);
				assert.ok(!JSON.stringify(run).includes(key), 'the key is nowhere in the execution');
				return `execution ${execution.id}: ${items.length} item(s), ${item.eventType} ${item.objectType} ${item.objectId}`;
			},
		);

		await check(
			'forged, unsigned, tampered and sha1= notifications get 401, a body that is no notification 400 (broken JSON: n8n’s own 4xx); none starts an execution',
			async () => {
				const seen = await executionIds(LISTEN_ID);
				const body = JSON.stringify({
					id: 'forged-1',
					message: {
						elementKey: 'infusionsoftrest',
						instanceId: c.acme.id,
						instanceName: 'Acme',
						events: [{ eventType: 'DELETED', objectType: 'contacts', objectId: '1' }],
					},
				});
				const answers = {
					forged: await post(listenUrl, body, {
						'elements-webhook-signature': sign('not-the-key-0123456789', body),
					}),
					unsigned: await post(listenUrl, body),
					tampered: await post(listenUrl, body.replace('DELETED', 'UPDATED'), {
						'elements-webhook-signature': sign(key, body),
					}),
					sha1: await post(listenUrl, body, {
						'elements-webhook-signature': `sha1=${crypto.createHmac('sha1', key).update(body).digest('base64')}`,
					}),
					notANotification: await post(listenUrl, '{"hello":"world"}', {
						'elements-webhook-signature': sign(key, '{"hello":"world"}'),
					}),
					notJson: await post(listenUrl, '{"message": ', {
						'elements-webhook-signature': sign(key, '{"message": '),
					}),
				};
				const statuses = Object.fromEntries(
					Object.entries(answers).map(([name, a]) => [name, a.status]),
				);
				// Broken JSON sent as application/json never reaches the node: n8n answers it itself (422 in 2.x).
				assert.ok([400, 422].includes(statuses.notJson), `broken JSON: ${statuses.notJson}`);
				delete statuses.notJson;
				assert.deepEqual(statuses, {
					forged: 401,
					unsigned: 401,
					tampered: 401,
					sha1: 401,
					notANotification: 400,
				});
				for (const a of Object.values(answers))
					assert.ok(!a.text.includes(key), 'no answer holds the key');
				await quiet(LISTEN_ID, seen, 'a refused notification');
				return Object.entries(answers)
					.map(([name, a]) => `${name} ${a.status}`)
					.join(', ');
			},
		);

		await check(
			'the same signed notification posted three times: one execution; the replays are answered 200 and start none',
			async () => {
				const body = JSON.stringify({
					id: `replayed-${Date.now()}`,
					createdDate: new Date().toUTCString(),
					message: {
						elementKey: 'infusionsoftrest',
						instanceId: c.acme.id,
						instanceName: 'Acme',
						events: [
							{ eventType: 'UPDATED', objectType: 'contacts', objectId: String(shared.contact.id) },
						],
					},
				});
				const signed = { 'elements-webhook-signature': sign(key, body) };
				const seen = await executionIds(LISTEN_ID);
				const { execution } = await started(LISTEN_ID, seen, async () =>
					assert.equal((await post(listenUrl, body, signed)).status, 200),
				);
				const replays = [await post(listenUrl, body, signed), await post(listenUrl, body, signed)];
				assert.deepEqual(
					replays.map((r) => [r.status, JSON.parse(r.text).message]),
					[
						[200, 'Already received; not run again'],
						[200, 'Already received; not run again'],
					],
				);
				await quiet(LISTEN_ID, [...seen, execution.id], 'a replayed notification');
				return `execution ${execution.id}, then 2 replays answered 200 without one`;
			},
		);

		await check(
			'Register on Activation: the tagged Keap REST instances point at the trigger, signed; legacy and others untouched; their events arrive',
			async () => {
				const before = {
					acme: { ...config(c.acme) },
					delta: { ...config(c.delta) },
					other: { ...config(c.other) },
				};
				await rest.activateWorkflow(base, headers(), REGISTER_ID);
				await waitForEventsWebhook(registerUrl);
				// 2.x serves the webhook as soon as it is stored; the trigger's create hook may still be at work.
				await waitFor(
					() =>
						[c.beta, c.gamma].every(
							(customer) => config(customer)['event.notification.callback.url'] === registerUrl,
						),
					'Beta and Gamma registered',
				);
				for (const customer of [c.beta, c.gamma]) {
					assert.deepEqual(
						[
							config(customer)['event.notification.enabled'],
							config(customer)['event.notification.callback.url'],
							config(customer)['event.notification.signature.key'],
						],
						['true', registerUrl, key],
						`${customer.name} registered`,
					);
				}
				assert.deepEqual(config(c.acme), before.acme, 'Acme (other tags) untouched');
				assert.deepEqual(config(c.delta), before.delta, 'the legacy instance untouched');
				assert.deepEqual(
					config(c.other),
					before.other,
					'the instance pointing elsewhere untouched',
				);
				sb.pollEvents(c.beta.id);
				await sb.eventsSettled();
				const seen = await executionIds(REGISTER_ID);
				const { run } = await started(REGISTER_ID, seen, async () => {
					await call(`${sb.url}/__sandbox/instances/${c.beta.id}/records/contacts`, {
						method: 'POST',
						body: [
							{
								given_name: 'Bea',
								family_name: 'Beta',
								email_addresses: [{ email: 'bea@beta.example', field: 'EMAIL1' }],
							},
						],
					});
					sb.pollEvents(c.beta.id);
					await sb.eventsSettled();
				});
				const items = triggerItems(run);
				assert.deepEqual(
					items.map((i) => [i.instanceName, i.eventType, i.raw?.given_name]),
					[['Beta', 'CREATED', 'Bea']],
				);
				return `Beta and Gamma -> ${registerUrl}; Beta's new contact arrived`;
			},
		);

		await check(
			'deactivating the registering workflow turns those events off, and only those',
			async () => {
				const other = { ...config(c.other) };
				const acme = { ...config(c.acme) };
				await rest.deactivateWorkflow(base, headers(), REGISTER_ID);
				// n8n 2.x deactivates through its outbox: the delete hook runs just after the answer.
				await waitFor(
					() =>
						[c.beta, c.gamma].every(
							(customer) => config(customer)['event.notification.enabled'] === 'false',
						),
					'Beta and Gamma turned off',
				);
				assert.deepEqual(config(c.other), other);
				assert.deepEqual(config(c.acme), acme);
				return 'Beta and Gamma off; Acme and Other as they were';
			},
		);

		await check(
			'Take Over: a workflow that takes over Other points it here; deactivating gives Other its previous URL, interval and resources back',
			async () => {
				const before = { ...config(c.other) };
				await rest.activateWorkflow(base, headers(), TAKEOVER_ID);
				await waitForEventsWebhook(takeoverUrl);
				await waitFor(
					() => config(c.other)['event.notification.callback.url'] === takeoverUrl,
					'Other taken over',
				);
				assert.deepEqual(
					[
						config(c.other)['event.notification.enabled'],
						config(c.other)['event.notification.signature.key'],
					],
					['true', key],
				);
				await rest.deactivateWorkflow(base, headers(), TAKEOVER_ID);
				await waitFor(
					() => config(c.other)['event.notification.callback.url'] === ELSEWHERE,
					'Other given back',
				);
				const { 'event.notification.signature.key': _ours, ...now } = config(c.other);
				const { 'event.notification.signature.key': _theirs, ...was } = before;
				assert.deepEqual(
					now,
					was,
					'Other has its previous event settings back (the signature key cannot be read back)',
				);
				return `Other -> ${takeoverUrl}, then back to ${ELSEWHERE}, every ${now['event.poller.refresh_interval']} minutes`;
			},
		);

		await check(
			'Connection Health Trigger: quiet on the first poll, fires once when an instance breaks, quiet on the next poll, fires once when it recovers',
			async () => {
				/** One activation: n8n polls at once and saves what the trigger keeps; then off again. */
				async function poll() {
					const from = sb.requests.length;
					await rest.activateWorkflow(base, headers(), HEALTH_ID);
					await waitFor(
						() =>
							sb.requests
								.slice(from)
								.some((r) => r.method === 'GET' && r.path.endsWith('/instances')),
						'the activation poll',
					);
					await sleep(1000); // the run it may start, and n8n saving what the trigger keeps
					await rest.deactivateWorkflow(base, headers(), HEALTH_ID);
					await sleep(1000); // 2.x removes the trigger through its outbox, after the answer
					assert.ok(
						sb.requests
							.slice(from)
							.some((r) => r.method === 'GET' && r.path.endsWith('/instances')),
						'the trigger listed the instances',
					);
				}
				let seen = await executionIds(HEALTH_ID);
				await poll();
				await quiet(HEALTH_ID, seen, 'the first poll');

				sb.breakInstance(c.watched.id);
				const broken = await started(HEALTH_ID, seen, poll);
				const fired = triggerItems(broken.run);
				assert.equal(fired.length, 1);
				assert.equal(fired[0].change, 'invalid');
				assert.equal(String(fired[0].instanceId ?? fired[0].id), String(c.watched.id));
				assert.ok(
					!JSON.stringify(broken.run).includes(c.watched.token),
					'no instance token in the execution',
				);

				seen = await executionIds(HEALTH_ID);
				await poll();
				await quiet(HEALTH_ID, seen, 'a poll without a change');

				sb.repairInstance(c.watched.id);
				const recovered = await started(HEALTH_ID, seen, poll);
				const back = triggerItems(recovered.run);
				assert.deepEqual(
					back.map((i) => i.change),
					['recovered'],
				);
				return `invalid (execution ${broken.execution.id}), then recovered (execution ${recovered.execution.id})`;
			},
		);

		await check('n8n server log: no error about the package, no key, no token', async () => {
			const logText = fs.readFileSync(server.logFile, 'utf8');
			assert.deepEqual(
				logText.split('\n').filter((l) => /infusionsoft/i.test(l) && /error|fail|problem/i.test(l)),
				[],
			);
			for (const secret of [
				key,
				EXAMPLE.userSecret,
				EXAMPLE.organizationSecret,
				...Object.values(c).map((i) => i.token),
			]) {
				assert.ok(!logText.includes(secret), 'no secret in the server log');
			}
		});
	} catch (error) {
		if (!error.reported) throw error;
	} finally {
		if (server) await server.stop();
		await sb.close();
		if (process.env.E2E_KEEP || report.results.some((r) => r.group === group && !r.ok)) {
			console.log(`     kept ${work} (n8n user folder and server log)`);
		} else {
			fs.rmSync(work, { recursive: true, force: true });
		}
	}
}

module.exports = { eventsSuite };

if (require.main === module) require('./lib/standalone').runStandalone('events', eventsSuite);

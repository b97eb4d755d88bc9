#!/usr/bin/env node
/*
 * The queue-mode e2e suite: this package in n8n's distributed setup (n8n 2.x).
 *
 *   node e2e/queue.js [n8n-2] [n8n-1]   # alone (builds and packs first); ~6-8 min a flavor here
 *
 * Its own Postgres and Redis (throwaway, free loopback ports; Debian's postgresql and
 * redis-server), n8n main + `n8n worker` + `n8n webhook` (EXECUTIONS_MODE=queue, one Redis, one
 * database, one encryption key, OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS=true), the packed package
 * installed into each process's own user folder, the owner set up and the credentials and
 * workflows created through main's REST API, the stand-in (sandbox/) in this process. Every
 * check prints which process did what, read from the processes' JSON logs (lib/queue.js).
 *
 * Hooks for checks that need nodes from other branches (the Events Trigger, the Connection
 * Health Trigger): see `hooks` at the end, and `queueSuite(flavor, pkg, report, { extraChecks })`.
 */
'use strict';

const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const demo = require('./lib/demo');
const n8n = require('./lib/n8n');
const rest = require('./lib/rest');
const queue = require('./lib/queue');
const { EXAMPLE, standInCredentialData } = require('./lib/credentials');
const { clickConsent, openPage, eventually } = require('./lib/http');
const { decodeState, signatureValid } = require('./lib/signedState');
const { sleep } = require('./lib/processes');
const { startSandbox } = require('../sandbox');

const BULK_PATH = 'queue-e2e/bulk-create';
const BULK_SIZE = 1000;
const BULK_CALLS = 10; // check 2: the 1,000 items in 10 webhook calls of 100, all at once

/* ------------------------------------------------------------------------------------------
 * Workflows
 * ---------------------------------------------------------------------------------------- */

/** The file's workflow with its credentials pointed at the ones created over REST, all executions saved. */
function withCredentials(workflow, credentialIds) {
	const nodes = workflow.nodes.map((node) => {
		if (!node.credentials) return node;
		const credentials = Object.fromEntries(
			Object.entries(node.credentials).map(([type, ref]) => [type, credentialIds[type] ?? ref]),
		);
		return { ...node, credentials };
	});
	return {
		...workflow,
		nodes,
		settings: { ...workflow.settings, saveDataSuccessExecution: 'all' },
	};
}

/** Webhook (POST, answers at once) -> Split Out `body.items` -> Create Instance (Use Existing): one instance per { name, code }. */
function bulkCreateWorkflow(credentialIds) {
	return {
		name: 'queue e2e: bulk Create (webhook)',
		nodes: [
			{
				id: 'b0000000-0000-4000-8000-000000000001',
				name: 'Bulk request',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: 'b0000000-0000-4000-8000-0000000000aa',
				parameters: {
					httpMethod: 'POST',
					path: BULK_PATH,
					responseMode: 'onReceived',
					options: {},
				},
			},
			{
				id: 'b0000000-0000-4000-8000-000000000002',
				name: 'One item per customer',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [220, 0],
				parameters: { fieldToSplitOut: 'body.items', options: {} },
			},
			{
				id: 'b0000000-0000-4000-8000-000000000003',
				name: 'Create Instance',
				type: demo.NODE_TYPE,
				typeVersion: 2,
				position: [440, 0],
				parameters: {
					resource: 'instance',
					operation: 'create',
					element: 'infusionsoftrest',
					code: '={{ $json.code }}',
					name: '={{ $json.name }}',
					tags: 'queue-e2e',
					onExisting: 'reuse',
				},
				credentials: {
					cloudElementsApi: credentialIds.cloudElementsApi,
					infusionsoftCrmOAuth2Api: credentialIds.infusionsoftCrmOAuth2Api,
				},
			},
		],
		connections: {
			'Bulk request': { main: [[{ node: 'One item per customer', type: 'main', index: 0 }]] },
			'One item per customer': { main: [[{ node: 'Create Instance', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all' },
	};
}

/* ------------------------------------------------------------------------------------------
 * REST helpers (main)
 * ---------------------------------------------------------------------------------------- */

async function createCredential(url, headers, { name, type, data }) {
	return (
		await rest.rest(url, '/credentials', { method: 'POST', headers, body: { name, type, data } })
	).data;
}

async function createWorkflow(url, headers, workflow) {
	return (
		await rest.rest(url, '/workflows', {
			method: 'POST',
			headers,
			body: { active: false, ...workflow },
		})
	).data;
}

/**
 * A manual run from a trigger, as the editor's "Execute workflow" asks for it: the execution id.
 * 2.x runs the saved workflow (`{ triggerToStartFrom }`); 1.x wants it in the body (`workflowData`).
 */
async function runManually(url, headers, workflowId, triggerName, flavor) {
	const body = { triggerToStartFrom: { name: triggerName } };
	if (flavor === 'n8n-1') body.workflowData = await rest.getWorkflow(url, headers, workflowId);
	const { data } = await rest.rest(url, `/workflows/${workflowId}/run`, {
		method: 'POST',
		headers,
		body,
	});
	if (!data?.executionId)
		throw new Error(`the manual run did not start an execution: ${JSON.stringify(data)}`);
	return String(data.executionId);
}

/** Waits until the execution is no longer new/running/waiting: { status, mode, ... }. */
async function waitForExecution(url, headers, id, timeoutMs = 120000) {
	return eventually(
		async () => {
			const { data } = await rest.rest(url, `/executions/${id}`, { headers, allowFailure: true });
			return data && !['new', 'running', 'waiting'].includes(data.status) ? data : undefined;
		},
		{ timeoutMs, what: `execution ${id} to finish` },
	);
}

/** A POST to a production webhook with a JSON body: the status. */
async function postJson(url, body) {
	const res = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	await res.text();
	return res.status;
}

/** Waits until a production POST webhook is registered (n8n 2.x publishes asynchronously): a GET tells it apart. */
async function waitForPostWebhook(base, webhookPath, timeoutMs = 30000) {
	return eventually(
		async () => {
			const res = await fetch(`${base}/webhook/${webhookPath}`).catch(() => undefined);
			const text = res ? await res.text() : '';
			// registered for POST only: n8n answers a GET 404 "... not registered for GET requests. Did you mean to make a POST request?"
			return res && (res.status !== 404 || /POST request/.test(text));
		},
		{ timeoutMs, what: `the production webhook ${webhookPath}` },
	);
}

/* ------------------------------------------------------------------------------------------
 * The suite
 * ---------------------------------------------------------------------------------------- */

const describe = (procs) =>
	procs.length === 0
		? 'nobody'
		: procs.map((p) => `${p.name} (hostId ${p.hostId}, pid ${p.pid})`).join(' + ');

/**
 * @param {string} flavor 'n8n-2'
 * @param {{ tarball: string }} pkg  the packed package
 * @param {import('./lib/report').Report} report
 * @param {{ extraChecks?: Array<(ctx: object) => Promise<void>> }} [options]  more checks on the running cluster (see `hooks`)
 */
async function queueSuite(
	flavor,
	pkg,
	report,
	{ extraChecks = [eventsTriggerCheck, healthTriggerCheck] } = {},
) {
	const group = `${flavor} queue`;
	const check = (name, fn, opts) => report.check(group, name, fn, opts);
	const work = fs.mkdtempSync(path.join(os.tmpdir(), `e2e-queue-${flavor}-`));
	const sb = await startSandbox({ port: 0 });
	const ctx = { flavor, sb, work, check, shared: {} };
	let failed = false;
	try {
		await check(
			'queue mode up: Postgres, Redis, n8n main + worker + webhook process, the package installed in each',
			async () => {
				const t = Date.now();
				ctx.cluster = await queue.startQueueCluster(flavor, pkg.tarball, { work });
				const { cluster } = ctx;
				for (const proc of cluster.processes()) {
					const installed = path.join(
						proc.folder,
						'.n8n',
						'nodes',
						'node_modules',
						JSON.parse(fs.readFileSync(path.join(demo.ROOT, 'package.json'), 'utf8')).name,
					);
					assert.ok(fs.existsSync(installed), `${proc.name} has the package`);
				}
				const worker = cluster.workers[0];
				assert.ok(
					queue.logLines(worker).some((l) => l.message.startsWith('n8n worker is now ready')),
				);
				return `postgres :${cluster.pg.port}, redis :${cluster.redis.port}; main ${cluster.main.url} (${cluster.main.hostId}), webhook ${cluster.webhook.url} (${cluster.webhook.hostId}), worker-1 (${worker.hostId}); ${((Date.now() - t) / 1000).toFixed(0)} s`;
			},
			{ fatal: true },
		);
		const { cluster } = ctx;
		const main = cluster.main.url;
		const hooksUrl = cluster.webhook.url;
		ctx.main = main;
		ctx.callbackUrl = `${hooksUrl}/webhook/${demo.triggerDefaultPath()}`;

		await check(
			'owner, credentials and workflows through main’s REST API; the provisioning flow and the bulk Create activated, their webhooks live on the webhook process',
			async () => {
				await rest.setupOwner(main);
				ctx.session = await rest.login(main);
				const { headers } = ctx.session;
				const data = standInCredentialData({
					apiRoot: sb.apiRoot,
					callbackUrl: ctx.callbackUrl,
					encryptedKey: '',
				});
				const ce = await createCredential(main, headers, {
					name: 'Cloud Elements (queue e2e)',
					type: 'cloudElementsApi',
					data: data.cloudElementsApi,
				});
				const app = await createCredential(main, headers, {
					name: 'Infusionsoft app (queue e2e)',
					type: 'infusionsoftCrmOAuth2Api',
					data: data.infusionsoftCrmOAuth2Api,
				});
				ctx.credentialIds = {
					cloudElementsApi: { id: ce.id, name: ce.name },
					infusionsoftCrmOAuth2Api: { id: app.id, name: app.name },
				};
				const provisioning = demo
					.exampleWorkflows()
					.find((e) => e.workflow.id === demo.PROVISIONING_WORKFLOW_ID).workflow;
				const { id: _fileId, ...fileWorkflow } = withCredentials(provisioning, ctx.credentialIds);
				ctx.provisioning = await createWorkflow(main, headers, fileWorkflow);
				ctx.bulk = await createWorkflow(main, headers, bulkCreateWorkflow(ctx.credentialIds));
				for (const wf of [ctx.provisioning, ctx.bulk])
					await rest.activateWorkflow(main, headers, wf.id);
				await rest.waitForWebhook(hooksUrl, demo.triggerDefaultPath());
				await waitForPostWebhook(hooksUrl, BULK_PATH);
				return `credentials ${ce.id}, ${app.id}; workflows ${ctx.provisioning.id} (provisioning-flow.json), ${ctx.bulk.id} (bulk Create); callback ${ctx.callbackUrl}`;
			},
			{ fatal: true },
		);
		const headers = () => ctx.session.headers;
		const instances = () => [...sb.instances.values()];

		await check(
			'1. the no-code round trip: Get OAuth URL on a worker, the callback on the webhook process, Create on a worker',
			async () => {
				const worker = cluster.workers[0];
				// the URL half: the editor's "Execute workflow" from *New customer*, offloaded
				const urlRun = await runManually(
					main,
					headers(),
					ctx.provisioning.id,
					'New customer',
					flavor,
				);
				const urlExecution = await waitForExecution(main, headers(), urlRun);
				assert.equal(urlExecution.status, 'success', JSON.stringify(urlExecution).slice(0, 500));
				const { run } = await rest.executionRun(main, headers(), flavor, urlRun);
				const [link] = n8n.nodeOutput(run, 'Get OAuth URL');
				const state = new URL(link.oauthUrl).searchParams.get('state');
				assert.ok(signatureValid(state, EXAMPLE.clientSecret), 'signed with the app secret');
				assert.equal(decodeState(state).c, 'customer-42');
				const urlRanBy = queue.whoRan(cluster, urlRun);
				const urlStartedBy = queue.whoEnqueued(cluster, urlRun);
				assert.deepEqual(urlRanBy, [worker], `Get OAuth URL ran on ${describe(urlRanBy)}`);
				assert.deepEqual(urlStartedBy, [cluster.main]);

				// the customer's Allow: the callback arrives at the webhook process
				const known = new Set(sb.instances.keys());
				const seen = (await rest.listExecutions(main, headers(), ctx.provisioning.id)).map(
					(e) => e.id,
				);
				const { location } = await clickConsent(link.oauthUrl, 'allow');
				assert.ok(location.startsWith(`${ctx.callbackUrl}?code=`), location);
				const page = await openPage(location);
				assert.equal(page.status, 200);
				assert.equal(page.title, 'Thank you');
				const callbackRun = await rest.waitForNewExecution(
					main,
					headers(),
					ctx.provisioning.id,
					seen,
					60000,
				);
				assert.equal(callbackRun.status, 'success');
				const received = queue.whoReceivedWebhook(cluster, demo.triggerDefaultPath(), 'GET');
				const callbackStartedBy = queue.whoEnqueued(cluster, callbackRun.id);
				const callbackRanBy = queue.whoRan(cluster, callbackRun.id);
				assert.deepEqual(received, [cluster.webhook], `the callback reached ${describe(received)}`);
				assert.deepEqual(callbackStartedBy, [cluster.webhook]);
				assert.deepEqual(callbackRanBy, [worker]);
				const callback = await rest.executionRun(main, headers(), flavor, callbackRun.id);
				const [verified] = n8n.nodeOutput(callback.run, 'Infusionsoft OAuth Callback');
				assert.equal(verified.state, state, 'the trigger verified the state the worker signed');
				assert.equal(verified.context, 'customer-42');
				const [stored] = n8n.nodeOutput(callback.run, 'Store instance ID and token');
				const instance = await eventually(() => instances().find((i) => !known.has(i.id)), {
					what: 'the new instance',
				});
				assert.deepEqual(
					[stored.instanceId, stored.action, instance.name, instance.element.key],
					[instance.id, 'created', 'Infusionsoft – customer-42', 'infusionsoftrest'],
				);
				ctx.shared.roundTrip = { urlRun, callbackRun: callbackRun.id };
				console.log(
					`       Get OAuth URL: execution ${urlRun} (manual) started by ${describe(urlStartedBy)}, run by ${describe(urlRanBy)}: state signed there`,
				);
				console.log(
					`       callback GET /webhook/${demo.triggerDefaultPath()} received by ${describe(received)}: the OAuth Callback Trigger verified the state there (context ${verified.context})`,
				);
				console.log(
					`       Create: execution ${callbackRun.id} (${callbackRun.mode}) started by ${describe(callbackStartedBy)}, run by ${describe(callbackRanBy)}: instance ${instance.id} "${instance.name}" (${stored.action})`,
				);
				return `signed on ${urlRanBy[0].name}, verified on ${received[0].name}, created on ${callbackRanBy[0].name}`;
			},
		);

		/** Codes and names for a bulk Create: [{ name, code }]. */
		const bulkItems = (prefix) =>
			Array.from({ length: BULK_SIZE }, (_, i) => ({
				name: `${prefix}-${String(i).padStart(4, '0')}`,
				code: sb.issueCode({ clientId: EXAMPLE.clientId, callbackUrl: ctx.callbackUrl }),
			}));
		const instancesNamed = (prefix) => instances().filter((i) => i.name.startsWith(`${prefix}-`));
		/** POST /instances the stand-in saw per code (of these items). */
		const codeUses = (items) => {
			const codes = new Set(items.map((i) => i.code));
			const uses = new Map();
			for (const r of sb.requests) {
				const code =
					r.method === 'POST' && r.path === '/elements/api-v2/instances'
						? r.body?.providerData?.code
						: undefined;
				if (codes.has(code)) uses.set(code, (uses.get(code) ?? 0) + 1);
			}
			return uses;
		};
		/** Exactly one instance per name, every name there. */
		const assertOnePerName = (items, prefix) => {
			const counts = new Map();
			for (const i of instancesNamed(prefix)) counts.set(i.name, (counts.get(i.name) ?? 0) + 1);
			const missing = items.filter((i) => !counts.has(i.name)).map((i) => i.name);
			const doubled = [...counts].filter(([, n]) => n > 1).map(([name, n]) => `${name} x${n}`);
			assert.deepEqual(missing, [], 'every name has an instance');
			assert.deepEqual(doubled, [], 'no name has two');
			assert.equal(counts.size, items.length);
		};
		const bulkUrl = `${hooksUrl}/webhook/${BULK_PATH}`;
		const bulkExecutions = async (seen) =>
			(await rest.listExecutions(main, headers(), ctx.bulk.id)).filter((e) => !seen.includes(e.id));

		await check(
			`2. a bulk Create of ${BULK_SIZE} items (${BULK_CALLS} webhook calls at once) on the worker: exactly one instance per name`,
			async () => {
				const worker = cluster.workers[0];
				const items = bulkItems('queue-bulk');
				const seen = (await rest.listExecutions(main, headers(), ctx.bulk.id)).map((e) => e.id);
				const t = Date.now();
				const per = BULK_SIZE / BULK_CALLS;
				const statuses = await Promise.all(
					Array.from({ length: BULK_CALLS }, (_, k) =>
						postJson(bulkUrl, { items: items.slice(k * per, (k + 1) * per) }),
					),
				);
				assert.deepEqual([...new Set(statuses)], [200]);
				const done = await eventually(
					async () => {
						const fresh = await bulkExecutions(seen);
						return fresh.length === BULK_CALLS &&
							fresh.every((e) => !['new', 'running', 'waiting'].includes(e.status))
							? fresh
							: undefined;
					},
					{ timeoutMs: 300000, what: `${BULK_CALLS} finished bulk executions` },
				);
				const took = ((Date.now() - t) / 1000).toFixed(1);
				assert.deepEqual(
					done.map((e) => e.status).filter((s) => s !== 'success'),
					[],
					'every execution succeeded',
				);
				assertOnePerName(items, 'queue-bulk');
				const uses = codeUses(items);
				assert.deepEqual(
					[...uses.values()].filter((n) => n > 1),
					[],
					'no code sent twice',
				);
				assert.equal(uses.size, BULK_SIZE, 'every code exchanged once');
				const ids = done.map((e) => e.id).sort((a, b) => a - b);
				const ranBy = new Set(ids.flatMap((id) => queue.whoRan(cluster, id)));
				const startedBy = new Set(ids.flatMap((id) => queue.whoEnqueued(cluster, id)));
				assert.deepEqual([...ranBy], [worker]);
				assert.deepEqual([...startedBy], [cluster.webhook]);
				const overlap = maxConcurrent(worker, ids);
				console.log(
					`       executions ${ids.join(', ')} (webhook) started by ${describe([...startedBy])}, run by ${describe([...ranBy])}, up to ${overlap} at once there`,
				);
				console.log(
					`       stand-in: ${instancesNamed('queue-bulk').length} instances named queue-bulk-*, one per name; ${uses.size} codes exchanged, each once; ${took} s`,
				);
				return `${BULK_SIZE} instances, ${ids.length} executions on ${worker.name}, up to ${overlap} at once, ${took} s`;
			},
		);

		await check(
			`3. SIGKILL the worker in the middle of a bulk Create of ${BULK_SIZE}, a new worker, the workflow rerun: one instance per name, no code spent twice, nothing lost`,
			async () => {
				const victim = cluster.workers[0];
				const items = bulkItems('queue-fault');
				const seen = (await rest.listExecutions(main, headers(), ctx.bulk.id)).map((e) => e.id);
				assert.equal(await postJson(bulkUrl, { items }), 200);
				// kill it once a good part (but not all) is created
				await eventually(() => instancesNamed('queue-fault').length >= BULK_SIZE / 4, {
					timeoutMs: 180000,
					what: 'a quarter of the instances',
				});
				const [killedRun] = await bulkExecutions(seen);
				await cluster.killWorker(victim);
				const atKill = instancesNamed('queue-fault').length;
				await sleep(1000);
				const afterKill = instancesNamed('queue-fault').length;
				assert.ok(afterKill < BULK_SIZE, `the kill came before the end (${afterKill} created)`);
				assert.deepEqual(
					queue.whoRan(cluster, killedRun.id),
					[victim],
					'the killed run was on that worker',
				);

				const replacement = await cluster.startWorker();
				// n8n notices the dead worker's job (its lock runs out): 2.x fails it (maxStalledCount 0);
				// Bull's default would hand it to the new worker once. Either way, wait until it is over.
				const killed = await waitForExecution(main, headers(), killedRun.id, 120000);
				const retriedBy = queue.whoRan(cluster, killedRun.id).filter((w) => w !== victim);
				let retried = '';
				if (retriedBy.length > 0 && killed.status === 'success') {
					const again = countBy(
						n8n.nodeOutput(
							(await rest.executionRun(main, headers(), flavor, killedRun.id)).run,
							'Create Instance',
						) ?? [],
						(o) => o.action,
					);
					retried = ` (that run: ${again.reused ?? 0} reused, ${again.created ?? 0} created)`;
				}
				const beforeRerun = instancesNamed('queue-fault').length;
				const rerunSeen = [...seen, killedRun.id];
				assert.equal(await postJson(bulkUrl, { items }), 200);
				const [rerun] = await eventually(
					async () => {
						const fresh = (await bulkExecutions(rerunSeen)).filter(
							(e) => !['new', 'running', 'waiting'].includes(e.status),
						);
						return fresh.length > 0 ? fresh : undefined;
					},
					{ timeoutMs: 300000, what: 'the rerun to finish' },
				);
				assert.equal(rerun.status, 'success');
				assertOnePerName(items, 'queue-fault');
				const uses = codeUses(items);
				const twice = [...uses].filter(([, n]) => n > 1);
				assert.deepEqual(twice, [], 'no code sent to the platform twice');
				const { run } = await rest.executionRun(main, headers(), flavor, rerun.id);
				const out = n8n.nodeOutput(run, 'Create Instance');
				const actions = countBy(out, (o) => o.action);
				assert.equal(out.length, BULK_SIZE);
				assert.equal(
					actions.reused,
					beforeRerun,
					'the rerun reused exactly what was there before it',
				);
				assert.equal(actions.created ?? 0, BULK_SIZE - beforeRerun);
				const unspent = items.filter((i) => !uses.has(i.code)).length;
				assert.equal(unspent, 0, 'every code spent exactly once overall');
				const rerunBy = queue.whoRan(cluster, rerun.id);
				assert.deepEqual(rerunBy, [replacement]);
				console.log(
					`       execution ${killedRun.id} run by ${describe([victim])}: SIGKILL with ${atKill} of ${BULK_SIZE} created (${afterKill} a second later; worker exit ${JSON.stringify(victim.exit)}); n8n then marked it "${killed.status}"${retriedBy.length ? `, after running it again on ${describe(retriedBy)}${retried}` : ' without running it again'}; ${beforeRerun} instances before the rerun`,
				);
				const notes = queue
					.linesAbout(cluster, killedRun.id)
					.filter((l) => l.proc !== victim && /error|warn/.test(l.level))
					.map((l) => `${l.proc.name}: ${l.message}`);
				console.log(
					`       what n8n logged about it after the kill: ${[...new Set(notes)].slice(0, 3).join(' | ') || 'nothing at warn/error'}`,
				);
				console.log(
					`       rerun: execution ${rerun.id} started by ${describe(queue.whoEnqueued(cluster, rerun.id))}, run by ${describe(rerunBy)}: ${actions.reused} reused (their codes, spent before, not sent again), ${actions.created ?? 0} created (with their codes, unspent until then)`,
				);
				console.log(
					`       stand-in: ${instancesNamed('queue-fault').length} instances named queue-fault-*, one per name; ${uses.size} codes exchanged, none twice`,
				);
				return `killed at ${afterKill}/${BULK_SIZE}; rerun on ${replacement.name}: ${actions.reused} reused + ${actions.created ?? 0} created`;
			},
		);

		for (const extra of extraChecks) await extra(ctx);
	} catch (error) {
		failed = true;
		if (!error.reported) report.skipFailed(group, 'suite', error.stack || error.message);
	} finally {
		failed = failed || report.results.some((r) => r.group === group && !r.ok);
		if (ctx.cluster) await ctx.cluster.stop();
		await sb.close();
		if (!failed && !process.env.E2E_KEEP) fs.rmSync(work, { recursive: true, force: true });
		else
			console.log(`       ${group}: logs kept in ${work} (main/, webhook/, worker-*/: n8n-*.log)`);
	}
}

function countBy(list, key) {
	const counts = {};
	for (const x of list) counts[key(x)] = (counts[key(x)] ?? 0) + 1;
	return counts;
}

/** The most of these executions running at once on a worker (its "started"/"finished" log lines). */
function maxConcurrent(worker, ids) {
	const wanted = new Set(ids.map(String));
	let running = 0;
	let most = 0;
	for (const l of queue.logLines(worker)) {
		const m = /^Worker (started|finished) execution (\d+) /.exec(l.message);
		if (!m || !wanted.has(m[2])) continue;
		running += m[1] === 'started' ? 1 : -1;
		most = Math.max(most, running);
	}
	return most;
}

/* ------------------------------------------------------------------------------------------
 * Hooks for the lead (after merging the Events Trigger and the Connection Health Trigger)
 * ---------------------------------------------------------------------------------------- */

const hooks = {
	/**
	 * The Events Trigger on the webhook process: create `workflow` (its trigger's credentials are
	 * mapped to the suite's), activate it, then `send(webhookUrl)` posts a signed notification to
	 * the production URL on the WEBHOOK process (e.g. `${webhookUrl}/webhook/<path>`). Asserts the
	 * webhook process received it and enqueued the run, and a worker ran it; returns the execution.
	 *
	 *   extraChecks: [(ctx) => ctx.check('Events Trigger on the webhook process', () =>
	 *     hooks.webhookTriggerRun(ctx, eventsWorkflow(ctx.credentialIds), { path: 'infusionsoft-crm/events',
	 *       send: (url) => postSignedNotification(`${url}/webhook/infusionsoft-crm/events`) }))]
	 */
	async webhookTriggerRun(ctx, workflow, { path: webhookPath, method = 'POST', send }) {
		const { cluster, main } = ctx;
		const { headers } = ctx.session;
		const wf = await createWorkflow(main, headers, workflow);
		await rest.activateWorkflow(main, headers, wf.id);
		await (method === 'POST'
			? waitForPostWebhook(cluster.webhook.url, webhookPath)
			: rest.waitForWebhook(cluster.webhook.url, webhookPath));
		const seen = (await rest.listExecutions(main, headers, wf.id)).map((e) => e.id);
		await send(cluster.webhook.url);
		const execution = await rest.waitForNewExecution(main, headers, wf.id, seen, 60000);
		const received = queue.whoReceivedWebhook(cluster, webhookPath, method);
		assert.deepEqual(received, [cluster.webhook], `received by ${describe(received)}`);
		assert.deepEqual(queue.whoEnqueued(cluster, execution.id), [cluster.webhook]);
		const ranBy = queue.whoRan(cluster, execution.id);
		assert.equal(ranBy.length, 1);
		assert.equal(ranBy[0].role, 'worker');
		const { run } = await rest.executionRun(main, headers, ctx.flavor, execution.id);
		return {
			workflow: wf,
			execution,
			run,
			received: received[0],
			ranBy: ranBy[0],
			line: `execution ${execution.id}: received by ${describe(received)}, run by ${describe(ranBy)}`,
		};
	},

	/**
	 * A polling trigger (the Connection Health Trigger) in queue mode: n8n polls on main (the
	 * leader) and enqueues the run for a worker. Creates and activates `workflow` (poll every
	 * minute at most: n8n's shortest), waits for its first execution (`timeoutMs`), asserts main
	 * started it and a worker ran it. `arrange()` may change the stand-in first (e.g. mark an instance
	 * invalid with POST /__sandbox/instances/:id/state).
	 */
	async pollingTriggerRun(ctx, workflow, { arrange = async () => {}, timeoutMs = 150000 } = {}) {
		const { cluster, main } = ctx;
		const { headers } = ctx.session;
		await arrange();
		const wf = await createWorkflow(main, headers, workflow);
		await rest.activateWorkflow(main, headers, wf.id);
		const execution = await rest.waitForNewExecution(main, headers, wf.id, [], timeoutMs);
		const startedBy = queue.whoEnqueued(cluster, execution.id);
		assert.deepEqual(startedBy, [cluster.main], `the poll ran on ${describe(startedBy)}`);
		const ranBy = queue.whoRan(cluster, execution.id);
		assert.equal(ranBy[0]?.role, 'worker');
		const { run } = await rest.executionRun(main, headers, ctx.flavor, execution.id);
		await rest.deactivateWorkflow(main, headers, wf.id);
		return {
			workflow: wf,
			execution,
			run,
			line: `execution ${execution.id} (${execution.mode}): polled and started by ${describe(startedBy)}, run by ${describe(ranBy)}`,
		};
	},
};

/**
 * The Events Trigger (`infusionsoftCrmEventsTrigger`, v1, POST, header
 * `Elements-Webhook-Signature: sha256=<base64 HMAC-SHA256(key, raw body)>`, key = the account
 * credential's Event Signature Key): a signed notification to the WEBHOOK process, the run on a
 * worker.
 */
async function eventsTriggerCheck(ctx) {
	return ctx.check(
		'Events Trigger: a signed notification to the webhook process, the run on a worker',
		async () => {
			const type = `${demo.NODE_TYPE.split('.')[0]}.infusionsoftCrmEventsTrigger`;
			const key = 'queue-e2e/events+key=';
			const webhookPath = 'queue-e2e/events';
			const { main } = ctx;
			const { headers } = ctx.session;
			const ce = ctx.credentialIds.cloudElementsApi;
			const data = standInCredentialData({
				apiRoot: ctx.sb.apiRoot,
				callbackUrl: ctx.callbackUrl,
			}).cloudElementsApi;
			await rest.updateCredential(main, headers, {
				id: ce.id,
				name: ce.name,
				type: 'cloudElementsApi',
				data: { ...data, eventSignatureSecret: key },
			});
			const workflow = {
				name: 'queue e2e: Events Trigger',
				nodes: [
					{
						id: 'e0000000-0000-4000-8000-000000000001',
						name: 'Infusionsoft CRM Events',
						type,
						typeVersion: 1,
						position: [0, 0],
						webhookId: 'e0000000-0000-4000-8000-0000000000aa',
						parameters: { path: webhookPath },
						credentials: { cloudElementsApi: ce },
					},
				],
				connections: {},
				settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all' },
			};
			const body = Buffer.from(
				JSON.stringify({
					id: 'queue-e2e-1',
					createdDate: new Date().toISOString(),
					topic: 'instance-12345-infusionsoftrest-events',
					message: {
						instanceId: 12345,
						elementKey: 'infusionsoftrest',
						events: [
							{
								eventType: 'CREATED',
								objectType: 'contacts',
								objectId: '1',
								date: new Date().toISOString(),
							},
						],
						raw: { contacts: [{ id: 1, given_name: 'Ann' }], objectType: 'contacts' },
					},
				}),
			);
			const signature = `sha256=${crypto.createHmac('sha256', key).update(body).digest('base64')}`;
			const result = await hooks.webhookTriggerRun(ctx, workflow, {
				path: webhookPath,
				send: async (url) => {
					const res = await fetch(`${url}/webhook/${webhookPath}`, {
						method: 'POST',
						headers: {
							'content-type': 'application/json',
							'elements-webhook-signature': signature,
						},
						body,
					});
					assert.ok(res.ok, `the webhook process answered ${res.status}: ${await res.text()}`);
				},
			});
			const items = n8n.nodeOutput(result.run, 'Infusionsoft CRM Events');
			assert.equal(items.length, 1);
			assert.equal(items[0].eventType, 'CREATED');
			console.log(`       ${result.line}`);
			return result.line;
		},
	);
}

/**
 * The Connection Health Trigger in queue mode: polls run on main (the leader), which enqueues the
 * run for a worker. n8n polls at once on activation (and saves what the trigger keeps), so an
 * activation stands in for the next minute: the first records the baseline, the second, after
 * the instance broke, fires.
 */
async function healthTriggerCheck(ctx) {
	return ctx.check(
		'Connection Health Trigger: polled by main, fired once for the broken instance, the run on a worker',
		async () => {
			const { cluster, main, sb } = ctx;
			const { headers } = ctx.session;
			const { connect } = require('./lib/customers');
			const watched = await connect(sb, 'infusionsoftrest', 'Queue health', ['queue-health']);
			const workflow = await createWorkflow(main, headers, {
				name: 'queue e2e: Connection Health Trigger',
				nodes: [
					{
						id: 'h0000000-0000-4000-8000-000000000001',
						name: 'Connection Health',
						type: `${demo.PACKAGE.name}.infusionsoftCrmHealthTrigger`,
						typeVersion: 1,
						position: [0, 0],
						parameters: {
							pollTimes: { item: [{ mode: 'everyHour', minute: 0 }] },
							tags: 'queue-health',
						},
						credentials: { cloudElementsApi: ctx.credentialIds.cloudElementsApi },
					},
				],
				connections: {},
				settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all' },
			});
			await rest.activateWorkflow(main, headers, workflow.id); // the baseline
			await sleep(1500);
			await rest.deactivateWorkflow(main, headers, workflow.id);
			await sleep(1500);
			assert.deepEqual(
				await rest.listExecutions(main, headers, workflow.id),
				[],
				'the first poll fires nothing',
			);
			sb.breakInstance(watched.id);
			await rest.activateWorkflow(main, headers, workflow.id);
			const execution = await rest.waitForNewExecution(main, headers, workflow.id, [], 60000);
			await rest.deactivateWorkflow(main, headers, workflow.id);
			const startedBy = queue.whoEnqueued(cluster, execution.id);
			assert.deepEqual(startedBy, [cluster.main], `the poll ran on ${describe(startedBy)}`);
			const ranBy = queue.whoRan(cluster, execution.id);
			assert.equal(ranBy[0]?.role, 'worker', `run by ${describe(ranBy)}`);
			const { run } = await rest.executionRun(main, headers, ctx.flavor, execution.id);
			const items = n8n.nodeOutput(run, 'Connection Health');
			assert.deepEqual(
				items.map((i) => [i.change, i.instanceId]),
				[['invalid', watched.id]],
			);
			const line = `execution ${execution.id}: polled and started by ${describe(startedBy)}, run by ${describe(ranBy)}: ${items[0].change} ${items[0].name}`;
			console.log(`       ${line}`);
			return line;
		},
	);
}

module.exports = { queueSuite, hooks, eventsTriggerCheck, healthTriggerCheck, bulkCreateWorkflow };

if (require.main === module)
	require('./lib/standalone').runStandalone('queue', queueSuite, ['n8n-2']);

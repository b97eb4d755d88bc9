'use strict';
/**
 * Benchmark 2, peer: the same N creates in real n8n (e2e/runtime/n8n-2, installed by
 * e2e/install-n8n.sh), our node against n8n's HTTP Request node set up by hand to make the same
 * calls per item: GET /instances?searchText=<name>&pageSize=200 (the look-up, "Never Error" so
 * that its 404 passes), then POST /instances with the seed's body.
 *
 * Our package is installed from `npm pack` into the user folder as n8n installs community
 * packages; workflows go through `n8n import:workflow` and `n8n execute --id`. Timed: the
 * execution time n8n records for the nodes that make the calls (task data `executionTime`,
 * summed over the node's runs), not the CLI's boot. The items and their authorization codes
 * are made by nodes before them (Set → Split Out → an HTTP Request to the stand-in's control
 * API → Set), the same for both.
 *
 * Concurrency: ours is Request Options → Concurrency (a sliding window). The HTTP Request node
 * sends all items at once; its Batching option only spaces the sends out in time (N items,
 * then a pause), it does not bound how many are in flight. So "equal concurrency" is set up
 * the way n8n users bound it by hand: Loop Over Items with a batch size of N around the two
 * HTTP Request nodes (batches of N in lock-step). The default-vs-default case runs both as
 * they come: ours at 10, the HTTP Request node with everything at once.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { startSandboxProcess, EXAMPLE } = require('./lib/sandbox');
const { round, summary } = require('./lib/stats');
const { WORKLOADS } = require('./lib/workloads');
const demo = require('../e2e/lib/demo');
const {
	ceAuthorization,
	instanceConfiguration,
	standInCredentials,
} = require('../e2e/lib/credentials');

const FLAVOR = 'n8n-2';

function loadE2e() {
	try {
		return require('../e2e/lib/n8n');
	} catch (error) {
		return { missing: `e2e/lib/n8n.js could not be loaded (${error.message})` };
	}
}

let nodeId = 0;
const node = (name, type, typeVersion, parameters, extra = {}) => ({
	id: `n${++nodeId}`,
	name,
	type,
	typeVersion,
	position: [nodeId * 220, 0],
	parameters,
	...extra,
});
const link = (to, index = 0) => ({ node: to, type: 'main', index });

/** Manual Trigger → Names (Set, raw JSON) → Split Out → Issue Code (control API) → With Code (Set). */
function itemsPart(sandboxUrl, items) {
	const names = Array.from({ length: items }, (_, i) => ({ name: `Bench ${i}` }));
	const nodes = [
		node('Manual Trigger', 'n8n-nodes-base.manualTrigger', 1, {}),
		node('Names', 'n8n-nodes-base.set', 3.4, {
			mode: 'raw',
			jsonOutput: JSON.stringify({ names }),
			options: {},
		}),
		node('Split Out', 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: 'names', options: {} }),
		node('Issue Code', 'n8n-nodes-base.httpRequest', 4.2, {
			method: 'POST',
			url: `${sandboxUrl}/__sandbox/codes`,
			sendBody: true,
			specifyBody: 'json',
			jsonBody: JSON.stringify({ clientId: EXAMPLE.clientId, callbackUrl: EXAMPLE.callbackUrl }),
			options: {},
		}),
		node('With Code', 'n8n-nodes-base.set', 3.4, {
			mode: 'manual',
			assignments: {
				assignments: [
					{ id: 'a1', name: 'code', value: '={{ $json.code }}', type: 'string' },
					{ id: 'a2', name: 'name', value: "={{ $('Split Out').item.json.name }}", type: 'string' },
				],
			},
			options: {},
		}),
	];
	const connections = {
		'Manual Trigger': { main: [[link('Names')]] },
		Names: { main: [[link('Split Out')]] },
		'Split Out': { main: [[link('Issue Code')]] },
		'Issue Code': { main: [[link('With Code')]] },
	};
	return { nodes, connections };
}

function oursWorkflow(id, sandboxUrl, items, concurrency) {
	const { nodes, connections } = itemsPart(sandboxUrl, items);
	nodes.push(
		node('Create Instance', demo.NODE_TYPE, 1, WORKLOADS.create.parameters(concurrency), {
			credentials: {
				cloudElementsApi: { id: 'bench-ce', name: 'Bench account' },
				infusionsoftCrmOAuth2Api: { id: 'bench-app', name: 'Bench app' },
			},
		}),
	);
	connections['With Code'] = { main: [[link('Create Instance')]] };
	return {
		id,
		name: id,
		nodes,
		connections,
		settings: { executionOrder: 'v1' },
		timed: ['Create Instance'],
	};
}

function httpWorkflow(id, sandboxUrl, apiRoot, items, loopBatch) {
	const { nodes, connections } = itemsPart(sandboxUrl, items);
	const credentials = { httpHeaderAuth: { id: 'bench-header', name: 'Bench header' } };
	const body = `={{ JSON.stringify({ element: { key: 'infusionsoftcrm' }, providerData: { code: $('With Code').item.json.code }, configuration: ${JSON.stringify(instanceConfiguration())}, tags: ['bench'], name: $('With Code').item.json.name }) }}`;
	nodes.push(
		node(
			'Look Up',
			'n8n-nodes-base.httpRequest',
			4.5,
			{
				url: `${apiRoot}/instances`,
				authentication: 'genericCredentialType',
				genericAuthType: 'httpHeaderAuth',
				sendQuery: true,
				queryParameters: {
					parameters: [
						{ name: 'searchText', value: '={{ $json.name }}' },
						{ name: 'pageSize', value: '200' },
					],
				},
				options: { response: { response: { neverError: true } } },
			},
			{ credentials },
		),
		node(
			'Create',
			'n8n-nodes-base.httpRequest',
			4.5,
			{
				method: 'POST',
				url: `${apiRoot}/instances`,
				authentication: 'genericCredentialType',
				genericAuthType: 'httpHeaderAuth',
				sendBody: true,
				specifyBody: 'json',
				jsonBody: body,
				options: {},
			},
			{ credentials },
		),
	);
	if (loopBatch) {
		nodes.push(
			node('Loop Over Items', 'n8n-nodes-base.splitInBatches', 3, {
				batchSize: loopBatch,
				options: {},
			}),
		);
		connections['With Code'] = { main: [[link('Loop Over Items')]] };
		connections['Loop Over Items'] = { main: [[], [link('Look Up')]] };
		connections['Look Up'] = { main: [[link('Create')]] };
		connections.Create = { main: [[link('Loop Over Items')]] };
	} else {
		connections['With Code'] = { main: [[link('Look Up')]] };
		connections['Look Up'] = { main: [[link('Create')]] };
	}
	return {
		id,
		name: id,
		nodes,
		connections,
		settings: { executionOrder: 'v1' },
		timed: ['Look Up', 'Create'],
	};
}

/** Sum of the execution times n8n recorded for these nodes (all their runs), and the items out. */
function timing(run, timed) {
	const runData = run.data.resultData.runData;
	let ms = 0;
	let out = 0;
	for (const name of timed) {
		for (const task of runData[name] ?? []) {
			ms += task.executionTime;
			if (name === timed[timed.length - 1]) out += task.data?.main?.[0]?.length ?? 0;
		}
	}
	const executionMs = new Date(run.stoppedAt).getTime() - new Date(run.startedAt).getTime();
	return { ms, out, executionMs };
}

/** The installed real n8n (e2e/lib/n8n.js, the n8n-2 runtime) and its version, or why it cannot run. */
function realN8n() {
	const e2e = loadE2e();
	if (e2e.missing) return { skipped: e2e.missing };
	try {
		e2e.runtimePaths(FLAVOR);
	} catch (error) {
		return { skipped: error.message };
	}
	const n8nVersion = JSON.parse(
		fs.readFileSync(
			path.join(e2e.runtimePaths(FLAVOR).dir, 'node_modules/n8n/package.json'),
			'utf8',
		),
	).version;
	return { e2e, n8nVersion };
}

/** @param {{ runs: number, items: number, latencies?: number[], log: (line: string) => void }} options */
async function peer({ runs, items, latencies = [0, 20], log }) {
	const { e2e, n8nVersion, skipped } = realN8n();
	if (skipped) {
		log(`  skipped: ${skipped}`);
		return { skipped };
	}
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-peer-'));
	const sb = await startSandboxProcess({ latencyMs: 0 });
	try {
		const { tarball } = await demo.pack(work);
		const userFolder = e2e.makeUserFolder(path.join(work, 'user'));
		await e2e.installCommunityPackage(userFolder, tarball, FLAVOR);
		await e2e.importCredentials(FLAVOR, userFolder, [
			...standInCredentials(
				{
					cloudElementsApi: { id: 'bench-ce', name: 'Bench account' },
					infusionsoftCrmOAuth2Api: { id: 'bench-app', name: 'Bench app' },
				},
				{ apiRoot: sb.apiRoot },
			),
			{
				id: 'bench-header',
				name: 'Bench header',
				type: 'httpHeaderAuth',
				data: { name: 'Authorization', value: ceAuthorization() },
			},
		]);

		const settings = [
			{
				key: 'equal10',
				label:
					'equal concurrency 10 (ours: Concurrency 10; theirs: Loop Over Items, batches of 10)',
				ours: 10,
				loop: 10,
				compared: true,
			},
			{
				key: 'defaults',
				label: 'default vs default (ours: Concurrency 10; theirs: all items at once)',
				ours: 10,
				loop: 0,
				compared: true,
			},
		];
		const workflows = [];
		for (const s of settings) {
			workflows.push({
				...oursWorkflow(`benchOurs${s.key}`, sb.url, items, s.ours),
				setting: s.key,
				side: 'ours',
			});
			workflows.push({
				...httpWorkflow(`benchHttp${s.key}`, sb.url, sb.apiRoot, items, s.loop),
				setting: s.key,
				side: 'theirs',
			});
		}
		for (const wf of workflows) {
			const { timed, setting, side, ...importable } = wf;
			await e2e.importWorkflow(FLAVOR, userFolder, importable);
		}
		log(`  n8n ${n8nVersion}: package installed, ${workflows.length} workflows imported`);

		const cases = [];
		for (const latencyMs of latencies) {
			await sb.setLatency(latencyMs);
			for (const s of settings) {
				const samples = { ours: [], theirs: [], oursExecution: [], theirsExecution: [] };
				for (let run = 0; run < runs; run++) {
					for (const side of ['ours', 'theirs']) {
						const wf = workflows.find((w) => w.setting === s.key && w.side === side);
						await sb.reset();
						const result = await e2e.executeWorkflow(FLAVOR, userFolder, wf.id);
						const t = timing(result, wf.timed);
						if (t.out !== items) throw new Error(`${wf.id} gave ${t.out} items, not ${items}`);
						const created = await sb.instanceCount();
						if (created !== items)
							throw new Error(`${wf.id} left ${created} instances, not ${items}`);
						samples[side].push(t.ms);
						samples[`${side}Execution`].push(t.executionMs);
					}
				}
				const ours = summary(samples.ours);
				const theirs = summary(samples.theirs);
				const c = {
					label: `${s.label}, latency ${latencyMs} ms`,
					setting: s.key,
					latencyMs,
					compared: s.compared,
					oursMs: ours,
					theirsMs: theirs,
					oursExecutionMs: summary(samples.oursExecution),
					theirsExecutionMs: summary(samples.theirsExecution),
					ratio: round(ours.median / theirs.median, 3),
				};
				cases.push(c);
				log(
					`  ${c.label}: ours ${round(ours.median, 0)} ms, HTTP Request ${round(theirs.median, 0)} ms → ${c.ratio}x (whole executions: ${round(c.oursExecutionMs.median, 0)} vs ${round(c.theirsExecutionMs.median, 0)} ms)`,
				);
			}
		}
		return { n8nVersion, items, runs, cases };
	} finally {
		await sb.close();
		fs.rmSync(work, { recursive: true, force: true });
	}
}

module.exports = { peer, oursWorkflow, httpWorkflow, realN8n, FLAVOR };

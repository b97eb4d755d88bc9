'use strict';
/**
 * Benchmark 1, overhead: N items of Create Instance and of Get OAuth URL through n8n's
 * execution engine (n8n-core WorkflowExecute, the built node), against the same HTTP calls
 * made with plain `fetch`, at equal concurrency, against the stand-in in its own process.
 * A third column makes the same calls with n8n's own HTTP helper from a bare node in the same
 * engine: what any n8n node pays, so the gap between it and our node is our node's own cost.
 *
 * Timed: the node's own execution time as n8n records it (task data `executionTime`), and
 * the whole workflow run (trigger + items node + engine); the raw loop's wall time. Not
 * timed: resetting the stand-in and issuing the authorization codes. Each case starts with
 * warm-up runs (JIT, lazily loaded modules), then the runs, in turns: node, helper, fetch.
 */
const { runHttpLoop, runNode } = require('./lib/engine');
const { startSandboxProcess } = require('./lib/sandbox');
const { gc, round, summary } = require('./lib/stats');
const { WORKLOADS } = require('./lib/workloads');
const { standInCredentialData } = require('../e2e/lib/credentials');

async function prepare(sb, workload, n, run) {
	await sb.reset();
	const codes = workload.needsCodes ? await sb.issueCodes(n) : [];
	return workload.items(n, codes, run);
}

async function measureOnce(sb, workload, { items: n, concurrency }, run) {
	let items = await prepare(sb, workload, n, `n${run}`);
	gc();
	const viaNode = await runNode({
		parameters: workload.parameters(concurrency),
		items,
		credentials: standInCredentialData({ apiRoot: sb.apiRoot }),
	});
	if (viaNode.error) throw new Error(`the node failed: ${viaNode.error.message}`);
	if (viaNode.items.length !== n || !viaNode.items.every(workload.check))
		throw new Error('the node gave wrong items');

	items = await prepare(sb, workload, n, `h${run}`);
	gc();
	const viaHelper = await runHttpLoop({
		items,
		requestsFor: workload.helperRequests(sb.apiRoot),
		concurrency,
	});
	if (viaHelper.error || viaHelper.items.length !== n)
		throw new Error('the HTTP helper loop failed');

	items = await prepare(sb, workload, n, `r${run}`);
	gc();
	const started = process.hrtime.bigint();
	const raw = await workload.raw(sb.apiRoot, items, concurrency);
	const rawMs = Number(process.hrtime.bigint() - started) / 1e6;
	if (raw.length !== n) throw new Error('the raw loop gave wrong results');
	return { nodeMs: viaNode.nodeMs, wallMs: viaNode.wallMs, helperMs: viaHelper.nodeMs, rawMs };
}

/**
 * @param {{ runs: number, warmups: number, items: number, cases: Array<{ workload: string, latencyMs: number, concurrency: number }>, log: (line: string) => void }} options
 */
async function overhead({ runs, warmups, items, cases, log }) {
	const results = [];
	for (const { workload: key, latencyMs, concurrency } of cases) {
		const workload = WORKLOADS[key];
		const sb = await startSandboxProcess({ latencyMs });
		try {
			for (let w = 0; w < warmups; w++)
				await measureOnce(sb, workload, { items, concurrency }, `w${w}`);
			const samples = [];
			for (let run = 0; run < runs; run++)
				samples.push(await measureOnce(sb, workload, { items, concurrency }, run));
			const node = summary(samples.map((s) => s.nodeMs));
			const wall = summary(samples.map((s) => s.wallMs));
			const raw = summary(samples.map((s) => s.rawMs));
			const helper = summary(samples.map((s) => s.helperMs));
			const ratios = summary(samples.map((s) => s.nodeMs / s.rawMs));
			const result = {
				workload: key,
				title: workload.title,
				items,
				httpCalls: items * workload.callsPerItem,
				latencyMs,
				concurrency,
				nodeMs: node,
				workflowMs: wall,
				helperMs: helper,
				rawMs: raw,
				ratio: round(node.median / raw.median, 3),
				helperRatio: round(helper.median / raw.median, 3),
				nodeOverHelper: round(node.median / helper.median, 3),
				ratioPerRunMedian: round(ratios.median, 3),
				workflowRatio: round(wall.median / raw.median, 3),
			};
			results.push(result);
			log(
				`  ${workload.title}, ${items} items, latency ${latencyMs} ms, concurrency ${concurrency}: node ${round(node.median)} ms (workflow ${round(wall.median)}), n8n HTTP helper ${round(helper.median)} ms, fetch ${round(raw.median)} ms → node/fetch ${result.ratio}x, helper/fetch ${result.helperRatio}x, node/helper ${result.nodeOverHelper}x`,
			);
		} finally {
			await sb.close();
		}
	}
	return results;
}

/** Untimed: JIT and n8n's lazily loaded modules settle over the first few thousand items. */
async function warmUp({ items, log, rounds = 3 }) {
	const sb = await startSandboxProcess({ latencyMs: 0 });
	try {
		for (let w = 0; w < rounds; w++) {
			for (const key of ['create', 'oauth'])
				await measureOnce(sb, WORKLOADS[key], { items, concurrency: 10 }, `warm${w}`);
		}
		log(
			`  (warmed up: ${rounds} × ${items} items of each workload through node, helper and fetch)`,
		);
	} finally {
		await sb.close();
	}
}

module.exports = { overhead, warmUp };

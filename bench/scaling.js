'use strict';
/**
 * Benchmark 3, scaling: throughput of the node (through n8n's engine) at several Concurrency
 * settings with a fixed latency per platform call, against the latency bound: with c calls in
 * flight and L ms per call, at most c / L calls per second, i.e. c / (k · L) items per second
 * for k calls per item. Each run has `rounds` × c items, so that every setting runs about the
 * same time (rounds × k × L at the bound). The same calls made with plain `fetch` at the same
 * concurrency show what the machine and the stand-in allow, without n8n.
 */
const { runNode } = require('./lib/engine');
const { startSandboxProcess } = require('./lib/sandbox');
const { gc, round, summary } = require('./lib/stats');
const { WORKLOADS } = require('./lib/workloads');
const { standInCredentialData } = require('../e2e/lib/credentials');

/**
 * @param {{ runs: number, rounds: number, latencyMs: number, concurrencies: number[], workloads: string[], log: (line: string) => void }} options
 */
async function scaling({ runs, rounds, latencyMs, concurrencies, workloads, log }) {
	const results = [];
	const sb = await startSandboxProcess({ latencyMs });
	try {
		for (const key of workloads) {
			const workload = WORKLOADS[key];
			for (const concurrency of concurrencies) {
				const n = rounds * concurrency;
				const samples = [];
				const rawSamples = [];
				const fresh = async (tag) => {
					await sb.reset();
					const codes = workload.needsCodes ? await sb.issueCodes(n) : [];
					gc();
					return workload.items(n, codes, tag);
				};
				for (let run = -1; run < runs; run++) {
					const items = await fresh(`s${concurrency}-${run}`);
					const result = await runNode({
						parameters: workload.parameters(concurrency),
						items,
						credentials: standInCredentialData({ apiRoot: sb.apiRoot }),
					});
					if (result.error || result.items.length !== n || !result.items.every(workload.check))
						throw new Error('the node failed');
					const rawItems = await fresh(`f${concurrency}-${run}`);
					const started = process.hrtime.bigint();
					await workload.raw(sb.apiRoot, rawItems, concurrency);
					const rawMs = Number(process.hrtime.bigint() - started) / 1e6;
					if (run >= 0) {
						// the first run warms up
						samples.push((n / result.nodeMs) * 1000);
						rawSamples.push((n / rawMs) * 1000);
					}
				}
				const perSecond = summary(samples);
				const rawPerSecond = summary(rawSamples);
				const bound = (concurrency / (workload.callsPerItem * latencyMs)) * 1000;
				const row = {
					workload: key,
					title: workload.title,
					concurrency,
					items: n,
					latencyMs,
					itemsPerSecond: { ...perSecond, median: round(perSecond.median, 1) },
					boundItemsPerSecond: round(bound, 1),
					ofBound: round(perSecond.median / bound, 3),
					fetchItemsPerSecond: { ...rawPerSecond, median: round(rawPerSecond.median, 1) },
					fetchOfBound: round(rawPerSecond.median / bound, 3),
				};
				results.push(row);
				log(
					`  ${workload.title}, concurrency ${concurrency} (${n} items, ${latencyMs} ms per call): ${row.itemsPerSecond.median} items/s of a bound of ${row.boundItemsPerSecond} → ${round(row.ofBound * 100, 1)}% (fetch: ${row.fetchItemsPerSecond.median} items/s, ${round(row.fetchOfBound * 100, 1)}%)`,
				);
			}
		}
	} finally {
		await sb.close();
	}
	return results;
}

module.exports = { scaling };

'use strict';
/**
 * Where one Get OAuth URL item's time goes, through n8n-core's WorkflowExecute (lib/engine.js),
 * against the stand-in in its own process with a fixed latency. Side by side in one run, in
 * turns: the node, and the same calls with n8n's own HTTP helper from a bare node (the floor).
 * Reports wall time and the bench process's CPU time per item (CPU is steadier on a shared
 * machine), and optionally writes a CPU profile of the node's timed part of each run.
 *
 *   node --expose-gc bench/oauth-profile.js [--items 1000] [--runs 5] [--latency 10]
 *        [--workload custom|signed] [--concurrency 10] [--profile-dir /tmp/prof]
 *   node bench/lib/cpuprofile.js /tmp/prof/oauth-node-*.cpuprofile
 *
 * BENCH_BASELINE_DIST=<dist of another build> adds that build as a third side ("baseline").
 *
 * Workloads (node version 2, element Keap REST, one POST /elements/infusionsoftrest/oauth/url
 * per item on both sides):
 * - custom: Custom State `={{ $json.customer }}` (the helper sends the same body);
 * - signed: the defaults, a signed state per item with Context `={{ $json.customer }}` (the
 *   helper sends a state of the same length; the HMAC is the node's own work).
 */
const path = require('node:path');

const {
	runHttpLoop,
	runNode,
	BASELINE_TYPE,
	HTTP_REQUEST_TYPE,
	hasBaseline,
	hasHttpRequestNode,
} = require('./lib/engine');
const { startSandboxProcess, EXAMPLE } = require('./lib/sandbox');
const { cliOptions, exitWhenDone, profiled } = require('./lib/cli');
const { gc, round, summary } = require('./lib/stats');
const { helperOptions } = require('./lib/workloads');
const { ceAuthorization, standInCredentialData } = require('../e2e/lib/credentials');

const PARAMETERS = {
	custom: (concurrency) => ({
		resource: 'oauth',
		operation: 'getOAuthUrl',
		state: '={{ $json.customer }}',
		...(concurrency ? { requestOptions: { concurrency } } : {}),
	}),
	signed: (concurrency) => ({
		resource: 'oauth',
		operation: 'getOAuthUrl',
		context: '={{ $json.customer }}',
		...(concurrency ? { requestOptions: { concurrency } } : {}),
	}),
};

/** The body the node POSTs for an item; a signed state is stood in for by text of its length. */
const body = (workload, customer) => ({
	apiKey: EXAMPLE.clientId,
	apiSecret: EXAMPLE.clientSecret,
	callbackUrl: EXAMPLE.callbackUrl,
	state: workload === 'custom' ? customer : `n8nis1.${'x'.repeat(150)}.${'y'.repeat(43)}`,
});

function helperRequests(apiRoot, workload) {
	return (item) => [
		helperOptions(
			'POST',
			`${apiRoot}/elements/infusionsoftrest/oauth/url`,
			body(workload, item.customer),
		),
	];
}

/**
 * n8n's HTTP Request node (4.2, defaults, all items at once) making the same call: GET with the
 * four fields as query parameters (the seed's form), or POST with the JSON body as one expression.
 */
const HTTP_REQUEST = {
	httpGet: (apiRoot) => ({
		method: 'GET',
		url: `${apiRoot}/elements/infusionsoftrest/oauth/url`,
		authentication: 'genericCredentialType',
		genericAuthType: 'httpHeaderAuth',
		sendQuery: true,
		specifyQuery: 'keypair',
		queryParameters: {
			parameters: [
				{ name: 'apiKey', value: EXAMPLE.clientId },
				{ name: 'apiSecret', value: EXAMPLE.clientSecret },
				{ name: 'callbackUrl', value: EXAMPLE.callbackUrl },
				{ name: 'state', value: '={{ $json.customer }}' },
			],
		},
		options: {},
	}),
	httpPost: (apiRoot) => ({
		method: 'POST',
		url: `${apiRoot}/elements/infusionsoftrest/oauth/url`,
		authentication: 'genericCredentialType',
		genericAuthType: 'httpHeaderAuth',
		sendBody: true,
		specifyBody: 'json',
		jsonBody: `={{ JSON.stringify({ apiKey: ${JSON.stringify(EXAMPLE.clientId)}, apiSecret: ${JSON.stringify(EXAMPLE.clientSecret)}, callbackUrl: ${JSON.stringify(EXAMPLE.callbackUrl)}, state: $json.customer }) }}`,
		options: {},
	}),
};

function runSide(side, sb, { items, workload, concurrency }) {
	if (HTTP_REQUEST[side])
		return runNode({
			parameters: HTTP_REQUEST[side](sb.apiRoot),
			items,
			credentials: { httpHeaderAuth: { name: 'Authorization', value: ceAuthorization() } },
			type: HTTP_REQUEST_TYPE,
			typeVersion: 4.2,
			nodeCredentials: { httpHeaderAuth: { id: 'header', name: 'Header' } },
		});
	return side !== 'helper'
		? runNode({
				parameters: PARAMETERS[workload](concurrency),
				items,
				credentials: standInCredentialData({ apiRoot: sb.apiRoot }),
				typeVersion: 2,
				...(side === 'baseline' ? { type: BASELINE_TYPE } : {}),
			})
		: runHttpLoop({
				items,
				requestsFor: helperRequests(sb.apiRoot, workload),
				concurrency: concurrency ?? 10,
			});
}

async function once(sb, side, { items: n, workload, concurrency, run }, profileFile) {
	await sb.reset();
	const items = Array.from({ length: n }, (_, i) => ({ customer: `customer-${run}-${i}` }));
	gc();
	const cpu = process.cpuUsage();
	const result = await profiled(profileFile, () =>
		runSide(side, sb, { items, workload, concurrency }),
	);
	const used = process.cpuUsage(cpu);
	if (result.error) throw new Error(`${side} failed: ${result.error.message}`);
	if (result.items.length !== n) throw new Error(`${side} gave ${result.items.length} items`);
	if (side !== 'helper' && !result.items.every((i) => typeof i.json.oauthUrl === 'string'))
		throw new Error('the node gave wrong items');
	const calls = (await sb.requests()).filter(
		(r) => r.path?.includes('/oauth/url') || r.url?.includes('/oauth/url'),
	).length;
	return { ms: result.nodeMs, cpuMs: (used.user + used.system) / 1000, calls };
}

async function oauthProfile({
	items = 1000,
	runs = 5,
	warmups = 1,
	latencyMs = 10,
	workload = 'custom',
	concurrency,
	profileDir,
	log = console.log,
}) {
	const sb = await startSandboxProcess({ latencyMs });
	try {
		const sides = [
			'node',
			...(hasBaseline ? ['baseline'] : []),
			'helper',
			...(hasHttpRequestNode && workload === 'custom' ? ['httpGet', 'httpPost'] : []),
		];
		const samples = Object.fromEntries(sides.map((s) => [s, []]));
		for (let run = -warmups; run < runs; run++) {
			const shift = ((run % sides.length) + sides.length) % sides.length;
			const order = [...sides.slice(shift), ...sides.slice(0, shift)];
			for (const side of order) {
				const file =
					profileDir && run >= 0 && side !== 'helper'
						? path.join(profileDir, `oauth-${side}-${workload}-run${run + 1}.cpuprofile`)
						: undefined;
				const s = await once(sb, side, { items, workload, concurrency, run: `${run}` }, file);
				if (run >= 0) samples[side].push(s);
			}
		}
		const out = {};
		for (const side of sides) {
			const ms = summary(samples[side].map((s) => s.ms));
			const cpu = summary(samples[side].map((s) => s.cpuMs));
			out[side] = {
				ms,
				cpuMs: cpu,
				cpuUsPerItem: round((cpu.median * 1000) / items, 0),
				calls: samples[side][0].calls,
			};
			log(
				`  ${side}: ${round(ms.median, 0)} ms (${round(ms.min, 0)}-${round(ms.max, 0)}), CPU ${round(cpu.median, 0)} ms = ${out[side].cpuUsPerItem} µs/item, ${out[side].calls} calls`,
			);
		}
		out.ratio = round(out.node.ms.median / out.helper.ms.median, 3);
		out.cpuRatio = round(out.node.cpuMs.median / out.helper.cpuMs.median, 3);
		log(`  node/helper: ${out.ratio}x wall, ${out.cpuRatio}x CPU`);
		for (const peer of ['httpGet', 'httpPost']) {
			if (!out[peer]) continue;
			out[`over_${peer}`] = {
				wall: round(out.node.ms.median / out[peer].ms.median, 3),
				cpu: round(out.node.cpuMs.median / out[peer].cpuMs.median, 3),
			};
			log(
				`  node/HTTP Request ${peer === 'httpGet' ? 'GET' : 'POST'}: ${out[`over_${peer}`].wall}x wall, ${out[`over_${peer}`].cpu}x CPU`,
			);
		}
		if (out.baseline) {
			out.nodeOverBaseline = round(out.node.ms.median / out.baseline.ms.median, 3);
			out.nodeOverBaselineCpu = round(out.node.cpuMs.median / out.baseline.cpuMs.median, 3);
			log(`  node/baseline: ${out.nodeOverBaseline}x wall, ${out.nodeOverBaselineCpu}x CPU`);
		}
		return out;
	} finally {
		await sb.close();
	}
}

if (require.main === module) {
	const { option, profileDir } = cliOptions();
	exitWhenDone(
		oauthProfile({
			items: Number(option('--items', 1000)),
			runs: Number(option('--runs', 5)),
			latencyMs: Number(option('--latency', 10)),
			workload: option('--workload', 'custom'),
			concurrency: option('--concurrency') ? Number(option('--concurrency')) : undefined,
			profileDir,
		}),
	);
}

module.exports = { oauthProfile, PARAMETERS, body };

'use strict';
/**
 * Benchmark 5, hub: reading N contacts (10,000 by default) with Contact → Get Many, Return All,
 * through one Keap REST (`infusionsoftrest`) instance of the stand-in's CRM hub, against the
 * same pages fetched without n8n. Side by side in one run, in turns (the order rotates each
 * run), against the stand-in in its own process:
 *
 * - node:     our node through n8n-core's WorkflowExecute (lib/engine.js), one item in, N out.
 *             Instance By ID: it reads the instance (GET /instances/{id}) for its token, then
 *             GET /hubs/crm/contacts?pageSize=200 following `elements-next-page-token` until
 *             the empty (404) page that the platform's last full page points at.
 * - helper:   the same calls with n8n's own HTTP helper (`this.helpers.httpRequest`, the options
 *             our transport gives it) from a bare node in the same engine, one output item per
 *             record: what any n8n node pays for these calls and this output.
 * - fetch:    the same calls with plain `fetch` (same URLs, same Authorization header:
 *             User, Organization, Element token), the records parsed into one array.
 * - fetch500: the same with pageSize 500, the stand-in's maximum (the notes give none for the
 *             platform; a provider may cap it): what a bigger page would save. An observation;
 *             the node reads pages of 200.
 *
 * Checked every run, and the run fails if not: each side gives the seeded ids, in order, with
 * the records' own fields as stored (the node adds its common fields on top); the node and
 * `fetch` send the same calls (method, path, query, Authorization); the call counts.
 * Counted from the stand-in's request log. Timed: the node's execution time as n8n records
 * it (and the whole workflow), the helper node's likewise, the fetch loops' wall time. Also
 * the bench process's CPU time, and the heap the output holds once garbage is collected.
 *
 * Standalone (for a look, or a profile of the timed part of each run only; the stand-in runs
 * in its own process, so a profile is the client's alone):
 *   node --expose-gc bench/hub.js [--runs 3] [--warmups 1] [--contacts 10000] [--latency 0,20]
 *                                 [--variants node,helper,fetch,fetch500] [--profile-dir /tmp/prof]
 *   node bench/lib/cpuprofile.js /tmp/prof/hub-node-*.cpuprofile    # where the time goes
 */
const diagnostics = require('node:diagnostics_channel');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { isDeepStrictEqual } = require('node:util');

const { runHttpScript, runNode } = require('./lib/engine');
const { startSandboxProcess, EXAMPLE } = require('./lib/sandbox');
const { cliOptions, exitWhenDone, profiled } = require('./lib/cli');
const { gc, round, summary } = require('./lib/stats');
const { ceAuthorization, standInCredentialData } = require('../e2e/lib/credentials');

const AUTH = ceAuthorization();
const NEXT_PAGE_HEADER = 'elements-next-page-token';
const STAND_IN_MAX_PAGE_SIZE = 500;
const VARIANTS = ['node', 'helper', 'fetch', 'fetch500'];

/** TCP connections this process opens (Node's `net.client.socket` channel): keep-alive or not. */
let connectionsOpened = 0;
diagnostics.subscribe('net.client.socket', () => {
	connectionsOpened += 1;
});

/** The page size the node asks for, read from its built code (lib/platform/paging.js). */
function nodePageSize() {
	const file = path.join(__dirname, '../dist/lib/platform/paging.js');
	const found = /\bMAX_PAGE_SIZE\s*=\s*(\d+)/.exec(fs.readFileSync(file, 'utf8'));
	if (!found) throw new Error(`No MAX_PAGE_SIZE in ${file}: has the node's paging changed?`);
	return Number(found[1]);
}

/** N Keap REST contacts, varied like real ones: some without a phone, some with a company. */
function makeContacts(n) {
	return Array.from({ length: n }, (_, i) => ({
		given_name: `First${i + 1}`,
		family_name: `Last${i % 97}`,
		email_addresses: [
			{ email: `contact${i + 1}@example.com`, field: 'EMAIL1' },
			...(i % 5 ? [] : [{ email: `other${i + 1}@example.org`, field: 'EMAIL2' }]),
		],
		phone_numbers:
			i % 2 ? [] : [{ number: `+1 555 01${String(i % 100).padStart(2, '0')}`, field: 'PHONE1' }],
		company: i % 3 ? null : { company_name: `Company ${i % 50}` },
	}));
}

async function expectJson(response, status) {
	const text = await response.text();
	if (response.status !== status) throw new Error(`HTTP ${response.status}: ${text.slice(0, 200)}`);
	return JSON.parse(text);
}

/** A Keap REST instance made through the platform API with an issued code, as Create Instance would. */
async function createInstance(sb) {
	const [code] = await sb.issueCodes(1);
	const response = await fetch(`${sb.apiRoot}/instances`, {
		method: 'POST',
		headers: {
			Authorization: AUTH,
			Accept: 'application/json',
			'Content-Type': 'application/json',
		},
		body: JSON.stringify({
			element: { key: 'infusionsoftrest' },
			providerData: { code },
			configuration: {
				'oauth.callback.url': EXAMPLE.callbackUrl,
				'oauth.api.key': EXAMPLE.clientId,
				'oauth.api.secret': EXAMPLE.clientSecret,
			},
			tags: ['bench'],
			name: 'Bench hub',
		}),
	});
	return await expectJson(response, 200);
}

const hubHeaders = (token) => ({
	Authorization: `${AUTH}, Element ${token}`,
	Accept: 'application/json',
});
const pageUrl = (apiRoot, pageSize, nextPage) =>
	`${apiRoot}/hubs/crm/contacts?${new URLSearchParams({ pageSize: String(pageSize), ...(nextPage ? { nextPage } : {}) })}`;

/** Plain fetch: the instance for its token, then every page until the empty (404) one. */
async function fetchAll(apiRoot, instanceId, pageSize) {
	const { token } = await expectJson(
		await fetch(`${apiRoot}/instances/${instanceId}`, {
			headers: { Authorization: AUTH, Accept: 'application/json' },
		}),
		200,
	);
	const headers = hubHeaders(token);
	const records = [];
	let nextPage;
	for (;;) {
		const response = await fetch(pageUrl(apiRoot, pageSize, nextPage), { headers });
		if (response.status === 404) {
			await response.arrayBuffer();
			break;
		}
		const page = await expectJson(response, 200);
		for (const record of page) records.push(record);
		nextPage = response.headers.get(NEXT_PAGE_HEADER);
		if (!nextPage || page.length === 0) break;
	}
	return records;
}

/** Request options as the node's transport gives them to n8n's helper. */
const helperOptions = (url, headers) => ({
	method: 'GET',
	url,
	headers,
	json: false,
	encoding: 'text',
	returnFullResponse: true,
	ignoreHttpStatusErrors: true,
	disableFollowRedirect: true,
	timeout: 300_000,
});

/** The same calls with n8n's HTTP helper, from a bare node in the engine; one row per record. */
function helperScript(apiRoot, instanceId, pageSize) {
	return async (httpRequest) => {
		const instance = await httpRequest(
			helperOptions(`${apiRoot}/instances/${instanceId}`, {
				Authorization: AUTH,
				Accept: 'application/json',
			}),
		);
		if (instance.statusCode !== 200)
			throw new Error(`GET /instances/${instanceId}: HTTP ${instance.statusCode}`);
		const headers = hubHeaders(JSON.parse(instance.body).token);
		const records = [];
		let nextPage;
		for (;;) {
			const response = await httpRequest(
				helperOptions(pageUrl(apiRoot, pageSize, nextPage), headers),
			);
			if (response.statusCode === 404) break;
			if (response.statusCode !== 200) throw new Error(`GET contacts: HTTP ${response.statusCode}`);
			const page = JSON.parse(response.body);
			for (const record of page) records.push(record);
			nextPage = response.headers[NEXT_PAGE_HEADER];
			if (!nextPage || page.length === 0) break;
		}
		return records;
	};
}

/**
 * Fails loudly unless `records` are the stored ones, in order: same ids, and every field of the
 * stored record deep-equal (the node's common fields come on top; `withCommon` checks they are there).
 */
function verify(label, records, expected, withCommon) {
	if (records.length !== expected.length)
		throw new Error(`hub bench: ${label} gave ${records.length} records, not ${expected.length}`);
	for (let i = 0; i < expected.length; i++) {
		const got = records[i];
		const want = expected[i];
		if (got?.id !== want.id)
			throw new Error(
				`hub bench: ${label} record ${i} has id ${got?.id}, not ${want.id}: wrong data or wrong order`,
			);
		for (const key of Object.keys(want)) {
			if (!isDeepStrictEqual(got[key], want[key])) {
				throw new Error(
					`hub bench: ${label} record ${i} (id ${want.id}): ${key} is ${JSON.stringify(got[key])}, stored ${JSON.stringify(want[key])}`,
				);
			}
		}
		if (withCommon) {
			const email = want.email_addresses.find((e) => e.field === 'EMAIL1')?.email ?? null;
			if (
				got.firstName !== want.given_name ||
				got.lastName !== want.family_name ||
				got.email !== email
			) {
				throw new Error(
					`hub bench: ${label} record ${i} (id ${want.id}) lacks the common fields: ${JSON.stringify(got).slice(0, 300)}`,
				);
			}
		}
	}
}

const signature = (r) =>
	`${r.method} ${r.path} ${JSON.stringify(Object.entries(r.query).sort())} ${r.headers.authorization}`;

/** The calls the stand-in recorded since `before` (its log keeps the last 10,000). */
async function callsSince(sb, before) {
	const all = await sb.requests();
	if (all.length >= 10_000)
		throw new Error('hub bench: the stand-in request log is full; calls cannot be counted');
	return { calls: all.slice(before), total: all.length };
}

/** Runs one variant once, timed: its records (or n8n items), times and CPU. */
async function runVariant(sb, variant, { instance, pageSize }) {
	const heapBefore = process.memoryUsage().heapUsed;
	const cpuBefore = process.cpuUsage();
	const connectionsBefore = connectionsOpened;
	const started = process.hrtime.bigint();
	let run;
	if (variant === 'node') {
		run = await runNode({
			parameters: {
				resource: 'contact',
				operation: 'getAll',
				instance: { __rl: true, mode: 'id', value: String(instance.id) },
				returnAll: true,
			},
			items: [{}],
			credentials: standInCredentialData({ apiRoot: sb.apiRoot }),
			typeVersion: 2,
		});
	} else if (variant === 'helper') {
		run = await runHttpScript({ script: helperScript(sb.apiRoot, instance.id, pageSize) });
	} else {
		const records = await fetchAll(
			sb.apiRoot,
			instance.id,
			variant === 'fetch500' ? STAND_IN_MAX_PAGE_SIZE : pageSize,
		);
		run = { items: records, nodeMs: Number(process.hrtime.bigint() - started) / 1e6 };
	}
	const cpu = process.cpuUsage(cpuBefore);
	const connections = connectionsOpened - connectionsBefore;
	if (run.error) throw new Error(`hub bench: ${variant} failed: ${run.error.message}`);
	return {
		items: run.items,
		ms: run.nodeMs,
		workflowMs: run.wallMs,
		cpuMs: (cpu.user + cpu.system) / 1000,
		connections,
		heapBefore,
	};
}

/** One variant, once: timed (and profiled, given a file), counted, checked. */
async function measure(sb, variant, setup, profileFile) {
	const before = (await sb.requests()).length;
	gc();
	const task = () => runVariant(sb, variant, setup);
	const { items, ms, workflowMs, cpuMs, connections, heapBefore } = profileFile
		? await profiled(profileFile, task)
		: await task();
	gc();
	const heapMiB = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
	const rssMiB = process.memoryUsage().rss / 2 ** 20;
	const records =
		variant === 'node' || variant === 'helper' ? items.map((item) => item.json) : items;
	verify(variant, records, setup.expected, variant === 'node');
	const { calls } = await callsSince(sb, before);
	return { ms, workflowMs, cpuMs, connections, heapMiB, rssMiB, calls };
}

function expectedCalls(contacts, pageSize) {
	// The instance, the pages, and the empty page a full last page points at.
	return 1 + Math.ceil(contacts / pageSize) + (contacts % pageSize === 0 ? 1 : 0);
}

/**
 * @param {{ runs: number, warmups?: number, contacts?: number, latencies?: number[], variants?: string[], log: (line: string) => void }} options
 */
async function hub({
	runs,
	warmups = 1,
	contacts = 10_000,
	latencies = [0],
	variants = VARIANTS,
	profileDir,
	log,
}) {
	const pageSize = nodePageSize();
	const result = {
		contacts,
		nodePageSize: pageSize,
		fetch500PageSize: STAND_IN_MAX_PAGE_SIZE,
		runs,
		warmups,
		loadAverageAtStart: os.loadavg().map((x) => round(x, 2)),
		cases: [],
	};
	for (const latencyMs of latencies) {
		const sb = await startSandboxProcess({ latencyMs: 0 });
		try {
			const instance = await createInstance(sb);
			const started = performance.now();
			await sb.seedRecords(instance.id, 'contacts', makeContacts(contacts));
			const seedMs = performance.now() - started;
			const expected = await sb.records(instance.id, 'contacts');
			if (expected.length !== contacts || expected.some((r, i) => r.id !== i + 1))
				throw new Error('hub bench: the seeding went wrong');
			await sb.setLatency(latencyMs);
			const setup = { instance, expected, pageSize };
			log(
				`  latency ${latencyMs} ms: instance ${instance.id} (infusionsoftrest) with ${contacts} contacts, seeded in ${round(seedMs, 0)} ms through the control API`,
			);

			for (let w = 0; w < warmups; w++)
				for (const variant of variants) await measure(sb, variant, setup);
			const samples = Object.fromEntries(variants.map((v) => [v, []]));
			for (let run = 0; run < runs; run++) {
				const order = variants.map((_, i) => variants[(i + run) % variants.length]);
				for (const variant of order) {
					const profileFile = profileDir
						? path.join(profileDir, `hub-${variant}-latency${latencyMs}-run${run + 1}.cpuprofile`)
						: undefined;
					samples[variant].push(await measure(sb, variant, setup, profileFile));
				}
			}

			// The same calls: count, and for the node and fetch at the same page size, the same requests.
			const calls = {};
			for (const variant of variants) {
				const counts = samples[variant].map((s) => s.calls.length);
				const want = expectedCalls(
					contacts,
					variant === 'fetch500' ? STAND_IN_MAX_PAGE_SIZE : pageSize,
				);
				if (counts.some((c) => c !== want))
					throw new Error(`hub bench: ${variant} made ${counts.join(', ')} calls, not ${want}`);
				calls[variant] = want;
			}
			if (samples.fetch) {
				const reference = samples.fetch[0].calls.map(signature);
				for (const variant of ['node', 'helper', 'fetch']) {
					for (const sample of samples[variant] ?? []) {
						const sent = sample.calls.map(signature);
						const differs = sent.findIndex((s, i) => s !== reference[i]);
						if (differs !== -1)
							throw new Error(
								`hub bench: ${variant} and fetch differ at call ${differs + 1}:\n  ${sent[differs]}\n  ${reference[differs]}`,
							);
					}
				}
			}
			const firstCalls = samples[variants[0]][0].calls
				.slice(0, 2)
				.map(
					(r) =>
						`${r.method} ${r.path}${Object.keys(r.query).length ? `?${new URLSearchParams(r.query)}` : ''}`,
				);

			const stats = {};
			for (const variant of variants) {
				const s = samples[variant];
				stats[variant] = {
					calls: calls[variant],
					ms: summary(s.map((x) => x.ms)),
					...(s[0].workflowMs !== undefined
						? { workflowMs: summary(s.map((x) => x.workflowMs)) }
						: {}),
					cpuMs: summary(s.map((x) => round(x.cpuMs, 1))),
					connections: summary(s.map((x) => x.connections)),
					heapMiB: summary(s.map((x) => round(x.heapMiB, 1))),
					rssMiB: summary(s.map((x) => round(x.rssMiB, 0))),
					msPer1000: round(median(s.map((x) => x.ms)) / (contacts / 1000), 1),
				};
			}
			const ratio = (a, b) =>
				stats[a] && stats[b] ? round(stats[a].ms.median / stats[b].ms.median, 3) : undefined;
			const perRun = (a, b) =>
				stats[a] && stats[b]
					? round(median(samples[a].map((x, i) => x.ms / samples[b][i].ms)), 3)
					: undefined;
			const c = {
				latencyMs,
				seedMs: round(seedMs, 0),
				firstCalls,
				variants: stats,
				ratios: {
					nodeOverFetch: ratio('node', 'fetch'),
					nodeOverFetchPerRunMedian: perRun('node', 'fetch'),
					helperOverFetch: ratio('helper', 'fetch'),
					nodeOverHelper: ratio('node', 'helper'),
					nodeOverFetch500: ratio('node', 'fetch500'),
					fetch500OverFetch: ratio('fetch500', 'fetch'),
					nodeCpuOverFetchCpu:
						stats.node && stats.fetch
							? round(stats.node.cpuMs.median / stats.fetch.cpuMs.median, 3)
							: undefined,
				},
			};
			result.cases.push(c);
			const line = variants
				.map(
					(v) =>
						`${v} ${round(stats[v].ms.median, 0)} ms (${stats[v].calls} calls, ${stats[v].connections.median} new connections, cpu ${round(stats[v].cpuMs.median, 0)} ms, heap +${round(stats[v].heapMiB.median, 1)} MiB)`,
				)
				.join(', ');
			log(`  latency ${latencyMs} ms, ${contacts} contacts: ${line}`);
			log(
				`    node/fetch ${c.ratios.nodeOverFetch}x, helper/fetch ${c.ratios.helperOverFetch}x, node/helper ${c.ratios.nodeOverHelper}x, fetch500/fetch ${c.ratios.fetch500OverFetch}x; all outputs checked: the same ${contacts} ids in order`,
			);
		} finally {
			await sb.close();
		}
	}
	result.loadAverageAtEnd = os.loadavg().map((x) => round(x, 2));
	return result;
}

function median(values) {
	return summary(values).median;
}

module.exports = { hub, VARIANTS };

if (require.main === module) {
	const { option, profileDir } = cliOptions();
	exitWhenDone(
		hub({
			runs: Number(option('--runs', 3)),
			warmups: Number(option('--warmups', 1)),
			contacts: Number(option('--contacts', 10_000)),
			latencies: option('--latency', '0').split(',').map(Number),
			variants: option('--variants', VARIANTS.join(',')).split(','),
			profileDir,
			log: (line) => console.log(line),
		}),
		(result) => console.log(JSON.stringify(result.cases.map((c) => c.ratios))),
	);
}

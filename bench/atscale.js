'use strict';
/**
 * Benchmark 6, at scale (issue "At scale"): real n8n 2.41.1 (e2e/runtime/n8n-2), our node against
 * n8n's HTTP Request node doing the same calls, both at their defaults unless said, against the
 * stand-in in its own process. Same set-up as peer.js: our package from `npm pack` installed the
 * way n8n installs community packages, workflows through `n8n import:workflow` / `n8n execute --id`.
 * Timed: the execution time n8n records for the node that makes the calls. Rounds interleaved,
 * the order of the sides rotating each round; medians.
 *
 *  a. oauth:   N Get OAuth URL items (default 1,000) at a fixed latency (default 10 ms per call):
 *              one call to /elements/infusionsoftrest/oauth/url per item on every side.
 *              - ours:        Custom State `={{ $json.customer }}`: the very body the POST peer sends;
 *              - ours signed: the defaults (a signed state per item), Context `={{ $json.customer }}`:
 *                             the same call with a state of ~200 characters, plus an HMAC;
 *              - HTTP Request GET: GET with apiKey, apiSecret, callbackUrl and state (`$json.customer`)
 *                             as query parameters (the seed's form; ours never sends the secret in
 *                             a URL), Header Auth credential, no options (all items at once);
 *              - HTTP Request POST: Header Auth credential, JSON body as one expression with
 *                             `state: $json.customer`; no options (all items at once).
 *  b. pages:   P Get Many pages (default 100; --pages 1000 for the full run) of 200 contacts:
 *              K = ceil(P / 250) items, each Contact → Get Many, Return All, through one Keap REST
 *              instance holding 200 × P / K contacts (ours also reads the instance once for its
 *              token, memoised per execution), vs the HTTP Request node's own pagination
 *              (nextPage from the `elements-next-page-token` header, complete on the 404 of the
 *              empty page the last full page points at; the instance token in its Header Auth).
 *  d. records: Record (Any Object) → Get Many, Return All, object contacts, over R records of one
 *              Keap REST instance (default 10,000; 50 full pages of 200 and the empty page after;
 *              ours also reads the instance once and the object's metadata once), one item, vs the
 *              HTTP Request node's own pagination making the same listing calls (as in b).
 *  c. creates: C Create Instance items (default 1,000; --creates 10000 for the full run, ≥ 400 s
 *              per side at 25/s) against the stand-in behind a limit of 25 requests/s (429 with
 *              Retry-After: 1 above it; TEMPORARY: lib/limiter.js until the stand-in's own limiter
 *              is merged). Ours: "Max Requests per Second" 25 (branch `scale-node`; the option's
 *              name is BENCH_RATE_OPTION, default `maxRequestsPerSecond`; without that branch the
 *              node ignores it and is throttled, which shows). The HTTP Request node, set up by hand
 *              as an experienced user would: POST /instances (no look-up), Batching 25 items per
 *              1,000 ms, Retry On Fail (3 tries, 5 s apart), On Error: Continue (so that a throttled
 *              item is counted as failed instead of failing the whole run). Reported: completion
 *              time, failed items, instances created, calls per item, 429s, achieved rate / limit.
 *
 *   node --expose-gc bench/atscale.js [--only oauth,pages,records,creates] [--items 1000] [--runs 3]
 *        [--latency 10] [--pages 100] [--records 10000] [--creates 1000] [--rate 25]
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { startSandboxProcess, EXAMPLE } = require('./lib/sandbox');
const { startLimiter } = require('./lib/limiter');
const { cliOptions, exitWhenDone } = require('./lib/cli');
const { round, summary } = require('./lib/stats');
const { WORKLOADS } = require('./lib/workloads');
const { realN8n, FLAVOR } = require('./peer');
const demo = require('../e2e/lib/demo');
const {
	ceAuthorization,
	instanceConfiguration,
	standInCredentials,
} = require('../e2e/lib/credentials');

const SECTIONS = ['oauth', 'pages', 'records', 'creates'];
const RATE_OPTION = process.env.BENCH_RATE_OPTION || 'maxRequestsPerSecond';
const CREDENTIALS = {
	cloudElementsApi: { id: 'bench-ce', name: 'Bench account' },
	infusionsoftCrmOAuth2Api: { id: 'bench-app', name: 'Bench app' },
};
const HEADER = { httpHeaderAuth: { id: 'bench-header', name: 'Bench header' } };
const HUB_HEADER = { httpHeaderAuth: { id: 'bench-hub-header', name: 'Bench hub header' } };

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
const link = (to) => ({ node: to, type: 'main', index: 0 });

/** Manual Trigger → Rows (Set, raw JSON) → Split Out → `timed`: the same items for every side. */
function workflow(id, rows, timed) {
	const nodes = [
		node('Manual Trigger', 'n8n-nodes-base.manualTrigger', 1, {}),
		node('Rows', 'n8n-nodes-base.set', 3.4, {
			mode: 'raw',
			jsonOutput: JSON.stringify({ rows }),
			options: {},
		}),
		node('Split Out', 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: 'rows', options: {} }),
		{ ...timed, name: 'Timed' },
	];
	const connections = {
		'Manual Trigger': { main: [[link('Rows')]] },
		Rows: { main: [[link('Split Out')]] },
		'Split Out': { main: [[link('Timed')]] },
	};
	return { id, name: id, nodes, connections, settings: { executionOrder: 'v1' } };
}

const ours = (parameters, typeVersion = 2) =>
	node('Timed', demo.NODE_TYPE, typeVersion, parameters, { credentials: CREDENTIALS });
const http = (parameters, extra = {}) =>
	node(
		'Timed',
		'n8n-nodes-base.httpRequest',
		4.2,
		{ authentication: 'genericCredentialType', genericAuthType: 'httpHeaderAuth', ...parameters },
		{ credentials: HEADER, ...extra },
	);

function timing(run) {
	const tasks = run.data.resultData.runData.Timed ?? [];
	return {
		ms: tasks.reduce((sum, t) => sum + t.executionTime, 0),
		out: tasks.reduce((sum, t) => sum + (t.data?.main?.[0]?.length ?? 0), 0),
		items: tasks.flatMap((t) => t.data?.main?.[0] ?? []).map((i) => i.json),
		// A node that stopped the run has no output: every item it did not answer counts as failed.
		error: tasks.find((t) => t.error)?.error?.message ?? run.data.resultData.error?.message,
	};
}

/**
 * BENCH_N8N_PROFILE_DIR=<dir>: every n8n process writes a CPU profile into <dir>/<side>-run<n>/
 * (the largest file there is n8n's own process; read it with bench/lib/cpuprofile.js).
 */
function n8nProfileEnv(name) {
	const dir = process.env.BENCH_N8N_PROFILE_DIR;
	if (!dir) return {};
	return { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${path.resolve(dir, name)}` };
}

/** Runs every side `runs` times, in turns (the order rotates), checking each run; medians. */
async function interleaved({ e2e, userFolder, sides, runs, before, check, log }) {
	const samples = Object.fromEntries(sides.map((s) => [s.key, []]));
	for (let run = 0; run < runs; run++) {
		const shift = run % sides.length;
		for (const side of [...sides.slice(shift), ...sides.slice(0, shift)]) {
			await before?.(side);
			// 10,000 creates at 25/s take longer than the CLI's default 10 minutes.
			const result = await e2e.executeWorkflow(FLAVOR, userFolder, side.workflow.id, {
				allowFailure: true,
				timeoutMs: 60 * 60 * 1000,
				env: n8nProfileEnv(`${side.key}-run${run + 1}`),
			});
			const t = timing(result);
			const extra = await check(side, t, result);
			samples[side.key].push({ ms: t.ms, ...extra });
			log(
				`    run ${run + 1} ${side.key}: ${round(t.ms, 0)} ms${extra?.note ? `, ${extra.note}` : ''}`,
			);
		}
	}
	return Object.fromEntries(
		sides.map((s) => [
			s.key,
			{ label: s.label, ms: summary(samples[s.key].map((x) => x.ms)), samples: samples[s.key] },
		]),
	);
}

async function oauthSection({ e2e, userFolder, sb, items, runs, latencyMs, log }) {
	await sb.setLatency(latencyMs);
	const rows = Array.from({ length: items }, (_, i) => ({ customer: `customer-${i}` }));
	const jsonBody = `={{ JSON.stringify({ apiKey: ${JSON.stringify(EXAMPLE.clientId)}, apiSecret: ${JSON.stringify(EXAMPLE.clientSecret)}, callbackUrl: ${JSON.stringify(EXAMPLE.callbackUrl)}, state: $json.customer }) }}`;
	const sides = [
		{
			key: 'ours',
			label: 'ours, Custom State (same body as the peer)',
			workflow: workflow(
				'atscaleOauthOurs',
				rows,
				ours({ resource: 'oauth', operation: 'getOAuthUrl', state: '={{ $json.customer }}' }),
			),
		},
		{
			key: 'oursSigned',
			label: 'ours, defaults: signed state, Context expression',
			workflow: workflow(
				'atscaleOauthSigned',
				rows,
				ours({ resource: 'oauth', operation: 'getOAuthUrl', context: '={{ $json.customer }}' }),
			),
		},
		{
			key: 'httpGet',
			label: "HTTP Request node, defaults, GET with the four query parameters (the seed's form)",
			workflow: workflow(
				'atscaleOauthHttpGet',
				rows,
				http({
					method: 'GET',
					url: `${sb.apiRoot}/elements/infusionsoftrest/oauth/url`,
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
			),
		},
		{
			key: 'http',
			label: 'HTTP Request node, defaults, POST with a JSON body',
			workflow: workflow(
				'atscaleOauthHttp',
				rows,
				http({
					method: 'POST',
					url: `${sb.apiRoot}/elements/infusionsoftrest/oauth/url`,
					sendBody: true,
					specifyBody: 'json',
					jsonBody,
					options: {},
				}),
			),
		},
	];
	for (const s of sides) await e2e.importWorkflow(FLAVOR, userFolder, s.workflow);
	const result = await interleaved({
		e2e,
		userFolder,
		sides,
		runs,
		log,
		before: async () => await sb.reset(),
		check: async (side, t) => {
			const calls = (await sb.requests()).filter((r) => r.path.endsWith('/oauth/url')).length;
			if (t.out !== items || !t.items.every((j) => typeof j.oauthUrl === 'string'))
				throw new Error(`${side.key}: ${t.out} items, not ${items} OAuth URLs`);
			if (calls !== items) throw new Error(`${side.key}: ${calls} calls, not ${items}`);
			return { calls };
		},
	});
	const ratio = (k, peer = 'http') => round(result[k].ms.median / result[peer].ms.median, 3);
	const ms = (k) => round(result[k].ms.median, 0);
	log(
		`  a. ${items} Get OAuth URL items at ${latencyMs} ms: ours ${ms('ours')} ms, ours signed ${ms('oursSigned')} ms, HTTP Request GET ${ms('httpGet')} ms, POST ${ms('http')} ms → vs GET ${ratio('ours', 'httpGet')}x / ${ratio('oursSigned', 'httpGet')}x, vs POST ${ratio('ours')}x / ${ratio('oursSigned')}x`,
	);
	return {
		items,
		runs,
		latencyMs,
		sides: result,
		ratio: ratio('ours'),
		signedRatio: ratio('oursSigned'),
		getRatio: ratio('ours', 'httpGet'),
		signedGetRatio: ratio('oursSigned', 'httpGet'),
	};
}

/**
 * One Keap REST instance holding `contacts` contacts (set-up, not timed), and the Header Auth
 * credential the HTTP Request node reaches its hub with (its token in the header).
 */
async function benchInstance({ e2e, userFolder, sb, name, contacts }) {
	const [code] = await sb.issueCodes(1);
	const created = await (
		await fetch(`${sb.apiRoot}/instances`, {
			method: 'POST',
			headers: { Authorization: ceAuthorization(), 'Content-Type': 'application/json' },
			body: JSON.stringify({
				element: { key: 'infusionsoftrest' },
				providerData: { code },
				configuration: instanceConfiguration({ element: 'infusionsoftrest' }),
				name,
			}),
		})
	).json();
	const seed = Array.from({ length: contacts }, (_, i) => ({
		given_name: `First${i}`,
		family_name: 'Last',
		email_addresses: [{ email: `c${i}@example.com`, field: 'EMAIL1' }],
	}));
	for (let i = 0; i < seed.length; i += 5000)
		await sb.seedRecords(created.id, 'contacts', seed.slice(i, i + 5000));
	await e2e.importCredentials(FLAVOR, userFolder, [
		{
			...HUB_HEADER.httpHeaderAuth,
			type: 'httpHeaderAuth',
			data: { name: 'Authorization', value: `${ceAuthorization()}, Element ${created.token}` },
		},
	]);
	return created;
}

/** The HTTP Request node listing the contacts with its own pagination: nextPage from the header, until the 404. */
function httpPagination(sb) {
	const header = '={{ $response.headers["elements-next-page-token"] }}';
	return {
		...http({
			url: `${sb.apiRoot}/hubs/crm/contacts`,
			sendQuery: true,
			queryParameters: { parameters: [{ name: 'pageSize', value: '200' }] },
			options: {
				pagination: {
					pagination: {
						paginationMode: 'updateAParameterInEachRequest',
						parameters: { parameters: [{ type: 'qs', name: 'nextPage', value: header }] },
						paginationCompleteWhen: 'receiveSpecificStatusCodes',
						statusCodesWhenComplete: '404',
						limitPagesFetched: false,
					},
				},
			},
		}),
		credentials: HUB_HEADER,
	};
}

/** Counts each side's calls and checks it output every record once (the HTTP Request node adds the 404's body). */
function listingCheck(sb, expected) {
	let before = 0;
	return {
		before: async () => {
			before = (await sb.requests()).length;
		},
		check: async (side, t) => {
			const all = await sb.requests();
			const calls = all.length >= 10_000 ? NaN : all.length - before;
			// The HTTP Request node also outputs the body of the 404 that completes its pagination: one item per listing.
			const records = t.items.filter((j) => j.id !== undefined).length;
			if (records !== expected) throw new Error(`${side.key}: ${records} records, not ${expected}`);
			return {
				calls,
				extraItems: t.out - records,
				note: `${calls} calls, ${t.out - records} items more than the records`,
			};
		},
	};
}

async function pagesSection({ e2e, userFolder, sb, pages, runs, latencyMs, log }) {
	await sb.reset();
	await sb.setLatency(latencyMs);
	const items = Math.ceil(pages / 250);
	const perItem = Math.floor(pages / items);
	const contacts = 200 * perItem;
	const created = await benchInstance({ e2e, userFolder, sb, name: 'Bench pages', contacts });
	const rows = Array.from({ length: items }, (_, i) => ({ part: i }));
	const sides = [
		{
			key: 'ours',
			label: 'ours: Contact → Get Many, Return All, Instance By ID',
			workflow: workflow(
				'atscalePagesOurs',
				rows,
				ours({
					resource: 'contact',
					operation: 'getAll',
					instance: { __rl: true, mode: 'id', value: String(created.id) },
					returnAll: true,
				}),
			),
		},
		{
			key: 'http',
			label: 'HTTP Request node: its pagination (nextPage from the header, until the 404)',
			workflow: workflow('atscalePagesHttp', rows, httpPagination(sb)),
		},
	];
	for (const s of sides) await e2e.importWorkflow(FLAVOR, userFolder, s.workflow);
	const result = await interleaved({
		e2e,
		userFolder,
		sides,
		runs,
		log,
		...listingCheck(sb, items * contacts),
	});
	const ratio = round(result.ours.ms.median / result.http.ms.median, 3);
	log(
		`  b. ${items} × ${perItem + 1} pages (${contacts} contacts each) at ${latencyMs} ms: ours ${round(result.ours.ms.median, 0)} ms, HTTP Request ${round(result.http.ms.median, 0)} ms → ${ratio}x`,
	);
	return { pages, items, contactsPerItem: contacts, runs, latencyMs, sides: result, ratio };
}

async function recordsSection({ e2e, userFolder, sb, records, runs, latencyMs, log }) {
	await sb.reset();
	await sb.setLatency(latencyMs);
	const created = await benchInstance({
		e2e,
		userFolder,
		sb,
		name: 'Bench records',
		contacts: records,
	});
	const rows = [{ part: 0 }];
	const sides = [
		{
			key: 'ours',
			label: 'ours: Record (Any Object) → Get Many, object contacts, Return All, Instance By ID',
			workflow: workflow(
				'atscaleRecordsOurs',
				rows,
				ours({
					resource: 'record',
					operation: 'getAll',
					instance: { __rl: true, mode: 'id', value: String(created.id) },
					object: 'contacts',
					returnAll: true,
				}),
			),
		},
		{
			key: 'http',
			label: 'HTTP Request node: its pagination (nextPage from the header, until the 404)',
			workflow: workflow('atscaleRecordsHttp', rows, httpPagination(sb)),
		},
	];
	for (const s of sides) await e2e.importWorkflow(FLAVOR, userFolder, s.workflow);
	const result = await interleaved({
		e2e,
		userFolder,
		sides,
		runs,
		log,
		...listingCheck(sb, records),
	});
	const ratio = round(result.ours.ms.median / result.http.ms.median, 3);
	log(
		`  d. Record Get Many over ${records} records at ${latencyMs} ms: ours ${round(result.ours.ms.median, 0)} ms (${result.ours.samples[0].calls} calls), HTTP Request ${round(result.http.ms.median, 0)} ms (${result.http.samples[0].calls} calls) → ${ratio}x`,
	);
	return { records, runs, latencyMs, sides: result, ratio };
}

async function createsSection({ e2e, userFolder, sb, creates, runs, rate, log }) {
	await sb.setLatency(0);
	const limiter = await startLimiter({
		target: sb.url,
		apiPath: new URL(sb.apiRoot).pathname,
		perSecond: rate,
	});
	try {
		await e2e.importCredentials(
			FLAVOR,
			userFolder,
			standInCredentials(
				{ cloudElementsApi: { id: 'bench-ce-limited', name: 'Bench account (limited)' } },
				{ apiRoot: limiter.apiRoot },
			),
		);
		const limited = {
			...CREDENTIALS,
			cloudElementsApi: { id: 'bench-ce-limited', name: 'Bench account (limited)' },
		};
		const names = Array.from({ length: creates }, (_, i) => ({ name: `Bench ${i}` }));
		// Codes come from the control API (past the limiter): Issue Code, then the create.
		const withCode = (id, timed) => {
			const wf = workflow(id, names, timed);
			const issue = node('Issue Code', 'n8n-nodes-base.httpRequest', 4.2, {
				method: 'POST',
				url: `${sb.url}/__sandbox/codes`,
				sendBody: true,
				specifyBody: 'json',
				jsonBody: JSON.stringify({ clientId: EXAMPLE.clientId, callbackUrl: EXAMPLE.callbackUrl }),
				options: {},
			});
			const set = node('With Code', 'n8n-nodes-base.set', 3.4, {
				mode: 'manual',
				assignments: {
					assignments: [
						{ id: 'a1', name: 'code', value: '={{ $json.code }}', type: 'string' },
						{
							id: 'a2',
							name: 'name',
							value: "={{ $('Split Out').item.json.name }}",
							type: 'string',
						},
					],
				},
				options: {},
			});
			wf.nodes.splice(3, 0, issue, set);
			wf.connections['Split Out'] = { main: [[link('Issue Code')]] };
			wf.connections['Issue Code'] = { main: [[link('With Code')]] };
			wf.connections['With Code'] = { main: [[link('Timed')]] };
			return wf;
		};
		const body = `={{ JSON.stringify({ element: { key: 'infusionsoftcrm' }, providerData: { code: $json.code }, configuration: ${JSON.stringify(instanceConfiguration())}, tags: ['bench'], name: $json.name }) }}`;
		const sides = [
			{
				key: 'ours',
				label: `ours: Create Instance, ${RATE_OPTION} ${rate}`,
				workflow: withCode('atscaleCreatesOurs', {
					...ours(
						{
							...WORKLOADS.create.parameters(10),
							requestOptions: { concurrency: 10, [RATE_OPTION]: rate },
						},
						1,
					),
					credentials: limited,
				}),
			},
			{
				key: 'http',
				label: `HTTP Request node: POST /instances, Batching ${rate} per 1,000 ms, Retry On Fail (3 tries, 5 s), On Error: Continue`,
				workflow: withCode(
					'atscaleCreatesHttp',
					http(
						{
							method: 'POST',
							url: `${limiter.apiRoot}/instances`,
							sendBody: true,
							specifyBody: 'json',
							jsonBody: body,
							options: { batching: { batch: { batchSize: rate, batchInterval: 1000 } } },
						},
						{
							retryOnFail: true,
							maxTries: 3,
							waitBetweenTries: 5000,
							onError: 'continueRegularOutput',
						},
					),
				),
			},
		];
		for (const s of sides) await e2e.importWorkflow(FLAVOR, userFolder, s.workflow);
		const result = await interleaved({
			e2e,
			userFolder,
			sides,
			runs,
			log,
			before: async () => {
				await sb.reset();
				limiter.resetStats();
			},
			check: async (side, t) => {
				const st = limiter.stats();
				const instances = await sb.instanceCount();
				const failed =
					t.items.filter((j) => j.error !== undefined || typeof j.id !== 'number').length +
					(creates - t.items.length);
				const spanS = st.lastAt && st.firstAt ? (st.lastAt - st.firstAt) / 1000 : NaN;
				const achieved = st.passed / Math.max(spanS, t.ms / 1000);
				return {
					failed,
					instances,
					callsPerItem: round((st.passed + st.throttled) / creates, 3),
					throttled: st.throttled,
					passed: st.passed,
					achievedShare: round(achieved / rate, 3),
					note: `${failed} failed, ${instances} instances, ${st.passed} calls through + ${st.throttled} × 429, ${round((100 * achieved) / rate, 1)} % of ${rate}/s${t.error ? `; the run stopped: ${t.error.slice(0, 160)}` : ''}`,
				};
			},
		});
		log(
			`  c. ${creates} creates at ${rate}/s: ours ${round(result.ours.ms.median / 1000, 1)} s, HTTP Request ${round(result.http.ms.median / 1000, 1)} s`,
		);
		return {
			creates,
			rate,
			rateOption: RATE_OPTION,
			limiter:
				'bench/lib/limiter.js (at most the rate in any sliding second, 429 Retry-After 1 above)',
			runs,
			sides: result,
		};
	} finally {
		await limiter.close();
	}
}

async function atscale({
	only = SECTIONS,
	items = 1000,
	runs = 3,
	latencyMs = 10,
	pages = 100,
	records = 10000,
	creates = 1000,
	createsRuns = 1,
	rate = 25,
	log = console.log,
}) {
	const { e2e, n8nVersion, skipped } = realN8n();
	if (skipped) {
		log(`  skipped: ${skipped}`);
		return { skipped };
	}
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-atscale-'));
	// Codes are issued up front for every create: 10,000 at 25/s outlive the stand-in's default
	// 10-minute code lifetime (Keap's are minutes too; a real run takes each from its callback).
	const sb = await startSandboxProcess({ latencyMs, codeTtlMs: 60 * 60 * 1000 });
	try {
		const { tarball } = await demo.pack(work);
		const userFolder = e2e.makeUserFolder(path.join(work, 'user'));
		await e2e.installCommunityPackage(userFolder, tarball, FLAVOR);
		await e2e.importCredentials(FLAVOR, userFolder, [
			...standInCredentials(CREDENTIALS, { apiRoot: sb.apiRoot }),
			{
				...HEADER.httpHeaderAuth,
				type: 'httpHeaderAuth',
				data: { name: 'Authorization', value: ceAuthorization() },
			},
		]);
		const out = { n8nVersion };
		if (only.includes('oauth'))
			out.oauth = await oauthSection({ e2e, userFolder, sb, items, runs, latencyMs, log });
		if (only.includes('pages'))
			out.pages = await pagesSection({ e2e, userFolder, sb, pages, runs, latencyMs, log });
		if (only.includes('records'))
			out.records = await recordsSection({ e2e, userFolder, sb, records, runs, latencyMs, log });
		if (only.includes('creates'))
			out.creates = await createsSection({
				e2e,
				userFolder,
				sb,
				creates,
				runs: createsRuns,
				rate,
				log,
			});
		return out;
	} finally {
		await sb.close();
		fs.rmSync(work, { recursive: true, force: true });
	}
}

module.exports = { atscale, SECTIONS };

if (require.main === module) {
	const { option } = cliOptions();
	exitWhenDone(
		atscale({
			only: option('--only', SECTIONS.join(',')).split(','),
			items: Number(option('--items', 1000)),
			runs: Number(option('--runs', 3)),
			latencyMs: Number(option('--latency', 10)),
			pages: Number(option('--pages', 100)),
			records: Number(option('--records', 10000)),
			creates: Number(option('--creates', 1000)),
			createsRuns: Number(option('--creates-runs', 1)),
			rate: Number(option('--rate', 25)),
		}),
		(result) =>
			console.log(
				JSON.stringify(result, (k, v) => (k === 'samples' || k === 'runs' ? undefined : v), 2),
			),
	);
}

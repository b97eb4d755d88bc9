#!/usr/bin/env node
'use strict';
/**
 * Benchmarks: `npm run bench` (builds, then runs this), or
 *
 *   node --expose-gc bench/run.js [--only overhead,scaling,footprint,peer,hub,atscale | --all] [--runs 5]
 *                                  [--items 1000] [--contacts 10000] [--latency 0,20] [--scaling-latency 20]
 *                                  [--pages 100] [--creates 1000] [--full] [--quick]
 *
 * Without --only or --all it runs `atscale` alone (about 10 minutes); --all runs every section
 * (about 35 minutes); --full runs `atscale` at the sizes (1,000 pages, 10,000 creates:
 * more than 400 s per side for the creates alone).
 *
 * Prints the figures and markdown tables, and writes them with the machine to
 * bench/results.json. Nothing here fails on a timing: the targets are reported, met or missed.
 * (The hub benchmark does fail when a side reads other data or makes other calls than expected.)
 * A run of some sections only (--only) keeps the other sections of the results file as they
 * were, and records its own details under `sectionRuns`.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { machine, round, table } = require('./lib/stats');

const TARGETS = {
	overhead: 1.1,
	peer: 1.0,
};

const SECTIONS = ['overhead', 'scaling', 'footprint', 'peer', 'hub', 'atscale'];
const DEFAULT_SECTIONS = ['atscale'];

function parseArgs(argv) {
	const options = {
		only: DEFAULT_SECTIONS,
		runs: 5,
		pages: 100,
		creates: 1000,
		items: 1000,
		contacts: 10_000,
		latencies: [0, 20],
		scalingLatency: 20,
		quick: false,
		out: path.join(__dirname, 'results.json'),
	};
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].split('=', 2);
		const value = () => inline ?? argv[++i];
		if (flag === '--only') options.only = value().split(',');
		else if (flag === '--runs') options.runs = Number(value());
		else if (flag === '--items') options.items = Number(value());
		else if (flag === '--contacts') options.contacts = Number(value());
		else if (flag === '--latency') options.latencies = value().split(',').map(Number);
		else if (flag === '--scaling-latency') options.scalingLatency = Number(value());
		else if (flag === '--out') options.out = path.resolve(value());
		else if (flag === '--quick') options.quick = true;
		else if (flag === '--all') options.only = SECTIONS;
		else if (flag === '--pages') options.pages = Number(value());
		else if (flag === '--creates') options.creates = Number(value());
		else if (flag === '--full') Object.assign(options, { pages: 1000, creates: 10_000 });
		else if (flag === '--help' || flag === '-h') options.help = true;
		else throw new Error(`Unknown option ${flag}`);
	}
	if (options.quick)
		Object.assign(options, { runs: 2, items: 200, contacts: 2000, pages: 20, creates: 100 });
	const unknown = options.only.filter((s) => !SECTIONS.includes(s));
	if (unknown.length > 0)
		throw new Error(`Unknown section ${unknown.join(', ')} (sections: ${SECTIONS.join(', ')})`);
	return options;
}

function gitCommit() {
	try {
		const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
			cwd: __dirname,
			encoding: 'utf8',
		}).trim();
		const dirty = execFileSync(
			'git',
			['status', '--porcelain', '--', 'lib', 'nodes', 'credentials'],
			{ cwd: __dirname, encoding: 'utf8' },
		).trim();
		return dirty ? `${sha} (lib/, nodes/ or credentials/ modified)` : sha;
	} catch {
		return 'unknown';
	}
}

const ms = (s) => `${round(s.median, 0)}`;
const pct = (x) => `${round(x * 100, 1)}%`;
const met = (value, target) => (value <= target ? 'met' : 'missed');

function markdown(results) {
	const parts = [];
	if (results.overhead) {
		parts.push(
			'### Overhead (node through n8n-core WorkflowExecute vs the same calls with fetch)',
			'',
			table(
				[
					'workload',
					'items',
					'HTTP calls',
					'latency',
					'concurrency',
					'node ms',
					'workflow ms',
					'n8n helper ms',
					'fetch ms',
					'node/fetch',
					'helper/fetch',
					'node/helper',
					`target ≤ ${TARGETS.overhead}x`,
				],
				results.overhead.map((r) => [
					r.title,
					r.items,
					r.httpCalls,
					`${r.latencyMs} ms`,
					r.concurrency,
					ms(r.nodeMs),
					ms(r.workflowMs),
					ms(r.helperMs),
					ms(r.rawMs),
					`${r.ratio}x`,
					`${r.helperRatio}x`,
					`${r.nodeOverHelper}x`,
					met(r.ratio, TARGETS.overhead),
				]),
			).replace(/^/gm, '    '),
		);
	}
	if (results.scaling) {
		parts.push(
			'',
			`### Scaling (${results.scaling[0]?.latencyMs} ms per call)`,
			'',
			table(
				[
					'workload',
					'concurrency',
					'items',
					'node items/s',
					'bound items/s',
					'node of bound',
					'fetch items/s',
					'fetch of bound',
				],
				results.scaling.map((r) => [
					r.title,
					r.concurrency,
					r.items,
					r.itemsPerSecond.median,
					r.boundItemsPerSecond,
					pct(r.ofBound),
					r.fetchItemsPerSecond.median,
					pct(r.fetchOfBound),
				]),
			).replace(/^/gm, '    '),
		);
	}
	if (results.footprint) {
		const f = results.footprint;
		parts.push(
			'',
			'### Footprint',
			'',
			`    tarball: ${round(f.tarball.bytes / 1024, 1)} KiB packed, ${round(f.tarball.unpackedBytes / 1024, 1)} KiB unpacked, ${f.tarball.files} files`,
			`    installed as n8n does: ${round(f.install.bytes / 1024, 1)} KiB, ${f.install.files} files, dependencies: ${f.install.dependencies.length || 'none'}`,
			`    require + instantiate, ours (${f.requireMs.ours.files.length} files): ${f.requireMs.ours.median} ms`,
			f.requireMs.httpRequestNode
				? `    require + instantiate, n8n's HTTP Request node: ${f.requireMs.httpRequestNode.median} ms (ours/theirs ${f.ratio}x)`
				: '    (no HTTP Request node to compare with)',
		);
	}
	if (results.peer) {
		const p = results.peer;
		parts.push(
			'',
			`### Peer (real n8n ${p.n8nVersion}: our node vs the HTTP Request node, ${p.items} creates)`,
			'',
			table(
				['setting', 'our node ms', 'HTTP Request ms', 'ours/theirs', `target ≤ ${TARGETS.peer}x`],
				p.cases.map((c) => [
					c.label,
					ms(c.oursMs),
					ms(c.theirsMs),
					`${c.ratio}x`,
					c.compared ? met(c.ratio, TARGETS.peer) : 'n/a',
				]),
			).replace(/^/gm, '    '),
		);
	}
	if (results.hub) {
		const h = results.hub;
		const names = {
			node: 'node (engine)',
			helper: 'n8n helper',
			fetch: 'fetch',
			fetch500: 'fetch, pageSize 500',
		};
		parts.push(
			'',
			`### Hub: reading ${h.contacts} contacts (Contact → Get Many, Return All; pages of ${h.nodePageSize})`,
			'',
			table(
				[
					'latency',
					'side',
					'calls',
					'new connections',
					'ms',
					'ms / 1,000',
					'cpu ms',
					'heap MiB',
					'vs fetch',
				],
				h.cases.flatMap((c) =>
					Object.entries(c.variants).map(([v, r]) => [
						`${c.latencyMs} ms`,
						names[v] ?? v,
						r.calls,
						r.connections.median,
						ms(r.ms),
						r.msPer1000,
						ms(r.cpuMs),
						round(r.heapMiB.median, 1),
						`${round(r.ms.median / c.variants.fetch.ms.median, 2)}x`,
					]),
				),
			).replace(/^/gm, '    '),
		);
	}
	if (results.atscale && !results.atscale.skipped) {
		const a = results.atscale;
		const rows = [];
		const side = (section, name, key) => {
			const r = a[section]?.sides?.[key];
			if (r)
				rows.push([
					name,
					r.label,
					ms(r.ms),
					`${round(r.ms.median / a[section].sides.http.ms.median, 3)}x`,
				]);
		};
		if (a.oauth)
			['ours', 'oursSigned', 'http'].forEach((k) =>
				side('oauth', `a. ${a.oauth.items} Get OAuth URL, ${a.oauth.latencyMs} ms`, k),
			);
		if (a.pages)
			['ours', 'http'].forEach((k) =>
				side('pages', `b. ${a.pages.pages} Get Many pages, ${a.pages.latencyMs} ms`, k),
			);
		parts.push(
			'',
			`### At scale (real n8n ${a.n8nVersion}; medians)`,
			'',
			table(['case', 'side', 'ms', 'vs HTTP Request'], rows).replace(/^/gm, '    '),
		);
		if (a.creates) {
			parts.push(
				'',
				table(
					[
						'c. creates at 25/s',
						'side',
						's',
						'failed',
						'instances',
						'calls/item',
						'429s',
						'rate / limit',
					],
					Object.values(a.creates.sides).map((r) => {
						const x = r.samples[0];
						return [
							a.creates.creates,
							r.label,
							round(r.ms.median / 1000, 1),
							x.failed,
							x.instances,
							x.callsPerItem,
							x.throttled,
							`${round(100 * x.achievedShare, 1)}%`,
						];
					}),
				).replace(/^/gm, '    '),
			);
		}
	}
	return parts.join('\n');
}

/**
 * A run of every section writes the file anew. A run of some sections keeps the file's other
 * sections and its top-level details (they describe the run that made those), replaces the
 * sections it ran, and records its own details under `sectionRuns.<section>`.
 */
function merged(results, options) {
	const partial = SECTIONS.some((s) => !options.only.includes(s));
	if (!partial || !fs.existsSync(options.out)) return results;
	const previous = JSON.parse(fs.readFileSync(options.out, 'utf8'));
	const {
		when,
		commit,
		machine: m,
		loadAverageAtStart,
		loadAverageAtEnd,
		options: runOptions,
	} = results;
	const out = { ...previous, sectionRuns: { ...previous.sectionRuns } };
	for (const section of options.only) {
		out[section] = results[section];
		out.sectionRuns[section] = {
			when,
			commit,
			machine: m,
			loadAverageAtStart,
			loadAverageAtEnd,
			options: runOptions,
		};
	}
	return out;
}

const USAGE = `Usage: node --expose-gc bench/run.js [options]   (npm run bench builds first, then runs this)
  --only <list>           overhead,scaling,footprint,peer,hub,atscale (default: atscale); the
                          results file keeps the sections not run
  --all                   every section (about 35 minutes)
  --pages <n>             atscale b: Get Many pages (default 100)
  --creates <n>           atscale c: creates at 25 requests/s (default 1000)
  --full                  atscale at the issue's sizes: --pages 1000 --creates 10000
  --runs <n>              measured runs per case (default 5)
  --items <n>             items per run (default 1000)
  --contacts <n>          contacts the hub benchmark reads (default 10000)
  --latency <ms,...>      stand-in latencies for overhead, peer and hub (default 0,20)
  --scaling-latency <ms>  latency for scaling (default 20)
  --quick                 2 runs of 200 items (hub: 2,000 contacts): a smoke run
  --out <file>            where the results go (default bench/results.json)`;

async function main() {
	const options = parseArgs(process.argv.slice(2));
	if (options.help) {
		console.log(USAGE);
		return;
	}
	const log = (line) => console.log(line);
	const results = {
		when: new Date().toISOString(),
		commit: gitCommit(),
		machine: machine(),
		loadAverageAtStart: os.loadavg().map((x) => round(x, 2)),
		options: { ...options, out: undefined },
	};
	log(
		`Machine: ${results.machine.cpus} × ${results.machine.cpu}, Node ${results.machine.node}, n8n-core ${results.machine.n8nCore}; load average ${results.loadAverageAtStart.join(' ')}`,
	);
	if (typeof global.gc !== 'function')
		log('(run with --expose-gc to collect garbage between runs)');

	if (options.only.includes('overhead')) {
		log('\nOverhead');
		const { overhead, warmUp } = require('./overhead');
		await warmUp({ items: options.items, log });
		const cases = [];
		for (const latencyMs of options.latencies) {
			for (const workload of ['create', 'oauth'])
				cases.push({ workload, latencyMs, concurrency: 10 });
			if (latencyMs === 0) {
				for (const workload of ['create', 'oauth'])
					cases.push({ workload, latencyMs, concurrency: 1 });
				cases.push({ workload: 'oauthFixed', latencyMs, concurrency: 10 });
			}
		}
		results.overhead = await overhead({
			runs: options.runs,
			warmups: 1,
			items: options.items,
			cases,
			log,
		});
	}
	if (options.only.includes('scaling')) {
		log('\nScaling');
		const { scaling } = require('./scaling');
		results.scaling = await scaling({
			runs: Math.max(2, Math.min(options.runs, 3)),
			rounds: options.quick ? 10 : 40,
			latencyMs: options.scalingLatency,
			concurrencies: [1, 5, 10, 25],
			workloads: ['oauth', 'create'],
			log,
		});
	}
	if (options.only.includes('footprint')) {
		log('\nFootprint');
		const { footprint } = require('./footprint');
		results.footprint = await footprint({ runs: Math.max(5, options.runs * 2 - 1), log });
	}
	if (options.only.includes('peer')) {
		log('\nPeer (real n8n)');
		const { peer } = require('./peer');
		results.peer = await peer({ runs: Math.max(3, options.runs), items: options.items, log });
	}
	if (options.only.includes('hub')) {
		log(`\nHub (reading ${options.contacts} contacts)`);
		const { hub } = require('./hub');
		results.hub = await hub({
			runs: options.runs,
			warmups: 1,
			contacts: options.contacts,
			latencies: options.latencies,
			log,
		});
		const { parts } = require('./hub-parts');
		results.hub.parts = parts({ contacts: options.contacts, runs: 7 });
		const p = results.hub.parts;
		log(
			`  the node's own steps alone (ms per ${p.contacts}): JSON.parse with reviver ${p.parseWithReviverMs} (plain ${p.parsePlainMs}), withCommonFields ${p.withCommonFieldsMs} (Object.assign ${p.objectAssignMs}), Redactor.json ${p.redactJsonMs}`,
		);
	}
	if (options.only.includes('atscale')) {
		log(
			`\nAt scale (real n8n: ${options.items} Get OAuth URL items, ${options.pages} Get Many pages, ${options.creates} creates at 25/s)`,
		);
		const { atscale } = require('./atscale');
		results.atscale = await atscale({
			items: options.items,
			runs: Math.max(2, Math.min(options.runs, 3)),
			latencyMs: 10,
			pages: options.pages,
			creates: options.creates,
			log,
		});
	}
	results.loadAverageAtEnd = os.loadavg().map((x) => round(x, 2));

	const written = merged(results, options);
	const summary = markdown(written);
	log(`\n${summary}\n`);
	written.markdown = summary;
	fs.writeFileSync(options.out, `${JSON.stringify(written, null, 2)}\n`);
	log(`Written to ${path.relative(process.cwd(), options.out)}`);
}

main().then(
	() => process.exit(0),
	(error) => {
		console.error(error);
		process.exit(1);
	},
);

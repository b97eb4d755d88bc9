'use strict';
/**
 * Benchmark: the rate learned from 429s (issue 20, Must 1), simulated. N creates (default
 * 10,000) through the node's real door (dist/: CloudElementsTransport, its pacer, retries and
 * Retry-After) against a simulated platform limit on a virtual clock (test/support/rateSimulation.js):
 * no real sleeping, the same figures every run, a few seconds of CPU. Each call travels 40 ms
 * (two legs of 20 ms ± 10 ms, seeded; ± 30 and 60 ms for a loaded machine), Concurrency 10 unless said.
 *
 * Cases: at defaults (no Max Requests per Second) and with it set to the limit, against a
 * sliding-window limit (at most L accepted in any second, 429 Retry-After: 1 above it, as
 * bench/lib/limiter.js) and the stand-in's token bucket (sandbox/ratelimit.js), L = 25 and 10.
 * Reported: failed, calls per created instance (429s count), 429s, completion time, achieved
 * rate as a share of the limit (accepted calls / whole run time).
 *
 *   npm run build && node bench/adaptive.js [--creates 10000] [--concurrency 10]
 */
const path = require('node:path');

const { cliOptions, exitWhenDone } = require('./lib/cli');
const { round } = require('./lib/stats');
const { simulateCreates } = require('../test/support/rateSimulation');

const DIST = path.resolve(__dirname, '../dist');
const { CloudElementsTransport } = require(path.join(DIST, 'lib/platform/cloudElements.js'));
const { Redactor } = require(path.join(DIST, 'lib/security/redact.js'));

async function adaptive({ creates = 10_000, concurrency = 10, log = console.log }) {
	const cases = [];
	for (const perSecond of [25, 10]) {
		for (const kind of ['window', 'bucket']) {
			for (const maxRequestsPerSecond of [0, perSecond]) {
				cases.push({ kind, perSecond, maxRequestsPerSecond, jitterMs: 10 });
			}
		}
	}
	// A loaded machine's jitter: a sliding window then lets less through at a steady pace.
	for (const jitterMs of [30, 60]) {
		for (const maxRequestsPerSecond of [0, 25]) {
			cases.push({ kind: 'window', perSecond: 25, maxRequestsPerSecond, jitterMs });
		}
	}
	const rows = [];
	for (const { kind, perSecond, maxRequestsPerSecond, jitterMs } of cases) {
		const r = await simulateCreates({
			Transport: CloudElementsTransport,
			Redactor,
			limit: { kind, perSecond },
			items: creates,
			concurrency,
			maxRequestsPerSecond,
			jitterMs,
		});
		const row = {
			limit: `${kind} ${perSecond}/s`,
			jitter: `±${jitterMs} ms a leg`,
			maxRequestsPerSecond: maxRequestsPerSecond || 'not set',
			creates,
			failed: r.failed,
			callsPerCreated: round(r.callsPerCreated, 4),
			throttled: r.throttled,
			seconds: round(r.seconds, 1),
			shareOfLimit: round(r.achievedPerSecond / perSecond, 3),
		};
		rows.push(row);
		log(
			`  ${row.limit.padEnd(12)} ${row.jitter.padEnd(15)} Max Requests per Second ${String(row.maxRequestsPerSecond).padEnd(7)}: ` +
				`${row.failed} failed, ${row.callsPerCreated} calls per created instance (${row.throttled} × 429), ` +
				`${row.seconds} s, ${round(100 * row.shareOfLimit, 1)} % of the limit`,
		);
	}
	return { creates, concurrency, latency: '40 ms a call (2 legs of 20 ms ± jitter, seeded)', rows };
}

module.exports = { adaptive };

if (require.main === module) {
	const { option } = cliOptions();
	exitWhenDone(
		adaptive({
			creates: Number(option('--creates', 10_000)),
			concurrency: Number(option('--concurrency', 10)),
		}),
		(result) => console.log(JSON.stringify(result, null, 2)),
	);
}

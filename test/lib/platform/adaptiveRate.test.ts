/**
 * The rate learned from the platform's 429s (issue 20, Must 1), through the node's real door
 * (CloudElementsTransport: pacer, retries, Retry-After) against a simulated limit on a virtual
 * clock: the same schedule every run, no real sleeping. The figures at 10,000 creates are
 * printed by bench/adaptive.js; these runs are shorter.
 */
import { describe, expect, it } from '@jest/globals';

import { CloudElementsTransport } from '../../../lib/platform/cloudElements';
import { Redactor } from '../../../lib/security/redact';
import { type Limit, simulateCreates } from '../../support/rateSimulation';
import { peakPerSecond } from './peak';

const run = async (
	limit: Limit,
	items: number,
	options: { concurrency?: number; maxRequestsPerSecond?: number; latencyMs?: number } = {},
) =>
	await simulateCreates({ Transport: CloudElementsTransport, Redactor, limit, items, ...options });

/** Calls let through between `from` and `to` seconds into the run, per second. */
const rateBetween = (accepted: number[], from: number, to: number) =>
	accepted.filter((t) => t >= from * 1000 && t < to * 1000).length / (to - from);

describe('the rate learned from 429s, at defaults (no Max Requests per Second)', () => {
	it.each([
		['a sliding-window limit', 'window', 25],
		['a sliding-window limit', 'window', 10],
		['the stand-in’s token bucket', 'bucket', 25],
		['the stand-in’s token bucket', 'bucket', 10],
	] as const)(
		'converges to %s (%s) of %i a second: ≥ 90%% of it, ≤ 1.05 calls per created instance, none failed',
		async (_name, kind, perSecond) => {
			const result = await run({ kind, perSecond }, perSecond * 80);
			expect(result.failed).toBe(0);
			expect(result.created).toBe(perSecond * 80);
			expect(result.callsPerCreated).toBeLessThanOrEqual(1.05);
			expect(result.achievedPerSecond).toBeGreaterThanOrEqual(0.9 * perSecond);
			// After the first burst, the pace itself stays at or under the limit: 429s are rare probes.
			expect(result.throttled).toBeLessThanOrEqual(10 + result.seconds / 10);
		},
	);

	it('finds a limit that rises (10 → 25 a second after 60 s) within a minute', async () => {
		const result = await run(
			{ kind: 'window', perSecond: 10, changes: [{ atSeconds: 60, perSecond: 25 }] },
			3000,
		);
		expect(result.failed).toBe(0);
		expect(rateBetween(result.accepted, 30, 60)).toBeGreaterThanOrEqual(9);
		expect(rateBetween(result.accepted, 120, 170)).toBeGreaterThanOrEqual(0.9 * 25);
		expect(result.callsPerCreated).toBeLessThanOrEqual(1.05);
	});

	it('follows a limit that falls (25 → 10 a second after 60 s) at the cost of a few 429s', async () => {
		const result = await run(
			{ kind: 'window', perSecond: 25, changes: [{ atSeconds: 60, perSecond: 10 }] },
			2500,
		);
		expect(result.failed).toBe(0);
		expect(rateBetween(result.accepted, 80, 140)).toBeGreaterThanOrEqual(9);
		expect(result.throttled).toBeLessThanOrEqual(40);
	});

	it('concurrency 50 learns as concurrency 10 does: the first burst’s 429s count what it let through', async () => {
		const result = await run({ kind: 'window', perSecond: 25 }, 2000, { concurrency: 50 });
		expect(result.failed).toBe(0);
		expect(result.callsPerCreated).toBeLessThanOrEqual(1.05);
		expect(result.achievedPerSecond).toBeGreaterThanOrEqual(0.9 * 25);
	});

	it('where the items never reach the limit (concurrency 1, 200 ms a call), nothing is paced and no 429 comes', async () => {
		const result = await run({ kind: 'window', perSecond: 25 }, 200, {
			concurrency: 1,
			latencyMs: 200,
		});
		expect(result.throttled).toBe(0);
		expect(result.failed).toBe(0);
		// One call at a time, each ~200 ms: the items set the pace, not the pacer.
		expect(result.seconds).toBeLessThan(200 * 0.25);
	});
});

describe('the learned rate under Max Requests per Second', () => {
	it('set at the limit (25): ≤ 1.03 calls per created instance, ≥ 90% of the limit', async () => {
		const result = await run({ kind: 'window', perSecond: 25 }, 2000, {
			maxRequestsPerSecond: 25,
		});
		expect(result.failed).toBe(0);
		expect(result.callsPerCreated).toBeLessThanOrEqual(1.03);
		expect(result.achievedPerSecond).toBeGreaterThanOrEqual(0.9 * 25);
		expect(peakPerSecond(result.sent)).toBeLessThanOrEqual(25);
	});

	it('set above a limit that rises past it (10 → 50 a second): learns the 10, then probes no higher than the setting', async () => {
		const result = await run(
			{ kind: 'window', perSecond: 10, changes: [{ atSeconds: 40, perSecond: 50 }] },
			3000,
			{ maxRequestsPerSecond: 20, concurrency: 20 },
		);
		expect(result.failed).toBe(0);
		expect(rateBetween(result.accepted, 15, 40)).toBeGreaterThanOrEqual(9);
		expect(peakPerSecond(result.sent)).toBeLessThanOrEqual(20);
		expect(rateBetween(result.accepted, 100, 140)).toBeGreaterThanOrEqual(0.95 * 19.6);
		expect(result.callsPerCreated).toBeLessThanOrEqual(1.03);
	});

	it('set a little above the limit (27 against 25): learns the limit below the setting, ≤ 1.03 calls per created instance', async () => {
		const result = await run({ kind: 'window', perSecond: 25 }, 2000, {
			maxRequestsPerSecond: 27,
		});
		expect(result.failed).toBe(0);
		expect(result.callsPerCreated).toBeLessThanOrEqual(1.03);
		expect(result.achievedPerSecond).toBeGreaterThanOrEqual(0.9 * 25);
	});

	it('set below the limit: the setting is the pace, no 429 comes', async () => {
		const result = await run({ kind: 'window', perSecond: 25 }, 300, { maxRequestsPerSecond: 5 });
		expect(result.throttled).toBe(0);
		expect(peakPerSecond(result.sent)).toBeLessThanOrEqual(5);
	});
});

import { describe, expect, it } from '@jest/globals';

import { readRequestSettings, requestRateProblem } from '../../../lib/params/requestOptions';
import { CloudElementsTransport } from '../../../lib/platform/cloudElements';
import {
	type Clock,
	LONGEST_SLEEP_MS,
	REAL_CLOCK,
	RequestPacer,
} from '../../../lib/platform/pacer';
import { peakPerSecond } from './peak';

/** Virtual time: a sleep moves the clock on at once; every sleep asked for is kept in `slept`. */
function fakeClock(start = 1_000_000): Clock & { t: number; slept: number[] } {
	const clock = {
		t: start,
		slept: [] as number[],
		now: () => clock.t,
		sleep: async (ms: number) => {
			clock.slept.push(ms);
			await Promise.resolve();
			clock.t += ms;
		},
	};
	return clock;
}

/** A clock whose sleeps never end on their own: only a cancellation ends them. */
function stoppedClock(start = 1_000_000): Clock & { sleeping: Promise<void> } {
	let started!: () => void;
	const sleeping = new Promise<void>((resolve) => (started = resolve));
	return {
		sleeping,
		now: () => start,
		sleep: async (_ms, cancel) => {
			started();
			await new Promise<void>((resolve) =>
				cancel?.addEventListener('abort', () => resolve(), { once: true }),
			);
		},
	};
}

describe('RequestPacer', () => {
	it('spaces concurrent callers at least 1/rate apart: never more than the rate in any second', async () => {
		const clock = fakeClock();
		const pacer = new RequestPacer(7, clock);
		const times: number[] = [];
		await Promise.all(
			Array.from({ length: 50 }, async () => {
				await pacer.turn();
				times.push(clock.now());
			}),
		);
		expect(times).toHaveLength(50);
		const gaps = times.slice(1).map((t, i) => t - times[i]);
		expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1000 / 7);
		expect(peakPerSecond(times)).toBeLessThanOrEqual(7);
		// Smooth, not slower than needed: 50 calls take about 49 intervals.
		expect(times[49] - times[0]).toBeLessThan(49 * (1000 / 7 + 2));
	});

	it('a fractional rate is honoured (0.5 a second: one call every 2 s)', async () => {
		const clock = fakeClock();
		const pacer = new RequestPacer(0.5, clock);
		const times: number[] = [];
		for (let i = 0; i < 3; i++) {
			await pacer.turn();
			times.push(clock.now());
		}
		expect(times[1] - times[0]).toBeGreaterThanOrEqual(2000);
		expect(times[2] - times[1]).toBeGreaterThanOrEqual(2000);
	});

	it('without a rate, calls go at once', async () => {
		const clock = fakeClock();
		const pacer = new RequestPacer(0, clock);
		await Promise.all(Array.from({ length: 20 }, async () => await pacer.turn()));
		expect(clock.now()).toBe(1_000_000);
	});

	it('a Retry-After pause holds every caller, with or without a rate, then pacing goes on', async () => {
		for (const rate of [0, 10]) {
			const clock = fakeClock();
			const pacer = new RequestPacer(rate, clock);
			await pacer.turn();
			pacer.pause(3000);
			const times: number[] = [];
			await Promise.all(
				Array.from({ length: 5 }, async () => {
					await pacer.turn();
					times.push(clock.now());
				}),
			);
			expect(Math.min(...times)).toBeGreaterThanOrEqual(1_003_000);
			if (rate) expect(peakPerSecond(times)).toBeLessThanOrEqual(rate);
		}
	});

	it('a cancelled execution does not wait for its turns', async () => {
		const clock = fakeClock();
		const pacer = new RequestPacer(1, clock);
		await pacer.turn();
		const cancel = new AbortController();
		cancel.abort();
		await Promise.all(Array.from({ length: 10 }, async () => await pacer.turn(cancel.signal)));
		expect(clock.now()).toBe(1_000_000);
	});

	it('a slow rate is slept in bounded pieces (no timer overflows) and the turn still comes on time', async () => {
		const clock = fakeClock();
		const pacer = new RequestPacer(0.01, clock);
		await pacer.turn();
		await pacer.turn();
		expect(clock.now()).toBe(1_000_000 + 100_001);
		expect(Math.max(...clock.slept)).toBeLessThanOrEqual(LONGEST_SLEEP_MS);
		expect(clock.slept).toHaveLength(Math.ceil(100_001 / LONGEST_SLEEP_MS));
	});

	it('a long Retry-After pause is slept in bounded pieces too', async () => {
		const clock = fakeClock();
		const pacer = new RequestPacer(0, clock);
		pacer.pause(600_000);
		await pacer.turn();
		expect(clock.now()).toBe(1_600_000);
		expect(Math.max(...clock.slept)).toBeLessThanOrEqual(LONGEST_SLEEP_MS);
	});

	it('cancelled while waiting for its turn: the wait ends at once, and so do the turns queued behind it', async () => {
		const clock = stoppedClock();
		const pacer = new RequestPacer(0.01, clock);
		const cancel = new AbortController();
		await pacer.turn(cancel.signal);
		const queued = Array.from({ length: 3 }, async () => await pacer.turn(cancel.signal));
		await clock.sleeping;
		cancel.abort();
		await Promise.all(queued);
		expect(clock.now()).toBe(1_000_000);
	});

	it('where a sleep cannot be aborted, a cancellation is seen after one piece at most', async () => {
		const clock = fakeClock();
		const cancel = new AbortController();
		const sleep = clock.sleep;
		clock.sleep = async (ms) => {
			await sleep(ms);
			if (clock.slept.length === 3) cancel.abort();
		};
		const pacer = new RequestPacer(0.01, clock);
		await pacer.turn(cancel.signal);
		await pacer.turn(cancel.signal);
		expect(clock.slept).toHaveLength(3);
		expect(clock.now() - 1_000_000).toBeLessThanOrEqual(3 * LONGEST_SLEEP_MS);
	});

	it('the real clock: a cancelled sleep ends without waiting, however long it was asked to be', async () => {
		const before = new AbortController();
		before.abort();
		await REAL_CLOCK.sleep(2 ** 40, before.signal);
		const during = new AbortController();
		const sleeping = REAL_CLOCK.sleep(100_000, during.signal);
		during.abort();
		await sleeping;
	});

	it('a pause that comes while callers wait for their turn delays them too', async () => {
		const clock = fakeClock();
		const pacer = new RequestPacer(1, clock);
		await pacer.turn();
		const second = pacer.turn().then(() => clock.now());
		pacer.pause(5000);
		expect(await second).toBeGreaterThanOrEqual(1_005_000);
	});
});

describe('Max Requests per Second, as the node reads it', () => {
	const node = {
		id: '1',
		name: 'Infusionsoft CRM',
		type: 'infusionsoftCrm',
		typeVersion: 1,
		position: [0, 0] as [number, number],
		parameters: {},
	};
	const account = {
		apiRoot: 'https://platform.example/elements/api-v2',
		userSecret: 'u',
		organizationSecret: 'o',
	};
	const ctx = {
		getNode: () => node,
		logger: { debug: () => undefined },
		helpers: { httpRequest: async () => ({}) },
	};
	const transportWith = (value: unknown) =>
		new CloudElementsTransport(
			ctx as never,
			account,
			readRequestSettings({ maxRequestsPerSecond: value } as never).policy,
		);

	const refusal =
		'Request Options: "Max Requests per Second" must be 0 or empty (no limit) or a number of at least 0.01 (one call every 100 seconds)';

	it.each([
		[-1],
		[Number.NaN],
		['fast'],
		[Number.POSITIVE_INFINITY],
		[{}],
		[1e-7],
		[0.001],
		[0.0099],
		['1e-7'],
		[Number.MIN_VALUE],
	])('refuses %p with an error naming the option', (value) => {
		expect(() => transportWith(value)).toThrow(refusal);
	});

	it.each([[undefined], [''], [0], [0.01], ['0.01'], [2.5], ['10']])('accepts %p', (value) => {
		expect(() => transportWith(value)).not.toThrow();
	});

	it('the line is drawn at 0.01 exactly', () => {
		expect(requestRateProblem(0.01)).toBeUndefined();
		expect(requestRateProblem(0.009_999)).toBe(refusal);
	});
});

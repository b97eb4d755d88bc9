import { describe, expect, it } from '@jest/globals';

import { readRequestSettings } from '../../../nodes/InfusionsoftCrm/shared/requestOptions';
import { CloudElementsTransport } from '../../../nodes/InfusionsoftCrm/transport/cloudElements';
import { type Clock, RequestPacer } from '../../../nodes/InfusionsoftCrm/transport/pacer';
import { peakPerSecond } from './peak';

/** Virtual time: a sleep moves the clock on at once. */
function fakeClock(start = 1_000_000): Clock & { t: number } {
	const clock = {
		t: start,
		now: () => clock.t,
		sleep: async (ms: number) => {
			await Promise.resolve();
			clock.t += ms;
		},
	};
	return clock;
}

describe('RequestPacer', () => {
	it('spaces concurrent callers at least 1/rate apart: never more than the rate in any second', async () => {
		const clock = fakeClock();
		const pacer = new RequestPacer(7, clock);
		const times: number[] = [];
		await Promise.all(Array.from({ length: 50 }, async () => {
			await pacer.turn();
			times.push(clock.now());
		}));
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
			await Promise.all(Array.from({ length: 5 }, async () => {
				await pacer.turn();
				times.push(clock.now());
			}));
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
	const node = { id: '1', name: 'Infusionsoft CRM', type: 'infusionsoftCrm', typeVersion: 1, position: [0, 0] as [number, number], parameters: {} };
	const account = { apiRoot: 'https://platform.example/elements/api-v2', userSecret: 'u', organizationSecret: 'o' };
	const ctx = { getNode: () => node, logger: { debug: () => undefined }, helpers: { httpRequest: async () => ({}) } };
	const transportWith = (value: unknown) =>
		new CloudElementsTransport(ctx as never, account, readRequestSettings({ maxRequestsPerSecond: value } as never).policy);

	it.each([[-1], [Number.NaN], ['fast'], [Number.POSITIVE_INFINITY], [{}]])('refuses %p with an error naming the option', (value) => {
		expect(() => transportWith(value)).toThrow('Request Options: "Max Requests per Second" must be a number of 0 or more (0 or empty: no limit)');
	});

	it.each([[undefined], [''], [0], [2.5], ['10']])('accepts %p', (value) => {
		expect(() => transportWith(value)).not.toThrow();
	});
});

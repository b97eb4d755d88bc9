import { describe, expect, it } from '@jest/globals';

import { LearnedRate } from '../../../lib/platform/learnedRate';
import { RequestPacer } from '../../../lib/platform/pacer';

const T0 = 1_000_000;
const INFINITE = Number.POSITIVE_INFINITY;

/** `n` calls let through, sent evenly over the second before `at`. */
function letThrough(rate: LearnedRate, n: number, at: number): void {
	for (let i = 0; i < n; i++) rate.answered(at - 1000 + ((i + 1) * 1000) / n, at);
}

describe('LearnedRate', () => {
	it('is unknown (no pace) until the first 429', () => {
		const rate = new LearnedRate();
		letThrough(rate, 100, T0);
		expect(rate.known).toBe(false);
		expect(rate.perSecond(T0)).toBe(INFINITE);
	});

	it('unpaced, the calls let through in the second before a 429 are the knee: the pace drops to 97% of it and holds 40 s', () => {
		const rate = new LearnedRate();
		letThrough(rate, 25, T0);
		rate.throttled(T0, T0 + 40, INFINITE);
		expect(rate.perSecond(T0 + 40)).toBeCloseTo(0.97 * 25);
		expect(rate.perSecond(T0 + 40 + 40_000)).toBeCloseTo(0.97 * 25);
	});

	it('after the hold, probes above it, slowly at first (+2% after ~4.6 s), faster later (+150% after ~19.6 s)', () => {
		const rate = new LearnedRate();
		letThrough(rate, 10, T0);
		rate.throttled(T0, T0, INFINITE);
		const held = 0.97 * 10;
		expect(rate.perSecond(T0 + 44_600) / held).toBeCloseTo(1.02, 2);
		expect(rate.perSecond(T0 + 59_600) / held).toBeCloseTo(2.5, 1);
	});

	it('paced, the pace of the throttled call is the knee when the count agrees (a count over a second is off by one at low rates)', () => {
		const rate = new LearnedRate();
		letThrough(rate, 9, T0);
		rate.throttled(T0, T0, 10.2);
		expect(rate.perSecond(T0)).toBeCloseTo(0.97 * 10);
		const slow = new LearnedRate();
		letThrough(slow, 5, T0);
		// Paced at 40 but only 5 went: the items never kept up, the count is the measure.
		slow.throttled(T0, T0, 40);
		expect(slow.perSecond(T0)).toBeCloseTo(0.97 * 6);
	});

	it('a 429 to a call sent before the last drop drops nothing again (it may complete the count)', () => {
		const rate = new LearnedRate();
		letThrough(rate, 20, T0);
		rate.throttled(T0, T0 + 50, INFINITE);
		const after = rate.perSecond(T0 + 50);
		rate.throttled(T0 - 10, T0 + 60, INFINITE);
		rate.throttled(T0 + 20, T0 + 70, INFINITE);
		expect(rate.perSecond(T0 + 70)).toBeCloseTo(after);
		// A later 200 to a call of the knee's second: that second let more through than counted.
		rate.answered(T0 - 5, T0 + 80);
		expect(rate.perSecond(T0 + 80)).toBeCloseTo(0.97 * 21);
	});

	it('never learns less than one call a second', () => {
		const rate = new LearnedRate();
		rate.throttled(T0, T0, INFINITE);
		expect(rate.perSecond(T0)).toBeCloseTo(0.97);
	});
});

describe('RequestPacer with a learned rate', () => {
	const clockAt = (start: number) => {
		const clock = {
			t: start,
			now: () => clock.t,
			sleep: async (ms: number) => {
				await Promise.resolve();
				clock.t += ms;
			},
		};
		return clock;
	};

	it('paces at the learned rate; with Max Requests per Second, a 429 lowers the pace below it and the probe never passes it', async () => {
		for (const [ceiling, learned] of [
			[0, 0.97 * 25],
			[10, 0.97 * 10],
		]) {
			const clock = clockAt(T0);
			const pacer = new RequestPacer(ceiling, clock);
			for (let i = 0; i < 25; i++) {
				await pacer.turn();
				pacer.answered(clock.now());
			}
			await pacer.turn();
			pacer.throttled(clock.now());
			expect(pacer.perSecond()).toBeCloseTo(learned);
			const first = clock.now();
			for (let i = 0; i < 10; i++) await pacer.turn();
			const perSecond = (10 * 1000) / (clock.now() - first);
			expect(perSecond).toBeLessThanOrEqual(learned + 1e-9);
			expect(perSecond).toBeGreaterThan(0.95 * learned);
			// 80 s without a 429: the probe has passed the knee, the setting has not moved.
			clock.t += 80_000;
			if (ceiling) expect(pacer.perSecond()).toBe(ceiling);
			else expect(pacer.perSecond()).toBeGreaterThan(2 * 25);
		}
	});
});

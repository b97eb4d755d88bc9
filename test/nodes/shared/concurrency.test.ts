import fc from 'fast-check';

import { KeyedQueue, mapWithConcurrency } from '../../../nodes/InfusionsoftCrm/shared/concurrency';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('mapWithConcurrency', () => {
	it('keeps index order and never runs more than the limit at once', async () => {
		await fc.assert(
			fc.asyncProperty(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 12 }), async (count, limit) => {
				let running = 0;
				let peak = 0;
				const out = await mapWithConcurrency(count, limit, async (i) => {
					running++;
					peak = Math.max(peak, running);
					for (let k = 0; k < (i % 3) + 1; k++) await tick();
					running--;
					return i * 2;
				});
				expect(out).toEqual(Array.from({ length: count }, (_, i) => i * 2));
				expect(peak).toBeLessThanOrEqual(Math.min(limit, Math.max(count, 1)));
				if (count >= limit) expect(peak).toBe(limit);
			}),
			{ numRuns: 40 },
		);
	});

	it('stops starting tasks after a failure and throws the lowest failed index', async () => {
		const started: number[] = [];
		await expect(
			mapWithConcurrency(20, 3, async (i) => {
				started.push(i);
				await tick();
				if (i === 4 || i === 5) throw new Error(`fail ${i}`);
				return i;
			}),
		).rejects.toThrow('fail 4');
		expect(started.length).toBeLessThan(20);
	});
});

describe('KeyedQueue', () => {
	it('runs tasks with the same key one after another and other keys alongside', async () => {
		const queue = new KeyedQueue();
		const log: string[] = [];
		const task = (key: string, n: number) =>
			queue.run(key, async () => {
				log.push(`start ${key}${n}`);
				await tick();
				await tick();
				log.push(`end ${key}${n}`);
				return n;
			});
		const results = await Promise.all([task('a', 1), task('a', 2), task('b', 1)]);
		expect(results).toEqual([1, 2, 1]);
		expect(log.indexOf('end a1')).toBeLessThan(log.indexOf('start a2'));
		expect(log.indexOf('start b1')).toBeLessThan(log.indexOf('end a1'));
	});

	it('goes on after a failed task', async () => {
		const queue = new KeyedQueue();
		const first = queue.run('k', async () => {
			throw new Error('boom');
		});
		const second = queue.run('k', async () => 'ok');
		await expect(first).rejects.toThrow('boom');
		await expect(second).resolves.toBe('ok');
	});
});

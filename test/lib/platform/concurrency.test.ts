import fc from 'fast-check';

import { mapWithConcurrency } from '../../../lib/platform/concurrency';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('mapWithConcurrency', () => {
	it('keeps index order and never runs more than the limit at once', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.integer({ min: 0, max: 40 }),
				fc.integer({ min: 1, max: 12 }),
				async (count, limit) => {
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
				},
			),
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

describe('a task waiting outside its slot', () => {
	it('lets the next task start, and never more than the limit hold a slot', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.integer({ min: 1, max: 30 }),
				fc.integer({ min: 1, max: 6 }),
				async (count, limit) => {
					let holding = 0;
					let peak = 0;
					const log: string[] = [];
					let open!: () => void;
					const gate = new Promise<void>((resolve) => (open = resolve));
					const run = mapWithConcurrency(count, limit, async (i, slot) => {
						holding++;
						peak = Math.max(peak, holding);
						log.push(`start ${i}`);
						holding--;
						// Every task waits for the gate outside: all of them start although the limit is lower.
						await slot.outside(gate);
						holding++;
						peak = Math.max(peak, holding);
						await tick();
						log.push(`back ${i}`);
						holding--;
						return i;
					});
					while (log.length < count) await tick();
					expect(log).toEqual(Array.from({ length: count }, (_, i) => `start ${i}`));
					open();
					expect(await run).toEqual(Array.from({ length: count }, (_, i) => i));
					expect(peak).toBeLessThanOrEqual(limit);
				},
			),
			{ numRuns: 30 },
		);
	});

	it('a task coming back takes the next free slot before a task that has not started', async () => {
		const log: string[] = [];
		let release!: () => void;
		const released = new Promise<void>((resolve) => (release = resolve));
		await mapWithConcurrency(4, 1, async (i, slot) => {
			log.push(`start ${i}`);
			if (i === 0) await slot.outside(released);
			if (i === 1) release();
			for (let k = 0; k < 3; k++) await tick();
			log.push(`end ${i}`);
		});
		expect(log).toEqual([
			'start 0',
			'start 1',
			'end 1',
			'end 0',
			'start 2',
			'end 2',
			'start 3',
			'end 3',
		]);
	});

	it('whenIdle resolves once every task has ended or waits outside, not before', async () => {
		const events: string[] = [];
		let open!: () => void;
		const gate = new Promise<void>((resolve) => (open = resolve));
		const run = mapWithConcurrency(5, 2, async (i, slot) => {
			if (i === 0) {
				const idle = slot.whenIdle().then(() => {
					events.push('idle');
					open();
				});
				await slot.outside(Promise.all([idle, gate]));
			} else {
				for (let k = 0; k < i * 2; k++) await tick();
				events.push(`end ${i}`);
			}
		});
		await run;
		expect(events).toEqual(['end 1', 'end 2', 'end 3', 'end 4', 'idle']);
	});
});

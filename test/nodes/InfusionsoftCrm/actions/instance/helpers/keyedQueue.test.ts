import { KeyedQueue } from '../../../../../../nodes/InfusionsoftCrm/actions/instance/helpers/keyedQueue';

const tick = () => new Promise((resolve) => setImmediate(resolve));

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

describe('KeyedQueue with a wait of its own', () => {
	it('calls the wait only when a task with the same key is before it', async () => {
		const queue = new KeyedQueue();
		const waited: string[] = [];
		const wait = (key: string) => async (turn: Promise<void>) => {
			waited.push(key);
			await turn;
		};
		await Promise.all([
			queue.run('a', async () => tick(), wait('a1')),
			queue.run('a', async () => tick(), wait('a2')),
			queue.run('b', async () => tick(), wait('b1')),
		]);
		expect(waited).toEqual(['a2']);
	});
});

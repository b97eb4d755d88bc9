import { AsyncLocalStorage } from 'node:async_hooks';

import { jest } from '@jest/globals';

import { REAL_CLOCK } from '../../lib/platform/pacer';

export interface VirtualClock {
	/** The virtual time now. */
	now(): number;
	/**
	 * Every sleep the door asked for (pacer turns, backoff, Retry-After), in the order asked;
	 * `during`: the label of the `during` call it was asked in, if any.
	 */
	sleeps: Array<{ at: number; ms: number; during?: string }>;
	/** Runs `work` under a label, so that its sleeps can be told from those of runs going on at the same time. */
	during<T>(label: string, work: () => Promise<T>): Promise<T>;
}

interface Sleeper {
	wakeAt: number;
	order: number;
	wake: () => void;
}

/**
 * Makes the door's clock (`REAL_CLOCK`, which every transport reads: the pacer, the backoff
 * and Retry-After waits) virtual for runs through n8n's engine: no sleep waits in real time,
 * and what the code decided to wait is written down. Sleepers wake one per macrotask, the
 * earliest first, and time jumps to the wake-up time of each: the order of events is the one a
 * real clock would give, and a sleep never ends before its time. Time may jump while a request
 * is on its way (it then looks slow), never back. Undo with `jest.restoreAllMocks()`.
 */
export function useVirtualClock(start = 1_000_000): VirtualClock {
	let now = start;
	let order = 0;
	let waking = false;
	const sleeping: Sleeper[] = [];
	const sleeps: VirtualClock['sleeps'] = [];
	const labels = new AsyncLocalStorage<string>();

	const wakeNext = () => {
		waking = false;
		if (sleeping.length === 0) return;
		let next = 0;
		for (let i = 1; i < sleeping.length; i++) {
			const [a, b] = [sleeping[i], sleeping[next]];
			if (a.wakeAt < b.wakeAt || (a.wakeAt === b.wakeAt && a.order < b.order)) next = i;
		}
		const [sleeper] = sleeping.splice(next, 1);
		now = Math.max(now, sleeper.wakeAt);
		sleeper.wake();
		wakeLater();
	};
	// A later macrotask: whatever a woken sleeper does at once (microtasks) happens at its time.
	const wakeLater = () => {
		if (waking || sleeping.length === 0) return;
		waking = true;
		setImmediate(wakeNext);
	};

	jest.spyOn(REAL_CLOCK, 'now').mockImplementation(() => now);
	jest.spyOn(REAL_CLOCK, 'sleep').mockImplementation(
		async (ms, cancel) =>
			await new Promise<void>((resolve) => {
				const during = labels.getStore();
				sleeps.push({ at: now, ms, ...(during === undefined ? {} : { during }) });
				if (cancel?.aborted) return resolve();
				const sleeper: Sleeper = { wakeAt: now + ms, order: order++, wake: resolve };
				sleeping.push(sleeper);
				// As the real clock: a cancelled execution ends the sleep at once.
				cancel?.addEventListener(
					'abort',
					() => {
						const at = sleeping.indexOf(sleeper);
						if (at !== -1) sleeping.splice(at, 1);
						resolve();
					},
					{ once: true },
				);
				wakeLater();
			}),
	);
	return {
		now: () => now,
		sleeps,
		during: async (label, work) => await labels.run(label, work),
	};
}

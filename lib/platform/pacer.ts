import { sleep } from 'n8n-workflow';

/**
 * Time as the door sees it (the pacer's turns, the backoff and Retry-After waits): real by
 * default, a virtual one in tests. The real one's sleep is n8n's, so the node keeps no timer.
 */
export interface Clock {
	now(): number;
	/** Waits `ms`, or less once `cancel` fires; never rejects. */
	sleep(ms: number, cancel?: AbortSignal): Promise<void>;
}

export const REAL_CLOCK: Clock = {
	now: () => Date.now(),
	sleep: async (ms, cancel) => {
		try {
			await sleep(ms, cancel);
		} catch {
			// n8n's sleep rejects only when `cancel` fires: the turn then ends, the cancelled call stops.
		}
	},
};

/**
 * The longest single sleep: Node turns a timer over 2^31 - 1 ms into one of 1 ms, and a
 * cancelled execution is noticed between sleeps even where n8n's sleep cannot be aborted.
 */
export const LONGEST_SLEEP_MS = 1000;

/**
 * Timers may fire a little early or late and requests travel at slightly different speeds:
 * one more millisecond between calls keeps a 1-second window at the server within the limit.
 */
const SPACING_MARGIN_MS = 1;

/**
 * Spaces the calls of one execution (all its items, pages, retries) at least 1/rate apart,
 * in the order they asked, and holds them all while a throttle's Retry-After runs. Made per
 * execution by the transport: no state outlives the run or is shared between runs.
 */
export class RequestPacer {
	private readonly intervalMs: number;

	private lastAt = Number.NEGATIVE_INFINITY;

	private pausedUntil = Number.NEGATIVE_INFINITY;

	private queue: Promise<void> = Promise.resolve();

	private waiting = 0;

	/** `perSecond` 0 paces nothing; Retry-After pauses still apply. The transport refuses rates below 0.01. */
	constructor(
		perSecond: number,
		private readonly clock: Clock = REAL_CLOCK,
	) {
		this.intervalMs = perSecond > 0 ? 1000 / perSecond + SPACING_MARGIN_MS : 0;
	}

	/** Resolves when the next call may go; at once for a cancelled execution (its call then stops). */
	async turn(cancel?: AbortSignal): Promise<void> {
		if (this.intervalMs === 0 && this.waiting === 0 && this.pausedUntil <= this.clock.now()) return;
		this.waiting++;
		const mine = this.queue.then(async () => await this.wait(cancel));
		this.queue = mine;
		try {
			await mine;
		} finally {
			this.waiting--;
		}
	}

	/** The platform asked to wait (429 with Retry-After): no call of this execution goes before then. */
	pause(ms: number): void {
		this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + ms);
	}

	private async wait(cancel: AbortSignal | undefined): Promise<void> {
		for (;;) {
			if (cancel?.aborted) return;
			const now = this.clock.now();
			const at = Math.max(this.lastAt + this.intervalMs, this.pausedUntil);
			if (at <= now) {
				this.lastAt = now;
				return;
			}
			// Checked again after the sleep: a timer may fire early, and a pause may have come meanwhile.
			await this.clock.sleep(Math.min(at - now, LONGEST_SLEEP_MS), cancel);
		}
	}
}

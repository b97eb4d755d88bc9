import { sleep } from 'n8n-workflow';

import { LearnedRate } from './learnedRate';

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
 * in the order they asked, and holds them all while a throttle's Retry-After runs. The rate is
 * the one the platform allows, as learned from its 429s (LearnedRate), never above Max
 * Requests per Second when that is set. Made per execution by the transport: no state outlives
 * the run or is shared between runs.
 */
export class RequestPacer {
	/** Max Requests per Second; infinite when not set. */
	private readonly ceiling: number;

	private readonly learned = new LearnedRate();

	private lastAt = Number.NEGATIVE_INFINITY;

	private pausedUntil = Number.NEGATIVE_INFINITY;

	private queue: Promise<void> = Promise.resolve();

	private waiting = 0;

	/** `perSecond` 0: no ceiling (the learned rate and Retry-After pauses still apply). The transport refuses rates below 0.01. */
	constructor(
		perSecond: number,
		private readonly clock: Clock = REAL_CLOCK,
	) {
		this.ceiling = perSecond > 0 ? perSecond : Number.POSITIVE_INFINITY;
	}

	/** The calls a second allowed now: the ceiling or the learned rate, whichever is lower. */
	perSecond(): number {
		return Math.min(this.ceiling, this.learned.perSecond(this.clock.now()));
	}

	/** Resolves when the next call may go; at once for a cancelled execution (its call then stops). */
	async turn(cancel?: AbortSignal): Promise<void> {
		const unpaced = this.ceiling === Number.POSITIVE_INFINITY && !this.learned.known;
		if (unpaced && this.waiting === 0 && this.pausedUntil <= this.clock.now()) {
			this.lastAt = this.clock.now();
			return;
		}
		this.waiting++;
		const mine = this.queue.then(async () => await this.wait(cancel));
		this.queue = mine;
		try {
			await mine;
		} finally {
			this.waiting--;
		}
	}

	/** The platform asked to wait (429 with Retry-After, or no throttle left): no call of this execution goes before then. */
	pause(ms: number): void {
		this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + ms);
	}

	/** A call sent at `sentAt` (the time of its turn) was answered with anything but a 429. */
	answered(sentAt: number): void {
		this.learned.answered(sentAt, this.clock.now());
	}

	/** A call sent at `sentAt` was answered 429: the platform's rate is lower than this pace. */
	throttled(sentAt: number): void {
		const pace = Math.min(this.ceiling, this.learned.perSecond(sentAt));
		this.learned.throttled(sentAt, this.clock.now(), pace);
	}

	private async wait(cancel: AbortSignal | undefined): Promise<void> {
		for (;;) {
			if (cancel?.aborted) return;
			const now = this.clock.now();
			const intervalMs = Math.max(
				this.ceiling === Number.POSITIVE_INFINITY ? 0 : 1000 / this.ceiling + SPACING_MARGIN_MS,
				// Learned from the platform's own answers: no margin needed on top.
				1000 / this.learned.perSecond(now),
			);
			const at = Math.max(this.lastAt + intervalMs, this.pausedUntil);
			if (at <= now) {
				this.lastAt = now;
				return;
			}
			// Checked again after the sleep: a timer may fire early, and a pause or a throttle may have come meanwhile.
			await this.clock.sleep(Math.min(at - now, LONGEST_SLEEP_MS), cancel);
		}
	}
}

/**
 * Below the knee (the rate the platform let through when it last throttled) by enough to
 * clear the jitter of a network: a call that travels 10 ms faster than the one before still
 * finds a slot at 10 a second.
 */
const BACK_OFF = 0.97;

/**
 * Seconds the rate holds below the knee after a throttle before it probes above: every
 * throttle costs its Retry-After (a second in which nothing goes), so they should be rare.
 * Longer holds lose less to those seconds and find a risen limit later (40 s: ~2% of the
 * limit more than 20 s, in simulation with 10-60 ms of jitter per leg).
 */
const HOLD_S = 40;

/**
 * The probe's steepness (per second cubed, relative to the held rate): +2% after 4.6 s, +50%
 * after 13.6 s, +150% after 19.6 s: slow near the knee, quick to find a limit that has risen.
 */
const GROWTH = 0.0002;

/** The knee is counted over the last second, as the platform counts its limit. */
const WINDOW_MS = 1000;

/** A throttle right after a pause can count nearly nothing let through: never learn a rate below this. */
const LOWEST_KNEE = 1;

/**
 * The rate the platform allows, learned within one execution from its 429s (in the manner of
 * TCP CUBIC and the AWS SDKs' adaptive retry mode): unknown (no pace) until the first 429; at
 * each 429 the rate the platform let through becomes the knee and the rate drops to
 * BACK_OFF × knee, holds there HOLD_S seconds, then probes upward along a cubic (so a limit that
 * rises is found again). A 429 to a call sent before the last drop drops nothing again.
 */
export class LearnedRate {
	private knee: number | undefined;

	private droppedAt = Number.NEGATIVE_INFINITY;

	/** The throttled call the knee was measured at: when it was sent, at what pace. */
	private measuredAt: { sentAt: number; pace: number } | undefined;

	/** When the calls the platform let through were sent, for about the last two seconds. */
	private accepted: number[] = [];

	/** How many entries `accepted` may hold before the old ones are dropped (grows with the rate). */
	private room = 64;

	get known(): boolean {
		return this.knee !== undefined;
	}

	/** Calls a second allowed at `now`; infinite while no 429 has been seen. */
	perSecond(now: number): number {
		if (this.knee === undefined) return Number.POSITIVE_INFINITY;
		const t = Math.max(0, (now - this.droppedAt) / 1000 - HOLD_S);
		return BACK_OFF * this.knee * (1 + GROWTH * t * t * t);
	}

	/** The platform answered a call sent at `sentAt` with anything but a 429: it let it through. */
	answered(sentAt: number, now: number): void {
		this.accepted.push(sentAt);
		if (this.accepted.length > this.room) {
			this.forget(now);
			this.room = 2 * this.accepted.length + 64;
		}
		// A burst's 429s can come back before its 200s: those complete the count of the knee's second.
		const from = this.measuredAt;
		if (
			this.knee !== undefined &&
			from &&
			sentAt > from.sentAt - WINDOW_MS &&
			sentAt <= from.sentAt
		)
			this.knee = Math.max(this.knee, this.estimate(from.sentAt, from.pace));
	}

	/**
	 * The platform answered a call sent at `sentAt` with a 429; `pace`: the calls a second the
	 * pacer allowed then (infinite: none).
	 */
	throttled(sentAt: number, now: number, pace: number): void {
		this.forget(now);
		const knee = this.estimate(sentAt, pace);
		if (this.knee !== undefined && sentAt < this.droppedAt) {
			// Sent before the last drop: no new drop, but it may see more of that second's answers.
			this.knee = Math.max(this.knee, knee);
			return;
		}
		this.knee = knee;
		this.droppedAt = now;
		this.measuredAt = { sentAt, pace };
	}

	/**
	 * The rate the platform let through in the second before a throttled call. Unpaced, the burst
	 * filled the platform's second: what it let through is its limit. Paced, the pace is the
	 * finer measure (a count over one second is off by one either way at low rates), unless the
	 * items never kept up with it.
	 */
	private estimate(sentAt: number, pace: number): number {
		const letThrough = this.accepted.filter((t) => t > sentAt - WINDOW_MS && t <= sentAt).length;
		return Math.max(
			LOWEST_KNEE,
			pace === Number.POSITIVE_INFINITY ? letThrough : Math.min(pace, letThrough + 1),
		);
	}

	private forget(now: number): void {
		this.accepted = this.accepted.filter((t) => t > now - 2 * WINDOW_MS);
	}
}

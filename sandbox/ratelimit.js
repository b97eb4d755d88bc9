// @ts-check
'use strict';

/**
 * The rate limit of the platform API (and the hubs under it), for the scale work: off unless
 * asked for (`rateLimit: { perSecond: 25 }`, the control API or `--rate-limit`).
 *
 * A token bucket per account (the `User`/`Organization` pair of the Authorization header; a
 * request without one is limited under its raw header): it holds `burst` tokens (default
 * `perSecond`) and gains `perSecond` tokens a second. A request takes one token; without one it
 * is answered 429 with `Retry-After` (whole seconds, at least 1) and not acted on. A client that
 * sends evenly at `perSecond` never meets an empty bucket, whatever the jitter of its arrivals; a
 * burst of `burst` requests passes at once, so the most accepted in one second can reach
 * `burst + perSecond` (50 with the defaults) before the rate settles at `perSecond`.
 *
 * The counters (accepted, limited, the most accepted in any sliding one-second window) are kept
 * also while no limit is set, for every platform request of all accounts together.
 */

const { errorReply } = require('./routing');

/** @typedef {import('./consent').Reply} Reply */
/** @typedef {{ perSecond: number, burst?: number }} RateLimitOptions */

/**
 * @typedef {object} RateLimitStats
 * @property {number | null} perSecond  null: no limit
 * @property {number | null} burst
 * @property {number} accepted  platform requests let through since `since`
 * @property {number} limited  answered 429 since `since`
 * @property {number} peakPerSecond  the most requests accepted within any one second (a sliding window)
 * @property {string} since  ISO date the counters started (startSandbox, setRateLimit, reset)
 */

/**
 * @typedef {object} RateLimiter
 * @property {number | null} perSecond
 * @property {number | null} burst
 * @property {Map<string, { tokens: number, at: number }>} buckets  per account
 * @property {number} accepted
 * @property {number} limited
 * @property {number} peak
 * @property {number[]} window  arrival times (ms) of the accepted requests of the last second, oldest first
 * @property {number} windowStart  index of the oldest one still in the window
 * @property {number} since
 */

const WINDOW_MS = 1000;

/** @param {RateLimitOptions | null | undefined} options @returns {RateLimiter} */
function createRateLimiter(options) {
	const { perSecond, burst } = readRateLimit(options);
	return {
		perSecond,
		burst,
		buckets: new Map(),
		accepted: 0,
		limited: 0,
		peak: 0,
		window: [],
		windowStart: 0,
		since: Date.now(),
	};
}

/**
 * Checks a limit: `{ perSecond > 0, burst? >= 1 }`, or null / undefined for none.
 * @param {unknown} options @returns {{ perSecond: number | null, burst: number | null }}
 */
function readRateLimit(options) {
	if (options === null || options === undefined) return { perSecond: null, burst: null };
	if (typeof options !== 'object' || Array.isArray(options))
		throw new TypeError('rateLimit must be { perSecond, burst? } or null');
	const { perSecond, burst, ...rest } = /** @type {Record<string, unknown>} */ (options);
	const unknown = Object.keys(rest);
	if (unknown.length > 0)
		throw new TypeError(
			`rateLimit: unknown field ${unknown.join(', ')} (it takes perSecond and burst)`,
		);
	if (perSecond === null || perSecond === undefined) return { perSecond: null, burst: null };
	if (typeof perSecond !== 'number' || !Number.isFinite(perSecond) || perSecond <= 0) {
		throw new TypeError('rateLimit.perSecond must be a number > 0 (or null for no limit)');
	}
	if (burst !== undefined && (typeof burst !== 'number' || !Number.isFinite(burst) || burst < 1)) {
		throw new TypeError('rateLimit.burst must be a number >= 1');
	}
	return { perSecond, burst: burst ?? perSecond };
}

/** A new limit (or none); the buckets and the counters start over. @param {RateLimiter} limiter @param {unknown} options */
function setRateLimit(limiter, options) {
	Object.assign(limiter, createRateLimiter(/** @type {RateLimitOptions | null} */ (options)));
}

/** reset(): the same limit, full buckets, counters from zero. @param {RateLimiter} limiter */
function resetRateLimit(limiter) {
	setRateLimit(
		limiter,
		limiter.perSecond === null
			? null
			: { perSecond: limiter.perSecond, burst: limiter.burst ?? undefined },
	);
}

/** @param {string | undefined} authorization */
function accountKey(authorization) {
	const header = authorization ?? '';
	const user = /(?:^|,)\s*User\s+(\S+)/i.exec(header)?.[1];
	const organization = /(?:^|,)\s*Organization\s+(\S+)/i.exec(header)?.[1];
	return user && organization ? `${user}\n${organization}` : `raw:${header}`;
}

/**
 * Takes a token for one platform request arriving now: undefined when it may go on, else the
 * 429 to answer (the request is then not acted on).
 * @param {RateLimiter} limiter @param {string | undefined} authorization @param {number} [now] @returns {Reply | undefined}
 */
function admit(limiter, authorization, now = Date.now()) {
	if (limiter.perSecond !== null && limiter.burst !== null) {
		const key = accountKey(authorization);
		const bucket = limiter.buckets.get(key) ?? { tokens: limiter.burst, at: now };
		bucket.tokens = Math.min(
			limiter.burst,
			bucket.tokens + ((now - bucket.at) / 1000) * limiter.perSecond,
		);
		bucket.at = now;
		limiter.buckets.set(key, bucket);
		if (bucket.tokens < 1) {
			limiter.limited += 1;
			const waitMs = ((1 - bucket.tokens) / limiter.perSecond) * 1000;
			const retryAfter = Math.max(1, Math.ceil(waitMs / 1000));
			return errorReply(
				429,
				`Rate limit exceeded: at most ${limiter.perSecond} requests a second for this account; retry after ${retryAfter} s`,
				{},
				{ 'retry-after': String(retryAfter) },
			);
		}
		bucket.tokens -= 1;
	}
	count(limiter, now);
	return undefined;
}

/** Counts an accepted request and the busiest second so far. @param {RateLimiter} limiter @param {number} now */
function count(limiter, now) {
	limiter.accepted += 1;
	const { window } = limiter;
	window.push(now);
	while (window[limiter.windowStart] <= now - WINDOW_MS) limiter.windowStart += 1;
	if (limiter.windowStart > 4096) {
		window.splice(0, limiter.windowStart);
		limiter.windowStart = 0;
	}
	limiter.peak = Math.max(limiter.peak, window.length - limiter.windowStart);
}

/** @param {RateLimiter} limiter @returns {RateLimitStats} */
function rateLimitStats(limiter) {
	return {
		perSecond: limiter.perSecond,
		burst: limiter.burst,
		accepted: limiter.accepted,
		limited: limiter.limited,
		peakPerSecond: limiter.peak,
		since: new Date(limiter.since).toISOString(),
	};
}

module.exports = {
	createRateLimiter,
	readRateLimit,
	setRateLimit,
	resetRateLimit,
	admit,
	rateLimitStats,
};

// @ts-check
'use strict';
/**
 * Creates through the node's real door (CloudElementsTransport: its pacer, retries and
 * Retry-After) against a simulated platform limit, on a virtual clock: no real sleeping, the
 * same schedule every run. The platform's answers travel with a latency that varies by a
 * seeded pseudo-random amount, so a pace right at the limit meets the jitter a real network gives.
 *
 * Used by the tests (with lib/ as TypeScript) and by bench/adaptive.js (with dist/). The door is
 * passed in, so both drive the same code.
 *
 * Limits: `window` (at most perSecond accepted in any sliding second, 429 Retry-After: 1 above,
 * as bench/lib/limiter.js) or `bucket` (the stand-in's token bucket, sandbox/ratelimit.js).
 * `changes` raise or lower the limit at given seconds into the run.
 */
const { admit, createRateLimiter } = require('../../sandbox/ratelimit');

/** @typedef {{ kind: 'window' | 'bucket', perSecond: number, changes?: Array<{ atSeconds: number, perSecond: number }> }} Limit */

/** A clock whose sleepers wake in order of their wake-up time, one per macrotask; time jumps to each. */
function virtualClock(start = 1_000_000) {
	let now = start;
	let order = 0;
	let waking = false;
	/** @type {Array<{ wakeAt: number, order: number, wake: () => void }>} */
	const sleeping = [];
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
	const wakeLater = () => {
		if (waking || sleeping.length === 0) return;
		waking = true;
		setImmediate(wakeNext);
	};
	return {
		now: () => now,
		/** @param {number} ms @param {AbortSignal} [cancel] @returns {Promise<void>} */
		sleep: (ms, cancel) =>
			new Promise((resolve) => {
				if (cancel?.aborted) return resolve();
				sleeping.push({ wakeAt: now + ms, order: order++, wake: resolve });
				wakeLater();
			}),
	};
}

/** A seeded generator of numbers in [0, 1): the same jitter every run. */
function seeded(seed = 42) {
	let s = seed >>> 0;
	return () => {
		s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
		return s / 2 ** 32;
	};
}

/** @param {Limit} limit */
function simulatedLimit(limit) {
	let perSecond = limit.perSecond;
	let bucket = createRateLimiter({ perSecond });
	/** @type {number[]} */
	let window = [];
	return {
		/** @param {number} now @param {number} elapsedMs @returns {string | undefined} a Retry-After when refused */
		admit(now, elapsedMs) {
			const change = (limit.changes ?? []).filter((c) => c.atSeconds * 1000 <= elapsedMs).at(-1);
			if (change && change.perSecond !== perSecond) {
				perSecond = change.perSecond;
				bucket = createRateLimiter({ perSecond });
				window = [];
			}
			if (limit.kind === 'bucket') {
				const refused = admit(bucket, 'User u, Organization o', now);
				return refused ? String(refused.headers?.['retry-after'] ?? 1) : undefined;
			}
			window = window.filter((t) => now - t < 1000);
			if (window.length >= perSecond) return '1';
			window.push(now);
			return undefined;
		},
	};
}

/**
 * @param {object} o
 * @param {any} o.Transport  CloudElementsTransport, from lib/ or dist/
 * @param {any} o.Redactor
 * @param {Limit} o.limit
 * @param {number} o.items  creates to send
 * @param {number} [o.concurrency]  items under way at once, as the node's Concurrency option
 * @param {number} [o.maxRequestsPerSecond]  0: not set
 * @param {number} [o.latencyMs]  the mean time of one call, there and back
 * @param {number} [o.jitterMs]  each leg varies by up to this much either way
 */
async function simulateCreates({
	Transport,
	Redactor,
	limit,
	items,
	concurrency = 10,
	maxRequestsPerSecond = 0,
	latencyMs = 40,
	jitterMs = 10,
}) {
	const clock = virtualClock();
	const start = clock.now();
	const random = seeded();
	const server = simulatedLimit(limit);
	/** Server-side arrival times of the calls let through; client-side send times of every call. */
	const accepted = [];
	const sent = [];
	let throttled = 0;
	const leg = () => Math.max(0, latencyMs / 2 + (random() * 2 - 1) * jitterMs);
	const ctx = {
		getNode: () => ({
			name: 'Infusionsoft CRM',
			type: 'infusionsoftCrm',
			typeVersion: 1,
			parameters: {},
		}),
		logger: { debug: () => undefined },
		helpers: {
			httpRequest: async () => {
				sent.push(clock.now());
				await clock.sleep(leg());
				const now = clock.now();
				const retryAfter = server.admit(now, now - start);
				await clock.sleep(leg());
				if (retryAfter !== undefined) {
					throttled++;
					return {
						statusCode: 429,
						headers: { 'retry-after': retryAfter },
						body: '{"message":"Too many requests"}',
					};
				}
				accepted.push(now);
				return { statusCode: 200, headers: {}, body: `{"id":${accepted.length}}` };
			},
		},
	};
	const transport = new Transport(
		ctx,
		{
			apiRoot: 'https://platform.example/elements/api-v2',
			userSecret: 'user-secret-1',
			organizationSecret: 'org-secret-1',
			eventSignatureKey: '',
		},
		{ maxRetries: 4, maxWaitMs: 60_000, timeoutMs: 30_000, maxRequestsPerSecond },
		clock,
	);
	let next = 0;
	let created = 0;
	let failed = 0;
	const worker = async () => {
		while (next < items) {
			const index = next++;
			const door = transport.forItem(index, new Redactor([]));
			await door.sendOnce({ method: 'POST', path: '/instances', body: { name: `n${index}` } }).then(
				() => created++,
				() => failed++,
			);
		}
	};
	await Promise.all(Array.from({ length: concurrency }, worker));
	const seconds = (clock.now() - start) / 1000;
	const calls = accepted.length + throttled;
	return {
		items,
		created,
		failed,
		calls,
		throttled,
		callsPerCreated: calls / Math.max(1, created),
		seconds,
		/** Accepted calls a second over the whole run. */
		achievedPerSecond: accepted.length / seconds,
		/** Client-side send times and server-side arrival times of accepted calls, relative to the start (ms). */
		sent: sent.map((t) => t - start),
		accepted: accepted.map((t) => t - start),
	};
}

module.exports = { simulateCreates, virtualClock };

// @ts-check
'use strict';

/**
 * Keap's quota and throttle headers on hub answers, as Keap documents them ("API Token Quota and
 * Usage Measurements"): off unless asked for (`keapQuota: {}` at start, `setKeapQuota`, or
 * POST /__sandbox/keap-quota). Whether the real platform passes Keap's headers through is not
 * documented; this plays the case where it does.
 *
 * The whole stand-in is one OAuth app: a throttle over a rolling minute (`throttleLimit`,
 * default 1,500) and a quota per UTC day (`quotaLimit`, default 150,000), for every instance
 * together (`x-keap-product-*`); and a throttle per instance over a rolling minute
 * (`tenantThrottleLimit`, default 10,000: `x-keap-tenant-*`). A hub call with nothing left is
 * answered 429 with Retry-After (whole seconds until a call is free again) and not acted on; a
 * call let through carries what is left after it (available 0 on the last one).
 */

const { errorReply } = require('./routing');

/** @typedef {import('./consent').Reply} Reply */
/** @typedef {{ throttleLimit?: number, quotaLimit?: number, tenantThrottleLimit?: number }} KeapQuotaOptions */

/**
 * @typedef {object} KeapQuota
 * @property {Required<KeapQuotaOptions> | null} limits  null: no headers, no Keap limits
 * @property {number[]} minute  when the app's calls of the last minute were let through
 * @property {Map<string, number[]>} tenants  the same per instance (its Authorization)
 * @property {{ day: number, used: number }} quota  calls let through on the UTC day `day`
 */

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** @param {unknown} options @returns {Required<KeapQuotaOptions> | null} */
function readKeapQuota(options) {
	if (options === null || options === undefined) return null;
	if (typeof options !== 'object' || Array.isArray(options))
		throw new TypeError(
			'keapQuota must be { throttleLimit?, quotaLimit?, tenantThrottleLimit? } or null',
		);
	const {
		throttleLimit = 1500,
		quotaLimit = 150_000,
		tenantThrottleLimit = 10_000,
		...rest
	} = /** @type {Record<string, unknown>} */ (options);
	if (Object.keys(rest).length > 0)
		throw new TypeError(`keapQuota: unknown field ${Object.keys(rest).join(', ')}`);
	for (const [name, value] of Object.entries({ throttleLimit, quotaLimit, tenantThrottleLimit })) {
		if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
			throw new TypeError(`keapQuota.${name} must be a whole number >= 1`);
	}
	return /** @type {Required<KeapQuotaOptions>} */ ({
		throttleLimit,
		quotaLimit,
		tenantThrottleLimit,
	});
}

/** @param {unknown} options @returns {KeapQuota} */
function createKeapQuota(options) {
	return {
		limits: readKeapQuota(options),
		minute: [],
		tenants: new Map(),
		quota: { day: 0, used: 0 },
	};
}

/** New limits (or none); the counters start over. @param {KeapQuota} keap @param {unknown} options */
function setKeapQuota(keap, options) {
	Object.assign(keap, createKeapQuota(options));
}

/** The same limits, counters from zero. @param {KeapQuota} keap */
function resetKeapQuota(keap) {
	setKeapQuota(keap, keap.limits);
}

/** @param {number[]} calls @param {number} now */
const lastMinute = (calls, now) => calls.filter((t) => t > now - MINUTE_MS);

/**
 * One hub call arriving now: the 429 to answer when nothing is left (the call is then not acted
 * on), else the headers for its answer. Undefined while the headers are off.
 * @param {KeapQuota} keap @param {string | undefined} authorization @param {number} [now]
 * @returns {{ refused?: Reply, headers: Record<string, string> } | undefined}
 */
function takeKeapCall(keap, authorization, now = Date.now()) {
	const { limits } = keap;
	if (!limits) return undefined;
	const tenantKey = /Element\s+([^,\s]+)/i.exec(authorization ?? '')?.[1] ?? '';
	keap.minute = lastMinute(keap.minute, now);
	const tenant = lastMinute(keap.tenants.get(tenantKey) ?? [], now);
	const day = Math.floor(now / DAY_MS);
	if (keap.quota.day !== day) keap.quota = { day, used: 0 };
	/** @type {number[]} when a call is free again, for each limit that has none left */
	const freeAt = [];
	if (keap.minute.length >= limits.throttleLimit) freeAt.push(keap.minute[0] + MINUTE_MS);
	if (tenant.length >= limits.tenantThrottleLimit) freeAt.push(tenant[0] + MINUTE_MS);
	if (keap.quota.used >= limits.quotaLimit) freeAt.push((day + 1) * DAY_MS);
	if (freeAt.length === 0) {
		keap.minute.push(now);
		tenant.push(now);
		keap.quota.used += 1;
	}
	keap.tenants.set(tenantKey, tenant);
	const headers = {
		'x-keap-product-throttle-limit': String(limits.throttleLimit),
		'x-keap-product-throttle-time-unit': 'minute',
		'x-keap-product-throttle-interval': '1',
		'x-keap-product-throttle-available': String(limits.throttleLimit - keap.minute.length),
		'x-keap-product-throttle-used': String(keap.minute.length),
		'x-keap-product-quota-limit': String(limits.quotaLimit),
		'x-keap-product-quota-time-unit': 'day',
		'x-keap-product-quota-interval': '1',
		'x-keap-product-quota-available': String(limits.quotaLimit - keap.quota.used),
		'x-keap-product-quota-used': String(keap.quota.used),
		'x-keap-product-quota-expiry-time': String((day + 1) * DAY_MS),
		'x-keap-tenant-throttle-limit': String(limits.tenantThrottleLimit),
		'x-keap-tenant-throttle-time-unit': 'minute',
		'x-keap-tenant-throttle-interval': '1',
		'x-keap-tenant-throttle-available': String(limits.tenantThrottleLimit - tenant.length),
		'x-keap-tenant-throttle-used': String(tenant.length),
	};
	if (freeAt.length === 0) return { headers };
	const retryAfter = Math.max(1, Math.ceil((Math.max(...freeAt) - now) / 1000));
	return {
		headers,
		refused: errorReply(
			429,
			'Rate limit quota violation. Quota limit exceeded.',
			{ providerMessage: 'policies.ratelimit.QuotaViolation' },
			{ ...headers, 'retry-after': String(retryAfter) },
		),
	};
}

/** @param {KeapQuota} keap */
function keapQuotaStats(keap) {
	return {
		...(keap.limits ?? { throttleLimit: null, quotaLimit: null, tenantThrottleLimit: null }),
		usedLastMinute: lastMinute(keap.minute, Date.now()).length,
		usedToday: keap.quota.used,
	};
}

module.exports = {
	createKeapQuota,
	setKeapQuota,
	resetKeapQuota,
	takeKeapCall,
	keapQuotaStats,
};

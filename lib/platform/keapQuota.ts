import type { IDataObject } from 'n8n-workflow';

/**
 * Keap's quota and throttle headers (developer.keap.com, "API Token Quota and Usage
 * Measurements"): `x-keap-product-*` for the OAuth app (every customer together),
 * `x-keap-tenant-*` for one customer's Keap application. Whether the platform passes them
 * through is not documented; where it does not, nothing here applies.
 */
const FAMILIES = {
	appThrottle: 'x-keap-product-throttle-',
	appQuota: 'x-keap-product-quota-',
	tenantThrottle: 'x-keap-tenant-throttle-',
} as const;

const UNIT_MS: Record<string, number> = {
	second: 1000,
	minute: 60_000,
};

function count(value: string | undefined): number | undefined {
	if (value === undefined || !/^\s*\d+\s*$/.test(value)) return undefined;
	return Number(value);
}

/** A window of `interval × time-unit`, in ms; undefined for a unit longer than a minute (a day's quota is not slept out). */
function windowMs(headers: Record<string, string>, prefix: string): number | undefined {
	const unit = UNIT_MS[(headers[`${prefix}time-unit`] ?? 'minute').trim().toLowerCase()];
	const interval = count(headers[`${prefix}interval`]) ?? 1;
	return unit === undefined ? undefined : unit * Math.max(1, interval);
}

/**
 * How long every call should wait because Keap says no throttled call is left in the current
 * window (app or tenant throttle available 0): one window, as a Retry-After of that length.
 */
export function keapThrottleHoldMs(headers: Record<string, string>): number | undefined {
	let hold: number | undefined;
	for (const prefix of [FAMILIES.appThrottle, FAMILIES.tenantThrottle]) {
		if (count(headers[`${prefix}available`]) !== 0) continue;
		const ms = windowMs(headers, prefix);
		if (ms !== undefined) hold = Math.max(hold ?? 0, ms);
	}
	return hold;
}

function resetsAt(value: string | undefined): string | undefined {
	const n = count(value);
	if (n === undefined) return undefined;
	// Keap's example is in milliseconds; a value in seconds is read as such.
	const date = new Date(n > 1e11 ? n : n * 1000);
	return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

function family(headers: Record<string, string>, prefix: string): IDataObject | undefined {
	const limit = count(headers[`${prefix}limit`]);
	const available = count(headers[`${prefix}available`]);
	if (limit === undefined && available === undefined) return undefined;
	const interval = count(headers[`${prefix}interval`]) ?? 1;
	const unit = headers[`${prefix}time-unit`]?.trim();
	const expiry = resetsAt(headers[`${prefix}expiry-time`]);
	return {
		limit: limit ?? null,
		available: available ?? null,
		used: count(headers[`${prefix}used`]) ?? null,
		per: unit ? `${interval} ${unit}` : null,
		...(expiry ? { resetsAt: expiry } : {}),
	};
}

/** What Keap's headers on an answer say is left, or undefined when they did not come through. */
export function keapQuota(headers: Record<string, string>): IDataObject | undefined {
	const found: IDataObject = {};
	for (const [name, prefix] of Object.entries(FAMILIES)) {
		const left = family(headers, prefix);
		if (left) found[name] = left;
	}
	return Object.keys(found).length > 0 ? found : undefined;
}

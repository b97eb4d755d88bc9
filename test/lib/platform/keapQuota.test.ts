import { describe, expect, it } from '@jest/globals';

import { keapQuota, keapThrottleHoldMs } from '../../../lib/platform/keapQuota';

describe("Keap's throttle headers", () => {
	it('no header, or calls left: no hold', () => {
		expect(keapThrottleHoldMs({})).toBeUndefined();
		expect(keapThrottleHoldMs({ 'x-keap-product-throttle-available': '1' })).toBeUndefined();
		expect(keapThrottleHoldMs({ 'x-keap-product-throttle-available': 'none' })).toBeUndefined();
	});

	it("the app's or the customer's throttle at 0 holds for one window (time-unit × interval; a minute when unsaid)", () => {
		expect(keapThrottleHoldMs({ 'x-keap-product-throttle-available': '0' })).toBe(60_000);
		expect(
			keapThrottleHoldMs({
				'x-keap-tenant-throttle-available': '0',
				'x-keap-tenant-throttle-time-unit': 'second',
				'x-keap-tenant-throttle-interval': '5',
			}),
		).toBe(5000);
		expect(
			keapThrottleHoldMs({
				'x-keap-product-throttle-available': '0',
				'x-keap-tenant-throttle-available': '0',
				'x-keap-tenant-throttle-time-unit': 'second',
			}),
		).toBe(60_000);
	});

	it('a window longer than a minute (a day) is not slept out: the 429 that follows says how long', () => {
		expect(
			keapThrottleHoldMs({
				'x-keap-product-throttle-available': '0',
				'x-keap-product-throttle-time-unit': 'day',
			}),
		).toBeUndefined();
	});

	it('what is left, by family, with the quota’s reset as a date (ms or s)', () => {
		expect(keapQuota({ 'content-type': 'application/json' })).toBeUndefined();
		expect(
			keapQuota({
				'x-keap-product-throttle-limit': '1500',
				'x-keap-product-throttle-available': '1499',
				'x-keap-product-throttle-used': '1',
				'x-keap-product-throttle-time-unit': 'minute',
				'x-keap-product-throttle-interval': '1',
				'x-keap-product-quota-limit': '150000',
				'x-keap-product-quota-available': '149862',
				'x-keap-product-quota-expiry-time': '1723680000000',
			}),
		).toEqual({
			appThrottle: { limit: 1500, available: 1499, used: 1, per: '1 minute' },
			appQuota: {
				limit: 150000,
				available: 149862,
				used: null,
				per: null,
				resetsAt: '2024-08-15T00:00:00.000Z',
			},
		});
		expect(
			keapQuota({
				'x-keap-tenant-throttle-available': '7',
				'x-keap-tenant-throttle-expiry-time': '1723680000',
			}),
		).toEqual({
			tenantThrottle: {
				limit: null,
				available: 7,
				used: null,
				per: null,
				resetsAt: '2024-08-15T00:00:00.000Z',
			},
		});
	});
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { EXAMPLE, startSandbox } from '../../sandbox';
import type { Sandbox, SandboxInstance } from '../../sandbox';
import { parseArgs } from '../../sandbox/cli';
import { authorizeUrl } from '../../sandbox/consent';
import { admit, createRateLimiter, rateLimitStats } from '../../sandbox/ratelimit';
import type { CallResult } from './helpers';
import { AUTH, clientOf } from './helpers';

// The stand-in's rate limit (a token bucket per account) and its behaviour with many instances.
// Over HTTP, limits refill so slowly (0.01 a second) that when the requests arrive does not
// matter; how the bucket refills over time is checked on the limiter with given arrival times.

let sb: Sandbox;

beforeAll(async () => {
	sb = await startSandbox({ rateLimit: { perSecond: 25 } });
});
afterAll(() => sb.close());
beforeEach(() => {
	sb.reset();
	sb.setRateLimit({ perSecond: 25 });
});

const { call, control, provision, hubOf } = clientOf(() => sb);

const statuses = (responses: CallResult[]) => responses.map((r) => r.status);
const countOf = (responses: CallResult[], status: number) =>
	statuses(responses).filter((s) => s === status).length;

describe('rate limit', () => {
	it('above the limit: 429 with Retry-After (whole seconds, >= 1) and a JSON error, counted', async () => {
		sb.setRateLimit({ perSecond: 0.01, burst: 25 });
		const responses = await Promise.all(
			Array.from({ length: 80 }, () => call('GET', '/elements/infusionsoftrest')),
		);
		const ok = countOf(responses, 200);
		const limited = responses.filter((r) => r.status === 429);
		expect(ok + limited.length).toBe(80);
		expect(ok).toBe(25); // the burst
		for (const response of limited) {
			expect(response.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
			expect(response.headers.get('content-type')).toMatch(/application\/json/);
			expect(response.json).toEqual({
				requestId: expect.any(String),
				message: expect.stringMatching(/^Rate limit exceeded: at most 0.01 requests a second/),
			});
		}
		expect(sb.rateLimitStats()).toMatchObject({
			perSecond: 0.01,
			burst: 25,
			accepted: 25,
			limited: 55,
		});
		expect(sb.requests.filter((r) => r.rateLimited)).toHaveLength(55);
	});

	it('a 429 says when a token will be there: Retry-After rounds the wait up to whole seconds', () => {
		const limiter = createRateLimiter({ perSecond: 25 });
		for (let i = 0; i < 25; i++) expect(admit(limiter, AUTH, 0)).toBeUndefined();
		const tooMany = admit(limiter, AUTH, 0);
		expect(tooMany?.status).toBe(429);
		expect(tooMany?.headers).toMatchObject({ 'retry-after': '1' });
		expect(admit(limiter, AUTH, 40)).toBeUndefined(); // 40 ms later one token is back
		const slow = createRateLimiter({ perSecond: 0.25, burst: 1 });
		expect(admit(slow, AUTH, 0)).toBeUndefined();
		expect(admit(slow, AUTH, 1000)?.headers).toMatchObject({ 'retry-after': '3' });
	});

	it('the busiest second is counted over a sliding window of accepted requests', () => {
		const limiter = createRateLimiter(null);
		for (const at of [0, 100, 999, 1000, 1500, 1998, 1999, 2998]) admit(limiter, AUTH, at);
		// the second up to 1998 holds 999, 1000, 1500, 1998 and the one up to 1999 holds 1000, 1500, 1998, 1999: four
		expect(rateLimitStats(limiter)).toMatchObject({
			perSecond: null,
			accepted: 8,
			limited: 0,
			peakPerSecond: 4,
		});
		const limited = createRateLimiter({ perSecond: 25 });
		for (let i = 0; i < 30; i++) admit(limited, AUTH, 0);
		expect(rateLimitStats(limited)).toMatchObject({ accepted: 25, limited: 5, peakPerSecond: 25 });
	});

	it('a limited request is not acted on: no instance, the code unspent, no fault taken', async () => {
		const codes = Array.from({ length: 40 }, () =>
			sb.issueCode({ clientId: EXAMPLE.clientId, callbackUrl: EXAMPLE.callbackUrl }),
		);
		const body = (code: string) => ({
			element: { key: 'infusionsoftrest' },
			providerData: { code },
			name: 'burst',
			configuration: {
				'oauth.callback.url': EXAMPLE.callbackUrl,
				'oauth.api.key': EXAMPLE.clientId,
				'oauth.api.secret': EXAMPLE.clientSecret,
			},
		});
		sb.setRateLimit({ perSecond: 0.01, burst: 25 });
		const responses = await Promise.all(
			codes.map((code) => call('POST', '/instances', { body: body(code) })),
		);
		const refused = codes.filter((_, i) => responses[i].status === 429);
		expect(refused).toHaveLength(15);
		expect(sb.instances.size).toBe(countOf(responses, 200));

		sb.setRateLimit(null);
		sb.fail({ method: 'GET', path: '/instances', status: 503 });
		sb.setRateLimit({ perSecond: 0.01, burst: 1 });
		expect((await call('GET', '/elements/infusionsoftrest')).status).toBe(200);
		expect((await call('GET', '/instances')).status).toBe(429); // the bucket is empty; the fault waits
		sb.setRateLimit(null);
		expect((await call('GET', '/instances')).status).toBe(503);
		expect((await call('POST', '/instances', { body: body(refused[0]) })).status).toBe(200); // the refused code still works
	});

	it('a client sending evenly at 25 a second never gets a 429, even when its requests arrive late and bunched', () => {
		// Arrival times are given, not measured: request i is sent at i × 40 ms and arrives up to 0.9 s
		// late (never early, never before the one sent before it); the burst takes what lateness bunches.
		fc.assert(
			fc.property(
				fc.array(fc.integer({ min: 0, max: 900 }), { minLength: 75, maxLength: 75 }),
				(lateness) => {
					const limiter = createRateLimiter({ perSecond: 25 });
					let arrival = 0;
					for (const [i, late] of lateness.entries()) {
						arrival = Math.max(arrival, i * 40 + late);
						if (admit(limiter, AUTH, arrival) !== undefined) return false;
					}
					return rateLimitStats(limiter).accepted === 75;
				},
			),
		);
	});

	it('hub calls count too; the control API and the consent page do not', async () => {
		sb.setRateLimit(null);
		const instance = await provision('infusionsoftrest');
		sb.setRateLimit({ perSecond: 0.01, burst: 2 });
		const hub = await Promise.all(Array.from({ length: 6 }, () => hubOf(instance).get('/ping')));
		expect(countOf(hub, 200)).toBe(2);
		expect(countOf(hub, 429)).toBe(4);
		const controls = await Promise.all(Array.from({ length: 20 }, () => control('GET', '/health')));
		expect(countOf(controls, 200)).toBe(20);
		const consent = await Promise.all(
			Array.from({ length: 5 }, () =>
				fetch(
					authorizeUrl(sb.url, { clientId: EXAMPLE.clientId, callbackUrl: EXAMPLE.callbackUrl }),
				).then((r) => r.status),
			),
		);
		expect(consent).toEqual([200, 200, 200, 200, 200]);
	});

	it('each account has its own bucket', async () => {
		const other = { userSecret: 'other/User+Secret=', organizationSecret: 'other/Org+Secret=' };
		const two = await startSandbox({
			accounts: [EXAMPLE, other],
			rateLimit: { perSecond: 0.01, burst: 3 },
		});
		try {
			const get = (auth: string) =>
				fetch(`${two.apiRoot}/elements/infusionsoftrest`, {
					headers: { authorization: auth },
				}).then((r) => r.status);
			const first = await Promise.all(Array.from({ length: 6 }, () => get(AUTH)));
			expect(first.filter((s) => s === 429)).toHaveLength(3);
			expect(await get(`User ${other.userSecret}, Organization ${other.organizationSecret}`)).toBe(
				200,
			);
		} finally {
			await two.close();
		}
	});

	it('through the control API: GET and POST /__sandbox/rate-limit; null removes the limit', async () => {
		const set = await control('POST', '/rate-limit', { perSecond: 5, burst: 10 });
		expect(set.status).toBe(200);
		expect(set.json).toEqual({
			perSecond: 5,
			burst: 10,
			accepted: 0,
			limited: 0,
			peakPerSecond: 0,
			since: expect.any(String),
		});
		await call('GET', '/elements/infusionsoftrest');
		expect((await control('GET', '/rate-limit')).json).toMatchObject({ perSecond: 5, accepted: 1 });
		expect((await control('GET', '/health')).json.rateLimit).toMatchObject({
			perSecond: 5,
			accepted: 1,
		});
		expect((await control('POST', '/rate-limit', { perSecond: 0 })).status).toBe(400);
		expect((await control('POST', '/rate-limit', { perSecond: 5, per: 1 })).status).toBe(400);
		expect((await control('POST', '/rate-limit', { perSecond: null })).json).toMatchObject({
			perSecond: null,
			burst: null,
		});
		const free = await Promise.all(
			Array.from({ length: 60 }, () => call('GET', '/elements/infusionsoftrest')),
		);
		expect(countOf(free, 200)).toBe(60);
		expect(sb.rateLimitStats()).toMatchObject({ perSecond: null, accepted: 60, limited: 0 });
	});

	it('options and the CLI', async () => {
		await expect(startSandbox({ rateLimit: { perSecond: -1 } })).rejects.toThrow(TypeError);
		expect(() => sb.setRateLimit({ perSecond: 25, burst: 0 })).toThrow(/burst/);
		expect(parseArgs(['--rate-limit', '25', '--event-minute-ms=50'])).toMatchObject({
			rateLimit: 25,
			eventMinuteMs: 50,
		});
		expect(parseArgs([])).toMatchObject({ rateLimit: 0, eventMinuteMs: 60000 });
		expect(() => parseArgs(['--rate-limit', 'x'])).toThrow(/whole number/);
	});
});

describe('many instances', () => {
	it('searchText follows creates, renames, deletes and instances planted directly', async () => {
		sb.setRateLimit(null);
		const created = [];
		for (let i = 0; i < 12; i++)
			created.push(await provision('infusionsoftrest', { name: `Customer ${i}` }));
		const search = async (text: string) => {
			const response = await call('GET', `/instances?searchText=${encodeURIComponent(text)}`);
			return response.status === 404 ? [] : response.json.map((i: SandboxInstance) => i.name);
		};
		expect(await search('customer 1')).toEqual(['Customer 1', 'Customer 10', 'Customer 11']);
		expect(await search('TOMER 11')).toEqual(['Customer 11']);
		expect(await search('r 1')).toEqual(['Customer 1', 'Customer 10', 'Customer 11']);
		await call('PATCH', `/instances/${created[10].id}`, { body: { name: 'Renamed' } });
		await call('DELETE', `/instances/${created[11].id}`);
		expect(await search('customer 1')).toEqual(['Customer 1']);
		expect(await search('renamed')).toEqual(['Renamed']);
		const planted = {
			...(sb.instances.get(created[0].id) as SandboxInstance),
			id: 99001,
			name: 'Planted customer 1',
		};
		sb.instances.set(planted.id, planted);
		expect(await search('customer 1')).toEqual(['Customer 1', 'Planted customer 1']);
		expect(await search('ed c')).toEqual(['Planted customer 1']);
		expect(await search('zzz')).toEqual([]);
	});

	it('10,000 instances: a name search and a hub call read a few, not all (counted, not timed)', async () => {
		sb.setRateLimit(null);
		const template = sb.instances.get(
			(await provision('infusionsoftrest', { name: 'template' })).id,
		) as SandboxInstance;
		for (let i = 0; i < 10000; i++) {
			const id = 200000 + i;
			sb.instances.set(id, { ...template, id, name: `customer ${i}`, token: `token-${i}` });
		}
		// how many instances the platform reads is the number of name getters called
		let reads = 0;
		const last = sb.instances.get(209999) as SandboxInstance;
		const name = last.name;
		for (const instance of sb.instances.values()) {
			const own = instance.name;
			Object.defineProperty(instance, 'name', {
				get: () => {
					reads += 1;
					return own;
				},
				enumerable: true,
				configurable: true,
			});
		}
		reads = 0;
		const found = await call('GET', `/instances?searchText=${encodeURIComponent(name)}`);
		expect(found.json.map((i: SandboxInstance) => i.id)).toEqual([209999]);
		expect(reads).toBeLessThan(100);
		expect((await call('GET', '/hubs/crm/ping', { token: 'token-9999' })).json).toMatchObject({
			instanceId: 209999,
		});
	});
});

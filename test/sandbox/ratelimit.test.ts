import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { EXAMPLE, startSandbox } from '../../sandbox';
import type { Sandbox, SandboxInstance } from '../../sandbox';
import { parseArgs } from '../../sandbox/cli';
import { authorizeUrl } from '../../sandbox/consent';
import type { CallResult } from './helpers';
import { AUTH, clientOf, sleep } from './helpers';

// The stand-in's rate limit (a token bucket per account) and its behaviour with many instances.
// Timing-based checks count answers over generous windows; nothing asserts a tight timing.

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
const countOf = (responses: CallResult[], status: number) => statuses(responses).filter((s) => s === status).length;

describe('rate limit', () => {
	it('above the limit: 429 with Retry-After (whole seconds, >= 1) and a JSON error, counted', async () => {
		const responses = await Promise.all(Array.from({ length: 80 }, () => call('GET', '/elements/infusionsoftrest')));
		const ok = countOf(responses, 200);
		const limited = responses.filter((r) => r.status === 429);
		expect(ok + limited.length).toBe(80);
		expect(ok).toBeGreaterThanOrEqual(25); // the burst
		expect(limited.length).toBeGreaterThan(0);
		for (const response of limited) {
			expect(response.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
			expect(response.headers.get('content-type')).toMatch(/application\/json/);
			expect(response.json).toEqual({ requestId: expect.any(String), message: expect.stringMatching(/^Rate limit exceeded: at most 25 requests a second/) });
		}
		expect(sb.rateLimitStats()).toMatchObject({ perSecond: 25, burst: 25, accepted: ok, limited: limited.length });
		expect(sb.rateLimitStats().peakPerSecond).toBeGreaterThanOrEqual(25);
		expect(sb.requests.filter((r) => r.rateLimited)).toHaveLength(limited.length);
	});

	it('a limited request is not acted on: no instance, the code unspent, no fault taken', async () => {
		const codes = Array.from({ length: 40 }, () => sb.issueCode({ clientId: EXAMPLE.clientId, callbackUrl: EXAMPLE.callbackUrl }));
		const body = (code: string) => ({
			element: { key: 'infusionsoftrest' },
			providerData: { code },
			name: 'burst',
			configuration: { 'oauth.callback.url': EXAMPLE.callbackUrl, 'oauth.api.key': EXAMPLE.clientId, 'oauth.api.secret': EXAMPLE.clientSecret },
		});
		const responses = await Promise.all(codes.map((code) => call('POST', '/instances', { body: body(code) })));
		const refused = codes.filter((_, i) => responses[i].status === 429);
		expect(refused.length).toBeGreaterThan(0);
		expect(sb.instances.size).toBe(countOf(responses, 200));

		sb.setRateLimit(null);
		sb.fail({ method: 'GET', path: '/instances', status: 503 });
		sb.setRateLimit({ perSecond: 1 });
		expect((await call('GET', '/elements/infusionsoftrest')).status).toBe(200);
		expect((await call('GET', '/instances')).status).toBe(429); // the bucket is empty; the fault waits
		sb.setRateLimit(null);
		expect((await call('GET', '/instances')).status).toBe(503);
		expect((await call('POST', '/instances', { body: body(refused[0]) })).status).toBe(200); // the refused code still works
	});

	it('a client sending evenly at 25 a second never gets a 429', async () => {
		const started = Date.now();
		const pending: Array<Promise<CallResult>> = [];
		for (let i = 0; i < 75; i++) {
			// send at start + i × 40 ms, whatever the answers (late timers only bunch a few requests: the burst takes them)
			const wait = started + i * 40 - Date.now();
			if (wait > 0) await sleep(wait);
			pending.push(call('GET', '/elements/infusionsoftrest'));
		}
		const responses = await Promise.all(pending);
		expect(countOf(responses, 429)).toBe(0);
		expect(sb.rateLimitStats()).toMatchObject({ accepted: 75, limited: 0 });
	});

	it('hub calls count too; the control API and the consent page do not', async () => {
		sb.setRateLimit(null);
		const instance = await provision('infusionsoftrest');
		sb.setRateLimit({ perSecond: 2, burst: 2 });
		const hub = await Promise.all(Array.from({ length: 6 }, () => hubOf(instance).get('/ping')));
		expect(countOf(hub, 200)).toBeGreaterThanOrEqual(2);
		expect(countOf(hub, 429)).toBeGreaterThan(0);
		const controls = await Promise.all(Array.from({ length: 20 }, () => control('GET', '/health')));
		expect(countOf(controls, 200)).toBe(20);
		const consent = await Promise.all(
			Array.from({ length: 5 }, () => fetch(authorizeUrl(sb.url, { clientId: EXAMPLE.clientId, callbackUrl: EXAMPLE.callbackUrl })).then((r) => r.status)),
		);
		expect(consent).toEqual([200, 200, 200, 200, 200]);
	});

	it('each account has its own bucket', async () => {
		const other = { userSecret: 'other/User+Secret=', organizationSecret: 'other/Org+Secret=' };
		const two = await startSandbox({ accounts: [EXAMPLE, other], rateLimit: { perSecond: 3 } });
		try {
			const get = (auth: string) => fetch(`${two.apiRoot}/elements/infusionsoftrest`, { headers: { authorization: auth } }).then((r) => r.status);
			const first = await Promise.all(Array.from({ length: 6 }, () => get(AUTH)));
			expect(first.filter((s) => s === 429).length).toBeGreaterThan(0);
			expect(await get(`User ${other.userSecret}, Organization ${other.organizationSecret}`)).toBe(200);
		} finally {
			await two.close();
		}
	});

	it('through the control API: GET and POST /__sandbox/rate-limit; null removes the limit', async () => {
		const set = await control('POST', '/rate-limit', { perSecond: 5, burst: 10 });
		expect(set.status).toBe(200);
		expect(set.json).toEqual({ perSecond: 5, burst: 10, accepted: 0, limited: 0, peakPerSecond: 0, since: expect.any(String) });
		await call('GET', '/elements/infusionsoftrest');
		expect((await control('GET', '/rate-limit')).json).toMatchObject({ perSecond: 5, accepted: 1 });
		expect((await control('GET', '/health')).json.rateLimit).toMatchObject({ perSecond: 5, accepted: 1 });
		expect((await control('POST', '/rate-limit', { perSecond: 0 })).status).toBe(400);
		expect((await control('POST', '/rate-limit', { perSecond: 5, per: 1 })).status).toBe(400);
		expect((await control('POST', '/rate-limit', { perSecond: null })).json).toMatchObject({ perSecond: null, burst: null });
		const free = await Promise.all(Array.from({ length: 60 }, () => call('GET', '/elements/infusionsoftrest')));
		expect(countOf(free, 200)).toBe(60);
		expect(sb.rateLimitStats()).toMatchObject({ perSecond: null, accepted: 60, limited: 0 });
	});

	it('options and the CLI', async () => {
		await expect(startSandbox({ rateLimit: { perSecond: -1 } })).rejects.toThrow(TypeError);
		expect(() => sb.setRateLimit({ perSecond: 25, burst: 0 })).toThrow(/burst/);
		expect(parseArgs(['--rate-limit', '25', '--event-minute-ms=50'])).toMatchObject({ rateLimit: 25, eventMinuteMs: 50 });
		expect(parseArgs([])).toMatchObject({ rateLimit: 0, eventMinuteMs: 60000 });
		expect(() => parseArgs(['--rate-limit', 'x'])).toThrow(/whole number/);
	});
});

describe('many instances', () => {
	it('searchText follows creates, renames, deletes and instances planted directly', async () => {
		sb.setRateLimit(null);
		const created = [];
		for (let i = 0; i < 12; i++) created.push(await provision('infusionsoftrest', { name: `Customer ${i}` }));
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
		const planted = { ...(sb.instances.get(created[0].id) as SandboxInstance), id: 99001, name: 'Planted customer 1' };
		sb.instances.set(planted.id, planted);
		expect(await search('customer 1')).toEqual(['Customer 1', 'Planted customer 1']);
		expect(await search('ed c')).toEqual(['Planted customer 1']);
		expect(await search('zzz')).toEqual([]);
	});

	it('10,000 instances: a name search and a hub call read a few, not all (counted, not timed)', async () => {
		sb.setRateLimit(null);
		const template = sb.instances.get((await provision('infusionsoftrest', { name: 'template' })).id) as SandboxInstance;
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
			Object.defineProperty(instance, 'name', { get: () => { reads += 1; return own; }, enumerable: true, configurable: true });
		}
		reads = 0;
		const found = await call('GET', `/instances?searchText=${encodeURIComponent(name)}`);
		expect(found.json.map((i: SandboxInstance) => i.id)).toEqual([209999]);
		expect(reads).toBeLessThan(100);
		expect((await call('GET', '/hubs/crm/ping', { token: 'token-9999' })).json).toMatchObject({ instanceId: 209999 });
	});
});

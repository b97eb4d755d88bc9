/**
 * Keap's quota and throttle headers (issue 20, Must 4), where the platform passes them through
 * (the stand-in plays that case when asked: sandbox/keapQuota.js): Test Connection shows what is
 * left, and a throttle with nothing left holds every call of the execution for one window, as a
 * Retry-After does. Through n8n's engine, on the virtual clock (no real minute is waited).
 */
import {
	afterAll,
	afterEach,
	beforeAll,
	beforeEach,
	describe,
	expect,
	it,
	jest,
} from '@jest/globals';
import type { IDataObject } from 'n8n-workflow';

import { RequestPacer } from '../../lib/platform/pacer';
import { EXAMPLE, startSandbox, type Sandbox } from '../../sandbox';
import { useVirtualClock } from '../support/virtualClock';
import { apiCalls, expectNoSecrets, runNode } from '../support/infusionsoftRun';

describe("Keap's quota headers", () => {
	let sb: Sandbox;
	const run = (parameters: IDataObject, items: IDataObject[] = [{}]) =>
		runNode(sb, { parameters, items, typeVersion: 2 });
	const byId = (id: number) => ({ __rl: true, mode: 'id', value: String(id) });
	const testConnection = (requestOptions: IDataObject = {}) => ({
		resource: 'instance',
		operation: 'testConnection',
		instance: '={{ $json.instance }}',
		requestOptions,
	});

	async function connect(name: string): Promise<number> {
		const code = sb.issueCode({ clientId: EXAMPLE.clientId, callbackUrl: EXAMPLE.callbackUrl });
		const created = await run(
			{ resource: 'instance', operation: 'create', element: 'infusionsoftrest', code, name },
			[{}],
		);
		sb.requests.length = 0;
		return created.items[0].json.id as number;
	}

	beforeAll(async () => {
		sb = await startSandbox();
	});
	afterAll(async () => sb.close());
	beforeEach(() => sb.reset());
	afterEach(() => {
		jest.restoreAllMocks();
		sb.setKeapQuota(null);
	});

	it('Test Connection shows what is left of the app’s and the customer’s calls, only when the headers come through', async () => {
		const id = await connect('Quota');
		const without = await run(testConnection(), [{ instance: byId(id) }]);
		expect(without.items[0].json).toMatchObject({ ok: true, status: 'ok' });
		expect(without.items[0].json).not.toHaveProperty('keapQuota');

		sb.setKeapQuota({});
		const shown = await run(testConnection(), [{ instance: byId(id) }]);
		expect(shown.items[0].json).toMatchObject({
			ok: true,
			keapQuota: {
				appThrottle: { limit: 1500, available: 1499, used: 1, per: '1 minute' },
				appQuota: {
					limit: 150000,
					available: 149999,
					used: 1,
					per: '1 day',
					resetsAt: expect.stringMatching(/T00:00:00\.000Z$/),
				},
				tenantThrottle: { limit: 10000, available: 9999, used: 1, per: '1 minute' },
			},
		});
		expectNoSecrets(shown);
	});

	it('a throttle with nothing left holds every call of the execution for one window, as a Retry-After would: no call runs into the 429', async () => {
		const first = await connect('First');
		const second = await connect('Second');
		sb.setKeapQuota({ throttleLimit: 1 });
		const clock = useVirtualClock();
		const turns: number[] = [];
		const pauses: Array<{ at: number; ms: number; turnsBefore: number }> = [];
		const { turn, pause } = RequestPacer.prototype;
		jest.spyOn(RequestPacer.prototype, 'turn').mockImplementation(async function (
			this: RequestPacer,
			cancel,
		) {
			await turn.call(this, cancel);
			turns.push(clock.now());
		});
		jest.spyOn(RequestPacer.prototype, 'pause').mockImplementation(function (
			this: RequestPacer,
			ms,
		) {
			pauses.push({ at: clock.now(), ms, turnsBefore: turns.length });
			pause.call(this, ms);
			// The minute passes on the virtual clock; the stand-in counts on the real one, so its
			// counters start over as the node begins to wait its minute out.
			if (ms === 60_000) sb.setKeapQuota({ throttleLimit: 1 });
		});
		const result = await run(testConnection({ concurrency: 1 }), [
			{ instance: byId(first) },
			{ instance: byId(second) },
		]);
		expect(result.error).toBeUndefined();
		expect(result.items.map((i) => i.json.ok)).toEqual([true, true]);
		expect(result.items[0].json.keapQuota).toMatchObject({ appThrottle: { available: 0 } });
		// A minute's pause after each item's hub call (each took the last one); the calls after the first waited it out.
		expect(pauses.map((p) => [p.ms, p.turnsBefore])).toEqual([
			[60_000, 2],
			[60_000, 4],
		]);
		const [{ at }] = pauses;
		expect(turns).toHaveLength(4);
		expect(turns.slice(2).every((t) => t >= at + 60_000)).toBe(true);
		expect(apiCalls(sb).filter((r) => r.rateLimited || r.path.includes('/hubs/'))).toHaveLength(2);
		expect(sb.requests.some((r) => r.rateLimited)).toBe(false);
	});
});

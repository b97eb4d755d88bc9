/**
 * Create with many items (issue "At scale"): one listing for the execution instead of a search
 * per item, converging with other executions all the same; Max Requests per Second; 429s.
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

import {
	apiCalls,
	issueCode,
	runWith,
	seedInstance,
	startSentinelSandbox,
	type Sandbox,
} from '../faults/support';
import { peakPerSecond } from '../lib/platform/peak';
import { answerGate } from '../support/answerGate';
import { recordPacerSchedule } from '../support/pacerSchedule';

const create = (onExisting: string, requestOptions: IDataObject = {}): IDataObject => ({
	resource: 'instance',
	operation: 'create',
	code: '={{ $json.code }}',
	name: '={{ $json.name }}',
	onExisting,
	requestOptions,
});

const newItems = (sb: Sandbox, prefix: string, n: number) =>
	Array.from({ length: n }, (_, i) => ({ code: issueCode(sb), name: `${prefix} ${i}` }));

const named = (sb: Sandbox, name: string) =>
	[...sb.instances.values()].filter((instance) => instance.name === name);

function countByMethod(sb: Sandbox): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const r of apiCalls(sb)) counts[r.method] = (counts[r.method] ?? 0) + 1;
	return counts;
}

describe('Create with many items', () => {
	let sb: Sandbox;
	beforeAll(async () => {
		sb = await startSentinelSandbox();
	});
	afterAll(async () => sb.close());
	beforeEach(() => sb.reset());

	// An item waiting for its check gives its place to the next item; a check starts once 50 names
	// per page of the listing wait, or when every item waits: about 1 + 1/50 calls per instance
	// whatever the Concurrency (the per-item way: 3; with a check per Concurrency items, 1.41 here).
	it.each([
		[300, 10, 1.04],
		[1000, 10, 1.04],
		[1000, 50, 1.04],
		[1000, 1, 1.04],
	])(
		'%i new names, Concurrency %i: calls per created instance approach 1 (below %d)',
		async (n, concurrency, most) => {
			const items = newItems(sb, 'bulk', n);
			sb.requests.length = 0;
			const run = await runWith(sb, create('reuse', { concurrency }), items, true);
			expect(run.error).toBeUndefined();
			expect(run.items.filter((row) => row.json.error)).toEqual([]);
			expect(run.items.map((row) => row.json.action)).toEqual(items.map(() => 'created'));
			expect(sb.instances.size).toBe(n);
			const calls = apiCalls(sb).length;
			const counts = countByMethod(sb);
			console.log(
				`bulk create, ${n} new names, concurrency ${concurrency}: ${calls} calls (${JSON.stringify(counts)}), ${(calls / n).toFixed(3)} per instance`,
			);
			expect(counts.POST).toBe(n);
			expect(calls / n).toBeLessThan(most);
		},
		120_000,
	);

	it('a mix of existing and new names: reuse, re-authenticate and create from one listing', async () => {
		for (let i = 0; i < 20; i++) await seedInstance(sb, `mix ${i}`, ['kept']);
		await seedInstance(sb, 'mix 0', ['younger duplicate']);
		sb.requests.length = 0;
		const items = newItems(sb, 'mix', 40);
		const reused = await runWith(sb, create('reuse'), items, true);
		expect(reused.items.map((row) => row.json.action)).toEqual(
			items.map((_, i) => (i < 20 ? 'reused' : 'created')),
		);
		// The oldest of a name is the one used.
		expect(reused.items[0].json.id).toBe(Math.min(...named(sb, 'mix 0').map((x) => x.id)));
		const listings = apiCalls(sb).filter((r) => r.method === 'GET');
		expect(apiCalls(sb).filter((r) => r.method === 'POST')).toHaveLength(20);
		// One listing, then a few shared checks (each a one-page listing here).
		expect(listings.length).toBeLessThanOrEqual(6);
		expect(listings.every((r) => r.query.searchText === undefined)).toBe(true);

		sb.requests.length = 0;
		const again = newItems(sb, 'mix', 40);
		const before = new Map(again.map((item) => [item.name, named(sb, item.name).map((x) => x.id)]));
		const reauth = await runWith(sb, create('reauthenticate'), again, true);
		expect(reauth.items.map((row) => row.json.action)).toEqual(again.map(() => 'reauthenticated'));
		for (const [i, item] of again.entries()) {
			expect(reauth.items[i].json.id).toBe(Math.min(...before.get(item.name)!));
			expect(named(sb, item.name).map((x) => x.id)).toEqual(before.get(item.name));
		}
		expect(apiCalls(sb).filter((r) => r.method === 'POST')).toHaveLength(0);
	}, 60_000);

	// Concurrency 1 and 2: items waiting for a check or for an item of the same name hold no place, so
	// the check still starts (no run hangs on a wait that needs every item to wait).
	it.each([[10], [2], [1]])(
		'the same name twice in one execution, Concurrency %i: created once, then reused',
		async (concurrency) => {
			const items = [
				...newItems(sb, 'twice', 5),
				...newItems(sb, 'twice', 5),
				...newItems(sb, 'twice', 2),
			];
			const run = await runWith(sb, create('reuse', { concurrency }), items, true);
			expect(run.items.map((row) => row.json.action)).toEqual([
				...Array(5).fill('created'),
				...Array(7).fill('reused'),
			]);
			for (let i = 0; i < 5; i++) expect(named(sb, `twice ${i}`)).toHaveLength(1);
			for (const [i, row] of run.items.entries())
				expect(row.json.id).toBe(named(sb, `twice ${i % 5}`)[0].id);
		},
	);

	it('a listing that fails is the error of the item that read it; the others search on their own', async () => {
		sb.fail({ method: 'GET', path: '/instances', status: 503, times: 5 });
		const items = newItems(sb, 'fallback', 6);
		const run = await runWith(sb, create('reuse'), items, true);
		expect(run.items.map((row) => row.json.httpCode)).toEqual([
			'503',
			undefined,
			undefined,
			undefined,
			undefined,
			undefined,
		]);
		expect(run.items[0].json.error).toContain('(after 4 retries)');
		expect(named(sb, 'fallback 0')).toHaveLength(0);
		for (let i = 1; i < 6; i++) expect(named(sb, `fallback ${i}`)).toHaveLength(1);
	}, 60_000);
});

describe('Create with many items, against other executions', () => {
	it.each([['reuse'], ['reauthenticate']])(
		'two executions over the same 60 names at once (%s): exactly one instance per name',
		async (onExisting) => {
			const slow = await startSentinelSandbox({ latencyMs: 15 });
			// Each execution's listing is read when it arrives, and neither is answered before both were
			// read: both read the account before either creates, and then both create the first new
			// names of the list, for sure, on any machine, under any load.
			const gate = await answerGate(slow, { method: 'GET', path: '/instances', count: 2 });
			try {
				for (let i = 0; i < 10; i++) await seedInstance(slow, `race ${i}`);
				const viaGate = { ...slow, apiRoot: gate.apiRoot };
				const runs = await Promise.all(
					[0, 1].map(async () => {
						return await runWith(
							viaGate,
							create(onExisting, { concurrency: 8 }),
							newItems(slow, 'race', 60),
							true,
						);
					}),
				);
				for (const run of runs) expect(run.items.filter((row) => row.json.error)).toEqual([]);
				const calls = apiCalls(slow).map((r) => r.method);
				expect(calls.slice(0, 2)).toEqual(['GET', 'GET']);
				// They did race: both created some names, and the newer of each pair deleted itself.
				const deletes = apiCalls(slow).filter((r) => r.method === 'DELETE').length;
				console.log(`race (${onExisting}): ${deletes} newer duplicates deleted themselves`);
				expect(deletes).toBeGreaterThan(0);
				for (let i = 0; i < 60; i++) {
					const left = named(slow, `race ${i}`);
					expect(left).toHaveLength(1);
					for (const run of runs)
						expect(run.items.find((row) => row.json.name === `race ${i}`)!.json.id).toBe(
							left[0].id,
						);
				}
			} finally {
				await gate.close();
				await slow.close();
			}
		},
		120_000,
	);
});

describe('Max Requests per Second and throttling', () => {
	let sb: Sandbox;
	beforeAll(async () => {
		sb = await startSentinelSandbox({ latencyMs: 5 });
	});
	afterAll(async () => sb.close());
	beforeEach(() => sb.reset());
	afterEach(() => jest.restoreAllMocks());

	// The pacer's clock is virtual here: the send schedule it decides is read, not the wall clock
	// (on a loaded machine n8n's HTTP stack bunches arrivals, so counting them at the stand-in lies).
	it('never more than the limit in any second, for a whole execution: every item, listing, create and check', async () => {
		for (let i = 0; i < 5; i++) await seedInstance(sb, `paced ${i}`);
		const items = newItems(sb, 'paced', 30);
		const schedule = recordPacerSchedule();
		const run = await runWith(
			sb,
			create('reauthenticate', { concurrency: 20, maxRequestsPerSecond: 12 }),
			items,
			true,
		);
		expect(run.items.filter((row) => row.json.error)).toEqual([]);
		const { turns } = schedule;
		// Every call of the execution went through the one pacer.
		expect(turns).toHaveLength(apiCalls(sb).length);
		expect(turns.length).toBeGreaterThan(30);
		expect(peakPerSecond(turns)).toBe(12);
		// Not slower than the limit needs: one interval (1/12 s and its 1 ms of margin) between calls, no more.
		const gaps = turns.slice(1).map((t, i) => t - turns[i]);
		expect(Math.max(...gaps)).toBeCloseTo(1000 / 12 + 1, 6);
	}, 60_000);

	it('a 429 with Retry-After holds every item of the execution, and the run ends with no failed item', async () => {
		const items = newItems(sb, 'throttled', 20);
		sb.fail({ method: 'POST', path: '/instances', status: 429, retryAfter: 1, times: 1 });
		const schedule = recordPacerSchedule();
		const run = await runWith(sb, create('reuse', { concurrency: 10 }), items, true);
		expect(run.items.filter((row) => row.json.error)).toEqual([]);
		expect(run.items.map((row) => row.json.action)).toEqual(items.map(() => 'created'));
		for (let i = 0; i < 20; i++) expect(named(sb, `throttled ${i}`)).toHaveLength(1);
		expect(schedule.pauses).toEqual([
			{ at: expect.any(Number), ms: 1000, turnsBefore: expect.any(Number) },
		]);
		// Calls already on their way when the 429 came may still arrive; no call is sent during the second it asked for.
		const [pause] = schedule.pauses;
		const afterPause = schedule.turns.slice(pause.turnsBefore);
		expect(afterPause.length).toBeGreaterThan(0);
		expect(Math.min(...afterPause)).toBeGreaterThanOrEqual(pause.at + 1000);
		expect(schedule.turns).toHaveLength(apiCalls(sb).length);
	}, 60_000);

	it('a wrong Max Requests per Second is refused before any call, naming the option', async () => {
		const run = await runWith(
			sb,
			create('reuse', { maxRequestsPerSecond: -3 }),
			newItems(sb, 'refused', 1),
		);
		expect(run.error?.message).toBe(
			'Request Options: "Max Requests per Second" must be 0 or empty (no limit) or a number of at least 0.01 (one call every 100 seconds)',
		);
		expect(apiCalls(sb)).toHaveLength(0);
	});
});

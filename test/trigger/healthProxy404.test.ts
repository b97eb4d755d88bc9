import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { type IDataObject } from 'n8n-workflow';

import { startSandbox, type Sandbox, type SandboxFault } from '../../sandbox';
import { seedInstance } from '../examples/exampleSupport';
import { type PollOutcome, type StaticDataMode } from './healthPoller';
import { healthPoller } from './healthWorkflow';

/**
 * Issue case 3: a gateway's 404 must not tell every customer to reconnect. Only the platform's
 * own 404 (its JSON error with a requestId) means "no instances" or "deleted"; any other fails
 * the poll and changes nothing. A poll in which every remembered instance seems gone fires only
 * once the next poll finds the same. Polled as an active workflow (healthPoller.ts) against the
 * stand-in.
 */
const TRIGGER = 'Connection Health';
const NEXT = 'Notify';

/** What a gateway in front of the platform answers for a route it does not know. */
const PROXY_404S: {
	name: string;
	fault: Pick<SandboxFault, 'status' | 'html' | 'body'>;
	says: RegExp;
}[] = [
	{
		name: 'an nginx HTML page',
		fault: { status: 404, html: true },
		says: /^HTTP 404 with an HTML page: not an answer of Cloud Elements/,
	},
	{
		name: 'a JSON "no Route matched"',
		fault: { status: 404, body: { message: 'no Route matched with those values' } },
		says: /^HTTP 404 with "no Route matched with those values" but no request ID: not an answer of Cloud Elements/,
	},
];

const poller = (sb: Sandbox, staticData: StaticDataMode) => healthPoller(sb, {}, staticData);

/** "<id> <change>" for each item the poll started the workflow with, as the next node received them. */
function fired(outcome: PollOutcome): string[] {
	expect(outcome.error).toBeUndefined();
	if (!outcome.emitted) return [];
	expect(outcome.executedNodes).toEqual([TRIGGER, NEXT]);
	return (outcome.run!.data.resultData.runData[NEXT][0].data!.main[0] ?? []).map(
		(i) => `${String(i.json.instanceId)} ${String(i.json.change)}`,
	);
}

describe('Connection Health Trigger: a proxy’s 404 is not a deletion', () => {
	let sb: Sandbox;

	beforeAll(async () => {
		sb = await startSandbox();
	});
	afterAll(async () => {
		await sb.close();
	});
	beforeEach(() => sb.reset());

	/** Clears the faults still queued, keeping the instances. */
	function clearFaults(): void {
		const instances = [...sb.instances.entries()];
		sb.reset();
		for (const [id, instance] of instances) sb.instances.set(id, instance);
	}

	async function watchingThree(staticData: StaticDataMode) {
		const ids: number[] = [];
		for (const name of ['Customer 1', 'Customer 2', 'Customer 3']) {
			ids.push(
				(await seedInstance(sb, { element: 'infusionsoftrest', name, tags: ['customer'] })).id,
			);
		}
		const p = poller(sb, staticData);
		expect(fired(await p.poll())).toEqual([]);
		expect(Object.keys(p.current().instances as IDataObject)).toHaveLength(3);
		return { ids, p, baseline: p.current() };
	}

	function expectFailedPoll(outcome: PollOutcome, says: RegExp) {
		expect(outcome.emitted).toBeUndefined();
		expect(outcome.error?.name).toBe('NodeApiError');
		expect((outcome.error as { httpCode?: string }).httpCode).toBe('404');
		expect(outcome.error?.message).toMatch(says);
		const description = (outcome.error as { description?: string }).description;
		expect(description).toMatch(/Only the platform’s own 404 \(a JSON error with its requestId\)/);
		expect(description).toMatch(/Nothing was recorded/);
	}

	for (const staticData of ['durable', 'memory'] as const) {
		for (const proxy of PROXY_404S) {
			it(`${proxy.name} on the listing (${staticData} static data): the poll fails, nothing fires, the memory is kept`, async () => {
				const { p, baseline } = await watchingThree(staticData);
				sb.fail({ method: 'GET', path: /^\/instances(\/\d+)?$/, times: 100, ...proxy.fault });
				expectFailedPoll(await p.poll(), proxy.says);
				expect(p.current()).toEqual(baseline);

				clearFaults();
				expect(fired(await p.poll())).toEqual([]);
				expect(p.current()).toEqual(baseline);
			});

			it(`the platform’s own 404 on the listing, then ${proxy.name} on each look-up (${staticData} static data): the poll fails, nothing fires, the memory is kept`, async () => {
				const { p, baseline } = await watchingThree(staticData);
				sb.fail({ method: 'GET', path: /^\/instances$/, status: 404 });
				sb.fail({ method: 'GET', path: /^\/instances\/\d+$/, times: 100, ...proxy.fault });
				expectFailedPoll(await p.poll(), proxy.says);
				expect(p.current()).toEqual(baseline);

				clearFaults();
				expect(fired(await p.poll())).toEqual([]);
				expect(p.current()).toEqual(baseline);
			});
		}
	}

	it('every instance really deleted: the first poll fires nothing and keeps the memory, the next fires "deleted" for each, once', async () => {
		const { ids, p, baseline } = await watchingThree('durable');
		for (const id of ids) sb.instances.delete(id);

		const first = await p.poll();
		expect(fired(first)).toEqual([]);
		expect(p.current().instances).toEqual(baseline.instances);
		expect(first.logText).toMatch(
			/all 3 watched instances seem deleted; nothing fires unless the next poll finds the same/,
		);

		expect(fired(await p.poll())).toEqual(ids.map((id) => `${id} deleted`));
		expect(p.current().instances).toEqual({});
		expect(fired(await p.poll())).toEqual([]);
	});

	it('a single watched instance really deleted: reported once the next poll agrees', async () => {
		const { id } = await seedInstance(sb, {
			element: 'infusionsoftcrm',
			name: 'Only customer',
			tags: [],
		});
		const p = poller(sb, 'memory');
		expect(fired(await p.poll())).toEqual([]);
		sb.instances.delete(id);
		expect(fired(await p.poll())).toEqual([]);
		expect(fired(await p.poll())).toEqual([`${id} deleted`]);
		expect(fired(await p.poll())).toEqual([]);
	});

	it('every instance answered gone with the platform’s own 404s for one poll, back on the next: nothing ever fires, nothing is forgotten', async () => {
		const { ids, p, baseline } = await watchingThree('durable');
		sb.fail({ method: 'GET', path: /^\/instances$/, status: 404 });
		sb.fail({ method: 'GET', path: /^\/instances\/\d+$/, status: 404, times: 3 });
		expect(fired(await p.poll())).toEqual([]);
		expect(p.current().instances).toEqual(baseline.instances);

		expect(fired(await p.poll())).toEqual([]);
		expect(p.current()).toEqual(baseline);
		// Still watched: a change fires as ever.
		sb.instances.get(ids[1])!.valid = false;
		expect(fired(await p.poll())).toEqual([`${ids[1]} invalid`]);
	});
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { type IDataObject } from 'n8n-workflow';

import { EXAMPLE, startSandbox, type Sandbox } from '../../sandbox';
import { seedInstance } from '../examples/exampleSupport';
import { credentialsFor, SECRETS } from '../support/infusionsoftRun';
import { type PollOutcome, type StaticDataMode } from './healthPoller';
import { healthPoller } from './healthWorkflow';

/**
 * The Connection Health Trigger as an active workflow polls it (test/trigger/healthPoller.ts:
 * n8n-core's PollTriggerExecutor and PollContext, then WorkflowExecute for what it emits),
 * against the stand-in.
 */
const TRIGGER = 'Connection Health';
const NEXT = 'Notify';

const AUTH = `User ${EXAMPLE.userSecret}, Organization ${EXAMPLE.organizationSecret}`;

const poller = healthPoller;

/** The items the poll started the workflow with, as the next node received them. */
function fired(outcome: PollOutcome): IDataObject[] {
	expect(outcome.error).toBeUndefined();
	if (!outcome.emitted) return [];
	expect(outcome.executedNodes).toEqual([TRIGGER, NEXT]);
	expect(outcome.run?.data.resultData.error).toBeUndefined();
	return (outcome.run!.data.resultData.runData[NEXT][0].data!.main[0] ?? []).map((i) => i.json);
}

const summary = (items: IDataObject[]) =>
	items.map((i) => [i.instanceId, i.change, i.previousState, i.state]);

async function platform(sb: Sandbox, method: string, path: string): Promise<void> {
	const res = await fetch(`${sb.apiRoot}${path}`, { method, headers: { authorization: AUTH } });
	expect(res.status).toBe(200);
}

describe('Connection Health Trigger, polled as an active workflow against the stand-in', () => {
	let sb: Sandbox;

	beforeAll(async () => {
		sb = await startSandbox();
	});
	afterAll(async () => {
		await sb.close();
	});
	beforeEach(() => sb.reset());

	async function seedThree() {
		return {
			rest: await seedInstance(sb, {
				element: 'infusionsoftrest',
				name: 'Keap – customer-42',
				tags: ['customer', 'customer-42'],
			}),
			legacy: await seedInstance(sb, {
				element: 'infusionsoftcrm',
				name: 'Infusionsoft – customer-43',
				tags: ['customer'],
			}),
			internal: await seedInstance(sb, {
				element: 'infusionsoftrest',
				name: 'Internal',
				tags: ['internal'],
			}),
		};
	}

	/** Three instances, and an active trigger past its first (baseline) poll. */
	async function watching(parameters: IDataObject = {}, staticData: StaticDataMode = 'durable') {
		const s = await seedThree();
		const p = poller(sb, parameters, staticData);
		expect(fired(await p.poll())).toEqual([]);
		return { s, p };
	}

	it('first poll: records the baseline and fires nothing, even with instances already broken', async () => {
		const s = await seedThree();
		sb.instances.get(s.legacy.id)!.valid = false;
		const p = poller(sb);
		expect(fired(await p.poll())).toEqual([]);
		expect(p.saved()).toEqual({
			watch: 'infusionsoftcrm+infusionsoftrest|',
			instances: {
				[s.rest.id]: {
					s: 'healthy',
					n: 'Keap – customer-42',
					e: 'infusionsoftrest',
					t: ['customer', 'customer-42'],
				},
				[s.legacy.id]: {
					s: 'invalid',
					n: 'Infusionsoft – customer-43',
					e: 'infusionsoftcrm',
					t: ['customer'],
				},
				[s.internal.id]: { s: 'healthy', n: 'Internal', e: 'infusionsoftrest', t: ['internal'] },
			},
		});
		expect(fired(await p.poll())).toEqual([]);
	});

	it('break → fires "invalid" once, with what Get OAuth URL needs; no change → nothing; recover → "recovered"', async () => {
		const { s, p } = await watching();
		sb.instances.get(s.rest.id)!.valid = false;

		const broken = fired(await p.poll());
		expect(broken).toEqual([
			{
				change: 'invalid',
				previousState: 'healthy',
				state: 'invalid',
				instanceId: s.rest.id,
				name: 'Keap – customer-42',
				element: { key: 'infusionsoftrest', name: 'Keap REST' },
				tags: ['customer', 'customer-42'],
				valid: false,
				disabled: false,
				action: 'reauthorize',
				message: `Instance "Keap – customer-42" (${s.rest.id}, Keap REST) needs re-authorization: the platform could not refresh its token. Send the customer a new OAuth URL.`,
				reauthorizationContext: { reauthenticateInstanceId: s.rest.id, name: 'Keap – customer-42' },
				detectedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
			},
		]);
		expect(fired(await p.poll())).toEqual([]);
		expect(fired(await p.poll())).toEqual([]);

		sb.instances.get(s.rest.id)!.valid = true;
		const recovered = fired(await p.poll());
		expect(summary(recovered)).toEqual([[s.rest.id, 'recovered', 'invalid', 'healthy']]);
		expect(recovered[0]).toMatchObject({
			action: 'none',
			reauthorizationContext: null,
			valid: true,
			disabled: false,
		});
		expect(fired(await p.poll())).toEqual([]);
	});

	it('Fire on Recovery off: a recovery is recorded but starts nothing', async () => {
		const { s, p } = await watching({ fireOnRecovery: false });
		sb.instances.get(s.legacy.id)!.valid = false;
		expect(summary(fired(await p.poll()))).toEqual([
			[s.legacy.id, 'invalid', 'healthy', 'invalid'],
		]);
		sb.instances.get(s.legacy.id)!.valid = true;
		expect(fired(await p.poll())).toEqual([]);
		expect((p.saved().instances as IDataObject)[s.legacy.id]).toMatchObject({ s: 'healthy' });
		// Broken again: it fires again, since the recovery was recorded.
		sb.instances.get(s.legacy.id)!.valid = false;
		expect(summary(fired(await p.poll()))).toEqual([
			[s.legacy.id, 'invalid', 'healthy', 'invalid'],
		]);
	});

	it('Fire on Recovery by expression: "false" is off; anything but true or false is refused, by name, before any request', async () => {
		const { s, p } = await watching({ fireOnRecovery: '={{ "false" }}' });
		sb.instances.get(s.rest.id)!.valid = false;
		expect(summary(fired(await p.poll()))).toEqual([[s.rest.id, 'invalid', 'healthy', 'invalid']]);
		sb.instances.get(s.rest.id)!.valid = true;
		expect(fired(await p.poll())).toEqual([]);

		const refused = poller(sb, { fireOnRecovery: '={{ "maybe" }}' });
		const before = sb.requests.length;
		expect((await refused.poll()).error?.message).toBe('Fire on Recovery must be true or false');
		expect(sb.requests.length).toBe(before);
		expect(refused.saved()).toEqual({});
	});

	it('disable (the platform’s DELETE /instances/{id}/enabled) → "disabled"; enable → "recovered"', async () => {
		const { s, p } = await watching();
		await platform(sb, 'DELETE', `/instances/${s.internal.id}/enabled`);
		const items = fired(await p.poll());
		expect(summary(items)).toEqual([[s.internal.id, 'disabled', 'healthy', 'disabled']]);
		expect(items[0]).toMatchObject({
			action: 'enable',
			valid: true,
			disabled: true,
			reauthorizationContext: null,
		});
		expect(items[0].message).toBe(
			`Instance "Internal" (${s.internal.id}, Keap REST) is disabled: enable it (Instance → Enable).`,
		);
		expect(fired(await p.poll())).toEqual([]);
		await platform(sb, 'PUT', `/instances/${s.internal.id}/enabled`);
		expect(summary(fired(await p.poll()))).toEqual([
			[s.internal.id, 'recovered', 'disabled', 'healthy'],
		]);
	});

	it('a token refresh that failed five times (invalid and disabled at once) is one "invalid" event; re-authenticated but still disabled → "disabled"', async () => {
		const { s, p } = await watching();
		Object.assign(sb.instances.get(s.rest.id)!, { valid: false, disabled: true });
		const items = fired(await p.poll());
		expect(summary(items)).toEqual([[s.rest.id, 'invalid', 'healthy', 'invalid']]);
		expect(items[0]).toMatchObject({ valid: false, disabled: true, action: 'reauthorize' });
		expect(items[0].message).toMatch(/could not refresh its token, and it is disabled\./);
		sb.instances.get(s.rest.id)!.valid = true;
		expect(summary(fired(await p.poll()))).toEqual([
			[s.rest.id, 'disabled', 'invalid', 'disabled'],
		]);
	});

	it('delete → "deleted" once (confirmed by GET /instances/{id}: 404), then forgotten', async () => {
		const { s, p } = await watching();
		await platform(sb, 'DELETE', `/instances/${s.legacy.id}`);
		const before = sb.requests.length;
		const items = fired(await p.poll());
		expect(items).toEqual([
			expect.objectContaining({
				change: 'deleted',
				previousState: 'healthy',
				state: 'deleted',
				instanceId: s.legacy.id,
				name: 'Infusionsoft – customer-43',
				element: { key: 'infusionsoftcrm', name: 'Infusionsoft CRM' },
				tags: ['customer'],
				valid: null,
				disabled: null,
				action: 'reconnect',
				reauthorizationContext: null,
			}),
		]);
		expect(
			sb.requests.slice(before).map((r) => `${r.method} ${r.path.replace('/elements/api-v2', '')}`),
		).toEqual(['GET /instances', `GET /instances/${s.legacy.id}`]);
		expect(Object.keys(p.saved().instances as IDataObject)).not.toContain(String(s.legacy.id));
		expect(fired(await p.poll())).toEqual([]);
	});

	it('every instance deleted (GET /instances answers 404): nothing until the next poll agrees, then each one is reported deleted, once', async () => {
		const { s, p } = await watching();
		const baseline = p.saved().instances;
		for (const { id } of Object.values(s)) await platform(sb, 'DELETE', `/instances/${id}`);
		expect(fired(await p.poll())).toEqual([]);
		expect(p.saved().instances).toEqual(baseline);
		expect(summary(fired(await p.poll()))).toEqual(
			[s.rest.id, s.legacy.id, s.internal.id]
				.sort((a, b) => a - b)
				.map((id) => [id, 'deleted', 'healthy', 'deleted']),
		);
		expect(p.saved().instances).toEqual({});
		expect(fired(await p.poll())).toEqual([]);
	});

	it('a remembered instance the list left out but GET /instances/{id} still finds is not reported deleted', async () => {
		const { s, p } = await watching();
		// A platform that answers an empty list (404) once, while every instance is there.
		sb.fail({ method: 'GET', path: /^\/instances$/, status: 404 });
		expect(fired(await p.poll())).toEqual([]);
		expect(Object.keys(p.saved().instances as IDataObject).sort()).toEqual(
			[s.rest.id, s.legacy.id, s.internal.id].map(String).sort(),
		);
	});

	for (const staticData of ['durable', 'memory'] as const) {
		it(`platform 500 during a poll (${staticData} static data): a clear error, nothing recorded, the next good poll fires correctly`, async () => {
			const { s, p } = await watching({}, staticData);
			const baseline = p.current();
			sb.instances.get(s.rest.id)!.valid = false;
			await platform(sb, 'DELETE', `/instances/${s.internal.id}`);

			sb.fail({ method: 'GET', path: /^\/instances$/, status: 500, times: 1 });
			const failed = await p.poll();
			expect(failed.emitted).toBeUndefined();
			expect(failed.error?.message).toMatch(/^Cloud Elements/);
			expect(failed.error?.name).toBe('NodeApiError');
			expect((failed.error as { httpCode?: string }).httpCode).toBe('500');
			expect((failed.error as { description?: string }).description).toMatch(
				/Nothing was recorded: the next poll compares with the last successful one/,
			);
			expect(p.current()).toEqual(baseline);

			// A 500 on the confirmation GET of the deleted instance: the same.
			sb.fail({ method: 'GET', path: `/instances/${s.internal.id}`, status: 500 });
			const failedLookup = await p.poll();
			expect((failedLookup.error as { httpCode?: string }).httpCode).toBe('500');
			expect(p.current()).toEqual(baseline);

			expect(summary(fired(await p.poll()))).toEqual(
				[
					[s.rest.id, 'invalid', 'healthy', 'invalid'],
					[s.internal.id, 'deleted', 'healthy', 'deleted'],
				].sort((a, b) => Number(a[0]) - Number(b[0])),
			);
			expect(fired(await p.poll())).toEqual([]);
		});
	}

	it('401 (wrong secrets): a clear error naming the credential, nothing recorded, no secret in it', async () => {
		const { p } = await watching();
		const baseline = p.saved();
		p.setCredentials({
			cloudElementsApi: credentialsFor(sb, { account: { userSecret: 'Wrong/User+Secret=' } })
				.cloudElementsApi as never,
		});
		const failed = await p.poll();
		expect((failed.error as { httpCode?: string }).httpCode).toBe('401');
		expect((failed.error as { description?: string }).description).toMatch(
			/User Secret and Organization Secret/,
		);
		expect(
			JSON.stringify({
				message: failed.error?.message,
				description: (failed.error as { description?: string }).description,
			}),
		).not.toContain('Wrong/User+Secret=');
		expect(p.saved()).toEqual(baseline);
	});

	it('Tags: only instances with any of the tags; one listing per tag; an instance whose tag was removed is forgotten, not "deleted"', async () => {
		const s = await seedThree();
		const vip = await seedInstance(sb, { element: 'infusionsoftcrm', name: 'VIP', tags: ['vip'] });
		const p = poller(sb, { tags: 'customer-42, vip' });
		const before = sb.requests.length;
		await p.poll();
		expect(sb.requests.slice(before).map((r) => r.query['tags[]'])).toEqual(['customer-42', 'vip']);
		expect(Object.keys(p.saved().instances as IDataObject).sort()).toEqual(
			[String(s.rest.id), String(vip.id)].sort(),
		);

		sb.instances.get(s.legacy.id)!.valid = false; // not watched
		sb.instances.get(vip.id)!.valid = false;
		expect(summary(fired(await p.poll()))).toEqual([[vip.id, 'invalid', 'healthy', 'invalid']]);

		sb.instances.get(s.rest.id)!.tags = ['customer'];
		expect(fired(await p.poll())).toEqual([]);
		expect(Object.keys(p.saved().instances as IDataObject)).toEqual([String(vip.id)]);
	});

	it('Elements: one element only; another watch (changed filters) starts a new baseline silently', async () => {
		const { s, p } = await watching({ elements: 'infusionsoftcrm' });
		expect(Object.keys(p.saved().instances as IDataObject)).toEqual([String(s.legacy.id)]);
		sb.instances.get(s.rest.id)!.valid = false;
		expect(fired(await p.poll())).toEqual([]);
		sb.instances.get(s.legacy.id)!.disabled = true;
		expect(summary(fired(await p.poll()))).toEqual([
			[s.legacy.id, 'disabled', 'healthy', 'disabled'],
		]);

		p.setParameters({ elements: 'infusionsoftrest' });
		expect(fired(await p.poll())).toEqual([]);
		expect(p.saved().watch).toBe('infusionsoftrest|');
		expect(Object.keys(p.saved().instances as IDataObject).sort()).toEqual(
			[String(s.rest.id), String(s.internal.id)].sort(),
		);
	});

	it('instances of other elements on the account are never watched', async () => {
		const s = await seedThree();
		const planted = {
			...structuredClone(sb.instances.get(s.rest.id)!),
			id: 99999,
			name: 'HubSpot',
			element: { key: 'hubspotcrm' },
		};
		sb.instances.set(99999, planted as never);
		const p = poller(sb);
		await p.poll();
		expect(Object.keys(p.saved().instances as IDataObject)).not.toContain('99999');
		sb.instances.get(99999)!.valid = false;
		expect(fired(await p.poll())).toEqual([]);
	});

	it('many pages: 450 instances are all watched (3 pages), a change on the last page fires', async () => {
		const seeded = await Promise.all(
			Array.from({ length: 450 }, (_, i) =>
				seedInstance(sb, {
					element: i % 2 ? 'infusionsoftcrm' : 'infusionsoftrest',
					name: `Customer ${i}`,
					tags: ['customer'],
				}),
			),
		);
		const p = poller(sb);
		const before = sb.requests.length;
		await p.poll();
		expect(sb.requests.slice(before).map((r) => r.query.nextPage === undefined)).toEqual([
			true,
			false,
			false,
		]);
		expect(Object.keys(p.saved().instances as IDataObject)).toHaveLength(450);
		const last = seeded.map((i) => i.id).sort((a, b) => a - b)[449];
		sb.instances.get(last)!.valid = false;
		expect(summary(fired(await p.poll()))).toEqual([[last, 'invalid', 'healthy', 'invalid']]);
		expect(JSON.stringify(p.saved()).length).toBeLessThan(450 * 100);
	}, 30_000);

	it('no token, no secret in the output, the static data or the logs', async () => {
		const { s, p } = await watching();
		sb.instances.get(s.rest.id)!.valid = false;
		await platform(sb, 'DELETE', `/instances/${s.internal.id}/enabled`);
		const outcome = await p.poll();
		expect(fired(outcome)).toHaveLength(2);
		const tokens = [...sb.instances.values()].map((i) => i.token);
		expect(outcome.logText).toMatch(/Poll trigger initiated/);
		const visible = JSON.stringify([
			outcome.emitted,
			outcome.run?.data,
			p.saved(),
			outcome.logText,
		]);
		for (const secret of [...tokens, ...SECRETS]) expect(visible).not.toContain(secret);
		expect(visible).not.toMatch(/"token"/);
	});

	it('"Fetch Test Event" (manual mode): the instances in trouble now, or one item saying all are healthy; nothing recorded', async () => {
		const p = poller(sb);
		let run = await p.testEvent();
		expect(run.error).toBeUndefined();
		expect(run.outputOf(TRIGGER).map((i) => i.json)).toEqual([
			{
				change: null,
				state: 'healthy',
				action: 'none',
				watched: 0,
				message: 'No instance matches the Elements and Tags of this trigger: nothing to watch yet.',
				detectedAt: expect.any(String),
			},
		]);
		const s = await seedThree();
		run = await p.testEvent();
		expect(run.outputOf(TRIGGER).map((i) => i.json)).toEqual([
			expect.objectContaining({
				change: null,
				state: 'healthy',
				watched: 3,
				message: expect.stringMatching(/^All 3 watched instances are healthy/),
			}),
		]);
		sb.instances.get(s.legacy.id)!.valid = false;
		sb.instances.get(s.internal.id)!.disabled = true;
		run = await p.testEvent();
		expect(summary(run.outputOf(TRIGGER).map((i) => i.json))).toEqual([
			[s.legacy.id, 'invalid', null, 'invalid'],
			[s.internal.id, 'disabled', null, 'disabled'],
		]);
		expect(run.outputOf(TRIGGER)[0].json).toMatchObject({
			reauthorizationContext: { reauthenticateInstanceId: s.legacy.id },
		});
		expect(p.saved()).toEqual({});
	});
});

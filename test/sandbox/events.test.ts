import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { eventsOn } from '../../lib/keap/events';
import type { EventResource } from '../../lib/keap/events';
import { startSandbox } from '../../sandbox';
import type { Sandbox, SandboxEventDelivery } from '../../sandbox';
import type { Provisioned, Receiver, Received } from './helpers';
import { clientOf, sleep, startReceiver } from './helpers';

// The stand-in's event engine: polling events of infusionsoftrest instances, delivered to a real
// loopback receiver. Most tests poll explicitly (eventMinuteMs: 0: no timers); the timed ones
// use minutes of a few ms and count POSTs, never tight timings.

const KEY = 'whsec/Example+Key=';
const ISO_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

let sb: Sandbox;
let receiver: Receiver;

beforeAll(async () => {
	sb = await startSandbox({ eventMinuteMs: 0 });
});
afterAll(() => sb.close());
beforeEach(async () => {
	sb.reset();
	receiver = await startReceiver();
});
afterEach(() => receiver.close());

const { call, control, provision, hubOf } = clientOf(() => sb);

/** What the node sends to turn events on (shared/events.ts), for this receiver. */
function eventsConfiguration(
	options: {
		resources?: EventResource[];
		signatureKey?: string;
		intervalMinutes?: number;
		url?: string;
	} = {},
) {
	return eventsOn({
		callbackUrl: options.url ?? `${receiver.url}/webhook/keap`,
		resources: options.resources ?? ['contacts'],
		intervalMinutes: options.intervalMinutes ?? 5,
		signatureKey: 'signatureKey' in options ? options.signatureKey : KEY,
	});
}

/** A REST instance with events on (baseline taken at creation). */
function provisionWithEvents(
	options: Parameters<typeof eventsConfiguration>[0] = {},
	name = 'Keap - customer 42',
) {
	return provision('infusionsoftrest', {
		name,
		tags: ['customer-42'],
		configuration: eventsConfiguration(options),
	});
}

/** Verifies Elements-Webhook-Signature independently: HMAC-SHA256 over the raw bytes, base64, constant-time compare. */
function signatureValid(received: Received, key: string): boolean {
	const header = received.headers['elements-webhook-signature'];
	if (typeof header !== 'string' || !header.startsWith('sha256=')) return false;
	const given = Buffer.from(header.slice('sha256='.length), 'base64');
	const expected = createHmac('sha256', key).update(received.raw).digest();
	return given.length === expected.length && timingSafeEqual(given, expected);
}

async function pollAndSettle(instanceId?: number) {
	const results = sb.pollEvents(instanceId);
	await sb.eventsSettled();
	return results;
}

const eventsOf = (received: Received[]) =>
	received.flatMap((r) =>
		r.json.message.events.map(
			(e: { eventType: string; objectId: string }) => `${e.eventType} ${e.objectId}`,
		),
	);

describe('notifications', () => {
	it('a created, updated and deleted contact: signed POSTs in the documented shape', async () => {
		const instance = await provisionWithEvents();
		const hub = hubOf(instance);
		const created = await hub.post('/contacts', {
			given_name: 'Ann',
			email_addresses: [{ email: 'ann@example.com' }],
		});
		expect(created.status).toBe(200);
		const [poll] = await pollAndSettle(instance.id);
		expect(poll).toMatchObject({
			instanceId: instance.id,
			resource: 'contacts',
			events: 1,
			notifications: 1,
		});
		expect((await hub.patch(`/contacts/${created.json.id}`, { family_name: 'Smith' })).status).toBe(
			200,
		);
		await pollAndSettle();
		expect((await hub.delete(`/contacts/${created.json.id}`)).status).toBe(200);
		await pollAndSettle();

		const received = await receiver.waitFor(3);
		expect(received).toHaveLength(3);
		expect(eventsOf(received)).toEqual([
			`CREATED ${created.json.id}`,
			`UPDATED ${created.json.id}`,
			`DELETED ${created.json.id}`,
		]);
		for (const r of received) {
			expect(r.url).toBe('/webhook/keap');
			expect(r.headers['content-type']).toBe('application/json');
			expect(signatureValid(r, KEY)).toBe(true);
			expect(signatureValid(r, 'another key')).toBe(false);
			expect(r.headers['elements-webhook-id']).toBe(r.json.id);
		}
		const [first, second, third] = received.map((r) => r.json);
		expect(first).toEqual({
			severity: 'medium',
			createdDate: expect.stringMatching(
				/^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} UTC \d{4}$/,
			),
			topic: `instance-${instance.id}-infusionsoftrest-events`,
			action: 'create',
			id: expect.stringMatching(/^\d+$/),
			user: 'notifications@cloud-elements.com',
			message: {
				elementKey: 'infusionsoftrest',
				accountId: 874,
				companyId: 291,
				userId: expect.any(Number),
				eventId: expect.stringMatching(/^[\w-]{20}$/),
				instanceId: instance.id,
				instance_id: instance.id,
				instanceName: 'Keap - customer 42',
				instanceTags: ['customer-42'],
				raw: { contacts: [created.json], pollDate: expect.any(Number), objectType: 'contacts' },
				events: [
					{
						date: expect.stringMatching(ISO_SECONDS),
						pollDate: expect.stringMatching(ISO_SECONDS),
						elementKey: 'infusionsoftrest',
						hubKey: 'crm',
						eventType: 'CREATED',
						objectType: 'contacts',
						objectId: String(created.json.id),
					},
				],
			},
		});
		expect(first.message.events[0].date).toBe(created.json.date_created.replace(/\.\d{3}Z$/, 'Z'));
		expect(second.message.raw.contacts[0].family_name).toBe('Smith');
		expect(third.message.raw.contacts[0]).toMatchObject({
			id: created.json.id,
			family_name: 'Smith',
		}); // the tombstone's record
		expect(new Set(received.map((r) => r.json.id)).size).toBe(3);
		expect(new Set(received.map((r) => r.json.message.eventId)).size).toBe(3);
	});

	it('existing records are the baseline: nothing for them, nothing for a poll without changes', async () => {
		const plain = await provision('infusionsoftrest');
		sb.seedRecords(plain.id, 'contacts', [{ given_name: 'Old' }, { given_name: 'Older' }]);
		const on = await call('PATCH', `/instances/${plain.id}`, {
			body: { configuration: eventsConfiguration() },
		});
		expect(on.status).toBe(200);
		expect(on.json.eventsEnabled).toBe(true);
		expect(await pollAndSettle()).toEqual([
			expect.objectContaining({
				instanceId: plain.id,
				resource: 'contacts',
				events: 0,
				notifications: 0,
			}),
		]);
		sb.seedRecords(plain.id, 'contacts', [
			{ given_name: 'New', date_created: '2001-01-01T00:00:00.000Z' },
		]); // an old date is still new
		await pollAndSettle();
		expect(eventsOf(receiver.received)).toEqual(['CREATED 3']);
	});

	it('25 changes make 3 POSTs of at most 10 events, in order', async () => {
		const instance = await provisionWithEvents();
		sb.seedRecords(
			instance.id,
			'contacts',
			Array.from({ length: 25 }, (_, i) => ({
				given_name: `C${i + 1}`,
				date_created: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
			})),
		);
		const [poll] = await pollAndSettle(instance.id);
		expect(poll).toMatchObject({ events: 25, notifications: 3 });
		const received = await receiver.waitFor(3);
		expect(received.map((r) => r.json.message.events.length)).toEqual([10, 10, 5]);
		expect(received.map((r) => r.json.message.raw.contacts.length)).toEqual([10, 10, 5]);
		expect(eventsOf(received)).toEqual(Array.from({ length: 25 }, (_, i) => `CREATED ${i + 1}`));
		const deliveries = sb.eventDeliveries({ instanceId: instance.id });
		expect(deliveries.map((d) => [d.eventCount, d.outcome, d.status, d.attempt])).toEqual([
			[10, 'delivered', 200, 1],
			[10, 'delivered', 200, 1],
			[5, 'delivered', 200, 1],
		]);
		expect(deliveries.map((d) => d.deliveryId)).toEqual(received.map((r) => r.json.id));
	});

	it('tasks too; resources the stand-in has not are listed as ignored; no signature without a key', async () => {
		const instance = await provisionWithEvents({
			resources: ['contacts', 'tasks', 'transactions'],
			signatureKey: undefined,
		});
		const [subscription] = sb.eventSubscriptions();
		expect(subscription).toMatchObject({
			instanceId: instance.id,
			enabled: true,
			signed: false,
			resources: ['contacts', 'tasks'],
			intervalMinutes: 5,
		});
		expect(subscription.ignored).toEqual([
			{ resource: 'transactions', reason: expect.stringMatching(/no transactions/) },
		]);
		const task = await hubOf(instance).post('/tasks', { title: 'Call Ann' });
		await pollAndSettle();
		const [received] = await receiver.waitFor(1);
		expect(received.headers['elements-webhook-signature']).toBeUndefined();
		expect(received.headers['elements-webhook-id']).toBe(received.json.id);
		expect(received.json.message.raw).toEqual({
			tasks: [task.json],
			pollDate: expect.any(Number),
			objectType: 'tasks',
		});
		expect(received.json.message.events[0]).toMatchObject({
			eventType: 'CREATED',
			objectType: 'tasks',
			objectId: String(task.json.id),
		});
	});

	it('the legacy element has no polling events: its event keys are stored (it takes any key) and ignored', async () => {
		const legacy = await provision('infusionsoftcrm', { configuration: eventsConfiguration() });
		expect((await call('GET', `/instances/${legacy.id}`)).json).toMatchObject({
			eventsEnabled: false,
			configuration: {
				'event.notification.enabled': 'true',
				'event.notification.signature.key': '********',
			},
		});
		sb.seedRecords(legacy.id, 'contacts', [{ FirstName: 'Ann' }]);
		expect(sb.eventSubscriptions()).toEqual([]);
		expect(sb.pollEvents(legacy.id)).toEqual([
			expect.objectContaining({ skipped: 'events are off' }),
		]);
		expect(sb.pollEvents()).toEqual([]);
		expect(sb.pendingTimers()).toBe(0);
	});
});

describe('configuration', () => {
	it('the signature key is masked like a PASSWORD everywhere; "********" sent back keeps it', async () => {
		const instance = await provisionWithEvents();
		expect(
			(await call('GET', `/instances/${instance.id}`)).json.configuration[
				'event.notification.signature.key'
			],
		).toBe('********');
		expect(
			(await call('GET', '/instances')).json[0].configuration['event.notification.signature.key'],
		).toBe('********');
		const entries = (await call('GET', `/instances/${instance.id}/configuration`)).json;
		expect(
			entries.find((e: { key: string }) => e.key === 'event.notification.signature.key'),
		).toMatchObject({ type: 'PASSWORD', propertyValue: '********' });
		const back = await call('PATCH', `/instances/${instance.id}`, {
			body: { configuration: { 'event.notification.signature.key': '********' } },
		});
		expect(back.status).toBe(200);
		expect(sb.instances.get(instance.id)?.configuration['event.notification.signature.key']).toBe(
			KEY,
		);
		await hubOf(instance).post('/contacts', { given_name: 'Ann' });
		await pollAndSettle();
		expect(signatureValid((await receiver.waitFor(1))[0], KEY)).toBe(true);
	});

	it('infusionsoftrest still refuses keys that are not event keys', async () => {
		const instance = await provisionWithEvents();
		const response = await call('PATCH', `/instances/${instance.id}`, {
			body: { configuration: { 'event.poller.other': 'x' } },
		});
		expect(response.status).toBe(400);
		expect(response.json.message).toBe(
			'event.poller.other is not a configuration of infusionsoftrest',
		);
	});

	it('PATCH /instances/{id}/configuration/{configId} { propertyValue } turns events off and on', async () => {
		const instance = await provisionWithEvents();
		const entries = (await call('GET', `/instances/${instance.id}/configuration`)).json as Array<{
			id: number;
			key: string;
		}>;
		const enabled = entries.find((e) => e.key === 'event.notification.enabled');
		expect(enabled?.id).toEqual(expect.any(Number));
		const off = await call('PATCH', `/instances/${instance.id}/configuration/${enabled?.id}`, {
			body: { propertyValue: 'false' },
		});
		expect(off.status).toBe(200);
		expect(off.json).toMatchObject({
			id: enabled?.id,
			key: 'event.notification.enabled',
			propertyValue: 'false',
		});
		expect((await call('GET', `/instances/${instance.id}`)).json.eventsEnabled).toBe(false);
		await hubOf(instance).post('/contacts', { given_name: 'Unseen' });
		expect(sb.pollEvents(instance.id)).toEqual([
			expect.objectContaining({ skipped: 'events are off' }),
		]);
		const on = await call(
			'PATCH',
			`/instances/${instance.id}/configuration/event.notification.enabled`,
			{ body: { propertyValue: 'true' } },
		);
		expect(on.json.propertyValue).toBe('true');
		await hubOf(instance).post('/contacts', { given_name: 'Seen' });
		await pollAndSettle();
		expect(eventsOf(receiver.received)).toEqual(['CREATED 2']); // turning on again takes a new baseline
		expect(
			(
				await call('PATCH', `/instances/${instance.id}/configuration/999`, {
					body: { propertyValue: 'x' },
				})
			).status,
		).toBe(404);
		expect(
			(await call('PATCH', `/instances/${instance.id}/configuration/${enabled?.id}`, { body: {} }))
				.status,
		).toBe(400);
	});

	it('a new callback URL takes effect at once; deleting the instance drops its subscription', async () => {
		const instance = await provisionWithEvents();
		const other = await startReceiver();
		try {
			const moved = await call('PATCH', `/instances/${instance.id}`, {
				body: { configuration: { 'event.notification.callback.url': `${other.url}/moved` } },
			});
			expect(moved.status).toBe(200);
			await hubOf(instance).post('/contacts', { given_name: 'Ann' });
			await pollAndSettle();
			expect((await other.waitFor(1))[0].url).toBe('/moved');
			expect(receiver.received).toHaveLength(0);
		} finally {
			await other.close();
		}
		expect((await call('DELETE', `/instances/${instance.id}`)).status).toBe(200);
		expect(sb.eventSubscriptions()).toEqual([]);
		expect(sb.pollEvents()).toEqual([]);
	});
});

describe('break, disable, repair', () => {
	it('through the control API: a broken instance is valid: false, its hub 401s and its polls are skipped until repaired', async () => {
		const instance = await provisionWithEvents();
		const broken = await control('POST', `/instances/${instance.id}/break`);
		expect(broken.status).toBe(200);
		expect(broken.json).toMatchObject({ id: instance.id, valid: false, disabled: false });
		expect((await call('GET', `/instances/${instance.id}`)).json.valid).toBe(false);
		const hubCall = await hubOf(instance).get('/oauth/connect/userinfo');
		expect(hubCall.status).toBe(401);
		expect(JSON.parse(hubCall.json.providerMessage).error).toBe('invalid_token');
		sb.seedRecords(instance.id, 'contacts', [{ given_name: 'While broken' }]);
		const skipped = await control('POST', `/instances/${instance.id}/events/poll`);
		expect(skipped.json).toEqual([
			expect.objectContaining({
				instanceId: instance.id,
				skipped: expect.stringMatching(/valid: false/),
			}),
		]);

		const disabled = await control('POST', `/instances/${instance.id}/disable`);
		expect(disabled.json).toMatchObject({ valid: false, disabled: true });
		expect((await hubOf(instance).get('/contacts')).status).toBe(403);

		const repaired = await control('POST', `/instances/${instance.id}/repair`);
		expect(repaired.json).toMatchObject({ valid: true, disabled: false, eventsEnabled: true });
		expect((await hubOf(instance).get('/oauth/connect/userinfo')).status).toBe(200);
		const polled = await control('POST', '/events/poll', { instanceId: instance.id });
		expect(polled.json).toEqual([expect.objectContaining({ resource: 'contacts', events: 1 })]); // what changed meanwhile
		await sb.eventsSettled();
		expect(eventsOf(await receiver.waitFor(1))).toEqual(['CREATED 1']);
		expect((await control('POST', '/instances/999/break')).status).toBe(404);
	});

	it('the same from JS', async () => {
		const instance = await provisionWithEvents();
		expect(sb.breakInstance(instance.id)).toMatchObject({ valid: false });
		expect(sb.disableInstance(instance.id)).toMatchObject({ valid: false, disabled: true });
		expect(sb.repairInstance(instance.id)).toMatchObject({ valid: true, disabled: false });
		expect(() => sb.breakInstance(999)).toThrow(TypeError);
		expect(() => sb.pollEvents(999)).toThrow(TypeError);
	});
});

describe('control API', () => {
	it('GET /events, POST /events/poll, GET /events/deliveries', async () => {
		const one = await provisionWithEvents();
		const two = await provisionWithEvents({}, 'two');
		sb.seedRecords(one.id, 'contacts', [{ given_name: 'A' }]);
		sb.seedRecords(two.id, 'contacts', [{ given_name: 'B' }]);
		const subscriptions = await control('GET', '/events');
		expect(subscriptions.json.map((s: { instanceId: number }) => s.instanceId)).toEqual([
			one.id,
			two.id,
		]);
		const polled = await control('POST', '/events/poll');
		expect(
			polled.json.map((p: { instanceId: number; events: number }) => [p.instanceId, p.events]),
		).toEqual([
			[one.id, 1],
			[two.id, 1],
		]);
		await sb.eventsSettled();
		const all = await control('GET', '/events/deliveries');
		expect(all.json).toHaveLength(2);
		const mine = await control('GET', `/events/deliveries?instanceId=${two.id}`);
		expect(mine.json).toEqual([
			expect.objectContaining({
				instanceId: two.id,
				attempt: 1,
				eventCount: 1,
				status: 200,
				error: null,
				outcome: 'delivered',
				url: `${receiver.url}/webhook/keap`,
			}),
		]);
		expect((await control('POST', '/events/poll', { instanceId: 999 })).status).toBe(404);
		expect((await control('GET', '/events/deliveries?instanceId=x')).status).toBe(400);
	});
});

/** Waits until the log has an entry with this outcome. */
async function deliveryWith(
	sandbox: Sandbox,
	outcome: SandboxEventDelivery['outcome'],
	timeoutMs = 20000,
) {
	const started = Date.now();
	for (;;) {
		const found = sandbox.eventDeliveries().find((d) => d.outcome === outcome);
		if (found) return found;
		if (Date.now() - started > timeoutMs)
			throw new Error(
				`no delivery ${outcome} in ${timeoutMs} ms: ${JSON.stringify(sandbox.eventDeliveries())}`,
			);
		await sleep(10);
	}
}

describe('failing receivers', () => {
	let fast: Sandbox;
	const fastClient = clientOf(() => fast);

	beforeAll(async () => {
		// a minute of 10 ms and retries after 1..9 minutes: 450 ms of waiting in all
		fast = await startSandbox({
			eventMinuteMs: 10,
			eventRetryMinutes: [1, 2, 3, 4, 5, 6, 7, 8, 9],
		});
	});
	afterAll(() => fast.close());
	beforeEach(() => fast.reset());

	async function provisionFast(url: string): Promise<Provisioned> {
		// an interval of 10,000 minutes (100 s): no timed poll during the test
		return fastClient.provision('infusionsoftrest', {
			configuration: eventsConfiguration({ url, intervalMinutes: 10000 }),
		});
	}

	it('are retried 9 times with growing delays, then events are switched off and the notification stays queued', async () => {
		receiver.setAnswer(() => 500);
		const instance = await provisionFast(`${receiver.url}/hook`);
		await fastClient.hubOf(instance).post('/contacts', { given_name: 'Ann' });
		fast.pollEvents(instance.id);
		await deliveryWith(fast, 'deactivated');

		const log = fast.eventDeliveries({ instanceId: instance.id });
		expect(log.map((d) => d.attempt)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
		expect(log.map((d) => d.outcome)).toEqual([...Array(9).fill('retrying'), 'deactivated']);
		expect(log.map((d) => d.retryInMs)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, undefined]);
		expect(log.every((d) => d.status === 500 && d.error === null && d.eventCount === 1)).toBe(true);
		expect(new Set(log.map((d) => d.deliveryId)).size).toBe(1);
		const received = await receiver.waitFor(10);
		expect(received).toHaveLength(10);
		expect(new Set(received.map((r) => r.raw.toString('utf8'))).size).toBe(1); // the same bytes every time
		for (let i = 1; i < received.length; i++) {
			// timers never fire much early: each gap is at least its delay (no upper bound: the machine may be slow)
			expect(received[i].time - received[i - 1].time).toBeGreaterThanOrEqual(
				(log[i - 1].retryInMs ?? 0) - 3,
			);
		}

		const after = await fastClient.call('GET', `/instances/${instance.id}`);
		expect(after.json.eventsEnabled).toBe(false);
		expect(after.json.configuration['event.notification.enabled']).toBe('false');
		expect(fast.eventSubscriptions()).toEqual([
			expect.objectContaining({
				instanceId: instance.id,
				enabled: false,
				queued: 1,
				queuedEvents: 1,
			}),
		]);
		expect(fast.pendingTimers()).toBe(0);

		// the receiver is fixed and events are turned on again: the queued notification goes out first
		receiver.setAnswer(() => 200);
		await fastClient.call('PATCH', `/instances/${instance.id}`, {
			body: { configuration: { 'event.notification.enabled': 'true' } },
		});
		await fast.eventsSettled();
		const last = fast.eventDeliveries().pop();
		expect(last).toMatchObject({
			deliveryId: log[0].deliveryId,
			attempt: 1,
			outcome: 'delivered',
			status: 200,
		});
		expect(received[received.length - 1].json.message.events[0]).toMatchObject({
			eventType: 'CREATED',
			objectId: '1',
		});
	});

	it('a network error is a failure too; notifications of one instance stay in order behind a failing one', async () => {
		const closed = await startReceiver();
		const deadUrl = `${closed.url}/gone`;
		await closed.close();
		const instance = await provisionFast(deadUrl);
		await fastClient.hubOf(instance).post('/contacts', { given_name: 'First' });
		fast.pollEvents(instance.id);
		await fastClient.hubOf(instance).post('/contacts', { given_name: 'Second' });
		fast.pollEvents(instance.id);
		const first = await deliveryWith(fast, 'retrying');
		expect(first).toMatchObject({ status: null, error: 'ECONNREFUSED', url: deadUrl, attempt: 1 });
		// a new URL is tried at once; the first notification still goes first
		await fastClient.call('PATCH', `/instances/${instance.id}`, {
			body: { configuration: { 'event.notification.callback.url': `${receiver.url}/new` } },
		});
		await fast.eventsSettled();
		expect(eventsOf(await receiver.waitFor(2))).toEqual(['CREATED 1', 'CREATED 2']);
	});
});

describe('timed polls', () => {
	it('poll every interval; PATCH turns them off at once (no more POSTs, no timers) and changes the interval', async () => {
		const timed = await startSandbox({ eventMinuteMs: 20 });
		const client = clientOf(() => timed);
		try {
			const instance = await client.provision('infusionsoftrest', {
				configuration: eventsConfiguration({ intervalMinutes: 1 }),
			});
			expect(timed.pendingTimers()).toBe(1);
			await client.hubOf(instance).post('/contacts', { given_name: 'Ann' });
			expect(eventsOf(await receiver.waitFor(1))).toEqual(['CREATED 1']);

			const off = await client.call('PATCH', `/instances/${instance.id}`, {
				body: { configuration: { 'event.notification.enabled': 'false' } },
			});
			expect(off.json.eventsEnabled).toBe(false);
			await timed.eventsSettled();
			const count = receiver.received.length;
			await client.hubOf(instance).post('/contacts', { given_name: 'Bob' });
			await timed.eventsSettled();
			// no poll timer is left and nothing is on its way: no POST can come, however long one waits
			expect(timed.pendingTimers()).toBe(0);
			expect(receiver.received).toHaveLength(count);

			const patchedAt = Date.now();
			await client.call('PATCH', `/instances/${instance.id}`, {
				body: {
					configuration: {
						'event.notification.enabled': 'true',
						'event.poller.refresh_interval': '100000',
					},
				},
			});
			const answeredAt = Date.now();
			const [subscription] = timed.eventSubscriptions();
			expect(subscription.intervalMinutes).toBe(100000);
			// the next poll is one new interval (100,000 minutes of 20 ms) after the change
			const nextPoll = Date.parse(subscription.nextPollDate ?? '');
			expect(nextPoll).toBeGreaterThanOrEqual(patchedAt + 100000 * 20);
			expect(nextPoll).toBeLessThanOrEqual(answeredAt + 100000 * 20);
			expect(timed.pendingTimers()).toBe(1);
		} finally {
			await timed.close();
		}
		expect(timed.pendingTimers()).toBe(0);
	});

	it('reset() forgets subscriptions, queues and the log, and clears the timers', async () => {
		const timed = await startSandbox({ eventMinuteMs: 20 });
		try {
			await clientOf(() => timed).provision('infusionsoftrest', {
				configuration: eventsConfiguration({ intervalMinutes: 1 }),
			});
			expect(timed.pendingTimers()).toBe(1);
			timed.reset();
			expect(timed.pendingTimers()).toBe(0);
			expect(timed.eventSubscriptions()).toEqual([]);
			expect(timed.eventDeliveries()).toEqual([]);
		} finally {
			await timed.close();
		}
	});
});

describe('options', () => {
	it('refuses a bad minute or retry list', async () => {
		await expect(startSandbox({ eventMinuteMs: -1 })).rejects.toThrow(TypeError);
		await expect(startSandbox({ eventRetryMinutes: ['1'] as unknown as number[] })).rejects.toThrow(
			/eventRetryMinutes/,
		);
	});

	it('the default retry schedule waits a minute first (about 73 hours in all)', async () => {
		const slow = await startSandbox();
		try {
			receiver.setAnswer(() => 503);
			const instance = await clientOf(() => slow).provision('infusionsoftrest', {
				configuration: eventsConfiguration(),
			});
			slow.seedRecords(instance.id, 'contacts', [{ given_name: 'Ann' }]);
			slow.pollEvents(instance.id);
			expect(await deliveryWith(slow, 'retrying')).toMatchObject({
				attempt: 1,
				status: 503,
				retryInMs: 60000,
			});
		} finally {
			await slow.close();
		}
	});
});

/**
 * The Events Trigger receiving notifications over real HTTP, through n8n-core's webhook context
 * and engine: the signature, one item per event, filters, the tolerated shapes, the raw record.
 * The notifications are signed here with node:crypto, as the platform signs them.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import type { IDataObject } from 'n8n-workflow';

import type { EventsServer } from './eventsServer';
import {
	accountCredential,
	contact,
	EVENT_KEY,
	itemsOf,
	logs,
	notification,
	serveTrigger,
	sign,
} from './eventsSupport';

const API_ROOT = 'http://127.0.0.1:9/elements/api-v2'; // never called: receiving needs no platform call

let server: EventsServer | undefined;
afterEach(async () => {
	await server?.close();
	server = undefined;
});

async function serve(
	parameters: IDataObject = {},
	account: IDataObject = {},
	body?: 'n8n' | 'lazy' | 'none',
) {
	server = await serveTrigger(parameters, accountCredential(API_ROOT, account), body);
	return server;
}

/** POSTs a body signed with the key (or the given headers) and returns the answer and the run. */
async function deliver(body: IDataObject | string, headers?: Record<string, string>) {
	const text = typeof body === 'string' ? body : JSON.stringify(body);
	const answer = await server!.post(
		text,
		headers ?? { 'elements-webhook-signature': sign(text), 'elements-webhook-id': 'wh-1' },
	);
	const run = server!.runs.at(-1);
	return { ...answer, run, items: itemsOf(run).map((item) => item.json) };
}

function expectRefused(result: { status: number; run?: { run?: unknown } }, status: number) {
	expect(result.status).toBe(status);
	expect(result.run?.run).toBeUndefined();
}

describe('Events Trigger: a signed notification', () => {
	it('answers 200 at once and starts one run with one item per event, with the event’s, the instance’s and the delivery’s fields', async () => {
		await serve();
		const result = await deliver(notification(2));
		expect(result.status).toBe(200);
		expect(JSON.parse(result.text)).toEqual({ message: 'Received', events: 2 });
		expect(result.run?.run?.status).toBe('success');
		expect(result.items).toEqual([
			{
				instanceId: '7950647',
				instanceName: 'Infusionsoft – customer 42',
				instanceTags: ['customer-42'],
				elementKey: 'infusionsoftrest',
				eventType: 'CREATED',
				objectType: 'contacts',
				objectId: '14682',
				date: '2018-08-20T15:29:06Z',
				pollDate: '2018-08-20T15:29:34Z',
				eventId: 'AWVX9OTIhdQRdI1F7Q7v',
				deliveryId: '1496771',
				webhookId: 'wh-1',
				createdDate: 'Mon Aug 20 15:30:07 UTC 2018',
				signatureVerified: true,
				raw: contact(14682),
			},
			expect.objectContaining({ eventType: 'UPDATED', objectId: '14683', raw: contact(14683) }),
		]);
	});

	it('12 events are 12 items', async () => {
		await serve();
		const result = await deliver(notification(12));
		expect(result.status).toBe(200);
		expect(result.items.map((item) => item.objectId)).toEqual(
			Array.from({ length: 12 }, (_, i) => String(14682 + i)),
		);
	});

	it('Include Raw Record off: no raw field; on, an event without its record gets null', async () => {
		await serve({ includeRaw: false });
		expect((await deliver(notification(1))).items[0]).not.toHaveProperty('raw');
		await server!.close();
		await serve();
		const body = notification(2);
		((body.message as IDataObject).raw as IDataObject).contacts = [contact(14683)];
		const { items } = await deliver(body);
		expect(items.map((item) => item.raw)).toEqual([null, contact(14683)]);
	});
});

describe('Events Trigger: refused, and nothing started', () => {
	const text = JSON.stringify(notification(2));

	it.each([
		[
			'a forged signature (another key)',
			{ 'elements-webhook-signature': sign(text, 'another-key-0123') },
		],
		['the sha1= scheme', { 'elements-webhook-signature': sign(text).replace('sha256=', 'sha1=') }],
		[
			'a signature without a scheme',
			{ 'elements-webhook-signature': sign(text).slice('sha256='.length) },
		],
		['a truncated signature', { 'elements-webhook-signature': sign(text).slice(0, -4) }],
		['no signature header', {}],
	])('%s: 401', async (_name, headers) => {
		await serve();
		const result = await deliver(text, headers);
		expectRefused(result, 401);
		expect(server!.errors).toEqual([]);
	});

	it('a body changed by one byte after signing: 401', async () => {
		await serve();
		const tampered = text.replace('"14682"', '"14692"');
		expect(tampered).not.toBe(text);
		expectRefused(await deliver(tampered, { 'elements-webhook-signature': sign(text) }), 401);
	});

	it('the signature is over the exact bytes: the same JSON spaced differently is refused', async () => {
		await serve();
		const spaced = JSON.stringify(notification(2), null, 2);
		expectRefused(await deliver(spaced, { 'elements-webhook-signature': sign(text) }), 401);
		expect((await deliver(spaced)).status).toBe(200);
	});

	it('no Event Signature Key on the credential, unsigned not accepted: 401 naming what to set, in the answer and the log', async () => {
		await serve({}, { eventSignatureSecret: '' });
		const result = await deliver(text);
		expectRefused(result, 401);
		expect(JSON.parse(result.text).message).toMatch(
			/no Event Signature Key.*set its Event Signature Key.*or turn on Accept Unsigned Notifications/,
		);
		expect(logs()).toMatch(
			/notification refused \(HTTP 401\): The Cloud Elements API credential has no Event Signature Key/,
		);
	});

	it('not JSON, sent as text: 400 from the node; sent as application/json: n8n’s own 422 before the node', async () => {
		await serve();
		const bad = '{"message": {"events": [';
		expectRefused(
			await deliver(bad, { 'elements-webhook-signature': sign(bad), 'content-type': 'text/plain' }),
			400,
		);
		const viaN8n = await deliver(bad, { 'elements-webhook-signature': sign(bad) });
		expect(viaN8n.status).toBe(422);
		expect(viaN8n.run?.response).toBeUndefined();
	});

	it.each([
		['a JSON list', '[1, 2]'],
		['a JSON text', '"hello"'],
		['an empty object', '{}'],
		['a message that is not an object', '{"id": "1", "message": 42}'],
		['a message with neither events nor raw', '{"id": "1", "message": {"instanceId": 1}}'],
		['events that are not a list', '{"message": {"events": {"objectId": "1"}}}'],
		['a message text that is not JSON', '{"message": "{oops"}'],
	])('%s: 400', async (_name, body) => {
		await serve();
		expectRefused(await deliver(body), 400);
		expect(server!.errors).toEqual([]);
	});
});

describe('Events Trigger: Accept Unsigned Notifications', () => {
	const text = JSON.stringify(notification(1));

	it('off (the default): an unsigned notification is refused; on: accepted, with signatureVerified false', async () => {
		await serve();
		expectRefused(await deliver(text, {}), 401);
		await server!.close();
		await serve({ acceptUnsigned: true });
		const result = await deliver(text, {});
		expect(result.status).toBe(200);
		expect(result.items[0]).toMatchObject({ objectId: '14682', signatureVerified: false });
	});

	it('on: a wrong signature is still refused, a right one is verified', async () => {
		await serve({ acceptUnsigned: true });
		expectRefused(
			await deliver(text, { 'elements-webhook-signature': sign(text, 'another-key-0123') }),
			401,
		);
		expect((await deliver(text)).items[0].signatureVerified).toBe(true);
	});

	it('on, and the credential has no key: unsigned notifications are accepted unchecked', async () => {
		await serve({ acceptUnsigned: true }, { eventSignatureSecret: '' });
		const result = await deliver(text, {});
		expect(result.status).toBe(200);
		expect(result.items[0].signatureVerified).toBe(false);
	});
});

describe('Events Trigger: the raw body as n8n hands it over', () => {
	const text = JSON.stringify(notification(1));

	it('only readRawBody() there (not read yet): the node reads it and checks the signature', async () => {
		await serve({}, {}, 'lazy');
		const result = await deliver(text);
		expect(result.status).toBe(200);
		expect(result.items[0]).toMatchObject({ objectId: '14682', signatureVerified: true });
	});

	it('no raw body at all: a signed notification cannot be checked (401); unsigned accepted and no signature: the parsed body', async () => {
		await serve({}, {}, 'none');
		const refused = await deliver(text);
		expectRefused(refused, 401);
		expect(JSON.parse(refused.text).message).toBe(
			'n8n did not hand the trigger the raw body, so the signature cannot be checked',
		);
		await server!.close();
		await serve({ acceptUnsigned: true }, {}, 'none');
		expectRefused(await deliver(text), 401);
		const unsigned = await deliver(text, {});
		expect(unsigned.status).toBe(200);
		expect(unsigned.items[0]).toMatchObject({ objectId: '14682', signatureVerified: false });
	});
});

describe('Events Trigger: filters', () => {
	const mixed = () => {
		const body = notification(3);
		const events = (body.message as IDataObject).events as IDataObject[];
		events[1].objectType = 'tasks';
		events[2].eventType = 'DELETED';
		events.push({ eventType: 'UPDATED', objectType: 'notes', objectId: '7' });
		return body;
	};

	it.each([
		['event types', { eventTypes: ['DELETED', 'UPDATED'] }, ['14683', '14684', '7']],
		['object types', { objectTypes: ['tasks'] }, ['14683']],
		[
			'object types and free text',
			{ objectTypes: ['tasks'], otherObjectTypes: 'notes, companies' },
			['14683', '7'],
		],
		[
			'instance tags (any of)',
			{ instanceTags: 'vip, customer-42' },
			['14682', '14683', '14684', '7'],
		],
		[
			'all together',
			{ eventTypes: ['CREATED'], objectTypes: ['contacts'], instanceTags: 'customer-42' },
			['14682'],
		],
	])('%s', async (_name, filters, ids) => {
		await serve({ filters });
		const result = await deliver(mixed());
		expect(result.items.map((item) => item.objectId)).toEqual(ids);
	});

	it('a notification whose events are all filtered out: 200, nothing started', async () => {
		await serve({ filters: { instanceTags: 'someone-else' } });
		const result = await deliver(mixed());
		expect(result.status).toBe(200);
		expect(JSON.parse(result.text)).toEqual({
			message: 'Received; no event passed the filters',
			events: 0,
		});
		expect(result.run?.response?.workflowData).toBeUndefined();
		expect(result.run?.run).toBeUndefined();
	});

	it('an empty events list: 200, nothing started', async () => {
		await serve();
		const result = await deliver(notification(0));
		expect(result.status).toBe(200);
		expect(result.run?.run).toBeUndefined();
	});
});

describe('Events Trigger: other shapes (tolerated, not documented)', () => {
	it('the message as a JSON text', async () => {
		await serve();
		const body = notification(2);
		body.message = JSON.stringify(body.message);
		const { items } = await deliver(body);
		expect(items.map((item) => [item.objectId, item.deliveryId, item.instanceId])).toEqual([
			['14682', '1496771', '7950647'],
			['14683', '1496771', '7950647'],
		]);
	});

	it('a body that is the message itself: no envelope, the delivery id from the Elements-Webhook-Id header', async () => {
		await serve();
		const { items } = await deliver(notification(1).message as IDataObject);
		expect(items[0]).toMatchObject({
			objectId: '14682',
			deliveryId: 'wh-1',
			webhookId: 'wh-1',
			createdDate: null,
			raw: contact(14682),
		});
	});

	it('instance_id only', async () => {
		await serve();
		const body = notification(1);
		delete (body.message as IDataObject).instanceId;
		expect((await deliver(body)).items[0].instanceId).toBe('7950647');
	});

	it('no events but raw records: one UNKNOWN event per record id', async () => {
		await serve();
		const body = notification(3);
		delete (body.message as IDataObject).events;
		const { items } = await deliver(body);
		expect(
			items.map((item) => [item.eventType, item.objectType, item.objectId, item.pollDate]),
		).toEqual([
			['UNKNOWN', 'contacts', '14682', '2018-08-20T15:29:34.827Z'],
			['UNKNOWN', 'contacts', '14683', '2018-08-20T15:29:34.827Z'],
			['UNKNOWN', 'contacts', '14684', '2018-08-20T15:29:34.827Z'],
		]);
		expect(items[2].raw).toEqual(contact(14684));
	});

	it('a __proto__ key in the body changes no prototype', async () => {
		await serve();
		const text = JSON.stringify(notification(1)).replace(
			'"severity"',
			'"__proto__":{"polluted":true},"severity"',
		);
		const { items } = await deliver(text);
		expect(items).toHaveLength(1);
		expect(({} as IDataObject).polluted).toBeUndefined();
	});
});

it('the signing key used here is one a user could set (at least 8 characters)', () => {
	expect(EVENT_KEY.length).toBeGreaterThanOrEqual(8);
});

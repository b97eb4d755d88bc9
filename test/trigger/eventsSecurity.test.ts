/**
 * The Events Trigger against replays and signatures it cannot check, over real HTTP through
 * n8n-core's webhook context and engine: the same notification posted again starts nothing (its
 * id is kept in the workflow's static data, bounded), Max Notification Age drops stale ones, and
 * a signed notification is refused when the credential has no key to check it with.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import type { IDataObject } from 'n8n-workflow';

import type { EventsServer } from './eventsServer';
import {
	accountCredential,
	logs,
	notification,
	serveTrigger,
	sign,
	TRIGGER,
} from './eventsSupport';

const API_ROOT = 'http://127.0.0.1:9/elements/api-v2'; // never called: receiving needs no platform call
const HOUR = 60 * 60 * 1000;
/** How long an id is kept (longer than the platform's retries of one delivery), and how many at most. */
const REPLAY_WINDOW_MS = 96 * HOUR;
const MAX_REMEMBERED = 1000;

let server: EventsServer | undefined;
afterEach(async () => {
	await server?.close();
	server = undefined;
});

async function serve(parameters: IDataObject = {}, account: IDataObject = {}) {
	server = await serveTrigger(parameters, accountCredential(API_ROOT, account));
	return server;
}

/** POSTs the body signed with the key (plus the given headers); the answer, and whether it started a run. */
async function deliver(body: IDataObject | string, headers: Record<string, string> = {}) {
	const text = typeof body === 'string' ? body : JSON.stringify(body);
	const before = server!.runs.length;
	const answer = await server!.post(text, { 'elements-webhook-signature': sign(text), ...headers });
	const record = server!.runs.at(-1);
	expect(server!.runs.length).toBe(before + 1);
	return {
		status: answer.status,
		body: JSON.parse(answer.text) as IDataObject,
		ran: record?.run !== undefined,
	};
}

const executions = () => server!.runs.filter((record) => record.run?.status === 'success').length;
const remembered = () =>
	(server!.staticData[`node:${TRIGGER}`] as IDataObject | undefined)?.receivedNotifications as
		| Record<string, number>
		| undefined;

/** A notification with its own id (none: null) and createdDate (now, unless given), and its message's eventId (none: null). */
function made(
	id: string | null,
	createdAt: number = Date.now(),
	eventId: string | null = `evt-${id}`,
): IDataObject {
	const body = notification(1, { eventId });
	if (id === null) delete body.id;
	else body.id = id;
	body.createdDate = new Date(createdAt)
		.toUTCString()
		.replace(/^(\w+), (\d+) (\w+) (\d+) ([\d:]+) GMT$/, '$1 $3 $2 $5 UTC $4');
	if (eventId === null) delete (body.message as IDataObject).eventId;
	return body;
}

describe('Events Trigger: a notification posted again starts nothing', () => {
	it('the same signed notification three times: one execution; the others answered 200 without one', async () => {
		await serve();
		const body = made('1496771');
		const answers = [await deliver(body), await deliver(body), await deliver(body)];
		expect(answers.map((a) => [a.status, a.ran])).toEqual([
			[200, true],
			[200, false],
			[200, false],
		]);
		expect(answers[1].body).toEqual({ message: 'Already received; not run again', events: 0 });
		expect(executions()).toBe(1);
		expect(Object.keys(remembered() ?? {})).toEqual(['delivery:1496771']);
		expect(logs()).toMatch(
			/notification "delivery:1496771" received again \(a replay, or the platform’s retry\): not run again/,
		);
	});

	it('other notifications still run, each once', async () => {
		await serve();
		for (const id of ['1', '2', '1', '3', '2']) await deliver(made(id));
		expect(executions()).toBe(3);
	});

	it('without an id of its own: by the Elements-Webhook-Id header; without that either: by the message’s eventId', async () => {
		await serve();
		const byHeader = made(null, Date.now(), null);
		expect((await deliver(byHeader, { 'elements-webhook-id': 'wh-77' })).ran).toBe(true);
		expect((await deliver(byHeader, { 'elements-webhook-id': 'wh-77' })).ran).toBe(false);
		expect((await deliver(byHeader, { 'elements-webhook-id': 'wh-78' })).ran).toBe(true);
		const byEvent = made(null, Date.now(), 'AWVX9OTIhdQRdI1F7Q7v');
		expect((await deliver(byEvent)).ran).toBe(true);
		expect((await deliver(byEvent)).ran).toBe(false);
		expect(Object.keys(remembered() ?? {}).sort()).toEqual([
			'delivery:wh-77',
			'delivery:wh-78',
			'event:AWVX9OTIhdQRdI1F7Q7v',
		]);
	});

	it('a notification without any id runs every time', async () => {
		await serve();
		const anonymous = made(null, Date.now(), null);
		expect((await deliver(anonymous)).ran).toBe(true);
		expect((await deliver(anonymous)).ran).toBe(true);
		expect(remembered()).toBeUndefined();
	});

	it('a refused delivery (a forged signature) is not remembered: the genuine one still runs', async () => {
		await serve();
		const text = JSON.stringify(made('555'));
		expect(
			(await deliver(text, { 'elements-webhook-signature': sign(text, 'forged-key-0123') })).status,
		).toBe(401);
		expect((await deliver(text)).ran).toBe(true);
	});

	it('the window: an id run more than 96 hours ago runs again; one run an hour ago does not', async () => {
		await serve();
		server!.staticData[`node:${TRIGGER}`] = {
			receivedNotifications: {
				'delivery:old': Date.now() - REPLAY_WINDOW_MS - HOUR,
				'delivery:recent': Date.now() - HOUR,
			},
		};
		expect((await deliver(made('old'))).ran).toBe(true);
		expect((await deliver(made('recent'))).ran).toBe(false);
	});

	it('the cap: with 1,000 ids kept, a new one pushes out the oldest', async () => {
		await serve();
		const start = Date.now() - HOUR;
		const full = Object.fromEntries(
			Array.from({ length: MAX_REMEMBERED }, (_, n) => [`delivery:n${n}`, start + n]),
		);
		server!.staticData[`node:${TRIGGER}`] = { receivedNotifications: full };
		expect((await deliver(made('new'))).ran).toBe(true);
		const kept = remembered()!;
		expect(Object.keys(kept)).toHaveLength(MAX_REMEMBERED);
		expect(kept).not.toHaveProperty('delivery:n0');
		expect(kept).toHaveProperty('delivery:n1');
		expect(kept).toHaveProperty('delivery:new');
		expect((await deliver(made('n0'))).ran).toBe(true);
		expect((await deliver(made('n5'))).ran).toBe(false);
	});

	it('what is kept survives n8n saving it as JSON', async () => {
		await serve();
		await deliver(made('77'));
		const saved = JSON.parse(JSON.stringify(server!.staticData)) as IDataObject;
		for (const key of Object.keys(server!.staticData)) delete server!.staticData[key];
		Object.assign(server!.staticData, saved);
		expect((await deliver(made('77'))).ran).toBe(false);
	});
});

describe('Events Trigger: Max Notification Age (Minutes)', () => {
	it('60: a notification made two hours ago is answered 200 and starts nothing; one made now runs', async () => {
		await serve({ maxAgeMinutes: 60 });
		const stale = await deliver(made('a', Date.now() - 2 * HOUR));
		expect(stale).toMatchObject({
			status: 200,
			ran: false,
			body: { message: 'Ignored: older than Max Notification Age', events: 0 },
		});
		expect(logs()).toMatch(/notification ignored: older than Max Notification Age \(Minutes\)/);
		expect((await deliver(made('b', Date.now() - 10 * 60 * 1000))).ran).toBe(true);
	});

	it('without createdDate, the events’ pollDate tells the age; with no date at all it runs', async () => {
		await serve({ maxAgeMinutes: 60 });
		const polled = made('c');
		delete polled.createdDate;
		expect((await deliver(polled)).ran).toBe(false); // its events were polled in 2018
		const undated = made('d');
		delete undated.createdDate;
		const message = undated.message as IDataObject;
		delete (message.raw as IDataObject).pollDate;
		for (const event of message.events as IDataObject[]) delete event.pollDate;
		expect((await deliver(undated)).ran).toBe(true);
	});

	it('0 (the default): no limit', async () => {
		await serve();
		expect((await deliver(made('e', Date.parse('2018-08-20T15:30:07Z')))).ran).toBe(true);
	});

	it('not a whole number of 0 or more: activation fails naming the field', async () => {
		await serve({ maxAgeMinutes: -5 });
		await expect(server!.hooks('trigger').checkExists()).rejects.toThrow(
			'Max Notification Age (Minutes) must be a whole number, 0 or more (0: no limit)',
		);
	});
});

describe('Events Trigger: a signature that cannot be checked', () => {
	const text = JSON.stringify(made('9'));

	it.each([
		['a wrong signature', sign(text, 'some-other-key-123')],
		['a signature made with any key', sign(text, 'the-right-key-perhaps')],
		['the sha1= scheme', sign(text).replace('sha256=', 'sha1=')],
	])(
		'no key on the credential, Accept Unsigned on, %s: 401, nothing started',
		async (_name, signature) => {
			await serve({ acceptUnsigned: true }, { eventSignatureSecret: '' });
			const refused = await deliver(text, { 'elements-webhook-signature': signature });
			expect(refused.status).toBe(401);
			expect(refused.ran).toBe(false);
			expect(refused.body.message).toBe(
				'The notification is signed, but the Cloud Elements API credential has no Event Signature Key to check the signature with: set the key the instances sign with as its Event Signature Key',
			);
			expect(logs()).toMatch(
				/notification refused \(HTTP 401\): The notification is signed, but the Cloud Elements API credential has no Event Signature Key/,
			);
		},
	);

	it('no key, Accept Unsigned on: a notification with no signature (or an empty header) still runs, unverified', async () => {
		await serve({ acceptUnsigned: true }, { eventSignatureSecret: '' });
		const unsigned = await server!.post(text, {});
		expect(unsigned.status).toBe(200);
		expect(
			server!.runs.at(-1)?.run?.data.resultData.runData.Next[0].data?.main[0]?.[0].json,
		).toMatchObject({ signatureVerified: false });
		const blank = JSON.stringify(made('10'));
		expect((await server!.post(blank, { 'elements-webhook-signature': ' ' })).status).toBe(200);
		expect(executions()).toBe(2);
	});
});

/**
 * The Events Trigger keeps every secret out of what anyone sees: the account's secrets, its
 * Event Signature Key and the instances' tokens never appear in the HTTP answers, the items, the
 * run, the errors or the logs, in any form the leak detector knows (raw, URL-, form- or
 * JSON-encoded, HTML, base64), whatever a notification carries or the platform echoes back.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { IDataObject } from 'n8n-workflow';

import { useVirtualClock } from '../support/virtualClock';
import type { EventsServer } from '../trigger/eventsServer';
import { logs, notification, sentinelTestbed, sign } from '../trigger/eventsSupport';
import { allText, expectNoSecretsIn, seedInstance, SENTINEL, type Sandbox } from './support';

/** A sentinel Event Signature Key, base64-like as the others. */
const KEY = 'SntlEVT/k3+Wq9/Zx7+Lp2==';

let restId: number;
const bed = sentinelTestbed(async (sandbox) => {
	restId = await seedInstance(sandbox, 'Keap – sentinel', ['s'], 'infusionsoftrest');
});
let server: EventsServer | undefined;
// Backoff takes no real time (a 502 on every try is retried four times).
beforeAll(() => void useVirtualClock());
afterAll(() => jest.restoreAllMocks());

const tokens = () => [...bed.sb.instances.values()].map((instance) => instance.token);
/** What the trigger knows when it receives: the account's secrets and key (it reads no instance then). */
const accountSecrets = [SENTINEL.userSecret, SENTINEL.organizationSecret, KEY];
/** What registration also handles: the instances' tokens, in the listings it reads. */
const secrets = () => [...accountSecrets, ...tokens()];

async function serve(parameters: IDataObject = {}, account: IDataObject = {}) {
	server = await bed.serve(parameters, { eventSignatureSecret: KEY, ...account });
	return server;
}

/** Everything the deliveries and hooks left: answers, runs (items, errors), node errors and the logs. */
function visible(extra: unknown[] = []): string {
	return allText([
		server!.runs.map((r) => ({
			status: r.status,
			answer: r.answer,
			response: r.response,
			run: r.run,
		})),
		server!.errors,
		extra,
		logs(),
	]);
}

/** A notification whose records and names carry every secret, raw and encoded. */
function carrying(all: string[]): IDataObject {
	const body = notification(2, {
		instanceName: `Acme ${all.join(' ')}`,
		instanceTags: ['s', ...all],
	});
	const raw = (body.message as IDataObject).raw as IDataObject;
	(raw.contacts as IDataObject[])[0].notes =
		`${all.join(' ')} ${all.map(encodeURIComponent).join(' ')} ${Buffer.from(all.join(' ')).toString('base64')}`;
	return body;
}

describe('Events Trigger: no secret in answers, items, runs or logs', () => {
	it('whatever the notification carries, and however it is refused', async () => {
		await serve({ filters: { instanceTags: 's' } });
		const text = JSON.stringify(carrying(accountSecrets));
		expect(text).toContain(SENTINEL.userSecret); // the check below is not vacuous
		const deliveries: Array<[string, Record<string, string>]> = [
			[text, { 'elements-webhook-signature': sign(text, KEY) }],
			[text, { 'elements-webhook-signature': sign(text, 'forged-key-0123') }],
			[text, { 'elements-webhook-signature': sign(text, KEY).replace('sha256=', 'sha1=') }],
			[text, {}],
			[
				`${text.slice(0, -1)}`,
				{
					'elements-webhook-signature': sign(text.slice(0, -1), KEY),
					'content-type': 'text/plain',
				},
			],
			['{"message": 1}', { 'elements-webhook-signature': sign('{"message": 1}', KEY) }],
		];
		for (const [body, headers] of deliveries) await server!.post(body, headers);
		expect(server!.runs.map((r) => r.status)).toEqual([200, 401, 401, 401, 400, 400]);
		expect(server!.runs[0].run?.status).toBe('success');
		expectNoSecretsIn(visible(), secrets());
	});

	it('unsigned accepted, and a credential without a key', async () => {
		await serve({ acceptUnsigned: true });
		await server!.post(JSON.stringify(carrying(accountSecrets)));
		await server!.close();
		await serve({}, { eventSignatureSecret: '' });
		await server!.post(JSON.stringify(carrying(accountSecrets)));
		expectNoSecretsIn(visible(), secrets());
	});
});

describe('Register on Activation: no secret in errors or logs when the platform echoes them', () => {
	async function failing(
		fail: Parameters<Sandbox['fail']>[0],
		hook: 'create' | 'delete' | 'checkExists',
	) {
		await serve({ registerOnActivation: true });
		if (hook === 'delete') await server!.hooks('trigger').create();
		bed.sb.fail(fail);
		const error = await server!
			.hooks('trigger')
			[hook]()
			.then(
				() => undefined,
				(e: unknown) => e,
			);
		expectNoSecretsIn(visible([error]), secrets());
		return error as (Error & { description?: string }) | undefined;
	}

	it('a PATCH answered with the request echoed (the key and the secrets in it)', async () => {
		const error = await failing(
			{ method: 'PATCH', path: `/instances/${restId}`, status: 400, echoRequest: true },
			'create',
		);
		expect(error?.message).toMatch(/^Could not turn on the events of instance "Keap – sentinel"/);
	});

	it('the listing answered 401 with the request echoed', async () => {
		const error = await failing(
			{ method: 'GET', path: '/instances', status: 401, echoRequest: true },
			'checkExists',
		);
		expect(error).toBeDefined();
	});

	it('a 502 HTML page echoing the secrets, on every try', async () => {
		const error = await failing(
			{
				method: 'PATCH',
				path: `/instances/${restId}`,
				status: 502,
				html: true,
				times: 20,
				body: `<pre>${secrets().join('\n')}</pre>`,
			},
			'create',
		);
		expect(error?.message).toMatch(/Keap – sentinel/);
	});

	it('deactivation whose PATCH is echoed: a warning in the log, redacted', async () => {
		const error = await failing(
			{ method: 'PATCH', path: `/instances/${restId}`, status: 400, echoRequest: true },
			'delete',
		);
		expect(error).toBeUndefined();
		expect(logs()).toMatch(new RegExp(`could not turn off the events of instance ${restId}`));
	});
});

/**
 * Register on Activation against the stand-in: n8n-core's real HookContext runs the trigger's
 * checkExists / create / delete, which list the instances (all pages, through the transport) and
 * PATCH their event configuration; the static data keeps the ids between activation and
 * deactivation, as n8n keeps it.
 */
import { describe, expect, it } from '@jest/globals';
import type { IDataObject } from 'n8n-workflow';

import { seedInstance, SENTINEL } from '../faults/support';
import type { EventsServer } from './eventsServer';
import { EVENT_KEY, itemsOf, logs, notification, sentinelTestbed, sign } from './eventsSupport';

let ids: { restA: number; restB: number; restC: number; legacyA: number };
const bed = sentinelTestbed(async (sb) => {
	ids = {
		restA: await seedInstance(sb, 'Keap – A', ['a'], 'infusionsoftrest'),
		restB: await seedInstance(sb, 'Keap – B', ['b'], 'infusionsoftrest'),
		restC: await seedInstance(sb, 'Keap – C', [], 'infusionsoftrest'),
		legacyA: await seedInstance(sb, 'Legacy – A', ['a'], 'infusionsoftcrm'),
	};
});
let server: EventsServer | undefined;

async function serve(parameters: IDataObject = {}, account: IDataObject = {}) {
	server = await bed.serve({ registerOnActivation: true, ...parameters }, account);
	return server;
}

const configurationOf = (id: number) => bed.sb.instances.get(id)!.configuration;
const patches = () =>
	bed.sb.requests
		.filter((r) => r.method === 'PATCH')
		.map((r) => r.path.replace('/elements/api-v2', ''));

/** Another tool points an instance's events elsewhere, through the platform API. */
async function pointElsewhere(id: number, url: string) {
	const response = await fetch(`${bed.sb.apiRoot}/instances/${id}`, {
		method: 'PATCH',
		headers: {
			Authorization: `User ${SENTINEL.userSecret}, Organization ${SENTINEL.organizationSecret}`,
			'Content-Type': 'application/json',
		},
		body: JSON.stringify({ configuration: { 'event.notification.callback.url': url } }),
	});
	expect(response.status).toBe(200);
}

describe('Register on Activation', () => {
	it('with tags: only the Keap REST instances with any of them, pointed at the Production URL, signed; the legacy one skipped and said so', async () => {
		await serve({ registerTags: 'a, x' });
		const hooks = server!.hooks('trigger');
		expect(await hooks.checkExists()).toBe(false);
		expect(await hooks.create()).toBe(true);

		expect(patches()).toEqual([`/instances/${ids.restA}`]);
		expect(configurationOf(ids.restA)).toMatchObject({
			'event.notification.enabled': 'true',
			'event.vendor.type': 'polling',
			'event.notification.callback.url': server!.productionUrl,
			'event.notification.signature.key': EVENT_KEY,
			'event.poller.refresh_interval': '5',
		});
		expect(
			Object.keys(JSON.parse(configurationOf(ids.restA)['event.poller.configuration'] as string)),
		).toEqual(['contacts']);
		for (const other of [ids.restB, ids.restC, ids.legacyA])
			expect(configurationOf(other)).not.toHaveProperty('event.notification.enabled');
		expect(JSON.stringify(server!.staticData)).toBe(
			JSON.stringify({ 'node:Keap Events': { registeredInstanceIds: [String(ids.restA)] } }),
		);
		expect(logs()).toMatch(
			/skipped 1 legacy Infusionsoft CRM instance\(s\) \("Legacy – A" \(\d+\)\): that element has no polling events/,
		);

		// Activating again (or n8n restarting) finds it registered and sends nothing.
		bed.sb.requests.length = 0;
		expect(await hooks.checkExists()).toBe(true);
		expect(patches()).toEqual([]);
	});

	it('without tags: every Keap REST instance of the account, with the chosen resources and interval', async () => {
		await serve({ resources: ['contacts', 'tasks'], intervalMinutes: 2 });
		await server!.hooks('trigger').create();
		expect(patches().sort()).toEqual(
			[ids.restA, ids.restB, ids.restC].map((id) => `/instances/${id}`).sort(),
		);
		expect(configurationOf(ids.restC)).toMatchObject({ 'event.poller.refresh_interval': '2' });
		expect(
			Object.keys(JSON.parse(configurationOf(ids.restC)['event.poller.configuration'] as string)),
		).toEqual(['contacts', 'tasks']);
	});

	it('lists every page: 205 instances with the tag (the platform gives at most 200 a page) are all registered', async () => {
		const model = bed.sb.instances.get(ids.restA)!;
		for (let n = 0; n < 205; n++) {
			const id = 50000 + n;
			bed.sb.instances.set(id, {
				...structuredClone(model),
				id,
				name: `Bulk ${n}`,
				tags: ['bulk'],
				token: `${model.token}${n}`,
			});
		}
		await serve({ registerTags: 'bulk' });
		await server!.hooks('trigger').create();
		const listed = bed.sb.requests.filter(
			(r) => r.method === 'GET' && r.path.endsWith('/instances'),
		);
		expect(listed.length).toBeGreaterThanOrEqual(2);
		expect(patches()).toHaveLength(205);
		expect(configurationOf(50204)['event.notification.enabled']).toBe('true');
	});

	it('checkExists sees a changed setting (another interval) and create puts it right', async () => {
		await serve({ registerTags: 'a' });
		const hooks = server!.hooks('trigger');
		await hooks.create();
		bed.sb.instances.get(ids.restA)!.configuration['event.poller.refresh_interval'] = '60';
		expect(await hooks.checkExists()).toBe(false);
		await hooks.create();
		expect(configurationOf(ids.restA)['event.poller.refresh_interval']).toBe('5');
	});

	it('Sign Notifications off (with Accept Unsigned on): the key is sent empty, removing one set before', async () => {
		await serve({ registerTags: 'a', signNotifications: false, acceptUnsigned: true });
		await server!.hooks('trigger').create();
		expect(configurationOf(ids.restA)['event.notification.signature.key']).toBe('');
	});

	it('delete turns off only the instances still sending here: one pointed elsewhere since is left alone; a deleted one is skipped', async () => {
		await serve();
		const hooks = server!.hooks('trigger');
		await hooks.create();
		await pointElsewhere(ids.restB, 'https://someone-else.example/webhook/theirs');
		bed.sb.instances.delete(ids.restC);
		bed.sb.requests.length = 0;

		expect(await hooks.delete()).toBe(true);
		expect(configurationOf(ids.restA)['event.notification.enabled']).toBe('false');
		expect(configurationOf(ids.restB)).toMatchObject({
			'event.notification.enabled': 'true',
			'event.notification.callback.url': 'https://someone-else.example/webhook/theirs',
		});
		expect(patches()).toEqual([`/instances/${ids.restA}`]);
		expect(JSON.stringify(server!.staticData)).toBe(
			JSON.stringify({ 'node:Keap Events': { registeredInstanceIds: [] } }),
		);
		// Turning them on again is one key: the rest of the configuration was kept.
		expect(configurationOf(ids.restA)['event.notification.callback.url']).toBe(
			server!.productionUrl,
		);
	});

	it('registered, then a signed notification from the platform starts the workflow', async () => {
		await serve({ registerTags: 'a' });
		await server!.hooks('trigger').create();
		const key = configurationOf(ids.restA)['event.notification.signature.key'] as string;
		const text = JSON.stringify(notification(1, { instanceId: ids.restA, instanceTags: ['a'] }));
		const answer = await server!.post(text, { 'elements-webhook-signature': sign(text, key) });
		expect(answer.status).toBe(200);
		expect(itemsOf(server!.runs.at(-1))[0].json).toMatchObject({
			instanceId: String(ids.restA),
			signatureVerified: true,
		});
	});

	it('Listen for test event (manual mode) registers nothing and turns nothing off', async () => {
		await serve();
		const hooks = server!.hooks('manual');
		expect(await hooks.checkExists()).toBe(true);
		expect(await hooks.create()).toBe(true);
		expect(await hooks.delete()).toBe(true);
		expect(patches()).toEqual([]);
		expect(logs()).toMatch(/Register on Activation applies to the Production URL only/);
	});
});

describe('Register on Activation: clear errors', () => {
	async function activationError(parameters: IDataObject, account: IDataObject = {}) {
		await serve(parameters, account);
		return await server!
			.hooks('trigger')
			.create()
			.then(
				() => undefined,
				(error: Error & { description?: string }) => error,
			);
	}

	it('no instance with the tags', async () => {
		const error = await activationError({ registerTags: 'nobody' });
		expect(error?.message).toBe(
			'No Keap REST instance with any of the tags "nobody" to send events to this trigger',
		);
		expect(patches()).toEqual([]);
	});

	it('only legacy instances match: says that element has no polling events', async () => {
		bed.sb.instances.delete(ids.restA);
		const error = await activationError({ registerTags: 'a' });
		expect(error?.message).toMatch(/No Keap REST instance with any of the tags "a"/);
		expect(error?.description).toMatch(
			/1 legacy Infusionsoft CRM instance\(s\) matched, but that element has no polling events/,
		);
	});

	it('the credential has no Event Signature Key and unsigned are not accepted', async () => {
		const error = await activationError({}, { eventSignatureSecret: '' });
		expect(error?.message).toMatch(
			/no Event Signature Key.*set its Event Signature Key.*Accept Unsigned Notifications/,
		);
		expect(patches()).toEqual([]);
	});

	it('an Event Signature Key too short to be redacted', async () => {
		const error = await activationError(
			{ registerOnActivation: false },
			{ eventSignatureSecret: 'short' },
		);
		expect(error?.message).toBe(
			'The Cloud Elements API credential is unusable: Event Signature Key is shorter than 8 characters; choose a longer one',
		);
	});

	it('Sign Notifications off while unsigned are not accepted', async () => {
		const error = await activationError({ signNotifications: false });
		expect(error?.message).toMatch(/Sign Notifications is off/);
	});

	it('the platform refuses a PATCH: the error names the instance; the ones turned on before stay remembered and delete turns them off', async () => {
		await serve();
		bed.sb.fail({ method: 'PATCH', path: `/instances/${ids.restB}`, status: 500, times: 10 });
		const error = await server!
			.hooks('trigger')
			.create()
			.then(
				() => undefined,
				(e: Error) => e,
			);
		expect(error?.message).toMatch(
			new RegExp(
				`^Could not turn on the events of instance "Keap – B" \\(${ids.restB}\\): Cloud Elements`,
			),
		);
		expect(
			JSON.parse(JSON.stringify(server!.staticData))['node:Keap Events'].registeredInstanceIds,
		).toEqual([String(ids.restA)]);
		await server!.hooks('trigger').delete();
		expect(configurationOf(ids.restA)['event.notification.enabled']).toBe('false');
	});
});

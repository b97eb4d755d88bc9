/**
 * Register on Activation and instances whose events already go to another URL (another system,
 * or another workflow's trigger): left alone and named by default; taken over only when asked,
 * and then given their previous settings back on deactivation, unless someone changed them
 * since. Against the stand-in, through n8n-core's real HookContext and webhook engine, with the
 * workflow's static data kept between activation and deactivation as n8n keeps it (as JSON).
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import type { IDataObject } from 'n8n-workflow';

import { pollerConfiguration } from '../../lib/keap/events';
import { seedInstance, SENTINEL } from '../faults/support';
import type { RecordingLogger } from '../harness/recordingLogger';
import type { EventsServer } from './eventsServer';
import {
	accountCredential,
	EVENT_KEY,
	itemsOf,
	sentinelTestbed,
	serveTrigger,
	TRIGGER,
} from './eventsSupport';

const THEIRS = 'https://someone-else.example/hooks/keap?token=theirs-0123';

let ids: { a: number; b: number };
const bed = sentinelTestbed(async (sb) => {
	ids = {
		a: await seedInstance(sb, 'Keap – A', ['shop'], 'infusionsoftrest'),
		b: await seedInstance(sb, 'Keap – B', ['shop'], 'infusionsoftrest'),
	};
});

/** Other workflows' triggers served in a test; closed after it. */
const others: EventsServer[] = [];
afterEach(async () => {
	for (const other of others.splice(0)) await other.close();
});
let logMark = 0;
const entries = () => (Container.get(Logger) as unknown as RecordingLogger).entries;
beforeEach(() => {
	logMark = entries().length;
});
/** What was logged in this test. */
const newLogs = () =>
	entries()
		.slice(logMark)
		.map((entry) => `${entry.level}: ${entry.message}`)
		.join('\n');

const configurationOf = (id: number) => ({ ...bed.sb.instances.get(id)!.configuration });
const patches = () =>
	bed.sb.requests.filter((r) => r.method === 'PATCH').map((r) => Number(r.path.split('/').pop()));

/** Another system's event settings, set through the platform API. */
async function sendElsewhere(id: number, configuration: IDataObject = {}) {
	const response = await fetch(`${bed.sb.apiRoot}/instances/${id}`, {
		method: 'PATCH',
		headers: {
			Authorization: `User ${SENTINEL.userSecret}, Organization ${SENTINEL.organizationSecret}`,
			'Content-Type': 'application/json',
		},
		body: JSON.stringify({
			configuration: {
				'event.notification.enabled': 'true',
				'event.vendor.type': 'polling',
				'event.notification.callback.url': THEIRS,
				'event.notification.signature.key': 'their-own-key-0123',
				'event.poller.refresh_interval': '15',
				'event.poller.configuration': pollerConfiguration(['tasks']),
				...configuration,
			},
		}),
	});
	expect(response.status).toBe(200);
	bed.sb.requests.length = 0;
}

/** Activation, then deactivation later, with the static data saved as JSON in between, as n8n saves it. */
async function activate(server: EventsServer) {
	await server.hooks('trigger').create();
	const saved = JSON.parse(JSON.stringify(server.staticData)) as IDataObject;
	for (const key of Object.keys(server.staticData)) delete server.staticData[key];
	Object.assign(server.staticData, saved);
}

async function anotherWorkflow(parameters: IDataObject): Promise<EventsServer> {
	const credential = accountCredential(bed.sb.apiRoot, {
		userSecret: SENTINEL.userSecret,
		organizationSecret: SENTINEL.organizationSecret,
	});
	const other = await serveTrigger(
		{ registerOnActivation: true, path: 'first/events', ...parameters },
		credential,
	);
	others.push(other);
	return other;
}

/** A contact appears in the instance's Keap; the stand-in polls and delivers to wherever its events go. */
async function contactAppearsIn(id: number) {
	bed.sb.seedRecords(id, 'contacts', [
		{
			given_name: 'Ann',
			family_name: 'Lee',
			email_addresses: [{ email: `ann${Date.now()}@example.com`, field: 'EMAIL1' }],
		},
	]);
	bed.sb.pollEvents(id);
	await bed.sb.eventsSettled();
}

describe('Register on Activation: an instance whose events already go elsewhere', () => {
	it('by default it is left alone and named in the log; the others are registered', async () => {
		await sendElsewhere(ids.a);
		const before = configurationOf(ids.a);
		const server = await bed.serve({ registerOnActivation: true, registerTags: 'shop' });
		await activate(server);

		expect(patches()).toEqual([ids.b]);
		expect(configurationOf(ids.a)).toEqual(before);
		expect(configurationOf(ids.b)['event.notification.callback.url']).toBe(server.productionUrl);
		expect(newLogs()).toContain(
			`warn: Infusionsoft CRM Events Trigger: left alone 1 instance(s) whose events already go to another URL: "Keap – A" (${ids.a}) → someone-else.example. Turn on Take Over Instances Already Sending Elsewhere to send their events here.`,
		);
		expect(newLogs()).not.toContain('theirs-0123');
		expect(JSON.stringify(server.staticData)).toBe(
			JSON.stringify({ [`node:${TRIGGER}`]: { registeredInstanceIds: [String(ids.b)] } }),
		);

		// Restarting n8n: the instance left alone does not make it register again.
		bed.sb.requests.length = 0;
		expect(await server.hooks('trigger').checkExists()).toBe(true);
		expect(patches()).toEqual([]);
		await server.hooks('trigger').delete();
		expect(configurationOf(ids.a)).toEqual(before);
	});

	it('another workflow’s trigger with the same tags: activation fails naming them, and the first workflow keeps receiving', async () => {
		const first = await anotherWorkflow({ registerTags: 'shop' });
		await activate(first);
		const second = await bed.serve({ registerOnActivation: true, registerTags: 'shop' });
		bed.sb.requests.length = 0;

		const error = await second
			.hooks('trigger')
			.create()
			.then(
				() => undefined,
				(e: Error & { description?: string }) => e,
			);
		const path = new URL(first.productionUrl).pathname;
		expect(error?.message).toBe(
			`The events of every chosen instance already go to another URL: "Keap – A" (${ids.a}) → ${first.url.replace('http://', '')}, "Keap – B" (${ids.b}) → ${first.url.replace('http://', '')}`,
		);
		expect(error?.description).toMatch(/Turn on Take Over Instances Already Sending Elsewhere/);
		expect(path).toBe('/webhook/first/events');
		expect(patches()).toEqual([]);
		// n8n deactivates the workflow whose activation failed: nothing of the first one is touched.
		await second.hooks('trigger').delete();
		expect(patches()).toEqual([]);

		await contactAppearsIn(ids.a);
		expect(first.runs.filter((record) => record.run !== undefined)).toHaveLength(1);
		expect(itemsOf(first.runs.at(-1))[0].json).toMatchObject({
			instanceId: String(ids.a),
			eventType: 'CREATED',
			signatureVerified: true,
		});
	});

	it('Take Over: its events come here; deactivating gives it its previous URL, interval and resources back', async () => {
		await sendElsewhere(ids.a);
		await sendElsewhere(ids.b, {
			'event.notification.enabled': 'false',
			'event.poller.refresh_interval': '30',
		});
		const before = { a: configurationOf(ids.a), b: configurationOf(ids.b) };
		const server = await bed.serve({
			registerOnActivation: true,
			registerTags: 'shop',
			takeOverInstances: true,
			intervalMinutes: 2,
		});
		await activate(server);

		expect(patches().sort()).toEqual([ids.a, ids.b].sort());
		expect(configurationOf(ids.a)).toMatchObject({
			'event.notification.enabled': 'true',
			'event.notification.callback.url': server.productionUrl,
			'event.poller.refresh_interval': '2',
		});
		expect(newLogs()).toContain(
			`info: Infusionsoft CRM Events Trigger: took over the events of instance "Keap – A" (${ids.a}) from someone-else.example; deactivating gives them back`,
		);
		const kept = JSON.stringify(server.staticData);
		expect(kept).toContain(THEIRS); // the previous URL, to give it back
		for (const key of ['their-own-key-0123', EVENT_KEY]) expect(kept).not.toContain(key);
		expect(kept).not.toContain('********');

		await contactAppearsIn(ids.a);
		expect(itemsOf(server.runs.at(-1))[0].json).toMatchObject({
			instanceId: String(ids.a),
			signatureVerified: true,
		});

		bed.sb.requests.length = 0;
		expect(await server.hooks('trigger').delete()).toBe(true);
		const restored = { a: configurationOf(ids.a), b: configurationOf(ids.b) };
		for (const id of ['a', 'b'] as const) {
			const { 'event.notification.signature.key': _theirs, ...rest } = before[id];
			const { 'event.notification.signature.key': _ours, ...now } = restored[id];
			expect(now).toEqual(rest);
		}
		expect(restored.a['event.notification.enabled']).toBe('true');
		expect(restored.b['event.notification.enabled']).toBe('false');
		expect(newLogs()).toContain(
			`info: Infusionsoft CRM Events Trigger: gave instance ${ids.a} its previous event settings back (events to someone-else.example); it still signs with this credential’s Event Signature Key, as the platform does not show the previous signature key`,
		);
		const left = server.staticData[`node:${TRIGGER}`] as IDataObject;
		expect(left.registeredInstanceIds).toEqual([]);
		expect(left).not.toHaveProperty('takenOver');
	});

	it('Take Over from another workflow’s trigger: after deactivation the first workflow receives again', async () => {
		const first = await anotherWorkflow({ registerTags: 'shop', intervalMinutes: 7 });
		await activate(first);
		const firstSettings = configurationOf(ids.a);
		const second = await bed.serve({
			registerOnActivation: true,
			registerTags: 'shop',
			takeOverInstances: true,
		});
		await activate(second);
		expect(configurationOf(ids.a)['event.notification.callback.url']).toBe(second.productionUrl);
		await contactAppearsIn(ids.a);
		expect(second.runs.filter((record) => record.run !== undefined)).toHaveLength(1);

		await second.hooks('trigger').delete();
		expect(configurationOf(ids.a)).toEqual(firstSettings);
		await contactAppearsIn(ids.a);
		expect(first.runs.filter((record) => record.run !== undefined)).toHaveLength(1);
		expect(second.runs.filter((record) => record.run !== undefined)).toHaveLength(1);
	});

	it('Take Over, then someone changed it since: not given back; still sending here, it is turned off; pointed elsewhere, it is left alone', async () => {
		await sendElsewhere(ids.a);
		await sendElsewhere(ids.b);
		const server = await bed.serve({
			registerOnActivation: true,
			registerTags: 'shop',
			takeOverInstances: true,
		});
		await activate(server);
		bed.sb.instances.get(ids.a)!.configuration['event.poller.refresh_interval'] = '60';
		bed.sb.instances.get(ids.b)!.configuration['event.notification.callback.url'] =
			'https://a-third.example/hook';

		await server.hooks('trigger').delete();
		expect(configurationOf(ids.a)).toMatchObject({
			'event.notification.enabled': 'false',
			'event.notification.callback.url': server.productionUrl,
			'event.poller.refresh_interval': '60',
		});
		expect(configurationOf(ids.b)).toMatchObject({
			'event.notification.enabled': 'true',
			'event.notification.callback.url': 'https://a-third.example/hook',
		});
		expect(newLogs()).toContain(
			`instance ${ids.a}’s event settings were changed since activation, so its previous ones were not given back; its events are turned off`,
		);
		expect(newLogs()).toContain(
			`instance ${ids.b} was pointed elsewhere since activation; left as it is`,
		);
	});

	it('Take Over, and a deactivation that fails: what to give back is kept for the next one', async () => {
		await sendElsewhere(ids.a);
		const before = configurationOf(ids.a);
		const server = await bed.serve({
			registerOnActivation: true,
			registerTags: 'shop',
			takeOverInstances: true,
		});
		await activate(server);
		bed.sb.requests.length = 0;
		bed.sb.fail({ method: 'PATCH', path: `/instances/${ids.a}`, status: 500 });
		expect(await server.hooks('trigger').delete()).toBe(false);
		expect(patches().sort()).toEqual([ids.a, ids.b].sort());
		const kept = server.staticData[`node:${TRIGGER}`] as IDataObject;
		expect(kept.registeredInstanceIds).toEqual([String(ids.a)]);
		expect(Object.keys(kept.takenOver as IDataObject)).toEqual([String(ids.a)]);

		expect(await server.hooks('trigger').delete()).toBe(true);
		const { 'event.notification.signature.key': _a, ...rest } = before;
		const { 'event.notification.signature.key': _b, ...now } = configurationOf(ids.a);
		expect(now).toEqual(rest);
	});
});

import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';

import { eventsOn } from '../../lib/keap/events';
import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import type { Receiver } from './helpers';
import { clientOf, startReceiver } from './helpers';

// npm start keeps the stand-in's instances and records between runs (sb.snapshot / sb.restore):
// a restart must not forget customer connections or their event subscriptions.

describe('a stand-in snapshot, as npm start keeps it between runs', () => {
	let before: Sandbox;
	let after: Sandbox;
	let receiver: Receiver;

	beforeAll(async () => {
		before = await startSandbox({ eventMinuteMs: 0 });
		after = await startSandbox({ eventMinuteMs: 0 });
		receiver = await startReceiver();
	});
	afterAll(async () => {
		await before.close();
		await after.close();
	});
	afterEach(() => receiver.close());

	it('brings back instances (same ids and tokens), their records and their event subscriptions', async () => {
		const first = clientOf(() => before);
		const instance = await first.provision('infusionsoftrest', {
			name: 'Keap - customer 42',
			tags: ['customer-42'],
			configuration: eventsOn({
				callbackUrl: `${receiver.url}/webhook/keap`,
				resources: ['contacts'],
				intervalMinutes: 5,
				signatureKey: undefined,
			}),
		});
		const created = await first.hubOf(instance).post('/contacts', { given_name: 'Ann' });
		expect(created.status).toBe(200);

		// Through a file: JSON only.
		const saved = JSON.parse(JSON.stringify(before.snapshot()));
		expect(after.restore(saved)).toBe(1);

		const second = clientOf(() => after);
		const got = await second.hubOf(instance).get(`/contacts/${created.json.id}`);
		expect(got.status).toBe(200);
		expect(got.json).toMatchObject({ given_name: 'Ann' });
		expect(after.eventSubscriptions()).toEqual([
			expect.objectContaining({ instanceId: instance.id }),
		]);

		// New instances and records go on from where the first run stopped.
		const next = await second.provision('infusionsoftrest', { name: 'Keap - customer 43' });
		expect(next.id).toBe(instance.id + 1);
		const more = await second.hubOf(instance).post('/contacts', { given_name: 'Bo' });
		expect(more.json.id).toBe(Number(created.json.id) + 1);

		// And the events of the restored subscription arrive.
		after.pollEvents(instance.id);
		await after.eventsSettled();
		const received = await receiver.waitFor(1);
		expect(received[0].json.message.instanceId).toBe(instance.id);
	});

	it('refuses what is not a snapshot', () => {
		expect(() => after.restore({ version: 99 })).toThrow(/not a stand-in snapshot of version 1/);
	});
});

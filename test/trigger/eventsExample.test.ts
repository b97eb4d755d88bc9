/**
 * examples/contacts-changed-events.json as it is, against the stand-in's event engine: activating
 * it registers the customer-tagged Keap REST instances, a contact made in one reaches the
 * workflow as the stand-in's signed notification, and "The contact" shows who and what changed.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { IDataObject } from 'n8n-workflow';

import { CloudElementsApi } from '../../credentials/CloudElementsApi.credentials';
import { InfusionsoftCrmEventsTrigger } from '../../nodes/InfusionsoftCrmEventsTrigger/InfusionsoftCrmEventsTrigger.node';
import { EXAMPLE, startSandbox, type Sandbox } from '../../sandbox';
import { SetNode } from '../examples/coreNodes';
import { exampleCredentialEntries, exampleWorkflow } from '../examples/exampleSupport';
import { PassThrough } from '../support/passThrough';
import { startEventsServer, type EventsServer } from './eventsServer';

const workflow = exampleWorkflow('contacts-changed-events.json');
const TRIGGER = 'Keap events';

async function connect(sb: Sandbox, name: string, tags: string[]): Promise<number> {
	const response = await fetch(`${sb.apiRoot}/instances`, {
		method: 'POST',
		headers: {
			Authorization: `User ${EXAMPLE.userSecret}, Organization ${EXAMPLE.organizationSecret}`,
			'Content-Type': 'application/json',
		},
		body: JSON.stringify({
			element: { key: 'infusionsoftrest' },
			providerData: {
				code: sb.issueCode({ clientId: EXAMPLE.clientId, callbackUrl: EXAMPLE.callbackUrl }),
			},
			configuration: {
				'oauth.callback.url': EXAMPLE.callbackUrl,
				'oauth.api.key': EXAMPLE.clientId,
				'oauth.api.secret': EXAMPLE.clientSecret,
			},
			tags,
			name,
		}),
	});
	return ((await response.json()) as { id: number }).id;
}

describe('example: new or changed contacts in any customer’s Keap (events)', () => {
	let sb: Sandbox;
	let server: EventsServer;
	const ce = exampleCredentialEntries().find((c) => c.type === 'cloudElementsApi')!;

	beforeAll(async () => {
		sb = await startSandbox({ eventMinuteMs: 0 });
		server = await startEventsServer({
			nodeTypes: {
				'n8n-nodes-infusionsoft-crm.infusionsoftCrmEventsTrigger':
					new InfusionsoftCrmEventsTrigger(),
				'n8n-nodes-base.set': new SetNode(),
				'n8n-nodes-base.noOp': new PassThrough(),
				'n8n-nodes-base.stickyNote': new PassThrough(),
			},
			credentialTypes: [new CloudElementsApi()],
			credentials: {
				cloudElementsApi: { ...(ce.data as IDataObject), baseUrl: sb.apiRoot } as never,
			},
			nodes: workflow.nodes,
			connections: workflow.connections,
			trigger: TRIGGER,
		});
	});
	afterAll(async () => {
		await server?.close();
		await sb?.close();
	});

	it('registers the customers on activation, hands on a new contact of one of them, and turns their events off on deactivation', async () => {
		const acme = await connect(sb, 'Acme', ['customer']);
		const internal = await connect(sb, 'Our own Keap', ['internal']);
		const hooks = server.hooks('trigger');
		expect(await hooks.checkExists()).toBe(false);
		expect(await hooks.create()).toBe(true);
		const config = (id: number) => sb.instances.get(id)!.configuration;
		expect(config(acme)).toMatchObject({
			'event.notification.enabled': 'true',
			'event.notification.callback.url': server.productionUrl,
		});
		expect(config(internal)['event.notification.enabled']).toBeUndefined();

		sb.seedRecords(acme, 'contacts', [
			{
				given_name: 'Ada',
				family_name: 'Lovelace',
				email_addresses: [{ email: 'ada@acme.example', field: 'EMAIL1' }],
			},
		]);
		sb.pollEvents(acme);
		await sb.eventsSettled();
		const delivered = sb.eventDeliveries({ instanceId: acme });
		expect(delivered.map((d) => d.status)).toEqual([200]);
		const run = server.runs.find((r) => r.run)?.run;
		const out = run?.data.resultData.runData['The contact']?.[0]?.data?.main?.[0]?.map(
			(i) => i.json,
		);
		expect(out).toEqual([
			{
				customer: 'Acme',
				instanceId: String(acme),
				change: 'CREATED',
				contactId: expect.any(String),
				name: 'Ada Lovelace',
				email: 'ada@acme.example',
				changedAt: expect.any(String),
			},
		]);

		expect(await hooks.delete()).toBe(true);
		expect(config(acme)['event.notification.enabled']).toBe('false');
	});
});

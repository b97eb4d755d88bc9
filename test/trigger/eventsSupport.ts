/** Shared by the Events Trigger's tests: signing, notifications, a workflow served by eventsServer. */
import { createHmac } from 'node:crypto';

import { afterAll, afterEach, beforeAll, beforeEach } from '@jest/globals';
import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import {
	NodeConnectionTypes,
	type IDataObject,
	type INode,
	type INodeExecutionData,
} from 'n8n-workflow';

import { CloudElementsApi } from '../../credentials/CloudElementsApi.credentials';
import { InfusionsoftCrmEventsTrigger } from '../../nodes/InfusionsoftCrmEventsTrigger/InfusionsoftCrmEventsTrigger.node';
import { InfusionsoftCrmTrigger } from '../../nodes/InfusionsoftCrmTrigger/InfusionsoftCrmTrigger.node';
import { SENTINEL, startSentinelSandbox, type Sandbox } from '../faults/support';
import type { RecordingLogger } from '../harness/recordingLogger';
import { logText } from '../harness/recordingLogger';
import { PassThrough } from '../support/passThrough';
import { startEventsServer, type EventsRun, type EventsServer } from './eventsServer';

export const TRIGGER_TYPE = 'n8n-nodes-infusionsoft-crm.infusionsoftCrmEventsTrigger';
/** The same trigger as the node creator lists it (see InfusionsoftCrmTrigger). */
export const LISTED_TRIGGER_TYPE = 'n8n-nodes-infusionsoft-crm.infusionsoftCrmTrigger';
export const TRIGGER = 'Keap Events';
export const NEXT = 'Next';
/** Base64-like, with `/ + =`, as a key someone generates. */
export const EVENT_KEY = 'EvtKEY/9q+Zr4Wx/Lm2+Pa7==';

export function sign(body: string | Buffer, key = EVENT_KEY): string {
	return `sha256=${createHmac('sha256', key).update(body).digest('base64')}`;
}

export function contact(id: number): IDataObject {
	return {
		id,
		given_name: `Ann${id}`,
		family_name: 'Lee',
		email_addresses: [{ email: `ann${id}@example.com`, field: 'EMAIL1' }],
	};
}

/** The documented notification: an envelope, its message, `count` contact events and their raw records. */
export function notification(count = 2, message: IDataObject = {}): IDataObject {
	const ids = Array.from({ length: count }, (_, i) => 14682 + i);
	return {
		severity: 'medium',
		createdDate: 'Mon Aug 20 15:30:07 UTC 2018',
		topic: 'instance-7950647-infusionsoftrest-events',
		action: 'create',
		id: '1496771',
		user: 'notifications@cloud-elements.com',
		message: {
			elementKey: 'infusionsoftrest',
			accountId: 874,
			companyId: 291,
			userId: 2749,
			eventId: 'AWVX9OTIhdQRdI1F7Q7v',
			instanceId: 7950647,
			instance_id: 7950647,
			instanceName: 'Infusionsoft – customer 42',
			instanceTags: ['customer-42'],
			raw: { contacts: ids.map(contact), pollDate: 1534778974827, objectType: 'contacts' },
			events: ids.map((id, i) => ({
				date: '2018-08-20T15:29:06Z',
				pollDate: '2018-08-20T15:29:34Z',
				elementKey: 'infusionsoftrest',
				hubKey: 'crm',
				eventType: i % 2 === 0 ? 'CREATED' : 'UPDATED',
				objectType: 'contacts',
				objectId: String(id),
			})),
			...message,
		},
	};
}

export function accountCredential(apiRoot: string, account: IDataObject = {}): IDataObject {
	return {
		baseUrl: apiRoot,
		userSecret: 'EvtUSR/q8+Zk3Wv/Pw9x+Fa==',
		organizationSecret: 'EvtORG+7bQ/mR2+Lk/4Yt8e=',
		eventSignatureSecret: EVENT_KEY,
		...account,
	};
}

/** Trigger → Next, served on loopback. */
export async function serveTrigger(
	parameters: IDataObject,
	account: IDataObject,
	body?: 'n8n' | 'lazy' | 'none',
	type = TRIGGER_TYPE,
): Promise<EventsServer> {
	const nodes: INode[] = [
		{
			id: 'trigger',
			name: TRIGGER,
			type,
			typeVersion: 1,
			position: [0, 0],
			webhookId: '0c6b3a4e-1f2d-4e5f-8a9b-7c6d5e4f3a2b',
			parameters: { path: 'infusionsoft-crm/events', ...parameters },
			credentials: { cloudElementsApi: { id: 'ce', name: 'Cloud Elements' } },
		},
		{
			id: 'next',
			name: NEXT,
			type: 'n8n-nodes-test.passThrough',
			typeVersion: 1,
			position: [200, 0],
			parameters: {},
		},
	];
	return await startEventsServer({
		nodeTypes: {
			[TRIGGER_TYPE]: new InfusionsoftCrmEventsTrigger(),
			[LISTED_TRIGGER_TYPE]: new InfusionsoftCrmTrigger(),
			'n8n-nodes-test.passThrough': new PassThrough(),
		},
		credentialTypes: [new CloudElementsApi()],
		credentials: { cloudElementsApi: account as never },
		nodes,
		connections: {
			[TRIGGER]: { main: [[{ node: NEXT, type: NodeConnectionTypes.Main, index: 0 }]] },
		},
		trigger: TRIGGER,
		body,
	});
}

/** The items the run passed on (what Next received), or [] when nothing ran. */
export function itemsOf(run: EventsRun | undefined): INodeExecutionData[] {
	return run?.run?.data.resultData.runData[NEXT]?.[0]?.data?.main?.[0] ?? [];
}

/** Everything logged so far in this test file (n8n-core, the engine, the node). */
export function logs(): string {
	return logText((Container.get(Logger) as unknown as RecordingLogger).entries);
}

export interface Testbed {
	sb: Sandbox;
	server: EventsServer | undefined;
	/** Serves the trigger with the sentinel account (and the given credential fields); closed after the test. */
	serve(parameters?: IDataObject, account?: IDataObject): Promise<EventsServer>;
}

/**
 * A sentinel stand-in for a test file (the account the fault suite uses), reset and seeded before
 * each test; the trigger a test serves is closed after it.
 */
export function sentinelTestbed(seed: (sb: Sandbox) => Promise<void>): Testbed {
	const bed: Testbed = {
		sb: undefined as unknown as Sandbox,
		server: undefined,
		serve: async (parameters = {}, account = {}) => {
			const credential = accountCredential(bed.sb.apiRoot, {
				userSecret: SENTINEL.userSecret,
				organizationSecret: SENTINEL.organizationSecret,
				...account,
			});
			bed.server = await serveTrigger(parameters, credential);
			return bed.server;
		},
	};
	beforeAll(async () => {
		bed.sb = await startSentinelSandbox();
	});
	afterAll(async () => {
		await bed.sb.close();
	});
	beforeEach(async () => {
		bed.sb.reset();
		await seed(bed.sb);
	});
	afterEach(async () => {
		await bed.server?.close();
		bed.server = undefined;
	});
	return bed;
}

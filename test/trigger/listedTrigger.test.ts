/**
 * n8n's node creator lists a node's triggers from the node type named like it plus "Trigger"
 * only: InfusionsoftCrmTrigger is the Events Trigger under that name, and the Events Trigger
 * itself is hidden there but still runs the workflows saved with it.
 */
import { afterEach, describe, expect, it } from '@jest/globals';

import { InfusionsoftCrm } from '../../nodes/InfusionsoftCrm/InfusionsoftCrm.node';
import { InfusionsoftCrmEventsTrigger } from '../../nodes/InfusionsoftCrmEventsTrigger/InfusionsoftCrmEventsTrigger.node';
import { InfusionsoftCrmTrigger } from '../../nodes/InfusionsoftCrmTrigger/InfusionsoftCrmTrigger.node';
import type { EventsServer } from './eventsServer';
import {
	accountCredential,
	itemsOf,
	LISTED_TRIGGER_TYPE,
	notification,
	serveTrigger,
	sign,
	TRIGGER_TYPE,
} from './eventsSupport';

const API_ROOT = 'http://127.0.0.1:9/elements/api-v2';

let server: EventsServer | undefined;
afterEach(async () => {
	await server?.close();
	server = undefined;
});

describe('the trigger the node creator lists beside the action node', () => {
	it('is named as n8n pairs it (the action node’s name + "Trigger") and shown; the Events Trigger is hidden', () => {
		const listed = new InfusionsoftCrmTrigger().description;
		expect(listed.name).toBe(`${new InfusionsoftCrm().description.name}Trigger`);
		expect(listed.displayName).toBe('Infusionsoft CRM (Cloud Elements) Trigger');
		expect(listed.hidden).toBeUndefined();
		expect(new InfusionsoftCrmEventsTrigger().description.hidden).toBe(true);
		const { name, displayName, hidden, ...rest } = listed;
		const {
			name: _name,
			displayName: _displayName,
			hidden: _hidden,
			...events
		} = new InfusionsoftCrmEventsTrigger().description;
		expect([name, displayName, hidden]).not.toEqual([_name, _displayName, _hidden]);
		expect(rest).toEqual(events);
	});

	it.each([
		['the listed trigger', LISTED_TRIGGER_TYPE],
		['the Events Trigger of saved workflows', TRIGGER_TYPE],
	])('%s runs a signed notification the same way', async (_label, type) => {
		server = await serveTrigger({}, accountCredential(API_ROOT), undefined, type);
		const body = JSON.stringify(notification(2));
		const answer = await server.post(body, {
			'elements-webhook-signature': sign(body),
			'elements-webhook-id': 'wh-1',
		});
		expect(answer.status).toBe(200);
		const items = itemsOf(server.runs.at(-1)).map((item) => item.json);
		expect(items.map((item) => [item.eventType, item.objectId])).toEqual([
			['CREATED', '14682'],
			['UPDATED', '14683'],
		]);
	});
});

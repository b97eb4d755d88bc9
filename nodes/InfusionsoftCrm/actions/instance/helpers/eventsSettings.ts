import type { IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { EventResource, EventsSettings } from '../../../../../lib/keap/events';
import {
	DEFAULT_EVENT_RESOURCES,
	DEFAULT_INTERVAL_MINUTES,
	EVENT_RESOURCES,
	isEventResource,
} from '../../../../../lib/keap/events';
import { booleanParameter, inputError, textParameter } from '../../../../../lib/params/input';
import { isHttpUrl } from '../../../../../lib/security/apiRoot';

const capitalized = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/** The event settings of an instance, as fields: Create (with Send Events on) and Configure Events show them. */
export function eventsSettingsFields(displayOptions: IDisplayOptions): INodeProperties[] {
	const fields: INodeProperties[] = [
		{
			displayName: 'Events Callback URL',
			name: 'eventsCallbackUrl',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'https://n8n.example.com/webhook/…/events',
			hint: 'Paste the Production URL of an Events Trigger (open the trigger → Webhook URLs → Production URL); its workflow must be active',
			description: 'Where the platform POSTs the notifications of this instance',
		},
		{
			displayName: 'Resources to Watch',
			name: 'eventResources',
			type: 'multiOptions',
			options: EVENT_RESOURCES.map((resource) => ({
				name: capitalized(resource),
				value: resource,
			})),
			default: [...DEFAULT_EVENT_RESOURCES],
			description:
				'What the platform polls in the customer’s Keap and reports when a record is created, changed or deleted',
		},
		{
			displayName: 'Poll Every (Minutes)',
			name: 'eventsInterval',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 1440, numberPrecision: 0 },
			default: DEFAULT_INTERVAL_MINUTES,
			description:
				'How often the platform polls the customer’s Keap, in minutes (1 or more). Each poll costs calls against the Keap app’s limits (1,500 a minute, 150,000 a day per app).',
		},
		{
			displayName: 'Sign Notifications',
			name: 'signEvents',
			type: 'boolean',
			default: true,
			description:
				'Whether the platform signs each notification with the Event Signature Key of the Cloud Elements API credential, so that the Events Trigger can refuse forged ones. Needs that key in the credential.',
		},
	];
	// One copy per field: n8n's updateDisplayOptions merges into the object it is given.
	return fields.map((field) => ({ ...field, displayOptions: structuredClone(displayOptions) }));
}

function resourcesParameter(ctx: IExecuteFunctions, itemIndex: number): EventResource[] {
	const raw = ctx.getNodeParameter('eventResources', itemIndex, DEFAULT_EVENT_RESOURCES) as unknown;
	const list =
		typeof raw === 'string'
			? raw
					.split(',')
					.map((part) => part.trim())
					.filter(Boolean)
			: raw;
	const hint = `Choose from: ${EVENT_RESOURCES.join(', ')}.`;
	if (!Array.isArray(list))
		throw inputError(ctx, itemIndex, 'Resources to Watch must be a list', hint);
	if (list.length === 0) throw inputError(ctx, itemIndex, 'Resources to Watch is empty', hint);
	const unknown = list.filter((resource) => !isEventResource(resource));
	if (unknown.length > 0) {
		throw inputError(
			ctx,
			itemIndex,
			`Resources to Watch has ${unknown.length === 1 ? 'an unknown resource' : 'unknown resources'}: ${unknown.map(String).join(', ')}`,
			hint,
		);
	}
	return [...new Set(list as EventResource[])];
}

function intervalParameter(ctx: IExecuteFunctions, itemIndex: number): number {
	const raw = ctx.getNodeParameter(
		'eventsInterval',
		itemIndex,
		DEFAULT_INTERVAL_MINUTES,
	) as unknown;
	const minutes = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
	if (typeof minutes !== 'number' || !Number.isInteger(minutes) || minutes < 1 || minutes > 1440) {
		throw inputError(ctx, itemIndex, 'Poll Every (Minutes) must be a whole number from 1 to 1440');
	}
	return minutes;
}

/** Reads and checks the event settings of an item; `signatureKey` is the account's (empty when it has none). */
export function readEventsSettings(
	ctx: IExecuteFunctions,
	itemIndex: number,
	signatureKey: string,
): EventsSettings {
	const callbackUrl = textParameter(ctx, 'eventsCallbackUrl', 'Events Callback URL', itemIndex, {
		required: true,
		hint: 'Paste the Production URL of an Events Trigger.',
	});
	if (!isHttpUrl(callbackUrl)) {
		throw inputError(
			ctx,
			itemIndex,
			'Events Callback URL is not an http(s) URL',
			'Paste the Production URL of an Events Trigger.',
		);
	}
	const resources = resourcesParameter(ctx, itemIndex);
	const intervalMinutes = intervalParameter(ctx, itemIndex);
	const sign = booleanParameter(ctx, 'signEvents', 'Sign Notifications', itemIndex, true);
	if (sign && !signatureKey) {
		throw inputError(
			ctx,
			itemIndex,
			'Sign Notifications is on, but the Cloud Elements API credential has no Event Signature Key',
			'Set an Event Signature Key in the credential (the Events Trigger checks notifications with the same credential), or turn off Sign Notifications.',
		);
	}
	return { resources, intervalMinutes, callbackUrl, signatureKey: sign ? signatureKey : undefined };
}

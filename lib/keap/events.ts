import type { IDataObject } from 'n8n-workflow';

/**
 * The platform's event settings of an instance, in one place: the configuration keys that turn
 * polling on (Create, Configure Events, the Events Trigger's registration) and the reading of
 * them back. Values are strings, as every configuration value of the platform.
 */
export const EVENT_KEYS = {
	enabled: 'event.notification.enabled',
	vendorType: 'event.vendor.type',
	callbackUrl: 'event.notification.callback.url',
	signatureKey: 'event.notification.signature.key',
	interval: 'event.poller.refresh_interval',
	poller: 'event.poller.configuration',
} as const;

/** The resources the platform documents polling for on the Keap REST element. */
export const EVENT_RESOURCES = [
	'contacts',
	'tasks',
	'opportunities',
	'orders',
	'transactions',
	'appointments',
	'files',
] as const;
export type EventResource = (typeof EVENT_RESOURCES)[number];

export const DEFAULT_EVENT_RESOURCES: EventResource[] = ['contacts'];
export const DEFAULT_INTERVAL_MINUTES = 5;

/** Keap REST's date fields per resource (its records' own names; unverified on the live element for all but contacts and tasks). */
const DATE_FIELDS: Record<EventResource, { created: string; updated: string }> = {
	contacts: { created: 'date_created', updated: 'last_updated' },
	tasks: { created: 'date_created', updated: 'last_updated' },
	opportunities: { created: 'date_created', updated: 'last_updated' },
	orders: { created: 'creation_date', updated: 'modification_date' },
	transactions: { created: 'transaction_date', updated: 'transaction_date' },
	appointments: { created: 'date_created', updated: 'last_updated' },
	files: { created: 'date_created', updated: 'last_updated' },
};

const DATE_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'";

export interface EventsSettings {
	resources: EventResource[];
	intervalMinutes: number;
	callbackUrl: string;
	/** The account's Event Signature Key when notifications are to be signed. */
	signatureKey?: string;
}

export function isEventResource(value: unknown): value is EventResource {
	return typeof value === 'string' && (EVENT_RESOURCES as readonly string[]).includes(value);
}

/** `event.poller.configuration`: what to poll and how its dates read. */
export function pollerConfiguration(resources: EventResource[]): string {
	const entries = resources.map((resource) => {
		const dates = DATE_FIELDS[resource];
		return [
			resource,
			{
				url: `/hubs/crm/${resource}`,
				idField: 'id',
				datesConfiguration: {
					updatedDateField: dates.updated,
					updatedDateFormat: DATE_FORMAT,
					updatedDateTimezone: 'GMT',
					createdDateField: dates.created,
					createdDateFormat: DATE_FORMAT,
					createdDateTimezone: 'GMT',
				},
			},
		];
	});
	return JSON.stringify(Object.fromEntries(entries));
}

/** The configuration keys that turn events on. Without a key the signature key is sent empty, which removes a key set before. */
export function eventsOn(settings: EventsSettings): Record<string, string> {
	return {
		[EVENT_KEYS.enabled]: 'true',
		[EVENT_KEYS.vendorType]: 'polling',
		[EVENT_KEYS.callbackUrl]: settings.callbackUrl,
		[EVENT_KEYS.signatureKey]: settings.signatureKey ?? '',
		[EVENT_KEYS.interval]: String(settings.intervalMinutes),
		[EVENT_KEYS.poller]: pollerConfiguration(settings.resources),
	};
}

/** The configuration key that turns events off; the rest is kept so that turning them on again is one key. */
export function eventsOff(): Record<string, string> {
	return { [EVENT_KEYS.enabled]: 'false' };
}

export interface EventsState {
	enabled: boolean;
	callbackUrl: string | undefined;
	resources: string[];
	intervalMinutes: number | undefined;
	/** Whether a signature key is set (its value is never read back into output). */
	signed: boolean;
}

/** An instance's event settings, from its configuration as the platform returns it (values may be masked). */
export function readEvents(configuration: unknown): EventsState {
	const config =
		configuration !== null && typeof configuration === 'object'
			? (configuration as IDataObject)
			: {};
	const text = (key: string) =>
		typeof config[key] === 'string'
			? (config[key] as string)
			: config[key] === undefined || config[key] === null
				? ''
				: String(config[key]);
	let resources: string[] = [];
	try {
		const poller = JSON.parse(text(EVENT_KEYS.poller) || '{}') as unknown;
		if (poller !== null && typeof poller === 'object' && !Array.isArray(poller))
			resources = Object.keys(poller);
	} catch {
		resources = [];
	}
	const interval = Number(text(EVENT_KEYS.interval));
	return {
		enabled: text(EVENT_KEYS.enabled).toLowerCase() === 'true',
		callbackUrl: text(EVENT_KEYS.callbackUrl) || undefined,
		resources,
		intervalMinutes: Number.isFinite(interval) && interval > 0 ? interval : undefined,
		signed: text(EVENT_KEYS.signatureKey) !== '',
	};
}

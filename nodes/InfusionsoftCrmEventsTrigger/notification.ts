import { createHmac, timingSafeEqual } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

/**
 * The platform's event notifications, read without I/O: the signature check over the raw bytes,
 * the notification's shapes, one item per event, and the filters. See "Events" in the team's
 * notes on the platform; what is only tolerated (not documented) is said where it is read.
 */

export const SIGNATURE_HEADER = 'elements-webhook-signature';
export const WEBHOOK_ID_HEADER = 'elements-webhook-id';
const SIGNATURE_SCHEME = 'sha256=';

export const EVENT_TYPES = ['CREATED', 'UPDATED', 'DELETED', 'UNKNOWN'] as const;

export type SignatureCheck = 'valid' | 'missing' | 'invalid';

/** The signature header's value, trimmed; undefined when there is none or it is blank. */
function signatureText(header: unknown): string | undefined {
	const value = Array.isArray(header) ? header[0] : header;
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

export function hasSignature(header: unknown): boolean {
	return signatureText(header) !== undefined;
}

/**
 * `Elements-Webhook-Signature: sha256=<base64 HMAC-SHA256(key, raw body)>`, over the exact bytes
 * received, compared in constant time. Only the `sha256=` scheme counts (`sha1=` is refused).
 */
export function checkSignature(header: unknown, rawBody: Buffer, key: string): SignatureCheck {
	const text = signatureText(header);
	if (text === undefined) return 'missing';
	if (!text.toLowerCase().startsWith(SIGNATURE_SCHEME)) return 'invalid';
	const given = Buffer.from(text.slice(SIGNATURE_SCHEME.length), 'utf8');
	const expected = Buffer.from(createHmac('sha256', key).update(rawBody).digest('base64'), 'utf8');
	// timingSafeEqual needs equal lengths; a different length is no match (and says nothing about the key).
	return given.length === expected.length && timingSafeEqual(given, expected) ? 'valid' : 'invalid';
}

export interface Notification {
	/** The envelope's fields (`id`, `createdDate`, …); empty when the body is the message itself. */
	envelope: IDataObject;
	message: IDataObject;
	/** The events to emit: the message's, or derived from `raw` when it has none. */
	events: IDataObject[];
	/** Which tolerated (undocumented) shapes this one needed, for the debug log. */
	tolerated: string[];
}

export type ReadResult = { ok: true; notification: Notification } | { ok: false; problem: string };

const isObject = (value: unknown): value is IDataObject =>
	value !== null && typeof value === 'object' && !Array.isArray(value);

/** JSON text as data; a `__proto__` key never becomes a prototype. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
	try {
		return {
			ok: true,
			value: JSON.parse(text, (key, value: unknown) => (key === '__proto__' ? undefined : value)),
		};
	} catch {
		return { ok: false };
	}
}

const MESSAGE_KEYS = ['events', 'raw', 'instanceId', 'instance_id', 'elementKey'];

/** A `raw` record list of one object type: an array of records, or (tolerated) one record. */
function recordsOf(raw: IDataObject, objectType: string): IDataObject[] {
	const value = raw[objectType];
	if (Array.isArray(value)) return value.filter(isObject);
	return isObject(value) ? [value] : [];
}

function isoDate(value: unknown): string | null {
	if (typeof value === 'number' && Number.isFinite(value)) {
		const date = new Date(value);
		return Number.isNaN(date.getTime()) ? null : date.toISOString();
	}
	return typeof value === 'string' && value !== '' ? value : null;
}

/** Tolerated: no `events`, only `raw`: one UNKNOWN event per record id of each object type in it. */
function eventsFromRaw(raw: IDataObject): IDataObject[] {
	const types =
		typeof raw.objectType === 'string'
			? [raw.objectType]
			: Object.keys(raw).filter((key) => Array.isArray(raw[key]));
	return types.flatMap((objectType) =>
		recordsOf(raw, objectType)
			.filter((record) => record.id !== undefined && record.id !== null)
			.map((record) => ({
				eventType: 'UNKNOWN',
				objectType,
				objectId: String(record.id),
				date: null,
				pollDate: isoDate(raw.pollDate),
			})),
	);
}

/**
 * The notification in any of the shapes below, or what is wrong with it (answered 400).
 * Documented: the envelope `{ id, createdDate, …, message: { …, raw, events: [...] } }`.
 * Tolerated, not verified: `message` as a JSON text; a body that is the message itself (no
 * envelope); `instance_id` without `instanceId`; no `events` but `raw` (UNKNOWN events derived
 * per record id).
 */
export function readNotification(body: unknown): ReadResult {
	if (!isObject(body)) return { ok: false, problem: 'The body is not a JSON object' };
	const tolerated: string[] = [];
	let envelope: IDataObject = body;
	let message: unknown = body.message;
	if (typeof message === 'string') {
		const parsed = parseJson(message);
		if (!parsed.ok)
			return { ok: false, problem: 'The notification’s message is a text that is not JSON' };
		message = parsed.value;
		tolerated.push('message as a JSON text');
	} else if (message === undefined && MESSAGE_KEYS.some((key) => key in body)) {
		message = body;
		envelope = {};
		tolerated.push('the body is the message (no envelope)');
	}
	if (!isObject(message)) return { ok: false, problem: 'The notification has no message object' };

	const raw = isObject(message.raw) ? message.raw : undefined;
	let events: IDataObject[];
	if (Array.isArray(message.events)) {
		events = message.events.filter(isObject);
	} else if (message.events === undefined && raw) {
		events = eventsFromRaw(raw);
		tolerated.push('no events, derived from raw');
	} else {
		return {
			ok: false,
			problem:
				message.events === undefined
					? 'The notification has neither events nor raw records'
					: 'The notification’s events are not a list',
		};
	}
	if (message.instanceId === undefined && message.instance_id !== undefined)
		tolerated.push('instance_id only');
	return { ok: true, notification: { envelope, message, events, tolerated } };
}

const text = (value: unknown): string | null =>
	typeof value === 'string'
		? value
		: typeof value === 'number' || typeof value === 'boolean'
			? String(value)
			: null;

export interface ItemOptions {
	includeRaw: boolean;
	/** The `Elements-Webhook-Id` header. */
	webhookId: string | null;
	signatureVerified: boolean;
}

/** One item per event, with the instance's and the delivery's fields, and the matching raw record. */
export function eventItems(notification: Notification, options: ItemOptions): IDataObject[] {
	const { envelope, message, events } = notification;
	const raw = isObject(message.raw) ? message.raw : undefined;
	const instanceId = message.instanceId ?? message.instance_id;
	const tags = Array.isArray(message.instanceTags)
		? message.instanceTags.filter((tag) => typeof tag === 'string')
		: [];
	return events.map((event) => {
		const objectType = text(event.objectType);
		const objectId = text(event.objectId);
		const item: IDataObject = {
			instanceId: text(instanceId),
			instanceName: text(message.instanceName),
			instanceTags: tags,
			elementKey: text(event.elementKey) ?? text(message.elementKey),
			eventType: (text(event.eventType) ?? 'UNKNOWN').toUpperCase(),
			objectType,
			objectId,
			date: isoDate(event.date),
			pollDate: isoDate(event.pollDate),
			eventId: text(message.eventId),
			deliveryId: text(envelope.id) ?? options.webhookId,
			webhookId: options.webhookId,
			createdDate: text(envelope.createdDate),
			signatureVerified: options.signatureVerified,
		};
		if (options.includeRaw) {
			const record =
				raw && objectType
					? recordsOf(raw, objectType).find((r) => objectId !== null && text(r.id) === objectId)
					: undefined;
			item.raw = record ?? null;
		}
		return item;
	});
}

export interface EventFilters {
	/** Upper case; empty: any. */
	eventTypes: string[];
	/** Empty: any. */
	objectTypes: string[];
	/** Any of; empty: any. */
	instanceTags: string[];
}

export function matchesFilters(item: IDataObject, filters: EventFilters): boolean {
	if (filters.eventTypes.length > 0 && !filters.eventTypes.includes(String(item.eventType)))
		return false;
	if (filters.objectTypes.length > 0 && !filters.objectTypes.includes(String(item.objectType)))
		return false;
	if (filters.instanceTags.length > 0) {
		const tags = item.instanceTags as string[];
		if (!filters.instanceTags.some((tag) => tags.includes(tag))) return false;
	}
	return true;
}

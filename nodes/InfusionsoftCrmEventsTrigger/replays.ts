import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import type { Notification } from './notification';

/**
 * The notifications the trigger has run, remembered in the workflow's static data so that the
 * same notification posted again (a replay, or the platform's retry of a delivery whose answer it
 * missed) starts nothing. n8n saves the static data as soon as the trigger has answered, before
 * the execution runs. Bounded: an entry expires after the window, and past the cap the oldest go.
 */

/** Longer than the platform's retries of one delivery (9 over about 73 hours). */
export const REPLAY_WINDOW_MS = 96 * 60 * 60 * 1000;
export const MAX_REMEMBERED = 1000;
/** Ids longer than this are kept as their hash, so that an entry stays small. */
const MAX_KEY_LENGTH = 100;

export interface ReplayData {
	/** `delivery:<id>` or `event:<eventId>` → when it was run (ms since 1970). */
	receivedNotifications?: Record<string, number>;
}

const idText = (value: unknown): string | undefined =>
	typeof value === 'string' && value.trim() !== ''
		? value.trim()
		: typeof value === 'number' && Number.isFinite(value)
			? String(value)
			: undefined;

/**
 * What tells this notification from others: its own `id` (or the `Elements-Webhook-Id` header,
 * the same on every attempt), else its message's `eventId`. None: undefined (it is run every time).
 */
export function replayKey(
	notification: Notification,
	webhookId: string | null,
): string | undefined {
	const deliveryId = idText(notification.envelope.id) ?? idText(webhookId);
	const eventId = idText(notification.message.eventId);
	const key =
		deliveryId !== undefined
			? `delivery:${deliveryId}`
			: eventId !== undefined
				? `event:${eventId}`
				: undefined;
	if (key === undefined || key.length <= MAX_KEY_LENGTH) return key;
	return `sha256:${createHash('sha256').update(key).digest('hex')}`;
}

export function alreadyReceived(data: ReplayData, key: string, now: number): boolean {
	const remembered = data.receivedNotifications;
	const at =
		remembered && Object.prototype.hasOwnProperty.call(remembered, key)
			? remembered[key]
			: undefined;
	return typeof at === 'number' && now - at < REPLAY_WINDOW_MS;
}

/** Adds the key; expired entries are dropped, and the oldest beyond the cap. Replaced as a whole, so n8n sees the change. */
export function rememberReceived(data: ReplayData, key: string, now: number): void {
	const kept = Object.entries(data.receivedNotifications ?? {})
		.filter(([known, at]) => known !== key && typeof at === 'number' && now - at < REPLAY_WINDOW_MS)
		.sort((a, b) => a[1] - b[1])
		.slice(-(MAX_REMEMBERED - 1));
	data.receivedNotifications = Object.fromEntries([...kept, [key, now]]);
}

function time(value: unknown): number | undefined {
	const ms =
		typeof value === 'number'
			? value
			: typeof value === 'string' && value !== ''
				? Date.parse(value)
				: NaN;
	return Number.isFinite(ms) ? ms : undefined;
}

/**
 * When the platform made the notification: its `createdDate` (Java's "Mon Aug 20 15:30:07 UTC
 * 2018"), else the newest `pollDate` of its events or raw records; undefined when none is a date.
 */
export function notificationTime(notification: Notification): number | undefined {
	const created = time(notification.envelope.createdDate);
	if (created !== undefined) return created;
	const raw = notification.message.raw as IDataObject | undefined;
	const polls = [
		...notification.events.map((event) => time(event.pollDate)),
		time(raw?.pollDate),
	].filter((ms): ms is number => ms !== undefined);
	return polls.length > 0 ? Math.max(...polls) : undefined;
}

/** Older than `maxAgeMinutes` (0: no limit). A notification with no date cannot be told stale. */
export function isStale(notification: Notification, maxAgeMinutes: number, now: number): boolean {
	if (maxAgeMinutes <= 0) return false;
	const made = notificationTime(notification);
	return made !== undefined && now - made > maxAgeMinutes * 60 * 1000;
}

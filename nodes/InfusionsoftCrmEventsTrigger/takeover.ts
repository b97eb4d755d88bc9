import type { IDataObject } from 'n8n-workflow';

import type { EventsState } from '../../lib/keap/events';
import { EVENT_KEYS } from '../../lib/keap/events';

/**
 * Instances whose events already go to another URL (another system, or another workflow's
 * trigger): left alone unless the trigger is told to take them over, and then given their
 * previous settings back on deactivation, unless someone changed them since.
 */

/** What the trigger keeps of an instance it took over (never a secret: the platform masks the signature key anyway). */
export interface TakenOver {
	/** The instance's event keys as they were (all but the signature key), as the platform gave them. */
	previous: Record<string, string>;
	/** What this trigger set besides its URL, to tell on deactivation whether someone changed it since. */
	set: { intervalMinutes: number; resources: string[]; signed: boolean };
}

/** The keys given back; the signature key cannot be: the platform shows it masked. */
const RESTORED_KEYS = [
	EVENT_KEYS.enabled,
	EVENT_KEYS.vendorType,
	EVENT_KEYS.callbackUrl,
	EVENT_KEYS.interval,
	EVENT_KEYS.poller,
];

/** Events on, to a URL that is not this trigger's. */
export function sendsElsewhere(state: EventsState, callbackUrl: string): boolean {
	return state.enabled && state.callbackUrl !== undefined && state.callbackUrl !== callbackUrl;
}

/** Worth giving back: the instance had a callback URL of its own (events on or off). */
export function hasOwnSettings(state: EventsState, callbackUrl: string): boolean {
	return state.callbackUrl !== undefined && state.callbackUrl !== callbackUrl;
}

export function previousSettings(configuration: unknown): Record<string, string> {
	const config =
		configuration !== null && typeof configuration === 'object'
			? (configuration as IDataObject)
			: {};
	const previous: Record<string, string> = {};
	for (const key of RESTORED_KEYS) {
		const value = config[key];
		if (value !== undefined && value !== null)
			previous[key] = typeof value === 'string' ? value : String(value);
	}
	if (previous[EVENT_KEYS.enabled] === undefined) previous[EVENT_KEYS.enabled] = 'false';
	return previous;
}

/** Still sending here exactly as this trigger set it. */
export function unchangedSince(
	state: EventsState,
	callbackUrl: string,
	set: TakenOver['set'],
): boolean {
	return (
		state.enabled &&
		state.callbackUrl === callbackUrl &&
		state.intervalMinutes === set.intervalMinutes &&
		[...state.resources].sort().join() === [...set.resources].sort().join()
	);
}

/**
 * Where events go, for the log: a path on this n8n (another workflow's trigger), or only the host
 * of another system (the rest of its URL may carry that system's token).
 */
export function destination(url: string | undefined, callbackUrl: string): string {
	if (url === undefined) return 'nowhere';
	try {
		const target = new URL(url);
		if (target.origin === new URL(callbackUrl).origin) return `${target.pathname} on this n8n`;
		return target.host || 'another URL';
	} catch {
		return 'another URL';
	}
}

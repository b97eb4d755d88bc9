import type { IDataObject } from 'n8n-workflow';

import type { EventsSettings } from '../../../../../lib/keap/events';
import { eventsOn, readEvents } from '../../../../../lib/keap/events';
import type { Platform } from '../../../../../lib/platform/cloudElements';
import { patchInstance } from '../../../../../lib/platform/instances';

/**
 * Whether an instance's events already are what the settings ask for. A signature key reads
 * back masked, so only whether one is set can be compared (and a platform that masks even an
 * empty key makes unsigned settings look changed: one PATCH too many, never one too few);
 * changing the key in the credential needs Configure Events (which always sends it).
 */
export function eventsMatch(instance: IDataObject, settings: EventsSettings): boolean {
	const current = readEvents(instance.configuration);
	const sameResources =
		current.resources.length === settings.resources.length &&
		settings.resources.every((resource) => current.resources.includes(resource));
	return (
		current.enabled &&
		current.callbackUrl === settings.callbackUrl &&
		current.intervalMinutes === settings.intervalMinutes &&
		sameResources &&
		current.signed === Boolean(settings.signatureKey)
	);
}

/** Points an existing instance's events where the settings say, unless they already are (a rerun sends nothing). */
export async function applyEvents(
	platform: Platform,
	instance: IDataObject,
	settings: EventsSettings,
): Promise<IDataObject> {
	if (eventsMatch(instance, settings)) return instance;
	const patched = await patchInstance(platform, String(instance.id), {
		configuration: eventsOn(settings),
	});
	return { ...instance, ...patched };
}

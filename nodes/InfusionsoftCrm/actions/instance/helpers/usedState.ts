import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { ElementKey, InfusionsoftApp } from '../../../../../lib/keap/elements';
import { ELEMENTS, elementKeyOf } from '../../../../../lib/keap/elements';
import { inputError } from '../../../../../lib/params/input';
import type { Platform } from '../../../../../lib/platform/cloudElements';
import {
	getInstance,
	listInstances,
	reauthenticateInstanceOnce,
} from '../../../../../lib/platform/instances';
import { instanceBody } from '../../../../../lib/security/app';
import {
	isSignedState,
	USED_STATE_TAG_PREFIX,
	usedStateTag,
} from '../../../../../lib/security/state';

/** How many callbacks an instance remembers; older tags are dropped as newer ones come. */
const KEPT_STATE_TAGS = 5;

/** The tag for the item's Callback State, when it is a signed one; undefined otherwise. */
export function readCallbackState(ctx: IExecuteFunctions, itemIndex: number): string | undefined {
	const value = ctx.getNodeParameter('callbackState', itemIndex, '') as unknown;
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value !== 'string') throw inputError(ctx, itemIndex, 'Callback State must be text');
	return isSignedState(value.trim()) ? usedStateTag(value.trim()) : undefined;
}

/** Refuses a callback whose state already connected or re-authenticated an instance. */
export async function refuseUsedState(
	ctx: IExecuteFunctions,
	platform: Platform,
	stateTag: string,
): Promise<void> {
	const [used] = await listInstances(platform, { tags: [stateTag] }, 1);
	if (!used) return;
	const refused = inputError(
		ctx,
		platform.itemIndex,
		`This callback was used before: it already connected instance ${String(used.id)}`,
		'A callback link works once. If the customer wants to connect again, send them a new OAuth URL (Get OAuth URL).',
	);
	refused.context.reason = 'state-used';
	throw refused;
}

/**
 * The tags to send: the user's, then the callback tags the instance had (the newest few, so
 * that a new tag list never frees an old callback) and this callback's.
 */
export function withStateTag(
	tags: string[],
	stateTag: string | undefined,
	previous: unknown = [],
): string[] {
	const isStateTag = (tag: unknown): tag is string =>
		typeof tag === 'string' && tag.startsWith(USED_STATE_TAG_PREFIX);
	const remembered = (Array.isArray(previous) ? previous : []).filter(
		(tag) => isStateTag(tag) && tag !== stateTag,
	);
	const stateTags = stateTag ? [...remembered, stateTag] : remembered;
	return [...tags.filter((tag) => !isStateTag(tag)), ...stateTags.slice(-KEPT_STATE_TAGS)];
}

/**
 * Re-authenticates an instance of `element` with a new code, keeping its name, and its tags
 * unless `tags` replaces them; the callback's tag is added.
 */
export async function reauthenticateWithState(
	ctx: IExecuteFunctions,
	platform: Platform,
	app: InfusionsoftApp,
	element: ElementKey,
	id: string,
	code: string,
	stateTag: string | undefined,
	tags: string[] = [],
	events?: Record<string, string>,
): Promise<IDataObject> {
	const current = await getInstance(platform, id);
	const actual = elementKeyOf(current);
	if (actual !== element) {
		// The platform does not move an instance to another element: the code would be spent for nothing.
		const short = (key: ElementKey) => ELEMENTS[key].name.replace(/ \(.*\)$/, '');
		const aOrAn = (word: string) => (/^[aeiou]/i.test(word) ? `an ${word}` : `a ${word}`);
		const known = actual !== undefined && actual in ELEMENTS ? (actual as ElementKey) : undefined;
		throw inputError(
			ctx,
			platform.itemIndex,
			`Instance ${id} is ${known ? `${aOrAn(short(known))} instance` : `an instance of ${actual ?? 'an unknown element'}`}, not ${short(element)}`,
			known
				? `Set Element to ${short(known)} (for example {{ $json.element.key }} from Get), or create ${aOrAn(short(element))} instance instead.`
				: 'Only Keap instances can be re-authenticated here.',
		);
	}
	const currentTags = Array.isArray(current.tags) ? (current.tags as string[]) : [];
	const kept = tags.length > 0 ? tags : currentTags;
	const body = instanceBody(
		app,
		element,
		{ code, name: String(current.name ?? ''), tags: withStateTag(kept, stateTag, currentTags) },
		events,
	);
	return await reauthenticateInstanceOnce(platform, element, id, body, current.token);
}

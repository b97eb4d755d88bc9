import type { IDataObject } from 'n8n-workflow';

import type { ElementKey } from '../../lib/keap/elements';
import { elementKeyOf, ELEMENTS, isElementKey } from '../../lib/keap/elements';

/**
 * The Connection Health Trigger's logic without I/O: what an instance's health is, what the
 * trigger keeps between polls (small, never a token), and what changed since the last poll.
 */

/** `invalid`: the platform could not refresh the token (`valid: false`), disabled or not; `disabled`: valid but disabled. */
export type HealthState = 'healthy' | 'invalid' | 'disabled';
export type Change = 'invalid' | 'disabled' | 'deleted' | 'recovered';

/** What the trigger watches: instances of these elements with at least one of these tags (any, when none). */
export interface Watch {
	elements: ElementKey[];
	tags: string[];
}

/** One instance as the trigger keeps it between polls (short keys: static data is saved with the workflow). */
export interface Seen {
	/** health */
	s: HealthState;
	/** name */
	n: string;
	/** element key */
	e: ElementKey;
	/** tags */
	t: string[];
}

/** The node's static data. */
export interface Memory {
	/** The watch it was recorded for (see `watchKey`): another watch starts a new baseline. */
	watch: string;
	instances: Record<string, Seen>;
	/** When a poll last found every remembered instance gone, unconfirmed (see `seemsAllGone`). */
	allGoneAt?: string;
}

/** An instance as listed now. Its token is kept aside, only to redact it. */
export interface Observed {
	id: string;
	seen: Seen;
	valid: boolean;
	disabled: boolean;
	token?: string;
}

export interface HealthEvent {
	change: Change;
	previousState: HealthState | null;
	state: HealthState | 'deleted';
	id: string;
	seen: Seen;
	/** Null for a deleted instance. */
	valid: boolean | null;
	disabled: boolean | null;
}

export function watchKey(watch: Watch): string {
	return `${[...watch.elements].sort().join('+')}|${[...watch.tags].sort().join(',')}`;
}

export function healthOf(instance: { valid?: unknown; disabled?: unknown }): HealthState {
	if (instance.valid === false) return 'invalid';
	return instance.disabled === true ? 'disabled' : 'healthy';
}

const isId = (id: unknown) =>
	(typeof id === 'number' && Number.isSafeInteger(id) && id > 0) ||
	(typeof id === 'string' && /^[1-9][0-9]{0,18}$/.test(id));

/** A platform instance as the trigger sees it; undefined for one of another element (or without an ID). */
export function observe(instance: IDataObject): Observed | undefined {
	const element = elementKeyOf(instance);
	if (!isElementKey(element) || !isId(instance.id)) return undefined;
	const tags = Array.isArray(instance.tags)
		? instance.tags.filter((tag): tag is string => typeof tag === 'string')
		: [];
	return {
		id: String(instance.id),
		seen: {
			s: healthOf(instance),
			n: typeof instance.name === 'string' ? instance.name : '',
			e: element,
			t: tags,
		},
		valid: instance.valid !== false,
		disabled: instance.disabled === true,
		token: typeof instance.token === 'string' ? instance.token : undefined,
	};
}

export function isWatched(seen: Seen, watch: Watch): boolean {
	return (
		watch.elements.includes(seen.e) &&
		(watch.tags.length === 0 || watch.tags.some((tag) => seen.t.includes(tag)))
	);
}

const HEALTH_STATES: readonly string[] = ['healthy', 'invalid', 'disabled'];

function isSeen(value: unknown): value is Seen {
	const seen = value as Seen;
	return (
		typeof value === 'object' &&
		value !== null &&
		HEALTH_STATES.includes(seen.s) &&
		typeof seen.n === 'string' &&
		isElementKey(seen.e) &&
		Array.isArray(seen.t)
	);
}

/** The memory recorded for this watch, or undefined: never recorded, recorded for another watch, or unreadable. */
export function readMemory(staticData: IDataObject, watch: string): Memory | undefined {
	const instances = staticData.instances as Record<string, unknown> | undefined;
	if (staticData.watch !== watch || typeof instances !== 'object' || instances === null)
		return undefined;
	if (!Object.entries(instances).every(([id, seen]) => isId(id) && isSeen(seen))) return undefined;
	const allGoneAt = typeof staticData.allGoneAt === 'string' ? staticData.allGoneAt : undefined;
	return {
		watch,
		instances: instances as Record<string, Seen>,
		...(allGoneAt ? { allGoneAt } : {}),
	};
}

/** Replaces the memory as a whole (n8n notices the change and saves it with the workflow). */
export function writeMemory(staticData: IDataObject, memory: Memory): void {
	staticData.watch = memory.watch;
	staticData.instances = memory.instances as unknown as IDataObject;
	if (memory.allGoneAt) staticData.allGoneAt = memory.allGoneAt;
	else delete staticData.allGoneAt;
}

/**
 * Every remembered instance gone at once: what a gateway that answers 404 for everything, or
 * an API Root pointed elsewhere, looks like too. Such a poll fires nothing and keeps the
 * memory; only when the next poll finds the same does anything fire. One remembered instance
 * counts as well: for a single customer a false "reconnect" is as bad, and a real deletion is
 * reported one poll later.
 */
export function seemsAllGone(memory: Memory, gone: string[]): boolean {
	const remembered = Object.keys(memory.instances).length;
	return remembered > 0 && gone.length === remembered;
}

export function remember(observed: Iterable<Observed>): Record<string, Seen> {
	const instances: Record<string, Seen> = {};
	for (const o of observed) instances[o.id] = o.seen;
	return instances;
}

/**
 * What changed since the last poll, one event per instance, and what to keep now. `gone` are
 * the remembered instances the platform confirmed deleted; a remembered instance that is
 * neither listed nor gone left the watch (its tags changed) and is forgotten without an event.
 * An instance seen for the first time fires only when it is already in trouble.
 */
export function compare(
	before: Record<string, Seen>,
	now: Map<string, Observed>,
	gone: string[],
	fireOnRecovery: boolean,
): { events: HealthEvent[]; next: Record<string, Seen> } {
	const events: HealthEvent[] = [];
	for (const o of now.values()) {
		const previous = before[o.id]?.s ?? null;
		const state = o.seen.s;
		if (previous === state || (previous === null && state === 'healthy')) continue;
		if (state === 'healthy' && !fireOnRecovery) continue;
		const change: Change = state === 'healthy' ? 'recovered' : state;
		events.push({
			change,
			previousState: previous,
			state,
			id: o.id,
			seen: o.seen,
			valid: o.valid,
			disabled: o.disabled,
		});
	}
	for (const id of gone) {
		const seen = before[id];
		if (seen)
			events.push({
				change: 'deleted',
				previousState: seen.s,
				state: 'deleted',
				id,
				seen,
				valid: null,
				disabled: null,
			});
	}
	events.sort((a, b) => Number(a.id) - Number(b.id));
	return { events, next: remember(now.values()) };
}

/** An element's name without its parenthesised note. */
export const shortElementName = (key: ElementKey) => ELEMENTS[key].name.replace(/ \(.*\)$/, '');

export type Action = 'reauthorize' | 'enable' | 'reconnect' | 'none';

/** Longest instance name carried in a re-authorization context: Get OAuth URL takes at most 1 KB. */
const MAX_CONTEXT_NAME = 200;

function actionOf(event: Pick<HealthEvent, 'state'>): Action {
	switch (event.state) {
		case 'invalid':
			return 'reauthorize';
		case 'disabled':
			return 'enable';
		case 'deleted':
			return 'reconnect';
		default:
			return 'none';
	}
}

function messageOf(event: HealthEvent): string {
	const named = `Instance "${event.seen.n}" (${event.id}, ${shortElementName(event.seen.e)})`;
	switch (event.state) {
		case 'invalid':
			return `${named} needs re-authorization: the platform could not refresh its token${event.disabled ? ', and it is disabled' : ''}. Send the customer a new OAuth URL.`;
		case 'disabled':
			return `${named} is disabled: enable it (Instance → Enable).`;
		case 'deleted':
			return `${named} was deleted: the customer has to connect again.`;
		default:
			return `${named} works again: it is valid and enabled.`;
	}
}

/** An event as the trigger outputs it: everything Get OAuth URL needs for a re-authorization link, no token. */
export function eventItem(event: HealthEvent, detectedAt: string): IDataObject {
	const { seen } = event;
	const action = actionOf(event);
	return {
		change: event.change,
		previousState: event.previousState,
		state: event.state,
		instanceId: Number(event.id),
		name: seen.n,
		element: { key: seen.e, name: shortElementName(seen.e) },
		tags: [...seen.t],
		valid: event.valid,
		disabled: event.disabled,
		action,
		message: messageOf(event),
		// The context the provisioning flow's callback re-authenticates by (as scheduled-reprovisioning.json makes it).
		reauthorizationContext:
			action === 'reauthorize'
				? { reauthenticateInstanceId: Number(event.id), name: seen.n.slice(0, MAX_CONTEXT_NAME) }
				: null,
		detectedAt,
	};
}

/**
 * What "Fetch Test Event" shows: the watched instances in trouble now, as the events they would
 * be (no previous state); or, when all are healthy, one item that says so.
 */
export function sampleItems(
	now: Map<string, Observed>,
	detectedAt: string,
	fireOnRecovery: boolean,
): IDataObject[] {
	const troubled = [...now.values()]
		.filter((o) => o.seen.s !== 'healthy')
		.sort((a, b) => Number(a.id) - Number(b.id))
		.map((o) =>
			eventItem(
				{
					change: o.seen.s as Change,
					previousState: null,
					state: o.seen.s,
					id: o.id,
					seen: o.seen,
					valid: o.valid,
					disabled: o.disabled,
				},
				detectedAt,
			),
		);
	if (troubled.length > 0) return troubled;
	const count = now.size;
	return [
		{
			change: null,
			state: 'healthy',
			action: 'none',
			watched: count,
			message:
				count === 0
					? 'No instance matches the Elements and Tags of this trigger: nothing to watch yet.'
					: `All ${count} watched ${count === 1 ? 'instance is' : 'instances are'} healthy: nothing would start the workflow now. Once active, it starts when one needs re-authorization, is disabled or deleted${fireOnRecovery ? ', or works again after a problem' : ''}.`,
			detectedAt,
		},
	];
}

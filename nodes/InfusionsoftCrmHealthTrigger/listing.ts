import type { IDataObject } from 'n8n-workflow';

import type { Platform } from '../../lib/platform/cloudElements';
import { mapWithConcurrency } from '../../lib/platform/concurrency';
import { findInstance, listInstances } from '../../lib/platform/instances';
import type { Memory, Observed, Watch } from './health';
import { isWatched, observe } from './health';

/** How many remembered instances missing from the list are looked up at once. */
const LOOKUP_CONCURRENCY = 5;

/**
 * The watched instances now, by ID: every page, through the node's one transport. With tags,
 * one listing per tag, so that "any of these tags" holds whatever the platform makes of
 * several `tags[]` (the stand-in: any; the docs: silent); the tags are checked again here.
 */
export async function listWatched(
	platform: Platform,
	watch: Watch,
): Promise<Map<string, Observed>> {
	const lists: IDataObject[][] = [];
	if (watch.tags.length === 0) lists.push(await listInstances(platform, {}, undefined));
	for (const tag of watch.tags)
		lists.push(await listInstances(platform, { tags: [tag] }, undefined));
	const now = new Map<string, Observed>();
	for (const instance of lists.flat()) {
		const observed = observe(instance);
		if (observed && isWatched(observed.seen, watch)) now.set(observed.id, observed);
	}
	return now;
}

/**
 * The remembered instances the list no longer has, each asked for by ID: the platform's own 404
 * is a deletion (the IDs returned); a proxy's 404 fails the poll (the transport checks it). One
 * that still exists and is still watched was left out of the list by the platform: it joins
 * `now`. One that exists but is no longer watched (its tags changed) is neither. Any failure
 * throws: a poll that cannot tell is no poll.
 */
export async function confirmGone(
	platform: Platform,
	watch: Watch,
	memory: Memory,
	now: Map<string, Observed>,
): Promise<string[]> {
	const missing = Object.keys(memory.instances).filter((id) => !now.has(id));
	const found = await mapWithConcurrency(
		missing.length,
		LOOKUP_CONCURRENCY,
		async (i) => await findInstance(platform, missing[i]),
	);
	const gone: string[] = [];
	found.forEach((instance, i) => {
		if (instance === undefined) {
			gone.push(missing[i]);
			return;
		}
		const observed = observe(instance);
		if (observed && isWatched(observed.seen, watch)) now.set(observed.id, observed);
	});
	return gone;
}

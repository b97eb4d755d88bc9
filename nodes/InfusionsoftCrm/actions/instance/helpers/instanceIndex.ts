import type { IDataObject } from 'n8n-workflow';

import type { ElementKey } from '../../../../../lib/keap/elements';
import { elementKeyOf } from '../../../../../lib/keap/elements';
import type { Platform } from '../../../../../lib/platform/cloudElements';
import type { Slot } from '../../../../../lib/platform/concurrency';
import { findInstancesByName, instancesList } from '../../../../../lib/platform/instances';
import { listPagesUpTo } from '../../../../../lib/platform/paging';

const byId = (a: IDataObject, b: IDataObject) => Number(a.id) - Number(b.id);

const ignore = () => undefined;

/**
 * A check starts once this many names per page of the listing wait for it (a page read serves
 * that many items: 1/50 of a call each), or earlier when every item of the execution has ended
 * or waits for a check. A waiting item holds no place among the Concurrency items.
 */
const NAMES_PER_PAGE = 50;

/** One shared check: the names that joined it before it started, and what it found. */
interface Round {
	names: Set<string>;
	platform: Platform;
	/** Starts the check without waiting for the execution to be idle. */
	full: () => void;
	found: Promise<Map<string, IDataObject[]>>;
}

/**
 * The account's instances of one element, by name, listed once for a whole execution of Create
 * (see docs/scale.md): items decide reuse / re-authenticate / create from it
 * instead of each searching, and add what they create.
 *
 * Why this stays correct when other executions create the same names at the same time:
 *
 * - A name in the list: its oldest instance is the one every execution keeps (the converge rule
 *   deletes only newer ones), so reusing it is what a fresh search would decide too. Only a
 *   deletion by someone else since the listing is missed, as a search misses one made just
 *   after it.
 * - A name not in the list: the item creates, then checks (`recheck`) with a listing that
 *   STARTED AFTER its create was answered. Of two executions creating one name, the one whose
 *   create came second checks after both exist and sees both: when its instance is the newer,
 *   it deletes it and moves the callback tag (the rule of `converge`). So a check per item is
 *   needed, but not a call per item: every item whose create was answered before a listing
 *   started is checked by that listing. A waiting item gives its place among the Concurrency
 *   items to the next one, and a check starts when enough names wait for it that a listing
 *   costs little per name (`NAMES_PER_PAGE`), or when nothing else is left to do: calls per
 *   created instance approach 1. Checks run one after another. A check reads the whole list when
 *   that takes fewer calls than searching each of its names, and searches each name otherwise
 *   (never more than the per-item way).
 * - A listing or check that fails is the failure of the item that started it (as its own
 *   search failing would be); every other item then searches on its own (its own retries, its
 *   own error naming its item).
 * - What costs more than before: a name created elsewhere after the listing is seen only after
 *   this item's create, so the item's code is spent on an instance that then deletes itself;
 *   the end state is the same one instance.
 */
export class InstanceIndex {
	private readonly named = new Map<string, IDataObject[]>();

	/** Deleted by this execution: a listing that started before the deletion must not bring them back. */
	private readonly deleted = new Set<string>();

	private open?: Round;

	private last?: Promise<unknown>;

	private constructor(
		private readonly element: ElementKey,
		instances: IDataObject[],
		/** How many calls a whole listing takes, as the first one did. */
		private pages: number,
	) {
		for (const instance of instances) this.learn(instance);
	}

	/**
	 * Lists the account's instances once; undefined when that would take more than `maxPages`
	 * calls (a search per item is cheaper then).
	 */
	static async load(
		platform: Platform,
		element: ElementKey,
		maxPages: number,
	): Promise<InstanceIndex | undefined> {
		const { records, pages, complete } = await listPagesUpTo(platform, instancesList(), maxPages);
		return complete ? new InstanceIndex(element, records, pages) : undefined;
	}

	/** Instances of this element named `name`, oldest first, as far as this execution knows. */
	instancesNamed(name: string): IDataObject[] {
		return [...(this.named.get(name) ?? [])];
	}

	/** An instance this execution created or found since the listing. */
	learn(instance: IDataObject): void {
		if (typeof instance.name !== 'string' || elementKeyOf(instance) !== this.element) return;
		if (this.deleted.has(String(instance.id))) return;
		const list = (this.named.get(instance.name) ?? []).filter(
			(known) => String(known.id) !== String(instance.id),
		);
		this.named.set(instance.name, [...list, instance].sort(byId));
	}

	forget(id: unknown): void {
		this.deleted.add(String(id));
		for (const [name, list] of this.named) {
			const kept = list.filter((known) => String(known.id) !== String(id));
			if (kept.length !== list.length) this.named.set(name, kept);
		}
	}

	/**
	 * The instances named `name`, oldest first, from a look at the platform that starts after
	 * this call: shared with the other items that ask before it starts, waited for outside the
	 * item's `slot`.
	 */
	async recheck(platform: Platform, slot: Slot, name: string): Promise<IDataObject[]> {
		const mine = !this.open;
		const round = this.open ?? this.openRound(platform, slot.whenIdle());
		round.names.add(name);
		if (round.names.size >= this.pages * NAMES_PER_PAGE) round.full();
		// The check was the first item's look-up: its failure is that item's; the others search on their own.
		const found = await slot.outside(
			round.found.catch((error: unknown) => {
				if (mine) throw error;
				return undefined;
			}),
		);
		const named = found
			? (found.get(name) ?? [])
			: await findInstancesByName(platform, name, this.element);
		for (const instance of named) this.learn(instance);
		return named;
	}

	private openRound(platform: Platform, idle: Promise<void>): Round {
		let full: () => void = ignore;
		const filled = new Promise<void>((resolve) => (full = resolve));
		const previous = this.last ?? Promise.resolve();
		const round: Round = { names: new Set(), platform, full, found: Promise.resolve(new Map()) };
		round.found = Promise.race([filled, idle])
			.then(async () => await previous.catch(ignore))
			.then(async () => {
				if (this.open === round) this.open = undefined;
				return await this.look(round);
			});
		this.open = round;
		this.last = round.found;
		return round;
	}

	private async look(round: Round): Promise<Map<string, IDataObject[]>> {
		const names = [...round.names];
		const found = new Map<string, IDataObject[]>();
		if (names.length < this.pages) {
			const lists = await Promise.all(
				names.map(async (name) => await findInstancesByName(round.platform, name, this.element)),
			);
			names.forEach((name, i) => found.set(name, lists[i]));
			return found;
		}
		const { records, pages } = await listPagesUpTo(round.platform, instancesList());
		this.pages = pages;
		for (const instance of records) {
			// What the listing shows of other names refreshes them too (never forgets one: see `forget`).
			this.learn(instance);
			if (!round.names.has(String(instance.name)) || elementKeyOf(instance) !== this.element)
				continue;
			found.set(String(instance.name), [...(found.get(String(instance.name)) ?? []), instance]);
		}
		for (const list of found.values()) list.sort(byId);
		return found;
	}
}

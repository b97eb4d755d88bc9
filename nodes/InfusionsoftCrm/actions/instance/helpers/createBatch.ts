import type { ElementKey } from '../../../../../lib/keap/elements';
import type { Platform } from '../../../../../lib/platform/cloudElements';
import type { Slot } from '../../../../../lib/platform/concurrency';
import { InstanceIndex } from './instanceIndex';
import { KeyedQueue } from './keyedQueue';

/**
 * What the items of one execution of Create share, made anew for every execution (queue mode
 * safe): items with the same instance name go one after another, and with several items one
 * listing of the account's instances per element serves every item (`InstanceIndex`, where the
 * reasoning about races is).
 */
export class CreateBatch {
	private readonly sameName = new KeyedQueue();

	private readonly indexes = new Map<ElementKey, Promise<InstanceIndex | undefined>>();

	constructor(private readonly itemCount: number) {}

	/** Runs `task` once every earlier item of this name has ended, waiting for them outside `slot`. */
	async inTurn<T>(name: string, slot: Slot, task: () => Promise<T>): Promise<T> {
		return await this.sameName.run(name, task, async (turn) => await slot.outside(turn));
	}

	/**
	 * With several items, the account's instances are listed once for the execution (all pages)
	 * and every item decides from that list. One item keeps its own search: 1 call, where a
	 * listing takes one per 200 instances. Nor is the list read when it takes more calls than
	 * there are items: a search each is cheaper then. An item that read the list fails with its
	 * error; the others then search on their own.
	 */
	async instanceIndex(platform: Platform, element: ElementKey): Promise<InstanceIndex | undefined> {
		if (this.itemCount < 2) return undefined;
		let index = this.indexes.get(element);
		const mine = !index;
		if (!index) {
			index = InstanceIndex.load(platform, element, this.itemCount);
			this.indexes.set(element, index);
		}
		// The listing was this item's look-up: its failure is this item's, as a failed search would be.
		return await index.catch((error: unknown) => {
			if (mine) throw error;
			return undefined;
		});
	}
}

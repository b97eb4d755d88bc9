const ignore = () => undefined;

/**
 * Serialises tasks that share a key (within one execution) while tasks with other keys run
 * freely, so that two items for the same instance name never race each other. `wait` is how a
 * task waits for the one before it (an item waits outside its slot).
 */
export class KeyedQueue {
	private readonly tails = new Map<string, Promise<unknown>>();

	async run<T>(
		key: string,
		task: () => Promise<T>,
		wait: (turn: Promise<void>) => Promise<void> = async (turn) => await turn,
	): Promise<T> {
		const previous = this.tails.get(key);
		const current = (async () => {
			if (previous) await wait(previous.then(ignore, ignore));
			return await task();
		})();
		const tail = current.catch(ignore);
		this.tails.set(key, tail);
		try {
			return await current;
		} finally {
			if (this.tails.get(key) === tail) this.tails.delete(key);
		}
	}
}

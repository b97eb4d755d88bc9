/**
 * What a running task may do with its slot: step out while it only waits for something shared,
 * and learn when every task has stepped out or ended.
 */
export interface Slot {
	/** Waits for `wait` without holding the slot (the next task may start), then takes a slot again. */
	outside<T>(wait: Promise<T>): Promise<T>;
	/** Resolves the next time no task holds a slot, wants one, or is left to start. */
	whenIdle(): Promise<void>;
}

/** `limit` slots; a task coming back from `outside` gets the next free one before a new task. */
class Slots implements Slot {
	private held = 0;

	private readonly returning: Array<() => void> = [];

	private starting?: () => void;

	private allStarted = false;

	private idle: Array<() => void> = [];

	constructor(private readonly limit: number) {}

	/** For the next new task: resolves when a slot is free and no returning task waits for it. */
	async enterNew(): Promise<void> {
		if (this.held < this.limit && this.returning.length === 0) {
			this.held++;
			return;
		}
		await new Promise<void>((resolve) => (this.starting = resolve));
	}

	leave(): void {
		const next = this.returning.shift() ?? this.starting;
		if (next === this.starting) this.starting = undefined;
		// The slot goes straight to who waits for it: `held` stays the same.
		if (next) return next();
		this.held--;
		this.checkIdle();
	}

	noMoreStarts(): void {
		this.allStarted = true;
		this.checkIdle();
	}

	async outside<T>(wait: Promise<T>): Promise<T> {
		this.leave();
		try {
			return await wait;
		} finally {
			if (this.held < this.limit) this.held++;
			else await new Promise<void>((resolve) => this.returning.push(resolve));
		}
	}

	async whenIdle(): Promise<void> {
		await new Promise<void>((resolve) => {
			this.idle.push(resolve);
			this.checkIdle();
		});
	}

	private checkIdle(): void {
		if (!this.allStarted || this.held > 0 || this.idle.length === 0) return;
		const waiting = this.idle;
		this.idle = [];
		for (const resolve of waiting) resolve();
	}
}

/**
 * Runs `task` for indexes 0..count-1 with at most `limit` holding a slot at once, and returns
 * the results in index order. A task waiting `outside` its slot does not count. After the first
 * failure no new task starts; the tasks already running are awaited, then the failure of the
 * lowest index is thrown.
 */
export async function mapWithConcurrency<T>(
	count: number,
	limit: number,
	task: (index: number, slot: Slot) => Promise<T>,
): Promise<T[]> {
	const slots = new Slots(Math.max(1, limit));
	const results = new Array<T>(count);
	const failures: Array<{ index: number; error: unknown }> = [];
	const running: Array<Promise<void>> = [];

	for (let index = 0; index < count; index++) {
		await slots.enterNew();
		if (failures.length > 0) {
			slots.leave();
			break;
		}
		running.push(
			(async () => {
				try {
					results[index] = await task(index, slots);
				} catch (error) {
					failures.push({ index, error });
				} finally {
					slots.leave();
				}
			})(),
		);
	}
	slots.noMoreStarts();
	await Promise.all(running);
	if (failures.length > 0) {
		failures.sort((a, b) => a.index - b.index);
		throw failures[0].error;
	}
	return results;
}

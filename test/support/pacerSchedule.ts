import { jest } from '@jest/globals';

import { REAL_CLOCK, RequestPacer } from '../../lib/platform/pacer';

export interface PacerSchedule {
	/** The (virtual) time of every turn the pacers handed out, in the order they were handed out. */
	turns: number[];
	/** Every Retry-After pause: when (virtual), how long, and how many turns had been handed out before it. */
	pauses: Array<{ at: number; ms: number; turnsBefore: number }>;
}

/**
 * Makes the pacer's clock virtual for runs through n8n's engine and writes down what the pacer
 * decides: its sleeps move time on without waiting, and every turn is kept with its time. A test
 * then reads the send schedule the code chose, not what a loaded machine's wall clock shows.
 * Undo with `jest.restoreAllMocks()`.
 */
export function recordPacerSchedule(start = 1_000_000): PacerSchedule {
	let now = start;
	const schedule: PacerSchedule = { turns: [], pauses: [] };
	jest.spyOn(REAL_CLOCK, 'now').mockImplementation(() => now);
	jest.spyOn(REAL_CLOCK, 'sleep').mockImplementation(async (ms) => {
		// Time moves on only in a later macrotask, so a turn already handed out is written down
		// (its continuation is a chain of microtasks) at the time it was handed out.
		await new Promise((resolve) => setImmediate(resolve));
		now += ms;
	});
	const turn = RequestPacer.prototype.turn;
	jest.spyOn(RequestPacer.prototype, 'turn').mockImplementation(async function (
		this: RequestPacer,
		cancel,
	) {
		await turn.call(this, cancel);
		schedule.turns.push(now);
	});
	const pause = RequestPacer.prototype.pause;
	jest.spyOn(RequestPacer.prototype, 'pause').mockImplementation(function (this: RequestPacer, ms) {
		schedule.pauses.push({ at: now, ms, turnsBefore: schedule.turns.length });
		pause.call(this, ms);
	});
	return schedule;
}

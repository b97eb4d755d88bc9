import { jest } from '@jest/globals';

import { RequestPacer } from '../../lib/platform/pacer';
import { useVirtualClock, type VirtualClock } from './virtualClock';

export interface PacerSchedule {
	/** The (virtual) time of every turn the pacers handed out, in the order they were handed out. */
	turns: number[];
	/** Every Retry-After pause: when (virtual), how long, and how many turns had been handed out before it. */
	pauses: Array<{ at: number; ms: number; turnsBefore: number }>;
	/** Every sleep of the door: the pacer's, the backoff's, Retry-After's. */
	sleeps: VirtualClock['sleeps'];
}

/**
 * Makes the door's clock virtual for runs through n8n's engine (`useVirtualClock`) and writes
 * down what the pacer decides: every turn with its time, every pause. A test then reads the
 * send schedule the code chose, not what a loaded machine's wall clock shows.
 * Undo with `jest.restoreAllMocks()`.
 */
export function recordPacerSchedule(start = 1_000_000): PacerSchedule {
	const clock = useVirtualClock(start);
	const schedule: PacerSchedule = { turns: [], pauses: [], sleeps: clock.sleeps };
	const turn = RequestPacer.prototype.turn;
	jest.spyOn(RequestPacer.prototype, 'turn').mockImplementation(async function (
		this: RequestPacer,
		cancel,
	) {
		await turn.call(this, cancel);
		schedule.turns.push(clock.now());
	});
	const pause = RequestPacer.prototype.pause;
	jest.spyOn(RequestPacer.prototype, 'pause').mockImplementation(function (this: RequestPacer, ms) {
		schedule.pauses.push({ at: clock.now(), ms, turnsBefore: schedule.turns.length });
		pause.call(this, ms);
	});
	return schedule;
}

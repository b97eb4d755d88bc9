/** Types of rateSimulation.js, for the tests. */
export interface Limit {
	kind: 'window' | 'bucket';
	perSecond: number;
	changes?: Array<{ atSeconds: number; perSecond: number }>;
}

export interface SimulatedRun {
	items: number;
	created: number;
	failed: number;
	calls: number;
	throttled: number;
	callsPerCreated: number;
	seconds: number;
	achievedPerSecond: number;
	/** Client-side send times of every call, ms from the start. */
	sent: number[];
	/** Server-side arrival times of the calls let through, ms from the start. */
	accepted: number[];
}

export function simulateCreates(options: {
	Transport: unknown;
	Redactor: unknown;
	limit: Limit;
	items: number;
	concurrency?: number;
	maxRequestsPerSecond?: number;
	latencyMs?: number;
	jitterMs?: number;
}): Promise<SimulatedRun>;

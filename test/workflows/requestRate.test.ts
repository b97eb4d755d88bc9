/**
 * Max Requests per Second at its edges (issue case 9): a rate too slow to mean anything is
 * refused by name before any call, and a slow pace that is accepted ends at once when the
 * execution is cancelled, instead of sleeping out its turn.
 */
import {
	afterAll,
	afterEach,
	beforeAll,
	beforeEach,
	describe,
	expect,
	it,
	jest,
} from '@jest/globals';
import { WorkflowExecute } from 'n8n-core';

import { REAL_CLOCK } from '../../lib/platform/pacer';
import {
	apiCalls,
	issueCode,
	runWith,
	startSentinelSandbox,
	type Sandbox,
} from '../faults/support';

const createWithRate = (maxRequestsPerSecond: unknown) => ({
	resource: 'instance',
	operation: 'create',
	code: '={{ $json.code }}',
	name: '={{ $json.name }}',
	onExisting: 'reuse',
	requestOptions: { maxRequestsPerSecond },
});

/** The next execution n8n's engine starts is cancelled when `signal` fires, as the editor's Stop button does. */
function cancelExecutionOn(signal: AbortSignal): void {
	const run = WorkflowExecute.prototype.run;
	jest.spyOn(WorkflowExecute.prototype, 'run').mockImplementation(function (
		this: WorkflowExecute,
		...args
	) {
		const execution = run.apply(this, args);
		signal.addEventListener('abort', () => execution.cancel(), { once: true });
		return execution;
	});
}

describe('Max Requests per Second at its edges', () => {
	let sb: Sandbox;
	beforeAll(async () => {
		sb = await startSentinelSandbox();
	});
	afterAll(async () => sb.close());
	beforeEach(() => sb.reset());
	afterEach(() => jest.restoreAllMocks());

	// Before: 1e-7 a second spaced calls 10^10 ms apart, a timer Node clamps to 1 ms: the run spun forever.
	it.each([['={{ 1e-7 }}'], ['={{ 0.001 }}'], ['={{ -3 }}']])(
		'%s (from an expression) is refused by name before any call',
		async (rate) => {
			const run = await runWith(sb, createWithRate(rate), [
				{ code: issueCode(sb), name: 'too slow' },
			]);
			expect(run.error?.message).toBe(
				'Request Options: "Max Requests per Second" must be 0 or empty (no limit) or a number of at least 0.01 (one call every 100 seconds)',
			);
			expect(run.error?.description).toContain('at least 0.01');
			expect(apiCalls(sb)).toHaveLength(0);
		},
		20_000,
	);

	it('the slowest rate accepted (0.01: a call every 100 s) stops at once when the execution is cancelled mid-wait', async () => {
		const cancel = new AbortController();
		const asked: number[] = [];
		const realSleep = REAL_CLOCK.sleep;
		// The pacer's own sleeps, watched: the execution is stopped while the second call waits its turn.
		jest.spyOn(REAL_CLOCK, 'sleep').mockImplementation(async (ms, signal) => {
			asked.push(ms);
			if (asked.length === 1) cancel.abort();
			await realSleep(ms, signal);
		});
		cancelExecutionOn(cancel.signal);
		const run = await runWith(sb, createWithRate('={{ 0.01 }}'), [
			{ code: issueCode(sb), name: 'stopped' },
		]);
		// The look-up went; the create, 100 s later, never did.
		expect(apiCalls(sb).map((r) => r.method)).toEqual(['GET']);
		expect(sb.instances.size).toBe(0);
		expect(run.error?.message).toBe('The execution was cancelled');
		expect(asked).toHaveLength(1);
		expect(asked[0]).toBeLessThanOrEqual(1000);
	}, 20_000);
});

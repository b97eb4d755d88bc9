/** One run of the fault suite: an operation, a fault aimed at one of its calls, N items through n8n's engine. */
import type { VirtualClock } from '../support/virtualClock';
import { runNode, type NodeRun } from '../support/infusionsoftRun';
import { expectContinueRun, expectStopRun } from './evaluate';
import type { FaultSpec } from './faults';
import { returnsList, type OperationSpec, type Target } from './operations';
import {
	apiCalls,
	expectNoSentinels,
	secretsSent,
	sentinelCredentials,
	startSentinelSandbox,
	type Sandbox,
} from './support';

let runCounter = 0;

export interface FaultRun {
	run: NodeRun;
	sb: Sandbox;
	/** The waits the door decided during this run (virtual milliseconds), in order. */
	waits: number[];
}

/**
 * Runs the operation with `n` items against a fresh stand-in with the fault aimed at `target`,
 * and checks what every run must show: no sentinel anywhere; one item (Continue On Fail off)
 * ends as the fault's expectation says; N items (on) give N items out, paired and in order,
 * each correct or a clear error as expected. `more` checks the rest before the stand-in closes.
 */
export async function runFault(
	clock: VirtualClock,
	op: OperationSpec,
	fault: FaultSpec,
	target: Target,
	{ n, continueOnFail }: { n: number; continueOnFail: boolean },
	more?: (done: FaultRun) => void,
): Promise<void> {
	const expectation = fault.expect(op, target);
	const label = `r${++runCounter}`;
	const sb = await startSentinelSandbox();
	try {
		const prepared = await op.prepare(sb, n, label);
		const credentials = sentinelCredentials(sb);
		fault.adjust?.({ credentials, items: prepared.items });
		// One call carries one item's code: with several items, an echo of the code would be another item's.
		const codes =
			n === 1
				? prepared.items.map((item) => item.code).filter((c): c is string => typeof c === 'string')
				: [];
		// A hub call carries the instance token too (the look-up of the instance does not).
		const tokens = n === 1 && target.carriesToken ? (prepared.tokens ?? []) : [];
		fault.inject(sb, target, [...secretsSent(op.usesApp, codes), ...tokens]);
		const parameters = {
			...op.parameters,
			...(fault.requestOptions ? { requestOptions: fault.requestOptions } : {}),
		};
		const run = await clock.during(
			label,
			async () =>
				await runNode(sb, { parameters, items: prepared.items, continueOnFail, credentials }),
		);
		expectNoSentinels(run, [...prepared.secrets, ...(prepared.tokens ?? [])]);
		if (continueOnFail) expectContinueRun(run, prepared, expectation, n, { list: returnsList(op) });
		else expectStopRun(run, prepared, expectation);
		const waits = clock.sleeps.filter((sleep) => sleep.during === label).map((sleep) => sleep.ms);
		more?.({ run, sb, waits });
	} finally {
		await sb.close();
	}
}

/** The platform calls the stand-in received that `target` names, in order. */
export function callsTo(sb: Sandbox, target: Target) {
	return apiCalls(sb).filter((request) => {
		const path = request.path.slice('/elements/api-v2'.length);
		return (
			request.method === target.method &&
			(typeof target.path === 'string' ? path.startsWith(target.path) : target.path.test(path))
		);
	});
}

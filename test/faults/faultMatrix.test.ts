/**
 * The fault matrix, through n8n's engine against the stand-in started with sentinel secrets:
 *
 * - by call class (callClasses.ts): every fault on one call of each class for each set of
 *   expected outcomes: the run ends in a correct result or a clear error; with Continue On Fail,
 *   3 items in give 3 items out; no form of any secret or code is visible anywhere;
 * - on every operation: the echoing faults on each of its calls (3 items, Continue On Fail: no
 *   sentinel anywhere, paired and in order; a representative meets them in the matrix), and
 *   each call is what its class says (its answer lost after processing, it is sent again if
 *   safe to repeat, never if sent once); bad input refused by field and item before any
 *   request; a coverage test for operations not driven.
 *
 * The door's clock is virtual (test/support/virtualClock.ts): backoff and Retry-After take no
 * real time, and the wait the node decided is read from the clock.
 *
 * Known bugs are listed in KNOWN_BUGS: their tests are `failing` (green while the bug is
 * there). `FAULTS_STRICT=1 npx jest test/faults` runs them as ordinary tests to see the failure.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';

import { InfusionsoftCrm } from '../../nodes/InfusionsoftCrm/InfusionsoftCrm.node';
import { useVirtualClock, type VirtualClock } from '../support/virtualClock';
import {
	AIMED_FAULTS,
	CALL_CLASSES,
	callName,
	CALLS,
	classOf,
	outcomesOf,
	REPRESENTATIVES,
	representativesByClass,
	type Call,
} from './callClasses';
import { FAULTS, type Expectation, type FaultSpec } from './faults';
import { OPERATIONS, type OperationSpec, type Target } from './operations';
import { callsTo, runFault } from './runFault';
import { expectNoSentinels, runWith, startSentinelSandbox } from './support';

/**
 * `fault × operation · call` → what is wrong. Reported bugs stay here as `failing` tests until
 * fixed. Fixed in 10ff743: a non-JSON 2xx was used as the answer (garbled outputs, a duplicate
 * create, wiped tags), and a re-authentication whose answer was lost was sent again with its
 * spent code (a 400 though it had succeeded).
 */
export const KNOWN_BUGS: Record<string, string> = {};

const strict = process.env.FAULTS_STRICT === '1';

let clock: VirtualClock;
beforeAll(() => {
	clock = useVirtualClock();
});
afterAll(() => jest.restoreAllMocks());

const describeExpectation = (expectation: Expectation) =>
	expectation.kind === 'error'
		? `a clear error${expectation.httpCode ? ` (${expectation.httpCode})` : ''}`
		: expectation.kind === 'either'
			? 'a clear error or a correct result'
			: 'a correct result';

/** An `it.concurrent`, or its `failing` form for a known bug. */
function caseFor(fault: FaultSpec, call: Call, title: string, body: () => Promise<void>) {
	const bug = KNOWN_BUGS[`${fault.name} × ${callName(call)}`];
	const test = bug && !strict ? it.concurrent.failing : it.concurrent;
	test(bug ? `${title} [KNOWN BUG: ${bug}]` : title, body, 30_000);
}

/** One item (Continue On Fail off) and three (on), side by side; the wait decided, if the fault sets one. */
async function runBoth(op: OperationSpec, fault: FaultSpec, target: Target): Promise<void> {
	const [stop, carryOn] = await Promise.allSettled([
		runFault(clock, op, fault, target, { n: 1, continueOnFail: false }, ({ waits }) => {
			if (fault.waitsMs !== undefined) expect(waits).toContain(fault.waitsMs);
		}),
		runFault(clock, op, fault, target, { n: 3, continueOnFail: true }),
	]);
	if (stop.status === 'rejected') throw stop.reason;
	if (carryOn.status === 'rejected') throw carryOn.reason;
}

describe('every fault, by call class', () => {
	const opsDone = new Set<string>();
	for (const [cls, calls] of representativesByClass()) {
		describe(cls, () => {
			for (const call of calls) {
				const { op, target } = call;
				// Faults made by the credentials or the input hit an operation's first call: once per operation.
				const faults = opsDone.has(op.name)
					? AIMED_FAULTS
					: [...FAULTS.filter((fault) => fault.anyTarget), ...AIMED_FAULTS];
				opsDone.add(op.name);
				describe(callName(call), () => {
					for (const fault of faults) {
						const aimed = fault.anyTarget ? op.targets[0] : target;
						const expectation = fault.expect(op, aimed);
						if (expectation.kind === 'skip') continue;
						const where = fault.anyTarget ? ` (on ${aimed.label})` : '';
						caseFor(
							fault,
							call,
							`${fault.name}${where} → ${describeExpectation(expectation)}`,
							async () => await runBoth(op, fault, aimed),
						);
					}
				});
			}
		});
	}

	it('every class has a representative, and every call ends as one of its class does under every fault', () => {
		const byClass = new Map(representativesByClass());
		expect(CALL_CLASSES.filter((cls) => byClass.get(cls)!.length === 0)).toEqual([]);
		const same = (a: Call, b: Call) =>
			JSON.stringify(outcomesOf(a)) === JSON.stringify(outcomesOf(b));
		const unrepresented = CALLS.filter(
			(call) => !byClass.get(classOf(call.target))!.some((rep) => same(rep, call)),
		).map(callName);
		// A call listed here: add it to REPRESENTATIVES (callClasses.ts), saying what sets it apart.
		expect(unrepresented).toEqual([]);
	});
});

const ECHOING = FAULTS.filter((fault) => fault.echoes);
const REPRESENTED = new Set(REPRESENTATIVES.map(({ call }) => call));
const LOST_AFTER_PROCESSING = FAULTS.find(
	(fault) => fault.name === 'connection reset after processing, once',
)!;

describe('every operation: the echoing faults on each call, and each call’s class', () => {
	for (const op of OPERATIONS) {
		describe(op.name, () => {
			for (const target of op.targets) {
				const call = { op, target };
				// A representative meets every fault above, with one item and with three.
				const echoing = REPRESENTED.has(callName(call)) ? [] : ECHOING;
				for (const fault of echoing) {
					const expectation = fault.expect(op, target);
					if (expectation.kind === 'skip') continue;
					caseFor(
						fault,
						call,
						`${fault.name} on ${target.label}, 3 items with Continue On Fail → ${describeExpectation(expectation)}, paired, in order, no sentinel`,
						async () => await runFault(clock, op, fault, target, { n: 3, continueOnFail: true }),
					);
				}
				const once = target.sentOnce === true;
				caseFor(
					LOST_AFTER_PROCESSING,
					call,
					`${target.label} (${classOf(target)}): its answer lost after processing, it is ${once ? 'not sent again' : 'sent again'} → ${describeExpectation(LOST_AFTER_PROCESSING.expect(op, target))}`,
					async () =>
						await runFault(
							clock,
							op,
							LOST_AFTER_PROCESSING,
							target,
							{ n: 1, continueOnFail: false },
							({ sb }) => {
								const sent = callsTo(sb, target);
								expect(sent[0]?.fault).toBeDefined();
								if (once) expect(sent).toHaveLength(1);
								else expect(sent.length).toBeGreaterThanOrEqual(2);
							},
						),
				);
			}
		});
	}
});

describe('bad input on every operation', () => {
	let badRun = 0;
	for (const op of OPERATIONS) {
		for (const bad of op.badInputs) {
			it.concurrent(
				`${op.name}: ${bad.label} is refused, naming the field and the item, before any request`,
				async () => {
					const sb = await startSentinelSandbox();
					try {
						const alone = await runWith(sb, op.parameters, [bad.item]);
						expect(alone.error?.name).toBe('NodeOperationError');
						expect(alone.error?.message?.toLowerCase()).toContain(bad.names.toLowerCase());
						expect(alone.error?.message).toContain('[item 0]');
						expect(sb.requests).toHaveLength(0);
						expectNoSentinels(alone);

						const prepared = await op.prepare(sb, 2, `bad${++badRun}`);
						const items = [prepared.items[0], bad.item, prepared.items[1]];
						const run = await runWith(sb, op.parameters, items, true);
						expect(run.items).toHaveLength(3);
						expect(run.items.map((row) => row.pairedItem)).toEqual([
							{ item: 0 },
							{ item: 1 },
							{ item: 2 },
						]);
						expect(String(run.items[1].json.error).toLowerCase()).toContain(
							bad.names.toLowerCase(),
						);
						expect(run.items[1].json.error).toContain('[item 1]');
						prepared.check([run.items[0].json], 0, true);
						prepared.check([run.items[2].json], 1, true);
						expectNoSentinels(run, prepared.secrets);
					} finally {
						await sb.close();
					}
				},
			);
		}
	}
});

describe('coverage', () => {
	it('drives every operation the node offers', () => {
		const { properties } = new InfusionsoftCrm().description;
		const offered: string[] = [];
		for (const property of properties) {
			if (property.name !== 'operation') continue;
			const resource = (property.displayOptions?.show?.resource as string[])[0];
			for (const option of property.options as Array<{ value: string }>)
				offered.push(`${resource}/${option.value}`);
		}
		const driven = new Set(OPERATIONS.map((op) => op.name.split(' ')[0]));
		expect(offered.filter((name) => !driven.has(name))).toEqual([]);
	});
});

/**
 * Every fault on every operation, through n8n's engine against the stand-in started with
 * sentinel secrets: the run ends in a correct result or a clear error; with Continue On Fail,
 * N items in give N items out; and no form of any secret or code is visible anywhere.
 *
 * Known bugs are listed in KNOWN_BUGS: their tests are `failing` (green while the bug is
 * there). `FAULTS_STRICT=1 npx jest test/faults` runs them as ordinary tests to see the failure.
 */
import { describe, expect, it } from '@jest/globals';

import { InfusionsoftCrm } from '../../nodes/InfusionsoftCrm/InfusionsoftCrm.node';
import { expectContinueRun, expectStopRun } from './evaluate';
import { FAULTS, type FaultSpec } from './faults';
import { OPERATIONS, type OperationSpec, type Target } from './operations';
import {
	expectNoSentinels,
	runWith,
	secretsSent,
	sentinelCredentials,
	startSentinelSandbox,
} from './support';
import { runNode } from '../support/infusionsoftRun';

/**
 * `fault × operation × target` → what is wrong. Reported bugs stay here as `failing` tests until
 * fixed. Fixed in 10ff743: a non-JSON 2xx was used as the answer (garbled outputs, a duplicate
 * create, wiped tags), and a re-authentication whose answer was lost was sent again with its
 * spent code (a 400 though it had succeeded).
 */
export const KNOWN_BUGS: Record<string, string> = {};

const strict = process.env.FAULTS_STRICT === '1';
let runCounter = 0;

/** Runs the case with one item (Continue On Fail off) and with three (on), side by side. */
async function runCase(op: OperationSpec, fault: FaultSpec, target: Target) {
	const expectation = fault.expect(op, target);
	const once = async (n: number, continueOnFail: boolean) => {
		const sb = await startSentinelSandbox();
		try {
			const prepared = await op.prepare(sb, n, `r${++runCounter}`);
			const credentials = sentinelCredentials(sb);
			fault.adjust?.({ credentials, items: prepared.items });
			// One call carries one item's code: with several items, an echo of the code would be another item's.
			const codes =
				n === 1
					? prepared.items
							.map((item) => item.code)
							.filter((c): c is string => typeof c === 'string')
					: [];
			// A hub call carries the instance token too (the look-up of the instance does not).
			const tokens = n === 1 && target.carriesToken ? (prepared.tokens ?? []) : [];
			fault.inject(sb, target, [...secretsSent(op.usesApp, codes), ...tokens]);
			const parameters = {
				...op.parameters,
				...(fault.requestOptions ? { requestOptions: fault.requestOptions } : {}),
			};
			const run = await runNode(sb, {
				parameters,
				items: prepared.items,
				continueOnFail,
				credentials,
			});
			expectNoSentinels(run, [...prepared.secrets, ...(prepared.tokens ?? [])]);
			if (continueOnFail)
				expectContinueRun(run, prepared, expectation, n, { list: op.name.endsWith('/getAll') });
			else expectStopRun(run, prepared, expectation);
		} finally {
			await sb.close();
		}
	};
	const [stop, carryOn] = await Promise.allSettled([once(1, false), once(3, true)]);
	if (stop.status === 'rejected') throw stop.reason;
	if (carryOn.status === 'rejected') throw carryOn.reason;
}

describe('faults on every operation', () => {
	for (const op of OPERATIONS) {
		describe(op.name, () => {
			for (const fault of FAULTS) {
				const targets = fault.anyTarget ? op.targets.slice(0, 1) : op.targets;
				for (const target of targets) {
					const expectation = fault.expect(op, target);
					if (expectation.kind === 'skip') continue;
					const title = `${fault.name} on ${target.label} → ${expectation.kind === 'error' ? `a clear error${expectation.httpCode ? ` (${expectation.httpCode})` : ''}` : expectation.kind === 'either' ? 'a clear error or a correct result' : 'a correct result'}`;
					const key = `${fault.name} × ${op.name} × ${target.label}`;
					const bug = KNOWN_BUGS[key];
					const test = bug && !strict ? it.concurrent.failing : it.concurrent;
					test(
						bug ? `${title} [KNOWN BUG: ${bug}]` : title,
						async () => runCase(op, fault, target),
						30_000,
					);
				}
			}
		});
	}
});

describe('bad input on every operation', () => {
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

						const prepared = await op.prepare(sb, 2, `bad${++runCounter}`);
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

import { expect } from '@jest/globals';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { NODE_NAME } from '../support/infusionsoftRun';
import type { Expectation } from './faults';
import type { Prepared } from './operations';
import { expectClearError, expectErrorItem, type NodeRun, type RunError } from './support';

/** The output rows of each input item, checked to be paired and in input order. */
export function rowsByItem(items: INodeExecutionData[], n: number): INodeExecutionData[][] {
	const byItem: INodeExecutionData[][] = Array.from({ length: n }, () => []);
	let last = 0;
	for (const row of items) {
		const paired = row.pairedItem as { item?: unknown } | undefined;
		expect(typeof paired?.item).toBe('number');
		const index = paired!.item as number;
		expect(index).toBeGreaterThanOrEqual(last);
		expect(index).toBeLessThan(n);
		last = index;
		byItem[index].push(row);
	}
	return byItem;
}

const isErrorRow = (rows: INodeExecutionData[]) =>
	rows.length === 1 && typeof rows[0].json.error === 'string' && rows[0].json.id === undefined;

/** One item, Continue On Fail off: the run ends as the expectation says. */
export function expectStopRun(run: NodeRun, prepared: Prepared, expectation: Expectation): void {
	const taskError = run.taskOf(NODE_NAME)?.error as RunError | undefined;
	const json = run.items.map((row) => row.json);
	switch (expectation.kind) {
		case 'result':
		case 'output':
			expect(run.error).toBeUndefined();
			if (expectation.kind === 'output' && expectation.allowEmpty && json.length === 0) return;
			prepared.check(json, 0, expectation.kind === 'result');
			return;
		case 'either':
			if (run.error) {
				expectClearError(run.error as RunError);
				expectClearError(taskError);
			} else {
				prepared.check(json, 0, false);
			}
			return;
		case 'error':
			expectClearError(run.error as RunError, { httpCode: expectation.httpCode ?? undefined });
			expectClearError(taskError, { httpCode: expectation.httpCode ?? undefined });
			if (expectation.httpCode === null)
				expect((run.error as RunError).httpCode ?? null).toBeNull();
			expect(run.items).toEqual([]);
			return;
		case 'skip':
			return;
	}
}

/** N items, Continue On Fail on: N items out (a list may give none), each correct or an error item. */
export function expectContinueRun(
	run: NodeRun,
	prepared: Prepared,
	expectation: Expectation,
	n: number,
	{ list = false }: { list?: boolean } = {},
): void {
	expect(run.error).toBeUndefined();
	const byItem = rowsByItem(run.items, n);
	if (!list) expect(run.items).toHaveLength(n);
	let errors = 0;
	byItem.forEach((rows, i) => {
		const json = rows.map((row) => row.json as IDataObject);
		if (isErrorRow(rows)) {
			errors++;
			if (expectation.kind === 'result' || expectation.kind === 'output') {
				throw new Error(
					`item ${i} failed: ${String(rows[0].json.error)} ${String(rows[0].json.errorDescription ?? '')}`,
				);
			}
			expectErrorItem(
				rows[0],
				i,
				expectation.kind === 'error' ? (expectation.httpCode ?? undefined) : undefined,
			);
			if (expectation.kind === 'error' && expectation.httpCode === null)
				expect(rows[0].json.httpCode).toBeUndefined();
			return;
		}
		if (expectation.kind === 'error' && expectation.everyItem) {
			throw new Error(
				`item ${i} should have failed, it gave ${JSON.stringify(json).slice(0, 200)}`,
			);
		}
		if (expectation.kind === 'output' && expectation.allowEmpty && json.length === 0) return;
		prepared.check(json, i, expectation.kind === 'result' || expectation.kind === 'error');
	});
	if (expectation.kind === 'error') expect(errors).toBeGreaterThanOrEqual(1);
}

import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { readRequestSettings } from '../../../lib/params/requestOptions';
import { mapWithConcurrency } from '../../../lib/platform/concurrency';
import { outputShape } from '../helpers/toolOutput';
import { startExecution } from './execution';
import { Item } from './item';
import { asNodeError, errorItem } from './itemErrors';
import { WithBinary } from './output';
import { findOperation } from './registry';

/**
 * Owns the item loop: runs the run's operation for every item with at most Concurrency items
 * at once, pairs and redacts every output (and keeps credentials from an AI agent), and applies
 * Continue On Fail. A row with binary data (`WithBinary`) keeps it. An operation that declares a batch gets what its items share, and each item
 * its place among the Concurrency items (`BatchItem`).
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const operation = findOperation(this);
	const { concurrency, policy } = readRequestSettings(
		this.getNodeParameter('requestOptions', 0, {}) as IDataObject,
	);
	const execution = await startExecution(this, operation, policy);
	const shared = operation.batch?.call(this, items.length);
	const shape = outputShape(this);

	const perItem = await mapWithConcurrency(items.length, concurrency, async (itemIndex, slot) => {
		const item = new Item(execution, itemIndex);
		try {
			const result = await operation.execute.call(this, item, { shared, slot });
			const rows = Array.isArray(result) ? result : [result];
			const redactor = item.redactor;
			return rows.map((row): INodeExecutionData => {
				const json = row instanceof WithBinary ? row.json : row;
				return {
					json: shape(redactor.json(json)),
					...(row instanceof WithBinary && { binary: row.binary }),
					pairedItem: { item: itemIndex },
				};
			});
		} catch (error) {
			const failure = asNodeError(this, error, itemIndex, item.redactor);
			if (this.continueOnFail()) return [errorItem(failure, itemIndex)];
			throw failure;
		}
	});
	return [perItem.flat()];
}

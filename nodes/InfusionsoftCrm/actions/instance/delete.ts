import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { instanceIdField } from '../../shared/descriptions';
import { instanceIdParameter } from '../../shared/input';
import { instanceNotFoundHints } from '../../transport/instances';
import type { OperationContext } from '../types';

const properties: INodeProperties[] = [
	instanceIdField,
	{
		displayName: 'Succeed If Already Deleted',
		name: 'ignoreMissing',
		type: 'boolean',
		default: true,
		description: 'Whether a missing instance counts as deleted, so that a rerun does not fail',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['instance'], operation: ['delete'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	ctx: OperationContext,
): Promise<IDataObject> {
	const id = instanceIdParameter(this, itemIndex);
	const ignoreMissing = this.getNodeParameter('ignoreMissing', itemIndex, true) as boolean;
	const response = await ctx.transport.request(
		{
			method: 'DELETE',
			path: `/instances/${id}`,
			accept: ignoreMissing ? [404] : [],
			hints: instanceNotFoundHints(id),
		},
		itemIndex,
		ctx.redactor,
	);
	return { id: Number(id), deleted: true, alreadyDeleted: response.statusCode === 404 };
}

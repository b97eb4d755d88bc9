import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { instanceIdField } from '../../shared/descriptions';
import { instanceIdParameter } from '../../shared/input';
import type { OperationContext } from '../types';

const properties: INodeProperties[] = [instanceIdField];

export const description = updateDisplayOptions(
	{ show: { resource: ['instance'], operation: ['get'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	ctx: OperationContext,
): Promise<IDataObject> {
	const id = instanceIdParameter(this, itemIndex);
	const response = await ctx.transport.request<IDataObject>(
		{ method: 'GET', path: `/instances/${id}`, hints: { 404: `No instance ${id} on this account: check the Instance ID.` } },
		itemIndex,
		ctx.redactor,
	);
	return response.body;
}

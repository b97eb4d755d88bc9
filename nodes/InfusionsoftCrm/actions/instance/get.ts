import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { instanceIdField } from '../../shared/descriptions';
import { instanceIdParameter } from '../../shared/input';
import { getInstance } from '../../transport/instances';
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
	return await getInstance(ctx.transport, id, itemIndex, ctx.redactor);
}

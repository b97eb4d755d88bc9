import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { instanceIdField } from '../../shared/descriptions';
import { instanceIdParameter } from '../../shared/input';
import { instanceNotFoundHints } from '../../transport/instances';
import type { Operation, OperationContext } from '../types';

/** Enable and Disable are one call with two methods: PUT or DELETE /instances/{id}/enabled. */
function enabledOperation(operation: 'enable' | 'disable'): Operation {
	return {
		description: updateDisplayOptions({ show: { resource: ['instance'], operation: [operation] } }, [
			instanceIdField,
		] as INodeProperties[]),
		async execute(this: IExecuteFunctions, itemIndex: number, ctx: OperationContext): Promise<IDataObject> {
			const id = instanceIdParameter(this, itemIndex);
			const response = await ctx.transport.request<IDataObject>(
				{
					method: operation === 'enable' ? 'PUT' : 'DELETE',
					path: `/instances/${id}/enabled`,
					hints: instanceNotFoundHints(id),
				},
				itemIndex,
				ctx.redactor,
			);
			const body = response.body && typeof response.body === 'object' ? response.body : { id: Number(id) };
			return { ...body, disabled: operation === 'disable' };
		},
	};
}

export const enable = enabledOperation('enable');
export const disable = enabledOperation('disable');

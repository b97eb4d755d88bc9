import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { instanceIdParameter } from '../../../../../lib/params/input';
import { instanceNotFound } from '../../../../../lib/platform/instances';
import { instanceIdField } from '../../../helpers/descriptions';
import type { ItemContext, Operation } from '../../types';

/** Enable and Disable are one call with two methods: PUT or DELETE /instances/{id}/enabled. */
export function enabledOperation(operation: 'enable' | 'disable'): Operation {
	return {
		option:
			operation === 'enable'
				? {
						name: 'Enable',
						value: 'enable',
						description: 'Enable a disabled instance',
						action: 'Enable an instance',
					}
				: {
						name: 'Disable',
						value: 'disable',
						description: 'Disable an instance; calls with its token are refused',
						action: 'Disable an instance',
					},
		credentials: { account: true, app: false },
		properties: [instanceIdField],
		async execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
			const id = instanceIdParameter(this, item.index);
			const response = await item.platform.request({
				method: operation === 'enable' ? 'PUT' : 'DELETE',
				path: `/instances/${id}/enabled`,
				...instanceNotFound(id),
			});
			const body =
				response.body && typeof response.body === 'object' && !Array.isArray(response.body)
					? response.body
					: {};
			return { id: Number(id), ...(body as IDataObject), disabled: operation === 'disable' };
		},
	};
}

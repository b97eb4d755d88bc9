import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { instanceIdField, tagsField } from '../../shared/descriptions';
import { inputError, instanceIdParameter, parseTags, textParameter } from '../../shared/input';
import { instanceNotFoundHints } from '../../transport/instances';
import type { OperationContext } from '../types';

const properties: INodeProperties[] = [
	instanceIdField,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				default: '',
				description: 'The new name of the instance',
			},
			{
				...tagsField,
				description: 'The new tags: they replace the instance’s tags, they are not added to them',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['instance'], operation: ['update'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	ctx: OperationContext,
): Promise<IDataObject> {
	const id = instanceIdParameter(this, itemIndex);
	const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	const body: IDataObject = {};
	if (fields.name !== undefined) {
		const name = textParameter(this, 'updateFields.name', 'Update Fields → Name', itemIndex, { required: true });
		body.name = name;
	}
	if (fields.tags !== undefined) {
		const tags = parseTags(fields.tags);
		if (tags === undefined) {
			throw inputError(this, itemIndex, 'Update Fields → Tags must be a comma-separated text or a list of texts');
		}
		body.tags = tags;
	}
	if (Object.keys(body).length === 0) {
		throw inputError(this, itemIndex, 'Nothing to update', 'Add a Name or Tags under Update Fields.');
	}
	const response = await ctx.transport.request<IDataObject>(
		{ method: 'PATCH', path: `/instances/${id}`, body, hints: instanceNotFoundHints(id) },
		itemIndex,
		ctx.redactor,
	);
	return response.body;
}

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	inputError,
	instanceIdParameter,
	parseTags,
	readBoolean,
	textParameter,
} from '../../../../lib/params/input';
import { patchInstance } from '../../../../lib/platform/instances';
import { instanceIdField, tagsField } from '../../helpers/descriptions';
import type { ItemContext } from '../types';

export const option = {
	name: 'Update',
	value: 'update',
	description: 'Change the name or tags of an instance',
	action: 'Update an instance',
};

export const credentials = { account: true, app: false };

export const properties: INodeProperties[] = [
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
				displayName: 'Remove All Tags',
				name: 'clearTags',
				type: 'boolean',
				default: false,
				description:
					'Whether to remove every tag of the instance. An empty Tags value leaves the tags as they are.',
			},
			{
				...tagsField,
				description:
					'The new tags: they replace the instance’s tags, they are not added to them. Empty leaves the tags as they are (use Remove All Tags to clear them).',
			},
		],
	},
];

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
	const id = instanceIdParameter(this, item.index);
	const fields = this.getNodeParameter('updateFields', item.index, {}) as IDataObject;
	const body: IDataObject = {};
	if (fields.name !== undefined) {
		body.name = textParameter(this, 'updateFields.name', 'Update Fields → Name', item.index, {
			required: true,
		});
	}
	const clearTags = fields.clearTags === undefined ? false : readBoolean(fields.clearTags);
	if (clearTags === undefined) {
		throw inputError(this, item.index, 'Update Fields → Remove All Tags must be true or false');
	}
	const tags = parseTags(fields.tags);
	if (tags === undefined) {
		throw inputError(
			this,
			item.index,
			'Update Fields → Tags must be a comma-separated text or a list of texts',
		);
	}
	if (clearTags && tags.length > 0) {
		throw inputError(
			this,
			item.index,
			'Update Fields → Tags and Remove All Tags contradict each other',
			'Give new Tags, or turn on Remove All Tags, not both.',
		);
	}
	if (clearTags) body.tags = [];
	else if (tags.length > 0) body.tags = tags;
	if (Object.keys(body).length === 0) {
		throw inputError(
			this,
			item.index,
			'Nothing to update',
			'Add a Name, Tags or Remove All Tags under Update Fields.',
		);
	}
	return await patchInstance(item.platform, id, body);
}

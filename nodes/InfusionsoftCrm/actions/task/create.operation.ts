import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { KEAP_REST_ONLY } from '../../../../lib/keap/elements';
import { inputError } from '../../../../lib/params/input';
import { additionalFieldsField, instanceLocatorField } from '../../helpers/descriptions';
import { openHub } from '../hub';
import type { ItemContext } from '../types';
import { readTaskFields, taskFields } from './fields';

export const option = {
	name: 'Create',
	value: 'create',
	description: 'Create a task in the customer’s Keap (Keap REST)',
	action: 'Create a task',
};

export const credentials = { account: true, app: false };

export const elements = KEAP_REST_ONLY;

export const properties: INodeProperties[] = [
	instanceLocatorField,
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'Call back about the offer',
		description: 'What the task is called',
	},
	additionalFieldsField(taskFields.filter((field) => field.name !== 'title')),
];

/** A task has no natural key to look it up by: a create whose answer is lost is reported, never sent again. */
export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
	const title = this.getNodeParameter('title', item.index, '') as IDataObject[string];
	const values = {
		...(this.getNodeParameter('additionalFields', item.index, {}) as IDataObject),
		title,
	};
	const body = readTaskFields(this, item.index, values, 'Fields');
	if (!body.title) throw inputError(this, item.index, 'Title is empty');
	const hub = await openHub(this, item);
	return await hub.sendOnce(
		{ method: 'POST', path: '/tasks', body, expect: 'object' },
		{
			ifUnknown:
				'The task may or may not have been created: check the customer’s Keap before running this item again.',
		},
	);
}

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { KEAP_REST_ONLY } from '../../../../lib/keap/elements';
import { textParameter } from '../../../../lib/params/input';
import { additionalFieldsField, instanceLocatorField } from '../../helpers/descriptions';
import { openHub } from '../hub';
import type { ItemContext } from '../types';
import { readId, readText } from '../../helpers/collectionValues';
import { categoryIdField, tagWhere } from './fields';

export const option = {
	name: 'Create',
	value: 'create',
	description: 'Create a tag in the customer’s Keap account (Keap REST)',
	action: 'Create a tag',
};

export const credentials = { account: true, app: false };

export const elements = KEAP_REST_ONLY;

export const properties: INodeProperties[] = [
	instanceLocatorField,
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'VIP',
		description: 'The tag’s name, as Keap shows it; contacts are tagged with it later by its ID',
	},
	additionalFieldsField([
		{ ...categoryIdField, description: 'The tag category to file the tag under (its Keap ID)' },
		{
			displayName: 'Description',
			name: 'description',
			type: 'string',
			typeOptions: { rows: 2 },
			default: '',
			description: 'What the tag means',
		},
	]),
];

/**
 * POST /tags at most once. A tag's name is its natural key: when the answer is lost, the tag
 * is looked up by name (and category) before anything is sent again.
 */
export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
	const name = textParameter(this, 'name', 'Name', item.index, {
		required: true,
		hint: 'Give the tag a name, e.g. VIP.',
	});
	const fields = this.getNodeParameter('additionalFields', item.index, {}) as IDataObject;
	const description = readText(
		this,
		item.index,
		fields,
		'description',
		'Additional Fields → Description',
	);
	const categoryId = readId(
		this,
		item.index,
		fields,
		'categoryId',
		'Additional Fields → Category ID',
	);
	const body: IDataObject = {
		name,
		...(description !== undefined && { description }),
		...(categoryId !== undefined && { category: { id: categoryId } }),
	};
	const hub = await openHub(this, item);
	return await hub.sendOnce(
		{ method: 'POST', path: '/tags', body, expect: 'object' },
		{
			lookUp: async () =>
				(await hub.list('/tags', { where: tagWhere(name, categoryId) }, 1, 'tags'))[0],
		},
	);
}

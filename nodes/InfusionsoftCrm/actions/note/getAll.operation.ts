import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { KEAP_REST_ONLY } from '../../../../lib/keap/elements';
import { inputError, limitParameter } from '../../../../lib/params/input';
import { readText } from '../../helpers/collectionValues';
import { filtersField, instanceLocatorField, returnAllFields } from '../../helpers/descriptions';
import { allOf, readWhereFilter, whereFilterField } from '../../helpers/whereFilter';
import { openHub } from '../hub';
import type { ItemContext } from '../types';

export const option = {
	name: 'Get Many',
	value: 'getAll',
	description: 'List notes, of one contact or by a CEQL query',
	action: 'Get many notes',
};

export const credentials = { account: true, app: false };

export const elements = KEAP_REST_ONLY;

export const properties: INodeProperties[] = [
	instanceLocatorField,
	...returnAllFields,
	filtersField([
		{
			displayName: 'Contact ID',
			name: 'contactId',
			type: 'string',
			default: '',
			description: 'Only the notes on this contact (its Keap ID)',
		},
		whereFilterField("type = 'Call'", 'type, user_id'),
	]),
];

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject[]> {
	const limit = limitParameter(this, item.index);
	const filters = this.getNodeParameter('filters', item.index, {}) as IDataObject;
	const contactId = readText(this, item.index, filters, 'contactId', 'Filters → Contact ID');
	if (contactId !== undefined && !/^[1-9][0-9]{0,18}$/.test(contactId))
		throw inputError(this, item.index, 'Filters → Contact ID must be a whole number');
	const where = readWhereFilter(this, item.index, filters);
	const hub = await openHub(this, item);
	const conditions = [
		...(contactId === undefined ? [] : [`contact_id = ${contactId}`]),
		...(where === undefined ? [] : [`(${where})`]),
	];
	return await hub.list(
		'/notes',
		{ where: allOf(conditions) },
		limit,
		'notes',
		(record) => record.id,
	);
}

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { KEAP_REST_ONLY } from '../../../../lib/keap/elements';
import { inputError, limitParameter } from '../../../../lib/params/input';
import { WHERE_HINT, whereProblem } from '../../helpers/ceql';
import { instanceLocatorField, returnAllFields } from '../../helpers/descriptions';
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
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Contact ID',
				name: 'contactId',
				type: 'string',
				default: '',
				description: 'Only the notes on this contact (its Keap ID)',
			},
			{
				displayName: 'Where (CEQL)',
				name: 'where',
				type: 'string',
				default: '',
				placeholder: "type = 'Call'",
				description:
					'A raw CEQL condition in Keap REST’s field names (e.g. type, user_id), combined with the filter above by AND',
			},
		],
	},
];

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject[]> {
	const limit = limitParameter(this, item.index);
	const filters = this.getNodeParameter('filters', item.index, {}) as IDataObject;
	const text = (name: string, label: string) => {
		const value = filters[name];
		if (value === undefined || value === null) return undefined;
		if (typeof value !== 'string' && !(typeof value === 'number' && Number.isFinite(value)))
			throw inputError(this, item.index, `Filters → ${label} must be text`);
		return String(value).trim() || undefined;
	};
	const contactId = text('contactId', 'Contact ID');
	if (contactId !== undefined && !/^[1-9][0-9]{0,18}$/.test(contactId))
		throw inputError(this, item.index, 'Filters → Contact ID must be a whole number');
	const where = text('where', 'Where (CEQL)');
	const problem = where === undefined ? undefined : whereProblem(where);
	if (problem) throw inputError(this, item.index, `Filters → Where (CEQL) ${problem}`, WHERE_HINT);
	const hub = await openHub(this, item);
	const conditions = [
		...(contactId === undefined ? [] : [`contact_id = ${contactId}`]),
		...(where === undefined ? [] : [`(${where})`]),
	];
	return await hub.list(
		'/notes',
		{ where: conditions.length > 0 ? conditions.join(' AND ') : undefined },
		limit,
		'notes',
		(record) => record.id,
	);
}

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { KEAP_REST_ONLY } from '../../../../lib/keap/elements';
import { limitParameter } from '../../../../lib/params/input';
import { readId, readText } from '../../helpers/collectionValues';
import { ceqlText } from '../../helpers/contacts';
import { filtersField, instanceLocatorField, returnAllFields } from '../../helpers/descriptions';
import { allOf } from '../../helpers/whereFilter';
import { openHub } from '../hub';
import type { ItemContext } from '../types';
import { stageIdField } from './fields';

export const option = {
	name: 'Get Many',
	value: 'getAll',
	description: 'List opportunities, by stage, owner or a search term',
	action: 'Get many opportunities',
};

export const credentials = { account: true, app: false };

export const elements = KEAP_REST_ONLY;

export const properties: INodeProperties[] = [
	instanceLocatorField,
	...returnAllFields,
	filtersField([
		{
			displayName: 'Search Term',
			name: 'searchTerm',
			type: 'string',
			default: '',
			placeholder: 'redesign',
			description:
				'Only opportunities whose title (or, in Keap, whose contact’s name, company or email) contains this text',
		},
		{
			...stageIdField,
			required: false,
			description:
				'Only opportunities in this stage. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		},
		{
			displayName: 'User ID',
			name: 'userId',
			type: 'string',
			default: '',
			placeholder: '7',
			description: 'Only opportunities owned by this Keap user (their Keap user ID)',
		},
	]),
];

/** Keap REST's own filters of the opportunity list (stage_id, user_id, search_term), as CEQL. */
export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject[]> {
	const limit = limitParameter(this, item.index);
	const filters = this.getNodeParameter('filters', item.index, {}) as IDataObject;
	const stageId = readId(this, item.index, filters, 'stageId', 'Filters → Stage');
	const userId = readId(this, item.index, filters, 'userId', 'Filters → User ID');
	const searchTerm = readText(this, item.index, filters, 'searchTerm', 'Filters → Search Term');
	const conditions = [
		...(stageId !== undefined ? [`stage_id = ${stageId}`] : []),
		...(userId !== undefined ? [`user_id = ${userId}`] : []),
		...(searchTerm !== undefined ? [`search_term = ${ceqlText(searchTerm)}`] : []),
	];
	const hub = await openHub(this, item);
	return await hub.list('/opportunities', { where: allOf(conditions) }, limit, 'opportunities');
}

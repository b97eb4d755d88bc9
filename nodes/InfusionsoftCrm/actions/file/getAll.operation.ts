import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { KEAP_REST_ONLY } from '../../../../lib/keap/elements';
import { inputError, limitParameter } from '../../../../lib/params/input';
import { ceqlText } from '../../helpers/contacts';
import { filtersField, instanceLocatorField, returnAllFields } from '../../helpers/descriptions';
import { allOf } from '../../helpers/whereFilter';
import { openHub } from '../hub';
import type { ItemContext } from '../types';
import { describeFile } from './fields';

export const option = {
	name: 'Get Many',
	value: 'getAll',
	description:
		'List files of the customer’s Keap (without their content), by contact, name or type',
	action: 'Get many files',
};

export const credentials = { account: true, app: false };

export const elements = KEAP_REST_ONLY;

/** Keap's file box types. */
const TYPES = [
	'Application',
	'Attachment',
	'Contact',
	'DigitalProduct',
	'Fax',
	'Funnel',
	'Hidden',
	'Image',
	'Import',
	'LogoThumbnail',
	'ReSampledImage',
	'StyledCart',
	'TemplateThumbnail',
	'Ticket',
	'WebForm',
];

export const properties: INodeProperties[] = [
	instanceLocatorField,
	...returnAllFields,
	filtersField([
		{
			displayName: 'Contact ID',
			name: 'contactId',
			type: 'string',
			default: '',
			placeholder: '123',
			description: 'Only files of this contact (its Keap ID)',
		},
		{
			displayName: 'Name',
			name: 'name',
			type: 'string',
			default: '',
			placeholder: 'contract.pdf',
			description: 'Only files with this name',
		},
		{
			displayName: 'Permission',
			name: 'permission',
			type: 'options',
			options: [
				{ name: 'User', value: 'USER', description: 'Files of the Keap user' },
				{ name: 'Company', value: 'COMPANY', description: 'Files of the company' },
			],
			default: 'USER',
			description: 'Only user files or only company files (both when left out)',
		},
		{
			displayName: 'Type',
			name: 'type',
			type: 'options',
			options: TYPES.map((value) => ({ name: value, value })),
			default: 'Attachment',
			description: 'Only files of this Keap file box type',
		},
	]),
];

/** Keap v1's query fields (`contact_id`, `name`, `type`, `permission`) as a CEQL condition. */
export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject[]> {
	const limit = limitParameter(this, item.index);
	const filters = this.getNodeParameter('filters', item.index, {}) as IDataObject;
	const conditions: string[] = [];
	const given = (name: string) => filters[name] !== undefined && filters[name] !== '';
	if (given('contactId')) {
		const id = String(filters.contactId).trim();
		if (!['string', 'number'].includes(typeof filters.contactId) || !/^[1-9][0-9]{0,18}$/.test(id))
			throw inputError(this, item.index, 'Filters → Contact ID must be a whole number');
		conditions.push(`contact_id = ${id}`);
	}
	if (given('name')) {
		if (typeof filters.name !== 'string')
			throw inputError(this, item.index, 'Filters → Name must be text');
		conditions.push(`name = ${ceqlText(filters.name.trim())}`);
	}
	for (const [name, label, values] of [
		['type', 'Type', TYPES],
		['permission', 'Permission', ['USER', 'COMPANY']],
	] as const) {
		if (!given(name)) continue;
		const value = filters[name];
		if (typeof value !== 'string' || !(values as readonly string[]).includes(value))
			throw inputError(this, item.index, `Filters → ${label} must be one of ${values.join(', ')}`);
		conditions.push(`${name} = ${ceqlText(value)}`);
	}
	const hub = await openHub(this, item);
	const records = await hub.list('/files', { where: allOf(conditions) }, limit, 'files');
	return records.map((record) => describeFile(record).record);
}

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { inputError, limitParameter } from '../../../../lib/params/input';
import { WHERE_HINT, whereProblem } from '../../helpers/ceql';
import { CONTACT_SHAPES, withCommonFields } from '../../helpers/contacts';
import { filtersField, instanceLocatorField, returnAllFields } from '../../helpers/descriptions';
import { allOf } from '../../helpers/whereFilter';
import { openHub } from '../hub';
import type { ItemContext } from '../types';
import { readFilters } from './fields';

export const option = {
	name: 'Get Many',
	value: 'getAll',
	description: 'List contacts, by name, email, last change or a CEQL query',
	action: 'Get many contacts',
};

export const credentials = { account: true, app: false };

export const properties: INodeProperties[] = [
	instanceLocatorField,
	...returnAllFields,
	filtersField([
		{
			displayName: 'Email',
			name: 'email',
			type: 'string',
			placeholder: 'name@email.com',
			default: '',
			description: 'Only contacts with this email',
		},
		{
			displayName: 'First Name',
			name: 'firstName',
			type: 'string',
			default: '',
			description: 'Only contacts with this first name',
		},
		{
			displayName: 'Last Name',
			name: 'lastName',
			type: 'string',
			default: '',
			description: 'Only contacts with this last name',
		},
		{
			displayName: 'Updated Since',
			name: 'updatedSince',
			type: 'dateTime',
			default: '',
			description:
				'Only contacts changed at or after this time, e.g. {{ $now.minus({ hours: 1 }) }} or the time of the last run',
		},
		{
			displayName: 'Where (CEQL)',
			name: 'where',
			type: 'string',
			default: '',
			placeholder: "family_name = 'Smith' AND email LIKE '%@example.com'",
			description:
				'A raw CEQL condition in the element’s own field names (operators = != &lt; &gt; &lt;= &gt;= LIKE IN IS NULL AND OR), combined with the filters above by AND',
		},
	]),
];

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject[]> {
	const limit = limitParameter(this, item.index);
	const filters = readFilters(this, item.index);
	const raw = (this.getNodeParameter('filters', item.index, {}) as IDataObject).where;
	if (raw !== undefined && typeof raw !== 'string')
		throw inputError(this, item.index, 'Filters → Where (CEQL) must be text');
	const problem = raw === undefined ? undefined : whereProblem(raw);
	if (problem) throw inputError(this, item.index, `Filters → Where (CEQL) ${problem}`, WHERE_HINT);
	const hub = await openHub(this, item);
	const shape = CONTACT_SHAPES[hub.instance.element];
	const conditions = [...shape.where(filters), ...(raw?.trim() ? [`(${raw.trim()})`] : [])];
	const records = await hub.list(
		'/contacts',
		{ where: allOf(conditions) },
		limit,
		'contacts',
		(record) => record[shape.idField],
	);
	return records.map((record) => withCommonFields(shape, record));
}

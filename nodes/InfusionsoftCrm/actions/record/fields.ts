import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { idParameter, inputError, nodeParameter } from '../../../../lib/params/input';
import type { Hub } from '../hub';
import { OBJECT_NAME } from './metadata';

export const objectField: INodeProperties = {
	displayName: 'Object Name or ID',
	name: 'object',
	type: 'options',
	typeOptions: { loadOptionsMethod: 'getRecordObjects', loadOptionsDependsOn: ['instance.value'] },
	required: true,
	default: '',
	description:
		'The kind of record in the customer’s Keap, as the instance lists it (e.g. contacts, tasks). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
};

export const recordIdField: INodeProperties = {
	displayName: 'Record ID',
	name: 'recordId',
	type: 'string',
	required: true,
	default: '',
	placeholder: '123',
	description: 'The ID of the record in the customer’s Keap, as Get Many outputs it',
};

/** The record's fields, loaded from the object's metadata (the account's custom fields too). */
export function columnsField(creating: boolean): INodeProperties {
	return {
		displayName: 'Fields',
		name: 'columns',
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: 'defineBelow', value: null },
		required: true,
		typeOptions: {
			loadOptionsDependsOn: ['instance.value', 'object'],
			resourceMapper: {
				resourceMapperMethod: 'getRecordFields',
				mode: 'add',
				fieldWords: { singular: 'field', plural: 'fields' },
				addAllFields: creating,
				multiKeyMatch: false,
				supportAutoMap: true,
			},
		},
		description: creating
			? 'The fields of the new record, from the object’s metadata (read-only fields are not offered)'
			: 'The fields to change; the others stay as they are',
	};
}

/** The Object: a plain name (no slash, dot or encoding to leave its path with), as the list gives it. */
export function objectParameter(ctx: IExecuteFunctions, itemIndex: number): string {
	const raw = nodeParameter(ctx, 'object', itemIndex, '');
	const name = typeof raw === 'string' ? raw.trim() : '';
	if (!OBJECT_NAME.test(name)) {
		throw inputError(
			ctx,
			itemIndex,
			name === ''
				? 'Object is empty'
				: 'Object must be a plain name of letters, digits and _ (e.g. contacts)',
			'Choose the Object from the list; for a path below an object use Custom API Call.',
		);
	}
	return name;
}

export function recordIdParameter(ctx: IExecuteFunctions, itemIndex: number): string {
	return idParameter(
		ctx,
		itemIndex,
		'recordId',
		'Record ID',
		'Map the "id" of a record, e.g. {{ $json.id }}.',
	);
}

export const recordNotFound = (hub: Hub, object: string, id: string) => ({
	404: `No record ${id} among the ${object} of instance ${hub.instance.id}: check the Record ID and the Object.`,
});

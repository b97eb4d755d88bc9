import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { KEAP_REST_ONLY } from '../../../../lib/keap/elements';
import { inputError } from '../../../../lib/params/input';
import { instanceLocatorField, updateFieldsField } from '../../helpers/descriptions';
import { updateRecord } from '../keapRecord';
import { productFields, productIdField, productRecord, readProductFields } from './fields';

export const option = {
	name: 'Update',
	value: 'update',
	description: 'Change fields of a product, e.g. its price or whether it is active',
	action: 'Update a product',
};

export const credentials = { account: true, app: false };

export const elements = KEAP_REST_ONLY;

export const properties: INodeProperties[] = [
	instanceLocatorField,
	productIdField,
	updateFieldsField(productFields),
];

/** A Name given must not be blank: a product cannot lose its name. */
function readProductChanges(
	ctx: IExecuteFunctions,
	itemIndex: number,
	values: IDataObject,
	label: string,
): IDataObject {
	const body = readProductFields(ctx, itemIndex, values, label);
	if (values.name !== undefined && !body.product_name)
		throw inputError(ctx, itemIndex, `${label} → Name is empty`);
	return body;
}

export const execute = updateRecord(productRecord, readProductChanges);

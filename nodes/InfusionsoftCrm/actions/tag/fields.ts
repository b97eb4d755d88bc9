import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { inputError } from '../../../../lib/params/input';
import { ceqlText } from '../../helpers/contacts';
import type { Hub } from '../hub';
import { requireRest } from '../task/fields';

export const categoryIdField: INodeProperties = {
	displayName: 'Category ID',
	name: 'categoryId',
	type: 'string',
	default: '',
	placeholder: '3',
	description: 'The ID of a Keap tag category (Keap’s settings list them under Tags)',
};

/** Tags exist on Keap REST only. */
export function requireTags(ctx: IExecuteFunctions, itemIndex: number, hub: Hub): void {
	requireRest(ctx, itemIndex, hub, 'Tags');
}

/** A text of a collection, trimmed; blank is "not given"; a number from an expression is text. */
export function readText(
	ctx: IExecuteFunctions,
	itemIndex: number,
	values: IDataObject,
	name: string,
	label: string,
): string | undefined {
	const value = values[name];
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value !== 'string' && !(typeof value === 'number' && Number.isFinite(value)))
		throw inputError(ctx, itemIndex, `${label} must be text`);
	return String(value).trim() || undefined;
}

/** An ID of a collection: a positive whole number, as a number or digits; blank is "not given". */
export function readId(
	ctx: IExecuteFunctions,
	itemIndex: number,
	values: IDataObject,
	name: string,
	label: string,
): number | undefined {
	const text = readText(ctx, itemIndex, values, name, label);
	if (text === undefined) return undefined;
	if (!/^[1-9][0-9]{0,18}$/.test(text))
		throw inputError(ctx, itemIndex, `${label} must be a whole number`);
	return Number(text);
}

/** The CEQL condition Keap REST's tag list takes: by name (exact) and category. */
export function tagWhere(name: string | undefined, categoryId: number | undefined): string {
	return [
		...(name !== undefined ? [`name = ${ceqlText(name)}`] : []),
		...(categoryId !== undefined ? [`category = ${categoryId}`] : []),
	].join(' AND ');
}

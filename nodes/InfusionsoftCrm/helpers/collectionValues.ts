import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { inputError } from '../../../lib/params/input';

// The values of a collection (Additional Fields, Filters): blank is "not given"; errors name the field by its label.

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

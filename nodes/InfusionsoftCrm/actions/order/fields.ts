import type { IExecuteFunctions } from 'n8n-workflow';

import { inputError } from '../../../../lib/params/input';
import { keapRecord } from '../keapRecord';

export const orderRecord = keapRecord({
	noun: 'order',
	article: 'an',
	collection: '/orders',
	idName: 'orderId',
	idDisplayName: 'Order ID',
	idDescription: 'The ID of the order in the customer’s Keap, as Create or Get Many output it',
});

export const orderIdField = orderRecord.idField;

const WHOLE = /^[1-9][0-9]{0,18}$/;

/** A Keap ID given as a number or as digits, or undefined when it is none. */
export function wholeId(value: unknown): number | undefined {
	const text =
		typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
	return WHOLE.test(text) ? Number(text) : undefined;
}

/** An ISO date from a date field's value (text from the picker or an expression, or a Date-like). */
export function readDate(
	ctx: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
	label: string,
): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value !== 'string' && typeof value !== 'number' && !(value instanceof Date))
		throw inputError(ctx, itemIndex, `${label} is not a date`);
	const date = new Date(typeof value === 'string' ? value.trim() : value);
	if (Number.isNaN(date.getTime()))
		throw inputError(
			ctx,
			itemIndex,
			`${label} is not a date`,
			'Use an ISO date, e.g. 2026-12-01T10:00:00Z.',
		);
	return date.toISOString();
}

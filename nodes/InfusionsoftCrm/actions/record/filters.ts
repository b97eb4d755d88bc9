import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { inputError } from '../../../../lib/params/input';
import type { MetadataField } from './metadata';
import { fieldType } from './metadata';

/** The operators a condition may use, and the CEQL each becomes: nothing else reaches `where`. */
const OPERATORS = {
	equals: { name: 'Is Equal To', ceql: '=' },
	notEquals: { name: 'Is Not Equal To', ceql: '!=' },
	lt: { name: 'Is Less Than', ceql: '<' },
	lte: { name: 'Is Less Than or Equal To', ceql: '<=' },
	gt: { name: 'Is Greater Than', ceql: '>' },
	gte: { name: 'Is Greater Than or Equal To', ceql: '>=' },
	contains: { name: 'Contains', ceql: 'LIKE' },
	startsWith: { name: 'Starts With', ceql: 'LIKE' },
	isEmpty: { name: 'Is Empty', ceql: 'IS NULL' },
	isNotEmpty: { name: 'Is Not Empty', ceql: 'IS NOT NULL' },
} as const;

type Operator = keyof typeof OPERATORS;
const ORDERING: Operator[] = ['lt', 'lte', 'gt', 'gte'];
const TEXT_ONLY: Operator[] = ['contains', 'startsWith'];
const NO_VALUE: Operator[] = ['isEmpty', 'isNotEmpty'];

export const filtersField: INodeProperties = {
	displayName: 'Filters',
	name: 'filters',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder: 'Add Condition',
	default: {},
	description:
		'Only records that meet every condition. The fields offered are those the object can be filtered by.',
	options: [
		{
			displayName: 'Conditions',
			name: 'conditions',
			values: [
				{
					displayName: 'Field Name or ID',
					name: 'field',
					type: 'options',
					typeOptions: {
						loadOptionsMethod: 'getRecordFilterFields',
						loadOptionsDependsOn: ['instance.value', 'object'],
					},
					default: '',
					description:
						'A field the object can be filtered by, e.g. given_name. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
				},
				{
					displayName: 'Operator',
					name: 'operator',
					type: 'options',
					options: Object.entries(OPERATORS).map(([value, { name }]) => ({ name, value })),
					default: 'equals',
				},
				{
					displayName: 'Value',
					name: 'value',
					type: 'string',
					default: '',
					displayOptions: { hide: { operator: NO_VALUE } },
					description:
						'Compared as the field’s type: text (spaces around it trimmed), a number, true or false, or a date',
				},
			],
		},
	],
};

/** A column as CEQL names it: a plain name bare, a path (`company.company_name`) in backticks. */
function column(field: MetadataField): string {
	const path = field.vendorPath.replace(/\[\*\]/g, '');
	if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(path)) return path;
	return `\`${path}\``;
}

/** Text as a CEQL string: quoted, a quote inside written twice. */
const quoted = (text: string) => `'${text.replace(/'/g, "''")}'`;

/**
 * The Filters as one CEQL `where`, ANDed. Every part comes from a fixed table or is checked:
 * the field must be one the metadata marks filterable (so its name is the platform's own), the
 * operator one of the list, the value a number for a number field, true or false for a
 * boolean, a date for a date, else quoted text. No text of the user's reaches `where` unquoted.
 */
export function buildWhere(
	ctx: IExecuteFunctions,
	itemIndex: number,
	conditions: IDataObject[],
	metadata: MetadataField[],
	object: string,
): string | undefined {
	const filterable = metadata.filter(
		(field) => field.filterable && !field.vendorPath.includes('`'),
	);
	const parts = conditions.map((condition, n) => {
		const label = `Filters → condition ${n + 1}`;
		const name = typeof condition.field === 'string' ? condition.field.trim() : '';
		const field = filterable.find((candidate) => candidate.vendorPath === name);
		if (!field) {
			throw inputError(
				ctx,
				itemIndex,
				name === ''
					? `${label}: Field is empty`
					: `${label}: ${object} cannot be filtered by "${name}"`,
				`Fields ${object} can be filtered by: ${filterable.map((f) => f.vendorPath).join(', ') || 'none'}.`,
			);
		}
		const operator = condition.operator ?? 'equals';
		if (typeof operator !== 'string' || !Object.prototype.hasOwnProperty.call(OPERATORS, operator))
			throw inputError(ctx, itemIndex, `${label}: Operator "${String(operator)}" is not known`);
		const op = operator as Operator;
		const { ceql } = OPERATORS[op];
		if (NO_VALUE.includes(op)) return `${column(field)} ${ceql}`;
		return `${column(field)} ${ceql} ${literal(ctx, itemIndex, label, field, op, condition.value)}`;
	});
	return parts.length > 0 ? parts.join(' AND ') : undefined;
}

function literal(
	ctx: IExecuteFunctions,
	itemIndex: number,
	label: string,
	field: MetadataField,
	op: Operator,
	raw: unknown,
): string {
	const type = fieldType(field.type);
	if (raw !== null && typeof raw === 'object')
		throw inputError(ctx, itemIndex, `${label}: Value must be text, a number or true/false`);
	const text = raw === undefined || raw === null ? '' : String(raw).trim();
	if (TEXT_ONLY.includes(op)) {
		if (type !== 'string')
			throw inputError(
				ctx,
				itemIndex,
				`${label}: ${field.vendorPath} is a ${type}; Contains and Starts With take text fields`,
			);
		return quoted(op === 'contains' ? `%${text}%` : `${text}%`);
	}
	if (type === 'number') {
		if (!/^-?(0|[1-9][0-9]{0,17})(\.[0-9]{1,10})?$/.test(text))
			throw inputError(
				ctx,
				itemIndex,
				`${label}: ${field.vendorPath} takes a number, not "${text}"`,
			);
		return text;
	}
	if (type === 'boolean') {
		if (ORDERING.includes(op))
			throw inputError(
				ctx,
				itemIndex,
				`${label}: ${field.vendorPath} is true or false; it has no order`,
			);
		const lower = text.toLowerCase();
		if (lower !== 'true' && lower !== 'false')
			throw inputError(
				ctx,
				itemIndex,
				`${label}: ${field.vendorPath} takes true or false, not "${text}"`,
			);
		return lower;
	}
	if (type === 'dateTime') {
		const date = new Date(text);
		if (text === '' || Number.isNaN(date.getTime()))
			throw inputError(
				ctx,
				itemIndex,
				`${label}: ${field.vendorPath} takes a date, not "${text}"`,
				'E.g. 2026-12-31T09:00:00Z.',
			);
		return quoted(date.toISOString());
	}
	if (type === 'array' || type === 'object')
		throw inputError(
			ctx,
			itemIndex,
			`${label}: ${field.vendorPath} is a list or object; filter by a field inside it`,
		);
	return quoted(text);
}

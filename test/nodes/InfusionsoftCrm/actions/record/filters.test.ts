/**
 * Get Many's filters become CEQL that the platform reads as exactly the conditions given: checked
 * with the stand-in's CEQL parser, for any text a user (or an AI agent) may type as a value.
 */
import fc from 'fast-check';
import type { IExecuteFunctions } from 'n8n-workflow';

import type { MetadataField } from '../../../../../nodes/InfusionsoftCrm/actions/record/metadata';
import { buildWhere } from '../../../../../nodes/InfusionsoftCrm/actions/record/filters';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the stand-in is JavaScript
const ceql = require('../../../../../sandbox/ceql') as {
	parse(source: string): unknown;
};

const ctx = { getNode: () => ({ name: 'Infusionsoft CRM' }) } as unknown as IExecuteFunctions;
const METADATA: MetadataField[] = [
	{ vendorPath: 'given_name', type: 'string', filterable: true },
	{ vendorPath: 'email_addresses[*].email', type: 'string', filterable: true },
	{ vendorPath: 'contact.id', type: 'number', filterable: true },
	{ vendorPath: 'completed', type: 'boolean', filterable: true },
	{ vendorPath: 'last_updated', type: 'date', filterable: true },
	{ vendorPath: 'family_name', type: 'string' },
];
const where = (conditions: Array<Record<string, unknown>>) =>
	buildWhere(ctx, 0, conditions, METADATA, 'contacts');

describe('Record → Get Many filters as CEQL', () => {
	it('any text value stays one quoted value of one condition', () => {
		fc.assert(
			fc.property(
				fc.string({ unit: 'binary', maxLength: 40 }),
				fc.constantFrom('equals', 'notEquals', 'contains', 'startsWith', 'lt'),
				(value, operator) => {
					const tree = ceql.parse(where([{ field: 'given_name', operator, value }])!) as {
						type: string;
						column: string;
						value?: string;
						pattern?: string;
					};
					expect(tree.column).toBe('given_name');
					const trimmed = value.trim();
					if (operator === 'contains') expect(tree.pattern).toBe(`%${trimmed}%`);
					else if (operator === 'startsWith') expect(tree.pattern).toBe(`${trimmed}%`);
					else expect(tree).toMatchObject({ type: 'cmp', value: trimmed });
				},
			),
		);
	});

	it('two conditions are ANDed; a dotted path goes in backticks, [*] dropped', () => {
		expect(
			where([
				{ field: 'email_addresses[*].email', operator: 'isNotEmpty' },
				{ field: 'given_name', operator: 'equals', value: "O'Brien" },
			]),
		).toBe("`email_addresses.email` IS NOT NULL AND given_name = 'O''Brien'");
		expect(where([])).toBeUndefined();
	});

	it('numbers bare, booleans true/false, dates ISO; anything else of those types refused', () => {
		expect(
			where([
				{ field: 'contact.id', operator: 'gte', value: ' 12 ' },
				{ field: 'completed', value: 'TRUE' },
				{ field: 'last_updated', operator: 'gt', value: '2026-01-02T03:04:05Z' },
			]),
		).toBe("`contact.id` >= 12 AND completed = true AND last_updated > '2026-01-02T03:04:05.000Z'");
		for (const [condition, message] of [
			[{ field: 'contact.id', value: '1 OR 1=1' }, 'contact.id takes a number'],
			[{ field: 'contact.id', value: '1e5' }, 'contact.id takes a number'],
			[{ field: 'completed', value: 'yes' }, 'completed takes true or false'],
			[{ field: 'completed', operator: 'lt', value: 'true' }, 'it has no order'],
			[{ field: 'last_updated', value: 'soon' }, 'last_updated takes a date'],
			[{ field: 'contact.id', operator: 'contains', value: '1' }, 'take text fields'],
			[{ field: 'family_name', value: 'x' }, 'contacts cannot be filtered by "family_name"'],
			[{ field: 'given_name) OR (1', value: 'x' }, 'cannot be filtered by'],
			[{ field: 'given_name', operator: 'LIKE', value: 'x' }, 'Operator "LIKE" is not known'],
			[{ field: 'given_name', value: { a: 1 } }, 'Value must be text'],
		] as const) {
			expect(() => where([condition])).toThrow(message);
		}
	});
});

import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { inputError } from '../../../../lib/params/input';
import type { Hub } from '../hub';
import type { ItemContext } from '../types';
import type { MetadataField } from './metadata';
import { CUSTOM_FIELD, fieldType, readMetadata, writableFields } from './metadata';

const COLUMNS = 'Fields';

/** A date as Keap takes it (ISO 8601, UTC), from a Luxon date (what n8n makes of a dateTime field), a Date or a text. */
function isoDate(value: unknown): string | undefined {
	if (value !== null && typeof value === 'object' && 'toISO' in value) {
		const luxon = value as unknown as { toUTC(): { toISO(): string | null } };
		return luxon.toUTC().toISO() ?? undefined;
	}
	const date = value instanceof Date ? value : new Date(String(value));
	return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/**
 * The request body from the field values: a custom field (`custom_fields.<id>`) joins Keap v1's
 * `custom_fields: [{ id, content }]`, a date becomes ISO 8601, and a field without a value is
 * left out (the resource mapper leaves a field it shows but nobody filled as null or empty).
 */
export function recordBody(
	ctx: IExecuteFunctions,
	itemIndex: number,
	values: IDataObject,
	types: Map<string, string>,
): IDataObject {
	const body: IDataObject = {};
	const custom: IDataObject[] = [];
	for (const [key, raw] of Object.entries(values)) {
		if (raw === undefined || raw === null || raw === '') continue;
		const type = fieldType(types.get(key) ?? 'string');
		let value: unknown = raw;
		if (type === 'dateTime') {
			value = isoDate(raw);
			if (value === undefined)
				throw inputError(
					ctx,
					itemIndex,
					`${COLUMNS} → ${key} is not a date`,
					'E.g. 2026-12-31T09:00:00Z.',
				);
		}
		const customId = CUSTOM_FIELD.exec(key)?.[1];
		if (customId) custom.push({ id: Number(customId), content: value as IDataObject[string] });
		else body[key] = value as IDataObject[string];
	}
	if (custom.length > 0) body.custom_fields = custom;
	return body;
}

const AUTO_MAP = 'autoMapInputData';

/**
 * The body as mapped below the Fields (checked before anything is sent); undefined when the
 * fields are mapped automatically from the item (`autoMappedBody`, which needs the metadata).
 */
export function mappedBody(ctx: IExecuteFunctions, itemIndex: number): IDataObject | undefined {
	const mode = ctx.getNodeParameter('columns.mappingMode', itemIndex, 'defineBelow') as string;
	if (mode === AUTO_MAP) return undefined;
	const values = (ctx.getNodeParameter('columns.value', itemIndex, {}) ?? {}) as IDataObject;
	const schema = (ctx.getNodeParameter('columns.schema', itemIndex, []) ?? []) as Array<{
		id: string;
		type?: string;
	}>;
	return recordBody(
		ctx,
		itemIndex,
		values,
		new Map(schema.map((field) => [field.id, field.type ?? 'string'])),
	);
}

/**
 * Mapped automatically: the item's own fields that the object's metadata names as writable
 * (the rest of the item, such as its id and dates from an earlier Get, is left out).
 */
export async function autoMappedBody(
	ctx: IExecuteFunctions,
	item: ItemContext,
	hub: Hub,
	object: string,
): Promise<IDataObject> {
	const fields: MetadataField[] = writableFields(await readMetadata(hub, object, item.remember));
	const json = ctx.getInputData()[item.index]?.json ?? {};
	const values: IDataObject = {};
	for (const field of fields)
		if (field.vendorPath in json) values[field.vendorPath] = json[field.vendorPath];
	return recordBody(
		ctx,
		item.index,
		values,
		new Map(fields.map((field) => [field.vendorPath, field.type])),
	);
}

import type { FieldType, IDataObject, ResourceMapperField } from 'n8n-workflow';

import type { Hub, Remember } from '../hub';

/** One field of `GET /hubs/crm/objects/{name}/metadata`, as far as the node reads it. */
export interface MetadataField {
	vendorPath: string;
	type: string;
	vendorDisplayName?: string;
	vendorReadOnly?: boolean;
	vendorRequired?: boolean;
	filterable?: boolean;
	custom?: boolean;
}

/** A name the platform routes as one object: no slash, dot, percent sign or space to climb with. */
export const OBJECT_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/** A custom field's metadata path (Keap v1: `custom_fields: [{ id, content }]` on the record). */
export const CUSTOM_FIELD = /^custom_fields\.([1-9][0-9]{0,18})$/;

/** The object's fields, read once per execution and instance (`remember`). */
export async function readMetadata(
	hub: Hub,
	object: string,
	remember: Remember,
): Promise<MetadataField[]> {
	return await remember(`metadata:${hub.instance.id}:${object}`, async () => {
		const response = await hub.request<IDataObject>({
			method: 'GET',
			path: `/objects/${object}/metadata`,
			expect: 'object',
			hints: {
				404: `Instance ${hub.instance.id} has no object "${object}": choose the Object from the list.`,
			},
		});
		return metadataFields(response.body);
	});
}

/** The fields of a metadata answer; entries without a path are left out. */
export function metadataFields(body: IDataObject): MetadataField[] {
	const fields = Array.isArray(body.fields) ? (body.fields as IDataObject[]) : [];
	return fields
		.filter((field) => typeof field?.vendorPath === 'string' && field.vendorPath !== '')
		.map((field) => ({
			vendorPath: field.vendorPath as string,
			type: typeof field.type === 'string' ? field.type : 'string',
			vendorDisplayName:
				typeof field.vendorDisplayName === 'string' ? field.vendorDisplayName : undefined,
			vendorReadOnly: field.vendorReadOnly === true,
			vendorRequired: field.vendorRequired === true,
			filterable: field.filterable === true,
			custom: field.custom === true,
		}));
}

/** n8n's field type for a metadata type (date and dateTime alike; anything unknown as text). */
export function fieldType(type: string): FieldType {
	switch (type.toLowerCase()) {
		case 'number':
		case 'integer':
		case 'long':
		case 'double':
			return 'number';
		case 'boolean':
			return 'boolean';
		case 'date':
		case 'datetime':
			return 'dateTime';
		case 'array':
			return 'array';
		case 'object':
			return 'object';
		default:
			return 'string';
	}
}

/** What a person can write: top-level fields and custom fields, read-only ones left out. */
export function writableFields(fields: MetadataField[]): MetadataField[] {
	return fields.filter(
		(field) =>
			!field.vendorReadOnly &&
			(CUSTOM_FIELD.test(field.vendorPath) || !/[.[]/.test(field.vendorPath)),
	);
}

/** A field as the metadata names it: its display name, and "(custom field)" for the account's own. */
export function fieldLabel(field: MetadataField): string {
	const name = field.vendorDisplayName ?? field.vendorPath;
	return field.custom ? `${name} (custom field)` : name;
}

/** The resource mapper's columns: writable fields, required ones required on Create only. */
export function mapperFields(fields: MetadataField[], creating: boolean): ResourceMapperField[] {
	return writableFields(fields).map((field) => ({
		id: field.vendorPath,
		displayName: fieldLabel(field),
		required: creating && field.vendorRequired === true,
		defaultMatch: false,
		canBeUsedToMatch: false,
		display: true,
		type: fieldType(field.type),
	}));
}

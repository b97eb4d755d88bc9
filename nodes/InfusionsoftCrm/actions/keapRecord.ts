import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { booleanParameter, idParameter, inputError } from '../../../lib/params/input';
import type { Hub } from './hub';
import { openHub } from './hub';
import type { ItemContext } from './types';

/** A record of one Keap REST resource by its ID: its field, how it is read, its path and its 404. */
export interface KeapRecord {
	idField: INodeProperties;
	idParameter(ctx: IExecuteFunctions, itemIndex: number): string;
	notFound(hub: Hub, id: string): { 404: string };
	/** Where one record lives on the hub, e.g. `/companies/123`. */
	path(id: string): string;
}

export function keapRecord(words: {
	/** The resource's noun, e.g. "company", and the article it takes. */
	noun: string;
	article: 'a' | 'an';
	/** The collection's path, e.g. `/companies`. */
	collection: string;
	idName: string;
	idDisplayName: string;
	idDescription: string;
	/** What the error of an ID that is missing or no whole number says to do, when not the usual. */
	idHint?: string;
}): KeapRecord {
	const { noun, article, collection, idName, idDisplayName } = words;
	const hint = words.idHint ?? `Map the "id" of ${article} ${noun}, e.g. {{ $json.id }}.`;
	return {
		idField: {
			displayName: idDisplayName,
			name: idName,
			type: 'string',
			required: true,
			default: '',
			placeholder: '123',
			description: words.idDescription,
		},
		idParameter: (ctx, itemIndex) => idParameter(ctx, itemIndex, idName, idDisplayName, hint),
		notFound: (hub, id) => ({
			404: `No ${noun} ${id} in the Keap account of instance ${hub.instance.id}: check the ${idDisplayName}.`,
		}),
		path: (id) => `${collection}/${id}`,
	};
}

/** Get's `execute`: the record by its ID, as Keap answers it. */
export function getRecord(record: KeapRecord) {
	return async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
		const id = record.idParameter(this, item.index);
		const hub = await openHub(this, item);
		return (
			await hub.request<IDataObject>({
				method: 'GET',
				path: record.path(id),
				expect: 'object',
				hints: record.notFound(hub, id),
			})
		).body;
	};
}

/** Delete's "Succeed If Already Deleted" switch. */
export function ignoreMissingField(noun: string): INodeProperties {
	return {
		displayName: 'Succeed If Already Deleted',
		name: 'ignoreMissing',
		type: 'boolean',
		default: true,
		description: `Whether a missing ${noun} counts as deleted, so that a rerun does not fail`,
	};
}

export function ignoreMissingParameter(ctx: IExecuteFunctions, itemIndex: number): boolean {
	return booleanParameter(ctx, 'ignoreMissing', 'Succeed If Already Deleted', itemIndex, true);
}

/** Delete's `execute`: a record already missing counts as deleted when the switch says so. */
export function deleteRecord(record: KeapRecord) {
	return async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
		const id = record.idParameter(this, item.index);
		const ignoreMissing = ignoreMissingParameter(this, item.index);
		const hub = await openHub(this, item);
		const response = await hub.request({
			method: 'DELETE',
			path: record.path(id),
			accept: ignoreMissing ? [404] : [],
			hints: record.notFound(hub, id),
		});
		return { id: Number(id), deleted: true, alreadyDeleted: response.statusCode === 404 };
	};
}

/** Update's `execute`: the fields given (none is refused before any call), PATCHed onto the record. */
export function updateRecord(
	record: KeapRecord,
	readFields: (
		ctx: IExecuteFunctions,
		itemIndex: number,
		values: IDataObject,
		label: string,
	) => IDataObject,
	more: {
		/** What a refusal of the change says besides the 404. */
		hints?: (hub: Hub, id: string) => Record<number, string>;
		/** Completes the body from the stored record before it is sent. */
		complete?: (hub: Hub, id: string, body: IDataObject) => Promise<void>;
	} = {},
) {
	return async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
		const id = record.idParameter(this, item.index);
		const body = readFields(
			this,
			item.index,
			this.getNodeParameter('updateFields', item.index, {}) as IDataObject,
			'Update Fields',
		);
		if (Object.keys(body).length === 0)
			throw inputError(this, item.index, 'Nothing to update', 'Add a field under Update Fields.');
		const hub = await openHub(this, item);
		if (more.complete) await more.complete(hub, id, body);
		return (
			await hub.request<IDataObject>({
				method: 'PATCH',
				path: record.path(id),
				body,
				expect: 'object',
				hints: { ...more.hints?.(hub, id), ...record.notFound(hub, id) },
			})
		).body;
	};
}

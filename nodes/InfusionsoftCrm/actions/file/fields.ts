import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { textParameter } from '../../../../lib/params/input';
import type { Platform } from '../../../../lib/platform/cloudElements';
import { keapRecord } from '../keapRecord';

/** Keap's limit on one file. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

export const fileRecord = keapRecord({
	noun: 'file',
	article: 'a',
	collection: '/files',
	idName: 'fileId',
	idDisplayName: 'File ID',
	idDescription: 'The ID of the file in the customer’s Keap, e.g. from File → Get Many',
	idHint: 'Map the "id" of a file, e.g. {{ $json.id }} from File → Get Many or Upload.',
});

export const fileIdField = fileRecord.idField;
export const fileIdParameter = fileRecord.idParameter;
export const fileNotFound = fileRecord.notFound;

/** The name of an item's binary property (Input Binary Field, Put Output File in Field). */
export function binaryPropertyParameter(
	ctx: IExecuteFunctions,
	name: string,
	label: string,
	itemIndex: number,
): string {
	return textParameter(ctx, name, label, itemIndex, {
		required: true,
		hint: 'The name of a binary property of the item, e.g. data.',
	});
}

/**
 * A file as Keap describes it, without its content: the element may answer Keap's
 * `{ file_descriptor, file_data }` or the descriptor itself, with `file_data` beside it.
 */
export function describeFile(answer: IDataObject): { record: IDataObject; data: unknown } {
	const descriptor = answer.file_descriptor;
	const record: IDataObject =
		descriptor !== null && typeof descriptor === 'object' && !Array.isArray(descriptor)
			? { ...(descriptor as IDataObject) }
			: { ...answer };
	const data = answer.file_data ?? record.file_data;
	delete record.file_data;
	return { record, data };
}

/** A file's bytes from Keap's base64 `file_data`; anything else is the platform's fault, said so. */
export function decodeFileData(platform: Platform, data: unknown, fileId: string): Buffer {
	const text = typeof data === 'string' ? data.replace(/\s+/g, '') : undefined;
	if (text === undefined || !/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 === 1) {
		throw platform.error(
			`The answer for file ${fileId} holds no readable content (file_data)`,
			'The platform gave the file without its base64 content: try again, or check the file in the customer’s Keap.',
		);
	}
	return Buffer.from(text, 'base64');
}

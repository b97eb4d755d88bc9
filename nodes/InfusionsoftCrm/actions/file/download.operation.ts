import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { KEAP_REST_ONLY } from '../../../../lib/keap/elements';
import { instanceLocatorField } from '../../helpers/descriptions';
import { openHub } from '../hub';
import { WithBinary } from '../output';
import type { ItemContext } from '../types';
import {
	binaryPropertyParameter,
	decodeFileData,
	describeFile,
	fileIdField,
	fileIdParameter,
	fileNotFound,
} from './fields';

export const option = {
	name: 'Download',
	value: 'download',
	description: 'Download a file of the customer’s Keap into the item’s binary data',
	action: 'Download a file',
};

export const credentials = { account: true, app: false };

export const elements = KEAP_REST_ONLY;

export const properties: INodeProperties[] = [
	instanceLocatorField,
	fileIdField,
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		hint: 'The name of the output binary field to put the file in',
		description: 'The binary property the downloaded file goes to',
	},
];

/** The file's description goes to the JSON; its content only to the binary data. */
export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<WithBinary> {
	const id = fileIdParameter(this, item.index);
	const property = binaryPropertyParameter(
		this,
		'binaryPropertyName',
		'Put Output File in Field',
		item.index,
	);
	const hub = await openHub(this, item);
	const answer = (
		await hub.request({
			method: 'GET',
			path: `/files/${id}`,
			query: { optional_properties: 'file_data' },
			expect: 'object',
			hints: fileNotFound(hub, id),
		})
	).body as Parameters<typeof describeFile>[0];
	const { record, data } = describeFile(answer);
	const bytes = decodeFileData(item.platform, data, id);
	const fileName =
		typeof record.file_name === 'string' && record.file_name ? record.file_name : `file-${id}`;
	const binary = await this.helpers.prepareBinaryData(bytes, fileName);
	return new WithBinary(record, { [property]: binary });
}

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { KEAP_REST_ONLY } from '../../../../lib/keap/elements';
import {
	booleanParameter,
	idParameter,
	inputError,
	textParameter,
} from '../../../../lib/params/input';
import { additionalFieldsField, instanceLocatorField } from '../../helpers/descriptions';
import { openHub } from '../hub';
import type { ItemContext } from '../types';
import { binaryPropertyParameter, describeFile, MAX_FILE_BYTES } from './fields';

export const option = {
	name: 'Upload',
	value: 'upload',
	description: 'Upload a file from the item’s binary data to the customer’s Keap (Keap REST)',
	action: 'Upload a file',
};

export const credentials = { account: true, app: false };

export const elements = KEAP_REST_ONLY;

const ASSOCIATIONS = ['contact', 'user', 'company'];

export const properties: INodeProperties[] = [
	instanceLocatorField,
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		hint: 'The name of the input binary field containing the file to be uploaded',
		description: 'The binary property of the item that holds the file (at most 10 MB)',
	},
	{
		displayName: 'Association',
		name: 'association',
		type: 'options',
		options: [
			{ name: 'Contact', value: 'contact', description: 'A file of one contact' },
			{ name: 'User', value: 'user', description: 'A file of the Keap user' },
			{ name: 'Company', value: 'company', description: 'A file of the company' },
		],
		default: 'contact',
		description: 'Whose file box the file goes to',
	},
	{
		displayName: 'Contact ID',
		name: 'contactId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '123',
		description: 'The contact the file belongs to (its Keap ID)',
		displayOptions: { show: { association: ['contact'] } },
	},
	{
		displayName: 'Public',
		name: 'isPublic',
		type: 'boolean',
		default: false,
		description: 'Whether anyone with its link may download the file',
	},
	additionalFieldsField([
		{
			displayName: 'File Name',
			name: 'fileName',
			type: 'string',
			default: '',
			placeholder: 'contract.pdf',
			description: 'The name of the file in Keap (default: the binary data’s own file name)',
		},
	]),
];

/** A file has no natural key to look it up by: an upload whose answer is lost is reported, never sent again. */
export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
	const property = binaryPropertyParameter(
		this,
		'binaryPropertyName',
		'Input Binary Field',
		item.index,
	);
	const association = textParameter(this, 'association', 'Association', item.index);
	if (!ASSOCIATIONS.includes(association))
		throw inputError(this, item.index, `Association must be one of ${ASSOCIATIONS.join(', ')}`);
	const contactId =
		association === 'contact'
			? idParameter(
					this,
					item.index,
					'contactId',
					'Contact ID',
					'Map the "id" of a contact, e.g. {{ $json.id }} from Contact → Get Many.',
				)
			: undefined;
	const isPublic = booleanParameter(this, 'isPublic', 'Public', item.index, false);
	const extra = this.getNodeParameter('additionalFields', item.index, {}) as IDataObject;
	if (extra.fileName !== undefined && typeof extra.fileName !== 'string')
		throw inputError(this, item.index, 'Additional Fields → File Name must be text');

	const present = this.getInputData()[item.index]?.binary ?? {};
	if (!(property in present)) {
		const names = Object.keys(present);
		throw inputError(
			this,
			item.index,
			`Input Binary Field: the item has no binary property "${property}"`,
			names.length > 0
				? `Its binary properties: ${names.join(', ')}. Put one of them in Input Binary Field.`
				: 'The item holds no binary data: read or download a file before this node.',
		);
	}
	const binary = this.helpers.assertBinaryData(item.index, property);
	const fileName = (extra.fileName as string | undefined)?.trim() || binary.fileName;
	if (!fileName)
		throw inputError(
			this,
			item.index,
			'The file has no name',
			'Give one under Additional Fields → File Name.',
		);
	const bytes = await this.helpers.getBinaryDataBuffer(item.index, property);
	if (bytes.length > MAX_FILE_BYTES)
		throw inputError(
			this,
			item.index,
			`The file in "${property}" is ${(bytes.length / 1024 / 1024).toFixed(1)} MB: Keap takes files of at most 10 MB`,
		);

	const hub = await openHub(this, item);
	const answer = await hub.sendOnce(
		{
			method: 'POST',
			path: '/files',
			body: {
				file_name: fileName,
				file_data: bytes.toString('base64'),
				is_public: isPublic,
				file_association: association.toUpperCase(),
				...(contactId !== undefined && { contact_id: Number(contactId) }),
			},
			expect: 'object',
		},
		{
			ifUnknown:
				'The file may or may not have been uploaded: check the files in the customer’s Keap (File → Get Many) before running this item again.',
		},
	);
	return describeFile(answer).record;
}

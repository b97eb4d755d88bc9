import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { KEAP_REST_ONLY } from '../../../../lib/keap/elements';
import { idParameter, textParameter } from '../../../../lib/params/input';
import { additionalFieldsField, instanceLocatorField } from '../../helpers/descriptions';
import { openHub } from '../hub';
import type { ItemContext } from '../types';
import {
	opportunityFields,
	opportunityRefused,
	readOpportunityFields,
	stageIdField,
	stageIdParameter,
} from './fields';

export const option = {
	name: 'Create',
	value: 'create',
	description: 'Create an opportunity in the customer’s Keap (Keap REST)',
	action: 'Create an opportunity',
};

export const credentials = { account: true, app: false };

export const elements = KEAP_REST_ONLY;

export const properties: INodeProperties[] = [
	instanceLocatorField,
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'Website redesign',
		description: 'What the opportunity is called (Keap: opportunity_title)',
	},
	{
		displayName: 'Contact ID',
		name: 'contactId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '123',
		description:
			'The contact the opportunity is with: the ID of a contact in the customer’s Keap, e.g. from Contact → Create or Get Many',
	},
	stageIdField,
	additionalFieldsField(opportunityFields),
];

/** An opportunity has no natural key to look it up by: a create whose answer is lost is reported, never sent again. */
export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
	const contactId = idParameter(
		this,
		item.index,
		'contactId',
		'Contact ID',
		'Map the "id" of a contact, e.g. {{ $json.contactId }}.',
	);
	const title = textParameter(this, 'title', 'Title', item.index, {
		required: true,
		hint: 'Give the opportunity a title, e.g. Website redesign.',
	});
	const stageId = stageIdParameter(this, item.index);
	const body = {
		...readOpportunityFields(
			this,
			item.index,
			this.getNodeParameter('additionalFields', item.index, {}) as IDataObject,
			'Additional Fields',
		),
		opportunity_title: title,
		contact: { id: Number(contactId) },
		stage: { id: Number(stageId) },
	};
	const hub = await openHub(this, item);
	return await hub.sendOnce(
		{
			method: 'POST',
			path: '/opportunities',
			body,
			expect: 'object',
			hints: opportunityRefused(hub),
		},
		{
			ifUnknown:
				'The opportunity may or may not have been created: check the customer’s Keap before running this item again.',
		},
	);
}

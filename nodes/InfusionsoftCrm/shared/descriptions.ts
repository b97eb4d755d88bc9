import type { INodeProperties } from 'n8n-workflow';

export const instanceIdField: INodeProperties = {
	displayName: 'Instance ID',
	name: 'instanceId',
	type: 'string',
	required: true,
	default: '',
	placeholder: '12345',
	description: 'The ID of the element instance, as returned when it was created',
};

export const codeField: INodeProperties = {
	displayName: 'Authorization Code',
	name: 'code',
	type: 'string',
	typeOptions: { password: true },
	required: true,
	default: '',
	placeholder: '{{ $json.code }}',
	description:
		'The code Infusionsoft sent to the callback URL. It is single-use and expires within minutes.',
};

export const tagsField: INodeProperties = {
	displayName: 'Tags',
	name: 'tags',
	type: 'string',
	default: '',
	placeholder: 'customer-42, production',
	description: 'Comma-separated tags (or a list from an expression) to find the instance by later',
};

export const callbackStateField: INodeProperties = {
	displayName: 'Callback State',
	name: 'callbackState',
	type: 'string',
	default: '={{ $json.state }}',
	placeholder: '{{ $json.state }}',
	description:
		'The signed state of the callback the code came from, as the OAuth Callback Trigger and Parse Callback output it. The instance keeps a tag derived from it, so that the same callback link can never connect or re-authenticate an instance again. Empty, or a custom state: no such check.',
};

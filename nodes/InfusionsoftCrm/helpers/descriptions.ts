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
	// With no input the editor previews `$json.state` as a red "undefined"; empty means the same here: no check.
	default: "={{ $json.state ?? '' }}",
	placeholder: '{{ $json.state }}',
	description:
		'The signed state of the callback the code came from, as the OAuth Callback Trigger and Parse Callback output it. The instance keeps a tag derived from it, so that the same callback link can never connect or re-authenticate an instance again. Empty, or a custom state: no such check.',
};

/** The instance a hub call goes through, the n8n way: from a searchable list, by ID or by token. */
export const instanceLocatorField: INodeProperties = {
	displayName: 'Instance',
	name: 'instance',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description:
		'The connected customer (element instance) to work in. The node reads its token itself and never outputs it.',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select an instance…',
			typeOptions: { searchListMethod: 'searchInstances', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: '12345',
			// No regex validation: n8n runs it with a 250 ms timeout before every run, which fails
			// whole executions on a loaded machine; the node refuses an ID that is not a whole number
			// itself, by name, before any call.
			hint: 'The "id" of an instance (a whole number), e.g. {{ $json.id }} from Create or Get Many',
		},
		{
			displayName: 'By Token',
			// The Element part of the Authorization header. (A mode cannot mask its value; the token is
			// redacted from every output.)
			name: 'elementAuth',
			type: 'string',
			placeholder: '{{ $json.token }}',
			hint: 'The instance token, for workflows that store tokens; the node finds the instance it belongs to',
		},
	],
};

/** Return All and Limit, as every list operation shows them. */
export const returnAllFields: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

/** Get Many's Filters, each optional. */
export function filtersField(options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options,
	};
}

/** Create's optional fields. */
export function additionalFieldsField(options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options,
	};
}

/** Update's collection of the fields to change. */
export function updateFieldsField(options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options,
	};
}

import type { INodeProperties } from 'n8n-workflow';

export const DEFAULT_CONCURRENCY = 10;
export const MAX_CONCURRENCY = 50;

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

/** Shown for every operation: how requests are sent. */
export const requestOptionsField: INodeProperties = {
	displayName: 'Request Options',
	name: 'requestOptions',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Concurrency',
			name: 'concurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY },
			default: 10,
			description:
				'How many items are sent to the platform at once. Output order and item pairing are kept whatever the value.',
		},
		{
			displayName: 'Max Retries',
			name: 'maxRetries',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 10 },
			default: 4,
			description:
				'How many times a call is tried again after a 429, 502, 503, 504 or a network error, with exponential backoff and jitter, honouring Retry-After',
		},
		{
			displayName: 'Max Retry Wait (Seconds)',
			name: 'maxRetryWaitSeconds',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 600 },
			default: 60,
			description: 'The most time one call may spend waiting between tries, in total',
		},
		{
			displayName: 'Timeout (Seconds)',
			name: 'timeoutSeconds',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 600 },
			default: 30,
			description: 'How long one call may take before it counts as failed',
		},
	],
};

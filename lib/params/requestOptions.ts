import type { IDataObject, INodeProperties } from 'n8n-workflow';

/**
 * How the node sends requests: each option's default and bounds, stated once. The field, the
 * router's reading of it and the transport's retry policy are all made from this table.
 */
export const REQUEST_OPTION_LIMITS = {
	concurrency: { default: 10, min: 1, max: 50 },
	maxRetries: { default: 4, min: 0, max: 10 },
	maxRetryWaitSeconds: { default: 60, min: 0, max: 600 },
	timeoutSeconds: { default: 30, min: 1, max: 600 },
} as const;

type OptionName = keyof typeof REQUEST_OPTION_LIMITS;

export interface RetryPolicy {
	/** How many times one call is sent again after a throttle, a gateway error or a network error. */
	maxRetries: number;
	/** The most time one call (or one listing, all its pages together) may spend waiting between tries. */
	maxWaitMs: number;
	/** How long one try may take, from sending to the last byte of the answer. */
	timeoutMs: number;
	/**
	 * The most calls a second for the whole execution, as given (0: no ceiling; the rate learned
	 * from 429s still applies); the transport refuses a value below 0.01 (other than 0) or a
	 * non-numeric one with an error naming the option.
	 */
	maxRequestsPerSecond?: number;
}

export interface RequestSettings {
	concurrency: number;
	policy: RetryPolicy;
}

function bounded(options: IDataObject, name: OptionName): number {
	const { default: fallback, min, max } = REQUEST_OPTION_LIMITS[name];
	const value = options[name];
	const n = typeof value === 'number' && Number.isFinite(value) ? value : fallback;
	return Math.min(max, Math.max(min, Math.floor(n)));
}

export const MAX_REQUESTS_PER_SECOND = {
	displayName: 'Max Requests per Second',
	name: 'maxRequestsPerSecond',
} as const;

/** Empty means no limit; anything else is kept as a number (NaN when it is none) for the transport to check. */
function requestRate(value: unknown): number {
	if (value === undefined || value === null || value === '') return 0;
	if (typeof value === 'number') return value;
	return typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
}

/** The slowest pace accepted: one call every 100 seconds. Slower is a typo (or an expression gone wrong), not a plan. */
export const MIN_REQUESTS_PER_SECOND = 0.01;

/** Why a Max Requests per Second value cannot be used; undefined when it can. */
export function requestRateProblem(rate: number | undefined): string | undefined {
	if (
		rate === undefined ||
		rate === 0 ||
		(Number.isFinite(rate) && rate >= MIN_REQUESTS_PER_SECOND)
	)
		return undefined;
	return `Request Options: "${MAX_REQUESTS_PER_SECOND.displayName}" must be 0 or empty (no limit) or a number of at least ${MIN_REQUESTS_PER_SECOND} (one call every ${1 / MIN_REQUESTS_PER_SECOND} seconds)`;
}

/** The Request Options collection as settings; an empty or odd value falls back to its default. */
export function readRequestSettings(options: IDataObject): RequestSettings {
	return {
		concurrency: bounded(options, 'concurrency'),
		policy: {
			maxRetries: bounded(options, 'maxRetries'),
			maxWaitMs: bounded(options, 'maxRetryWaitSeconds') * 1000,
			timeoutMs: bounded(options, 'timeoutSeconds') * 1000,
			maxRequestsPerSecond: requestRate(options.maxRequestsPerSecond),
		},
	};
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = readRequestSettings({}).policy;

function numberOption(name: OptionName, displayName: string, description: string): INodeProperties {
	const { default: fallback, min, max } = REQUEST_OPTION_LIMITS[name];
	return {
		displayName,
		name,
		type: 'number',
		typeOptions: { minValue: min, maxValue: max },
		default: fallback,
		description,
	};
}

/** Shown for every operation: how requests are sent. */
export const requestOptionsField: INodeProperties = {
	displayName: 'Request Options',
	name: 'requestOptions',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		numberOption(
			'concurrency',
			'Concurrency',
			'How many items are sent to the platform at once. Output order and item pairing are kept whatever the value.',
		),
		numberOption(
			'maxRetries',
			'Max Retries',
			'How many times a call is tried again after a 429, 502, 503, 504 or a network error, with exponential backoff and jitter, honouring Retry-After',
		),
		numberOption(
			'maxRetryWaitSeconds',
			'Max Retry Wait (Seconds)',
			'The most time one call may spend waiting between tries, in total (for a list: all its pages together)',
		),
		numberOption(
			'timeoutSeconds',
			'Timeout (Seconds)',
			'How long one try may take, from sending the request to the last byte of the answer, before it counts as failed',
		),
		{
			...MAX_REQUESTS_PER_SECOND,
			type: 'number',
			typeOptions: { minValue: 0, numberPrecision: 2 },
			default: 0,
			description:
				'The most calls this node sends to the platform per second, for the whole execution: every item, page, retry and check together, evenly spaced. 0 means no ceiling: the node still slows to the rate the platform allows, learned from its 429s. Otherwise at least 0.01 (one call every 100 seconds). Keap allows 25 a second and 1,500 a minute per app, shared by every workflow using it: set this to leave room for the others. A 429 still pauses all calls for its Retry-After.',
		},
	],
};

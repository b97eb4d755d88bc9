import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	INodeProperties,
} from 'n8n-workflow';

import { booleanParameter, inputError, textParameter } from '../../../../lib/params/input';
import { HUB, PATH_TRICKS } from '../../../../lib/platform/request';
import { instanceLocatorField } from '../../helpers/descriptions';
import { openHub } from '../hub';
import type { ItemContext } from '../types';

const METHODS: IHttpRequestMethods[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

export const option = {
	name: 'Make a Request',
	value: 'request',
	description: 'Call any endpoint of the instance’s CRM hub (/hubs/crm/…) with its token',
	action: 'Make a custom API call',
};

export const credentials = { account: true, app: false };

export const properties: INodeProperties[] = [
	instanceLocatorField,
	{
		displayName: 'Method',
		name: 'method',
		type: 'options',
		options: METHODS.map((method) => ({ name: method, value: method })),
		default: 'GET',
		description: 'The HTTP method',
	},
	{
		displayName: 'Path',
		name: 'path',
		type: 'string',
		required: true,
		default: '',
		placeholder: '/contacts/12/emails',
		description: `The path under ${HUB}, e.g. /transactions, /contacts/12/emails or /objects/contacts/metadata`,
	},
	{
		displayName: 'Query (JSON)',
		name: 'query',
		type: 'json',
		default: '{}',
		description: 'Query parameters as a JSON object, e.g. {"where": "stage_id = 4"}',
	},
	{
		displayName: 'Body (JSON)',
		name: 'body',
		type: 'json',
		default: '{}',
		displayOptions: { show: { method: ['POST', 'PUT', 'PATCH'] } },
		description: 'The request body as JSON',
	},
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		displayOptions: { show: { method: ['GET'] } },
		description: 'Whether to return all results or only up to a given limit',
		hint: 'Follows the elements-next-page-token header through every page of a list',
	},
];

function readJson(
	ctx: IExecuteFunctions,
	itemIndex: number,
	name: string,
	label: string,
): IDataObject | IDataObject[] {
	const value = ctx.getNodeParameter(name, itemIndex, '{}') as unknown;
	let parsed = value;
	if (typeof value === 'string') {
		if (value.trim() === '') return {};
		try {
			parsed = JSON.parse(value);
		} catch {
			throw inputError(ctx, itemIndex, `${label} is not valid JSON`);
		}
	}
	if (parsed === null || typeof parsed !== 'object')
		throw inputError(
			ctx,
			itemIndex,
			`${label} must be a JSON object${name === 'body' ? ' or list' : ''}`,
		);
	if (Array.isArray(parsed) && name !== 'body')
		throw inputError(ctx, itemIndex, `${label} must be a JSON object`);
	return parsed as IDataObject | IDataObject[];
}

/**
 * A path under the hub: no host, no query, no way out of /hubs/crm. The hub client checks the
 * URL as it will be sent as well; this names the field before anything is read or sent.
 */
function readPath(ctx: IExecuteFunctions, itemIndex: number): string {
	const path = textParameter(ctx, 'path', 'Path', itemIndex, {
		required: true,
		hint: 'For example /contacts/12/emails',
	});
	if (PATH_TRICKS.test(path)) {
		throw inputError(
			ctx,
			itemIndex,
			'Path holds a percent-encoded dot, slash or backslash, or a control character',
			`Write the path under ${HUB} plainly, such as /contacts/12; put values that need encoding in Query (JSON).`,
		);
	}
	const normal = path.startsWith('/') ? path : `/${path}`;
	if (/[?#\\]|\/\/|(^|\/)\.\.?(\/|$)|^\/hubs\//.test(normal) || /^[a-z]+:/i.test(path)) {
		throw inputError(
			ctx,
			itemIndex,
			`Path must be a path under ${HUB}, such as /contacts/12`,
			'Leave out the host, /hubs/crm, "..", and the query (use Query (JSON)).',
		);
	}
	return normal;
}

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject[]> {
	const method = this.getNodeParameter('method', item.index, 'GET') as IHttpRequestMethods;
	if (!METHODS.includes(method))
		throw inputError(
			this,
			item.index,
			'Method has an unknown value',
			`Use one of: ${METHODS.join(', ')}.`,
		);
	const path = readPath(this, item.index);
	const query = readJson(this, item.index, 'query', 'Query (JSON)') as IDataObject;
	const body =
		method === 'GET' || method === 'DELETE'
			? undefined
			: readJson(this, item.index, 'body', 'Body (JSON)');
	const returnAll =
		method === 'GET' && booleanParameter(this, 'returnAll', 'Return All', item.index, false);
	const hub = await openHub(this, item);
	// A 404 on the first page is an error, as for the single call: it may be a misspelt path.
	if (returnAll) return await hub.list(path, query, undefined, 'records', undefined, true);
	const response = await hub.request<unknown>({
		method,
		path,
		query: query as Record<string, string>,
		body: body as IDataObject | undefined,
		// A POST may create something: when its answer is lost it is not sent again.
		unsafeToRepeat: method === 'POST',
	});
	const answer = response.body;
	if (Array.isArray(answer))
		return answer.map((entry) =>
			entry !== null && typeof entry === 'object' && !Array.isArray(entry)
				? (entry as IDataObject)
				: { value: entry as IDataObject[string] },
		);
	if (answer !== null && typeof answer === 'object') return [answer as IDataObject];
	return [
		{
			statusCode: response.statusCode,
			...(answer === undefined ? {} : { body: answer as IDataObject[string] }),
		},
	];
}

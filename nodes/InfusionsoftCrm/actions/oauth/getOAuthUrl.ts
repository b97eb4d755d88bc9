import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError, updateDisplayOptions } from 'n8n-workflow';

import { inputError, textParameter } from '../../shared/input';
import { ELEMENT_KEY } from '../../transport/instances';
import type { OperationContext } from '../types';

const properties: INodeProperties[] = [
	{
		displayName: 'State',
		name: 'state',
		type: 'string',
		default: '',
		placeholder: 'customer-42',
		description:
			'Optional value passed through to the callback untouched, to tell the callbacks apart (for example a customer ID). The platform does not check it.',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Site Address',
				name: 'siteAddress',
				type: 'string',
				default: '',
				description: 'Passed to the platform as siteAddress; Infusionsoft does not need it',
			},
			{
				displayName: 'Scope',
				name: 'scope',
				type: 'string',
				default: '',
				placeholder: 'full',
				description: 'The OAuth scope; Infusionsoft only knows "full", the platform’s default',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['oauth'], operation: ['getOAuthUrl'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	ctx: OperationContext,
): Promise<IDataObject> {
	const app = ctx.requireApp(itemIndex);
	const state = textParameter(this, 'state', 'State', itemIndex);
	const additional = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	for (const key of ['siteAddress', 'scope']) {
		if (additional[key] !== undefined && typeof additional[key] !== 'string') {
			throw inputError(this, itemIndex, `${key === 'scope' ? 'Scope' : 'Site Address'} must be text`);
		}
	}

	const response = await ctx.transport.request<IDataObject>(
		{
			method: 'GET',
			path: `/elements/${ELEMENT_KEY}/oauth/url`,
			query: {
				apiKey: app.clientId,
				apiSecret: app.clientSecret,
				callbackUrl: app.callbackUrl,
				state: state || undefined,
				siteAddress: (additional.siteAddress as string | undefined)?.trim(),
				scope: (additional.scope as string | undefined)?.trim(),
			},
			hints: {
				400: 'Check the Client ID, Client Secret and Callback URL of the Infusionsoft CRM OAuth2 API credential.',
				404: 'The platform does not know the infusionsoftcrm element at this API Root: check the API Root of the Cloud Elements API credential.',
			},
		},
		itemIndex,
		ctx.redactor,
	);

	const body = response.body;
	if (!body || typeof body !== 'object' || typeof body.oauthUrl !== 'string') {
		throw new NodeApiError(
			this.getNode(),
			{ message: 'The platform answered without an OAuth URL' },
			{
				message: 'The platform answered without an OAuth URL',
				description: 'Check that the API Root of the Cloud Elements API credential points at Cloud Elements or SAP Open Connectors.',
				itemIndex,
			},
		);
	}
	return {
		oauthUrl: body.oauthUrl,
		element: typeof body.element === 'string' ? body.element : ELEMENT_KEY,
		state,
		callbackUrl: app.callbackUrl,
	};
}

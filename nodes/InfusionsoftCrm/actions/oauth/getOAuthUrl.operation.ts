import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ElementKey } from '../../../../lib/keap/elements';
import { elementFields, ELEMENTS, legacyAdvice } from '../../../../lib/keap/elements';
import {
	elementParameter,
	inputError,
	nodeParameter,
	textParameter,
} from '../../../../lib/params/input';
import type { PlatformResponse } from '../../../../lib/platform/request';
import type { StateContext } from '../../../../lib/security/state';
import { checkContext, StateSigner } from '../../../../lib/security/state';
import type { ItemContext } from '../types';

export const option = {
	name: 'Get OAuth URL',
	value: 'getOAuthUrl',
	description: 'Get the Infusionsoft authorization URL to send the user to',
	action: 'Get the authorization URL',
};

export const credentials = { account: true, app: true };

export const properties: INodeProperties[] = [
	...elementFields(
		'The element the customer will be connected through: the URL is asked for it, and a signed state carries it back to the callback',
	),
	{
		displayName: 'Custom State',
		name: 'state',
		type: 'string',
		default: '',
		placeholder: 'Leave empty for a signed state (recommended)',
		description:
			'Leave empty to let the node sign the state: the OAuth Callback Trigger and Parse Callback then reject forged, altered and expired callbacks. A value here is sent as is, and nothing checks it (the platform passes it through untouched).',
	},
	{
		displayName: 'Context',
		name: 'context',
		type: 'string',
		default: '',
		placeholder: '{{ $json.customerId }}',
		displayOptions: { show: { state: [''] } },
		description:
			'What the connection is for, e.g. a customer ID: carried inside the signed state and given back by the callback. Text or JSON data, at most 1 KB. Signed, not encrypted: do not put secrets in it.',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'State Valid For (Minutes)',
				name: 'stateLifetimeMinutes',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 43200 },
				default: 10,
				displayOptions: { show: { '/state': [''] } },
				description:
					'How long a signed state is accepted. Raise it when the link is sent by email, and raise the Max State Age of the node that checks the callback to match.',
			},
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

const oauthUrlHints = (element: ElementKey) => ({
	400: 'Check the Client ID, Client Secret and Callback URL of the Infusionsoft CRM OAuth2 API credential.',
	404: `The platform does not know the ${element} element at this API Root: check the API Root of the Cloud Elements API credential (e.g. https://api.cloud-elements.com/elements/api-v2).`,
	405: `The API Root does not take POST /elements/${element}/oauth/url: check that the API Root of the Cloud Elements API credential is the platform's (ending in /elements/api-v2), not a proxy or another service. The node never asks with GET, which would put the client secret into the URL.`,
});

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
	const element = elementParameter(this, item.index);
	const app = await item.app('oauthUrl');
	const customState = textParameter(this, 'state', 'Custom State', item.index);
	const additional = nodeParameter(this, 'additionalFields', item.index, {}) as IDataObject;
	for (const key of ['siteAddress', 'scope']) {
		if (additional[key] !== undefined && typeof additional[key] !== 'string') {
			throw inputError(
				this,
				item.index,
				`${key === 'scope' ? 'Scope' : 'Site Address'} must be text`,
			);
		}
	}
	// The app's keys are derived once per execution; each item then signs with one HMAC.
	const signer = customState
		? undefined
		: await item.remember('oauth:stateSigner', async () => new StateSigner(app));
	const signed = signer
		? signedState.call(this, item.index, signer, element, additional)
		: undefined;
	const state = signed?.state ?? customState;
	const fields = {
		apiKey: app.clientId,
		apiSecret: app.clientSecret,
		callbackUrl: app.callbackUrl,
		state: state || undefined,
		siteAddress: (additional.siteAddress as string | undefined)?.trim() || undefined,
		scope: (additional.scope as string | undefined)?.trim() || undefined,
	};
	const response = await requestOAuthUrl.call(this, item, element, fields);
	return {
		oauthUrl: response.body.oauthUrl,
		element: typeof response.body.element === 'string' ? response.body.element : element,
		state,
		callbackUrl: app.callbackUrl,
		context: signed ? signed.context : null,
		stateExpiresAt: signed ? new Date(signed.expiresAt).toISOString() : null,
	};
}

/**
 * POST keeps the client secret out of URLs, where proxies and access logs would keep it. A
 * refused POST is an error, never a GET with the secret in its query (the seed's form).
 */
async function requestOAuthUrl(
	this: IExecuteFunctions,
	item: ItemContext,
	element: ElementKey,
	fields: Record<string, string | undefined>,
): Promise<PlatformResponse<IDataObject & { oauthUrl: string }>> {
	const path = `/elements/${element}/oauth/url`;
	const body: IDataObject = {};
	for (const [key, value] of Object.entries(fields)) if (value !== undefined) body[key] = value;
	const answer = await item.platform.request<IDataObject & { oauthUrl: string }>({
		method: 'POST',
		path,
		body,
		expect: 'object',
		hints: oauthUrlHints(element),
		explain: ELEMENTS[element].legacy ? legacyAdvice : undefined,
	});
	if (typeof answer.body.oauthUrl !== 'string' || !/^https?:\/\//.test(answer.body.oauthUrl)) {
		throw item.platform.error(
			'The platform answered without an OAuth URL',
			'Check that the API Root of the Cloud Elements API credential points at Cloud Elements or SAP Open Connectors.',
		);
	}
	return answer;
}

function signedState(
	this: IExecuteFunctions,
	itemIndex: number,
	signer: StateSigner,
	element: ElementKey,
	additional: IDataObject,
): { state: string; context: StateContext; expiresAt: number } {
	const context = nodeParameter(this, 'context', itemIndex, '');
	const checked = checkContext(typeof context === 'string' ? context.trim() : context);
	if (!checked.ok) {
		throw inputError(
			this,
			itemIndex,
			checked.message,
			'Map a short value such as a customer ID, e.g. {{ $json.customerId }}.',
		);
	}
	const minutes = additional.stateLifetimeMinutes ?? 10;
	if (typeof minutes !== 'number' || !Number.isInteger(minutes) || minutes < 1 || minutes > 43200) {
		throw inputError(
			this,
			itemIndex,
			'State Valid For (Minutes) must be a whole number from 1 to 43200',
		);
	}
	return signer.mint({
		context: checked.context,
		element,
		now: Date.now(),
		lifetimeSeconds: minutes * 60,
	});
}

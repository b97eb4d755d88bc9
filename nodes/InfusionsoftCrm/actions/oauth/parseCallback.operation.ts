import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	callbackSettingsFields,
	CallbackSettingsError,
	readCallbackSettings,
} from '../../../../lib/params/callbackSettings';
import { inputError } from '../../../../lib/params/input';
import type { CallbackFailureReason } from '../../../../lib/security/callback';
import { checkCallback, readCallback } from '../../../../lib/security/callback';
import type { ItemContext } from '../types';

export const option = {
	name: 'Parse Callback',
	value: 'parseCallback',
	description: 'Check a redirect to the callback URL and get its code and context',
	action: 'Parse an authorization callback',
};

/** Needs no Cloud Elements account; the app only to check a signed state. */
export const credentials = { account: false, app: true };

export const properties: INodeProperties[] = [
	{
		displayName: 'Callback',
		name: 'callback',
		type: 'string',
		default: '={{ $json.query }}',
		required: true,
		placeholder: 'https://your-n8n.example.com/webhook/infusionsoft-crm/callback?code=…&state=…',
		description:
			'The URL Infusionsoft redirected the user to (or just its ?code=…&state=… part), or the query as an object, such as the "query" a Webhook node outputs',
	},
	...callbackSettingsFields,
];

const HINTS: Record<CallbackFailureReason, string> = {
	denied:
		'The user did not authorize the app on the Infusionsoft consent page. Send a new OAuth URL if they want to try again.',
	'no-code':
		'Map the query of the redirect to Infusionsoft’s callback URL, e.g. {{ $json.query }} from a Webhook node.',
	'bad-callback':
		'A redirect from Infusionsoft has exactly one code and one state: this one was built by someone else.',
	'no-state':
		'Get OAuth URL signs a state unless a Custom State is set. Choose the State Check that matches how the URL was made.',
	'state-mismatch': 'The callback is for another request, or was forged.',
	malformed:
		'Get OAuth URL signs a state unless a Custom State is set. Choose the State Check that matches how the URL was made.',
	'bad-signature':
		'Do not create a connection from this callback. If the app’s Client Secret changed, send a new OAuth URL.',
	'other-app': 'Use the same Infusionsoft CRM OAuth2 API credential here as in Get OAuth URL.',
	expired:
		'Send a new OAuth URL. If links are used later (e.g. sent by email), raise State Valid For in Get OAuth URL and Max State Age here.',
	'from-the-future': 'The clocks of the n8n servers disagree: synchronise them (NTP).',
};

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
	const settings = await readCallbackSettings(
		(name, fallback) => this.getNodeParameter(name, item.index, fallback),
		async () => await item.app('state'),
	).catch((error: unknown) => {
		if (error instanceof CallbackSettingsError)
			throw inputError(this, item.index, error.message, error.description);
		throw error;
	});
	const read = readCallback(this.getNodeParameter('callback', item.index, '') as unknown);
	if (!read.ok) {
		throw inputError(this, item.index, read.message, HINTS['no-code']);
	}
	const result = checkCallback(read.query, { ...settings, now: Date.now() });
	if (!result.ok) {
		const details = result.errorDescription
			? `Infusionsoft says: ${result.errorDescription}. `
			: '';
		const refused = inputError(
			this,
			item.index,
			`Callback refused (${result.reason}): ${result.message}`,
			details + HINTS[result.reason],
		);
		// Kept machine-readable, so that Continue On Fail items can be routed by reason.
		refused.context.reason = result.reason;
		throw refused;
	}
	return {
		code: result.code,
		context: result.context,
		element: result.element,
		state: result.state,
		issuedAt: result.issuedAt,
	};
}

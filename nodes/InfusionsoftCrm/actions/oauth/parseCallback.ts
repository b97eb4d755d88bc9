import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { inputError, textParameter } from '../../shared/input';
import type { OperationContext } from '../types';
import type { CallbackFailureReason, StateCheck } from './callback';
import { checkCallback, readCallback, STATE_CHECKS } from './callback';

export const stateCheckField: INodeProperties = {
	displayName: 'State Check',
	name: 'stateCheck',
	type: 'options',
	default: 'signed',
	options: [
		{
			name: 'Signed (Recommended)',
			value: 'signed',
			description: 'The state must be one that Get OAuth URL signed for this app, and recent',
		},
		{
			name: 'Expect Exact Value',
			value: 'exact',
			description: 'The state must equal a value you give (a custom state)',
		},
		{
			name: 'None',
			value: 'none',
			description: 'Do not check the state. Anyone who knows the callback URL can then start a connection.',
		},
	],
	description: 'How the callback’s state is checked. The platform passes the state through unchecked, so this is the only guard against forged callbacks.',
};

export const expectedStateField: INodeProperties = {
	displayName: 'Expected State',
	name: 'expectedState',
	type: 'string',
	default: '',
	required: true,
	displayOptions: { show: { stateCheck: ['exact'] } },
	description: 'The custom state given to Get OAuth URL',
};

export const DEFAULT_MAX_STATE_AGE_MINUTES = 10;

export const maxStateAgeField: INodeProperties = {
	displayName: 'Max State Age (Minutes)',
	name: 'maxStateAgeMinutes',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 43200 },
	default: DEFAULT_MAX_STATE_AGE_MINUTES,
	displayOptions: { show: { stateCheck: ['signed'] } },
	description: 'The oldest signed state accepted, whatever it was issued with. Keep it short: a few minutes are enough when the user is sent to the URL at once.',
};

const properties: INodeProperties[] = [
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
	stateCheckField,
	expectedStateField,
	maxStateAgeField,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['oauth'], operation: ['parseCallback'] } },
	properties,
);

const HINTS: Record<CallbackFailureReason, string> = {
	denied: 'The user did not authorize the app on the Infusionsoft consent page. Send a new OAuth URL if they want to try again.',
	'no-code': 'Map the query of the redirect to Infusionsoft’s callback URL, e.g. {{ $json.query }} from a Webhook node.',
	'bad-callback': 'A redirect from Infusionsoft has exactly one code and one state: this one was built by someone else.',
	'no-state': 'Get OAuth URL signs a state unless a Custom State is set. Choose the State Check that matches how the URL was made.',
	'state-mismatch': 'The callback is for another request, or was forged.',
	malformed: 'Get OAuth URL signs a state unless a Custom State is set. Choose the State Check that matches how the URL was made.',
	'bad-signature': 'Do not create a connection from this callback. If the app’s Client Secret changed, send a new OAuth URL.',
	'other-app': 'Use the same Infusionsoft CRM OAuth2 API credential here as in Get OAuth URL.',
	expired: 'Send a new OAuth URL. If links are used later (e.g. sent by email), raise State Valid For in Get OAuth URL and Max State Age here.',
	'from-the-future': 'The clocks of the n8n servers disagree: synchronise them (NTP).',
};

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	ctx: OperationContext,
): Promise<IDataObject> {
	const stateCheck = this.getNodeParameter('stateCheck', itemIndex, 'signed') as StateCheck;
	if (!STATE_CHECKS.includes(stateCheck)) {
		throw inputError(this, itemIndex, 'State Check has an unknown value', `Use one of: ${STATE_CHECKS.join(', ')}.`);
	}
	const expectedState =
		stateCheck === 'exact'
			? textParameter(this, 'expectedState', 'Expected State', itemIndex, { required: true })
			: undefined;
	const maxAge = this.getNodeParameter('maxStateAgeMinutes', itemIndex, DEFAULT_MAX_STATE_AGE_MINUTES) as unknown;
	if (typeof maxAge !== 'number' || !Number.isFinite(maxAge) || maxAge <= 0) {
		throw inputError(this, itemIndex, 'Max State Age (Minutes) must be a positive number');
	}
	const app = stateCheck === 'signed' ? ctx.requireApp(itemIndex) : undefined;

	const read = readCallback(this.getNodeParameter('callback', itemIndex, '') as unknown);
	if (!read.ok) {
		throw inputError(this, itemIndex, read.message, HINTS['no-code']);
	}
	const result = checkCallback(read.query, {
		stateCheck,
		app,
		expectedState,
		maxAgeSeconds: Math.floor(maxAge * 60),
		now: Date.now(),
	});
	if (!result.ok) {
		const details = result.errorDescription ? `Infusionsoft says: ${result.errorDescription}. ` : '';
		const refused = inputError(this, itemIndex, `Callback refused (${result.reason}): ${result.message}`, details + HINTS[result.reason]);
		// Kept machine-readable, so that Continue On Fail items can be routed by reason.
		refused.context.reason = result.reason;
		throw refused;
	}
	return { code: result.code, context: result.context, state: result.state, issuedAt: result.issuedAt };
}

import type { INodeProperties } from 'n8n-workflow';

import type { CallbackCheckOptions, StateCheck } from '../security/callback';
import { STATE_CHECKS } from '../security/callback';
import type { AppKeys } from '../security/state';

/**
 * How a callback is checked: the three fields and their one reader, shared by the Parse
 * Callback operation and the OAuth Callback Trigger.
 */

export const DEFAULT_MAX_STATE_AGE_MINUTES = 10;

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
			description:
				'Do not check the state. Anyone who knows the callback URL can then start a connection.',
		},
	],
	description:
		'How the callback’s state is checked. The platform passes the state through unchecked, so this is the only guard against forged callbacks.',
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

export const maxStateAgeField: INodeProperties = {
	displayName: 'Max State Age (Minutes)',
	name: 'maxStateAgeMinutes',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 43200 },
	default: DEFAULT_MAX_STATE_AGE_MINUTES,
	displayOptions: { show: { stateCheck: ['signed'] } },
	description:
		'The oldest signed state accepted, whatever it was issued with. Keep it short: a few minutes are enough when the user is sent to the URL at once.',
};

export const callbackSettingsFields: INodeProperties[] = [
	stateCheckField,
	expectedStateField,
	maxStateAgeField,
];

/** A setting that cannot be used, in the words of the fields above. */
export class CallbackSettingsError extends Error {
	constructor(
		message: string,
		readonly description?: string,
	) {
		super(message);
		this.name = 'CallbackSettingsError';
	}
}

export type CallbackSettings = Omit<CallbackCheckOptions, 'now'>;

/**
 * Reads the three fields through `read` (a node parameter getter) and, for a signed state,
 * the app's keys through `appKeys`; throws `CallbackSettingsError` naming what to fix.
 */
export async function readCallbackSettings(
	read: (name: string, fallback: unknown) => unknown,
	appKeys: () => Promise<AppKeys>,
): Promise<CallbackSettings> {
	const stateCheck = read('stateCheck', 'signed') as StateCheck;
	if (!STATE_CHECKS.includes(stateCheck)) {
		throw new CallbackSettingsError(
			'State Check has an unknown value',
			`Use one of: ${STATE_CHECKS.join(', ')}.`,
		);
	}
	const settings: CallbackSettings = { stateCheck, maxAgeSeconds: 0 };
	if (stateCheck === 'exact') {
		const expected = read('expectedState', '');
		const text =
			typeof expected === 'number' && Number.isFinite(expected) ? String(expected) : expected;
		if (typeof text !== 'string' || text.trim() === '') {
			throw new CallbackSettingsError(
				typeof text === 'string' ? 'Expected State is empty' : 'Expected State must be text',
				'Give the custom state you set in Get OAuth URL, or choose another State Check.',
			);
		}
		settings.expectedState = text.trim();
	}
	if (stateCheck === 'signed') {
		const maxAge = read('maxStateAgeMinutes', DEFAULT_MAX_STATE_AGE_MINUTES);
		if (typeof maxAge !== 'number' || !Number.isFinite(maxAge) || maxAge <= 0) {
			throw new CallbackSettingsError('Max State Age (Minutes) must be a positive number');
		}
		settings.maxAgeSeconds = Math.floor(maxAge * 60);
		settings.app = await appKeys();
	}
	return settings;
}

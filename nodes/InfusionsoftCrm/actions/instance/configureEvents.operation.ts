import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ELEMENTS, elementKeyOf } from '../../../../lib/keap/elements';
import { eventsOff, eventsOn, readEvents } from '../../../../lib/keap/events';
import { inputError, instanceIdParameter } from '../../../../lib/params/input';
import { getInstance, patchInstance } from '../../../../lib/platform/instances';
import { instanceIdField } from '../../helpers/descriptions';
import type { ItemContext } from '../types';
import { eventsSettingsFields, readEventsSettings } from './helpers/eventsSettings';

export const option = {
	name: 'Configure Events',
	value: 'configureEvents',
	description:
		'Turn the platform’s change notifications of an instance on, off, or point them elsewhere, without re-authenticating',
	action: 'Configure the events of an instance',
};

export const credentials = { account: true, app: false };

export const properties: INodeProperties[] = [
	instanceIdField,
	{
		displayName: 'Events',
		name: 'eventsAction',
		type: 'options',
		default: 'on',
		options: [
			{
				name: 'Turn On or Change',
				value: 'on',
				description: 'Poll the resources below and POST their changes to the callback URL',
			},
			{
				name: 'Turn Off',
				value: 'off',
				description: 'Stop the notifications; the other settings stay on the instance',
			},
		],
	},
	...eventsSettingsFields({ show: { eventsAction: ['on'] } }),
];

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
	const id = instanceIdParameter(this, item.index);
	const action = this.getNodeParameter('eventsAction', item.index, 'on') as unknown;
	if (action !== 'on' && action !== 'off') {
		throw inputError(this, item.index, 'Events must be "on" or "off"');
	}
	const settings =
		action === 'on' ? readEventsSettings(this, item.index, item.eventSignatureKey) : undefined;
	const current = await getInstance(item.platform, id);
	const element = elementKeyOf(current);
	if (settings && element !== 'infusionsoftrest') {
		const what =
			element === 'infusionsoftcrm'
				? `an ${ELEMENTS.infusionsoftcrm.name.replace(/ \(.*\)$/, '')} instance`
				: `an instance of ${element ?? 'an unknown element'}`;
		throw inputError(
			this,
			item.index,
			`Instance ${id} is ${what}: the platform polls for events on Keap REST instances only`,
			'Move the customer to Keap REST (see the migration example), then turn events on for the new instance.',
		);
	}
	const configuration = settings ? eventsOn(settings) : eventsOff();
	const patched = await patchInstance(item.platform, id, { configuration });
	const shown =
		patched.configuration !== null && typeof patched.configuration === 'object'
			? patched.configuration
			: { ...(current.configuration as IDataObject), ...configuration };
	// Whether a key is set is what was sent: a platform may mask even an empty key on reading.
	const signed = settings ? { signed: Boolean(settings.signatureKey) } : {};
	return { ...patched, events: { ...readEvents(shown), ...signed } };
}

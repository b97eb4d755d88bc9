import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ElementKey } from '../../../../lib/keap/elements';
import { elementFields } from '../../../../lib/keap/elements';
import type { EventsSettings } from '../../../../lib/keap/events';
import { eventsOn } from '../../../../lib/keap/events';
import {
	booleanParameter,
	codeParameter,
	elementParameter,
	inputError,
	tagsParameter,
	textParameter,
} from '../../../../lib/params/input';
import type { Slot } from '../../../../lib/platform/concurrency';
import {
	createInstanceOnce,
	deleteInstance,
	findInstancesByName,
	instanceNotFound,
	patchInstance,
} from '../../../../lib/platform/instances';
import { instanceBody } from '../../../../lib/security/app';
import { callbackStateField, codeField, tagsField } from '../../helpers/descriptions';
import type { BatchItem, ItemContext } from '../types';
import { CreateBatch } from './helpers/createBatch';
import { applyEvents } from './helpers/events';
import { eventsSettingsFields, readEventsSettings } from './helpers/eventsSettings';
import type { InstanceIndex } from './helpers/instanceIndex';
import {
	reauthenticateWithState,
	readCallbackState,
	refuseUsedState,
	withStateTag,
} from './helpers/usedState';

const ON_EXISTING = ['reuse', 'reauthenticate', 'create'] as const;
type OnExisting = (typeof ON_EXISTING)[number];

export const option = {
	name: 'Create',
	value: 'create',
	description: 'Turn an authorization code into an element instance (ID and token)',
	action: 'Create an instance',
};

export const credentials = { account: true, app: true };

export const properties: INodeProperties[] = [
	...elementFields(
		'The element to connect the customer’s Keap account through; an existing instance is recognised among instances of this element',
	),
	codeField,
	{
		displayName: 'Instance Name',
		name: 'name',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'Infusionsoft – Customer 42',
		description: 'The name of the element instance; also how an existing instance is recognised',
	},
	tagsField,
	{
		displayName: 'If an Instance With This Name Exists',
		name: 'onExisting',
		type: 'options',
		default: 'reuse',
		options: [
			{
				name: 'Use Existing',
				value: 'reuse',
				description:
					'Return the existing instance and leave the code unused (safe for scheduled reruns); one whose connection is broken (invalid or disabled) gets the new code instead',
			},
			{
				name: 'Re-Authenticate Existing',
				value: 'reauthenticate',
				description: 'Give the existing instance the new code; its ID stays the same',
			},
			{
				name: 'Create Another',
				value: 'create',
				description: 'Create a new instance anyway; the platform does not prevent duplicates',
			},
		],
		description:
			'What to do when an Infusionsoft instance with the same name already exists. With Use Existing and Re-Authenticate Existing, executions that create the same name at the same time end with one instance.',
	},
	callbackStateField,
	{
		displayName: 'Send Events',
		name: 'sendEvents',
		type: 'boolean',
		default: false,
		description:
			'Whether the platform polls the customer’s Keap for changes and POSTs them to an Events Trigger. An existing instance that is used or re-authenticated gets these settings too.',
		displayOptions: { show: { element: ['infusionsoftrest'] } },
	},
	// Not on `element` too: n8n shows a field whose rule reads an expression (an Element mapped
	// from the callback), which would demand the callback URL of every Create.
	...eventsSettingsFields({ show: { sendEvents: [true] } }),
];

/** The event settings of the item, when it turns events on (Keap REST only: the legacy element has no polling). */
function eventsOfItem(
	ctx: IExecuteFunctions,
	item: ItemContext,
	element: ElementKey,
): EventsSettings | undefined {
	if (element !== 'infusionsoftrest') return undefined;
	if (!booleanParameter(ctx, 'sendEvents', 'Send Events', item.index, false)) return undefined;
	return readEventsSettings(ctx, item.index, item.eventSignatureKey);
}

/** The items of one execution check what they create against each other: see `CreateBatch`. */
export function batch(itemCount: number): CreateBatch {
	return new CreateBatch(itemCount);
}

export async function execute(
	this: IExecuteFunctions,
	item: ItemContext,
	{ shared, slot }: BatchItem<CreateBatch>,
): Promise<IDataObject> {
	const element = elementParameter(this, item.index);
	const app = await item.app(element);
	const code = codeParameter(this, item.index);
	item.addSecret(code);
	const name = textParameter(this, 'name', 'Instance Name', item.index, { required: true });
	const tags = tagsParameter(this, 'tags', item.index);
	const onExisting = this.getNodeParameter('onExisting', item.index, 'reuse') as OnExisting;
	if (!ON_EXISTING.includes(onExisting)) {
		throw inputError(
			this,
			item.index,
			`"If an Instance With This Name Exists" has an unknown value`,
			`Use one of: ${ON_EXISTING.join(', ')}.`,
		);
	}
	const stateTag = readCallbackState(this, item.index);
	const events = eventsOfItem(this, item, element);
	const { platform } = item;

	return await shared.inTurn(name, slot, async () => {
		const index = await shared.instanceIndex(platform, element);
		const existing = index
			? index.instancesNamed(name)
			: await findInstancesByName(platform, name, element);
		const first = existing[0];
		if (first && onExisting === 'reuse' && !isBroken(first)) {
			return { action: 'reused', ...(events ? await applyEvents(platform, first, events) : first) };
		}
		if (stateTag) await refuseUsedState(this, platform, stateTag);
		// A broken instance is not reused: the customer has just granted a code that mends it.
		if (first && (onExisting === 'reauthenticate' || isBroken(first))) {
			const reauthenticated = await reauthenticateWithState(
				this,
				platform,
				app,
				element,
				String(first.id),
				code,
				stateTag,
				tags,
				events && eventsOn(events),
			);
			const mended =
				first.disabled === true ? await enableInstance(item, reauthenticated) : reauthenticated;
			index?.learn(mended);
			return { action: 'reauthenticated', ...mended };
		}
		const body = instanceBody(
			app,
			element,
			{ code, name, tags: withStateTag(tags, stateTag) },
			events && eventsOn(events),
		);
		const knownIds = new Set(existing.map((instance) => String(instance.id)));
		const created = await createInstanceOnce(platform, element, body, knownIds);
		index?.learn(created);
		if (onExisting === 'create') return { action: 'created', ...created };
		return await converge(item, element, name, created, stateTag, events, index, slot);
	});
}

/** An instance whose connection no longer works: its token was refused (`valid: false`), or it is disabled. */
function isBroken(instance: IDataObject): boolean {
	return instance.valid === false || instance.disabled === true;
}

/** PUT /instances/{id}/enabled: a re-authenticated instance that stays disabled would still refuse every call. */
async function enableInstance(item: ItemContext, instance: IDataObject): Promise<IDataObject> {
	await item.platform.request({
		method: 'PUT',
		path: `/instances/${String(instance.id)}/enabled`,
		...instanceNotFound(String(instance.id)),
	});
	return { ...instance, disabled: false };
}

/**
 * Executions that create the same name at the same time (two clicks on Allow, two workers)
 * each see no instance and each create one. Without shared state in n8n they agree through
 * the platform: the oldest instance of that name stays, a newer one deletes itself.
 */
async function converge(
	item: ItemContext,
	element: ElementKey,
	name: string,
	created: IDataObject,
	stateTag: string | undefined,
	events: EventsSettings | undefined,
	index: InstanceIndex | undefined,
	slot: Slot,
): Promise<IDataObject> {
	const { platform } = item;
	const named = index
		? await index.recheck(platform, slot, name)
		: await findInstancesByName(platform, name, element);
	const oldest = named[0];
	if (
		!oldest ||
		String(oldest.id) === String(created.id) ||
		Number(oldest.id) > Number(created.id)
	) {
		return { action: 'created', ...created };
	}
	await deleteInstance(platform, String(created.id), true);
	index?.forget(created.id);
	// The deleted instance carried this callback's tag: the one that stays must carry it now.
	const tagged = stateTag ? await tagInstance(item, oldest, stateTag) : oldest;
	const kept = events ? await applyEvents(platform, tagged, events) : tagged;
	index?.learn(kept);
	return { action: 'reused', ...kept };
}

async function tagInstance(
	item: ItemContext,
	instance: IDataObject,
	stateTag: string,
): Promise<IDataObject> {
	const current = Array.isArray(instance.tags) ? (instance.tags as string[]) : [];
	if (current.includes(stateTag)) return instance;
	const tagged = await patchInstance(item.platform, String(instance.id), {
		tags: withStateTag(current, stateTag, current),
	});
	return { ...instance, ...tagged };
}

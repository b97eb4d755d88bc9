import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { instanceConfiguration } from '../../shared/app';
import { codeField, tagsField } from '../../shared/descriptions';
import { codeParameter, inputError, tagsParameter, textParameter } from '../../shared/input';
import {
	createInstanceOnce,
	ELEMENT_KEY,
	findInstancesByName,
	getInstance,
	reauthenticateInstanceOnce,
} from '../../transport/instances';
import type { OperationContext } from '../types';

const ON_EXISTING = ['reuse', 'reauthenticate', 'create'] as const;
type OnExisting = (typeof ON_EXISTING)[number];

const properties: INodeProperties[] = [
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
				description: 'Return the existing instance and leave the code unused (safe for scheduled reruns)',
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
		description: 'What to do when an Infusionsoft instance with the same name already exists',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['instance'], operation: ['create'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	ctx: OperationContext,
): Promise<IDataObject> {
	const app = ctx.requireApp(itemIndex, { needsServer: true });
	const code = codeParameter(this, itemIndex);
	const name = textParameter(this, 'name', 'Instance Name', itemIndex, { required: true });
	const tags = tagsParameter(this, 'tags', itemIndex);
	const onExisting = this.getNodeParameter('onExisting', itemIndex, 'reuse') as OnExisting;
	if (!ON_EXISTING.includes(onExisting)) {
		throw inputError(this, itemIndex, `"If an Instance With This Name Exists" has an unknown value`, `Use one of: ${ON_EXISTING.join(', ')}.`);
	}
	const redactor = ctx.redactor.with([code]);
	const body: IDataObject = {
		element: { key: ELEMENT_KEY },
		providerData: { code },
		configuration: instanceConfiguration(app),
		tags,
		name,
	};

	return await ctx.sameName.run(name, async () => {
		const existing = await findInstancesByName(ctx.transport, name, itemIndex, redactor);
		const first = existing[0];
		if (first && onExisting === 'reuse') {
			return { action: 'reused', ...first };
		}
		if (first && onExisting === 'reauthenticate') {
			const id = String(first.id);
			const current = await getInstance(ctx.transport, id, itemIndex, redactor);
			const reauthenticated = await reauthenticateInstanceOnce(
				ctx.transport,
				id,
				{ ...body, tags: tags.length > 0 ? tags : (current.tags ?? []) },
				current.token,
				itemIndex,
				redactor,
			);
			return { action: 'reauthenticated', ...reauthenticated };
		}
		const knownIds = new Set(existing.map((instance) => String(instance.id)));
		const created = await createInstanceOnce(ctx.transport, body, knownIds, itemIndex, redactor);
		return { action: 'created', ...created };
	});
}

import type { IDataObject, IExecuteFunctions, INodeProperties, JsonObject } from 'n8n-workflow';
import { NodeApiError, sleep, updateDisplayOptions } from 'n8n-workflow';

import { instanceConfiguration } from '../../shared/app';
import { tagsField } from '../../shared/descriptions';
import { inputError, tagsParameter, textParameter } from '../../shared/input';
import type { Redactor } from '../../shared/redact';
import { backoffMs, OutcomeUnknownError } from '../../transport/cloudElements';
import { ELEMENT_KEY, findInstancesByName } from '../../transport/instances';
import type { OperationContext } from '../types';

export const CODE_HINTS = {
	400: 'The authorization code may have expired or been used already (codes are single-use and short-lived: send the user through the OAuth URL again), or the Callback URL of the Infusionsoft CRM OAuth2 API credential does not match the one registered with the Infusionsoft app exactly.',
};

const ON_EXISTING = ['reuse', 'reauthenticate', 'create'] as const;
type OnExisting = (typeof ON_EXISTING)[number];

const properties: INodeProperties[] = [
	{
		displayName: 'Authorization Code',
		name: 'code',
		type: 'string',
		typeOptions: { password: true },
		required: true,
		default: '',
		placeholder: '={{ $json.code }}',
		description:
			'The code Infusionsoft sent to the callback URL. It is single-use and expires within minutes.',
	},
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
	const code = textParameter(this, 'code', 'Authorization Code', itemIndex, {
		required: true,
		hint: 'Map the "code" of the callback, for example {{ $json.code }}.',
	});
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
			const response = await ctx.transport.request<IDataObject>(
				{
					method: 'PUT',
					path: `/instances/${String(first.id)}`,
					query: { reAuthenticate: true },
					body: { ...body, tags: tags.length > 0 ? tags : (first.tags ?? []) },
					hints: CODE_HINTS,
				},
				itemIndex,
				redactor,
			);
			return { action: 'reauthenticated', ...response.body };
		}
		const knownIds = new Set(existing.map((instance) => String(instance.id)));
		return await createOnce.call(this, ctx, body, name, knownIds, itemIndex, redactor);
	});
}

/**
 * POST /instances is not safe to repeat: when an answer is lost, look for an instance with
 * this name that was not there before, and only when there is none, send it again.
 */
async function createOnce(
	this: IExecuteFunctions,
	ctx: OperationContext,
	body: IDataObject,
	name: string,
	knownIds: Set<string>,
	itemIndex: number,
	redactor: Redactor,
): Promise<IDataObject> {
	for (let attempt = 0; ; attempt++) {
		const outcome = await ctx.transport
			.request<IDataObject>(
				{ method: 'POST', path: '/instances', body, createsResource: true, hints: CODE_HINTS },
				itemIndex,
				redactor,
			)
			.then(
				(response) => ({ created: response.body }),
				(error: unknown) => {
					if (error instanceof OutcomeUnknownError) return { unknown: error };
					throw new NodeApiError(this.getNode(), error as JsonObject, { itemIndex });
				},
			);
		if ('created' in outcome) return { action: 'created', ...outcome.created };

		const found = await findInstancesByName(ctx.transport, name, itemIndex, redactor);
		const created = found.filter((instance) => !knownIds.has(String(instance.id)));
		if (created.length > 0) {
			this.logger.info(`Create Instance: the answer was lost; found instance ${String(created[0].id)} by name`);
			return { action: 'created', ...created[0] };
		}
		if (attempt >= ctx.transport.policy.maxRetries) throw outcome.unknown.cause;
		await sleep(backoffMs(attempt));
	}
}

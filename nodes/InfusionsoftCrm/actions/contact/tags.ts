import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { KEAP_REST_ONLY } from '../../../../lib/keap/elements';
import { inputError } from '../../../../lib/params/input';
import { instanceLocatorField } from '../../helpers/descriptions';
import { openHub } from '../hub';
import type { ItemContext, Operation } from '../types';
import { contactIdField, contactIdParameter, contactNotFound } from './fields';

/**
 * A list of the instance's tags. Workflows saved when this was a text field keep their value
 * ("12, 34", or an expression) and run as before: the reader takes text, numbers and lists.
 */
const tagIdsField: INodeProperties = {
	displayName: 'Tag Names or IDs',
	name: 'tagIds',
	type: 'multiOptions',
	typeOptions: { loadOptionsMethod: 'getTags', loadOptionsDependsOn: ['instance.value'] },
	required: true,
	default: [],
	description:
		'The Keap tags to apply or remove; by expression, a list of tag IDs or comma-separated IDs such as 12, 34. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
};

function readTagIds(ctx: IExecuteFunctions, itemIndex: number): number[] {
	const raw = ctx.getNodeParameter('tagIds', itemIndex, '') as unknown;
	const parts =
		typeof raw === 'number'
			? [raw]
			: typeof raw === 'string'
				? raw.split(',')
				: Array.isArray(raw)
					? raw
					: undefined;
	const ids = (parts ?? [])
		.map((part) =>
			typeof part === 'number' ? String(part) : typeof part === 'string' ? part.trim() : '',
		)
		.filter((p) => p !== '');
	if (!parts || ids.length === 0 || !ids.every((id) => /^[1-9][0-9]{0,18}$/.test(id))) {
		throw inputError(
			ctx,
			itemIndex,
			ids.length === 0
				? 'Tag Names or IDs is empty'
				: 'Tag Names or IDs must be whole numbers (tag IDs)',
			'Choose tags from the list, or give tag IDs, e.g. 12, 34.',
		);
	}
	return [...new Set(ids.map(Number))];
}

/** Add and remove tags: Keap REST only (the legacy element has no tag calls). */
export function tagOperation(kind: 'addTags' | 'removeTags'): Operation {
	const adding = kind === 'addTags';
	return {
		option: adding
			? {
					name: 'Add Tags',
					value: 'addTags',
					description: 'Apply Keap tags to a contact (Keap REST)',
					action: 'Add tags to a contact',
				}
			: {
					name: 'Remove Tags',
					value: 'removeTags',
					description: 'Remove Keap tags from a contact (Keap REST)',
					action: 'Remove tags from a contact',
				},
		credentials: { account: true, app: false },
		elements: KEAP_REST_ONLY,
		properties: [instanceLocatorField, contactIdField, tagIdsField],
		async execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
			const id = contactIdParameter(this, item.index);
			const tagIds = readTagIds(this, item.index);
			const hub = await openHub(this, item);
			const hints = contactNotFound(hub, id);
			let body: IDataObject = {};
			if (adding) {
				body = (
					await hub.request<IDataObject>({
						method: 'POST',
						path: `/contacts/${id}/tags`,
						body: { tagIds },
						expect: 'object',
						hints,
					})
				).body;
			} else {
				for (const tagId of tagIds) {
					body = (
						await hub.request<IDataObject>({
							method: 'DELETE',
							path: `/contacts/${id}/tags/${tagId}`,
							expect: 'object',
							hints,
						})
					).body;
				}
			}
			return { id: Number(id), tag_ids: body.tag_ids ?? null };
		},
	};
}

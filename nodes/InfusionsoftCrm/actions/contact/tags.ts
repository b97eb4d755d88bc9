import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { inputError } from '../../../../lib/params/input';
import { instanceLocatorField } from '../../helpers/descriptions';
import { openHub } from '../hub';
import type { ItemContext, Operation } from '../types';
import { contactIdField, contactIdParameter } from './fields';

const tagIdsField: INodeProperties = {
	displayName: 'Tag IDs',
	name: 'tagIds',
	type: 'string',
	required: true,
	default: '',
	placeholder: '12, 34',
	description: 'The IDs of Keap tags, comma-separated or a list from an expression',
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
			ids.length === 0 ? 'Tag IDs is empty' : 'Tag IDs must be whole numbers',
			'For example: 12, 34',
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
		elements: ['infusionsoftrest'],
		properties: [instanceLocatorField, contactIdField, tagIdsField],
		async execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
			const id = contactIdParameter(this, item.index);
			const tagIds = readTagIds(this, item.index);
			const hub = await openHub(this, item);
			const hints = {
				404: `No contact ${id} in the Keap account of instance ${hub.instance.id}: check the Contact ID.`,
			};
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

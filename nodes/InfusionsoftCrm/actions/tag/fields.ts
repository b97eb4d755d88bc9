import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ceqlText } from '../../helpers/contacts';
import type { Hub } from '../hub';
import { requireRest } from '../task/fields';

export const categoryIdField: INodeProperties = {
	displayName: 'Category ID',
	name: 'categoryId',
	type: 'string',
	default: '',
	placeholder: '3',
	description: 'The ID of a Keap tag category (Keap’s settings list them under Tags)',
};

/** Tags exist on Keap REST only. */
export function requireTags(ctx: IExecuteFunctions, itemIndex: number, hub: Hub): void {
	requireRest(ctx, itemIndex, hub, 'Tags');
}

/** The CEQL condition Keap REST's tag list takes: by name (exact) and category. */
export function tagWhere(name: string | undefined, categoryId: number | undefined): string {
	return [
		...(name !== undefined ? [`name = ${ceqlText(name)}`] : []),
		...(categoryId !== undefined ? [`category = ${categoryId}`] : []),
	].join(' AND ');
}

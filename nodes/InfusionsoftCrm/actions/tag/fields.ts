import type { INodeProperties } from 'n8n-workflow';

import { ceqlText } from '../../helpers/contacts';

export const categoryIdField: INodeProperties = {
	displayName: 'Category ID',
	name: 'categoryId',
	type: 'string',
	default: '',
	placeholder: '3',
	description: 'The ID of a Keap tag category (Keap’s settings list them under Tags)',
};

/** The CEQL condition Keap REST's tag list takes: by name (exact) and category. */
export function tagWhere(name: string | undefined, categoryId: number | undefined): string {
	return [
		...(name !== undefined ? [`name = ${ceqlText(name)}`] : []),
		...(categoryId !== undefined ? [`category = ${categoryId}`] : []),
	].join(' AND ');
}

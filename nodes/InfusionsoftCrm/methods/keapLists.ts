import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { hubOptions } from './instanceHub';

/** A tag as the dropdown shows it: its name, and its category's when Keap gives one. */
function tagName(tag: IDataObject): string {
	const category = tag.category as IDataObject | null | undefined;
	const name = String(tag.name ?? `Tag ${String(tag.id)}`);
	return typeof category?.name === 'string' && category.name !== ''
		? `${name} (${category.name})`
		: name;
}

/** The tags of the chosen instance's Keap account (Add Tags, Remove Tags). */
export async function getTags(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return await hubOptions(this, '/tags', 'tags', tagName);
}

/** The stages of the chosen instance's opportunity pipeline. */
export async function getStages(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return await hubOptions(this, '/opportunity/stage_pipeline', 'stages', (stage) =>
		String(stage.name ?? `Stage ${String(stage.id)}`),
	);
}

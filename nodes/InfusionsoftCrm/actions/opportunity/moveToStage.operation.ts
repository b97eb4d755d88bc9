import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { KEAP_REST_ONLY } from '../../../../lib/keap/elements';
import { instanceLocatorField } from '../../helpers/descriptions';
import { openHub } from '../hub';
import type { ItemContext } from '../types';
import {
	opportunityIdField,
	opportunityIdParameter,
	opportunityNotFound,
	stageIdField,
	stageIdParameter,
} from './fields';

export const option = {
	name: 'Move to Stage',
	value: 'moveToStage',
	description: 'Move an opportunity to another stage of the pipeline',
	action: 'Move an opportunity to a stage',
};

export const credentials = { account: true, app: false };

export const elements = KEAP_REST_ONLY;

export const properties: INodeProperties[] = [
	instanceLocatorField,
	opportunityIdField,
	{
		...stageIdField,
		description:
			'The stage to move the opportunity to. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
];

/** A PATCH of the stage alone: the same stage twice is the same result, so it is safe to repeat. */
export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
	const id = opportunityIdParameter(this, item.index);
	const stageId = stageIdParameter(this, item.index);
	const hub = await openHub(this, item);
	return (
		await hub.request<IDataObject>({
			method: 'PATCH',
			path: `/opportunities/${id}`,
			body: { stage: { id: Number(stageId) } },
			expect: 'object',
			hints: {
				400: `Check the Stage: it must be a stage of the pipeline of instance ${hub.instance.id}.`,
				...opportunityNotFound(hub, id),
			},
		})
	).body;
}

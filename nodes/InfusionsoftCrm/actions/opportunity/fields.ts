import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { idParameter, inputError } from '../../../../lib/params/input';
import { readId, readText } from '../../helpers/collectionValues';
import type { Hub } from '../hub';
import { keapRecord } from '../keapRecord';

export const opportunityRecord = keapRecord({
	noun: 'opportunity',
	article: 'an',
	collection: '/opportunities',
	idName: 'opportunityId',
	idDisplayName: 'Opportunity ID',
	idDescription:
		'The ID of the opportunity in the customer’s Keap, e.g. the ID that Create or Get Many of opportunities gave',
});

export const opportunityIdField = opportunityRecord.idField;
export const opportunityIdParameter = opportunityRecord.idParameter;
export const opportunityNotFound = opportunityRecord.notFound;

/** A stage of the instance's pipeline, from a list the editor loads (or an ID by expression). */
export const stageIdField: INodeProperties = {
	displayName: 'Stage Name or ID',
	name: 'stageId',
	type: 'options',
	typeOptions: { loadOptionsMethod: 'getStages', loadOptionsDependsOn: ['instance.value'] },
	required: true,
	default: '',
	description:
		'The pipeline stage. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
};

const contactIdOfOpportunity: INodeProperties = {
	displayName: 'Contact ID',
	name: 'contactId',
	type: 'string',
	default: '',
	placeholder: '123',
	description: 'The contact the opportunity is with (its Keap ID)',
};

/** The fields of an opportunity besides its title, contact and stage, in Keap REST's names on the way out. */
export const opportunityFields: INodeProperties[] = [
	{
		displayName: 'Estimated Close Date',
		name: 'estimatedCloseDate',
		type: 'dateTime',
		default: '',
		description: 'When the deal is expected to close',
	},
	{
		displayName: 'Next Action Date',
		name: 'nextActionDate',
		type: 'dateTime',
		default: '',
		description: 'When the next step is due',
	},
	{
		displayName: 'Next Action Notes',
		name: 'nextActionNotes',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		description: 'What the next step is',
	},
	{
		displayName: 'Notes',
		name: 'notes',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		description: 'Notes on the opportunity (Keap: opportunity_notes)',
	},
	{
		displayName: 'Projected Revenue High',
		name: 'projectedRevenueHigh',
		type: 'number',
		default: 0,
		description: 'The most the deal is expected to bring, in the account’s currency',
	},
	{
		displayName: 'Projected Revenue Low',
		name: 'projectedRevenueLow',
		type: 'number',
		default: 0,
		description: 'The least the deal is expected to bring, in the account’s currency',
	},
	{
		displayName: 'User ID',
		name: 'userId',
		type: 'string',
		default: '',
		placeholder: '7',
		description: 'The Keap user (salesperson) who owns the opportunity, by their Keap user ID',
	},
];

/** Update's fields: the same, and the title, contact and stage. */
export const opportunityUpdateFields: INodeProperties[] = (
	[
		{
			...contactIdOfOpportunity,
			description: 'Move the opportunity to another contact (its Keap ID)',
		},
		...opportunityFields,
		{
			...stageIdField,
			required: false,
			description:
				'Move the opportunity to this stage. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		},
		{
			displayName: 'Title',
			name: 'title',
			type: 'string',
			default: '',
			description: 'What the opportunity is called',
		},
	] as INodeProperties[]
).sort((a, b) => a.displayName.localeCompare(b.displayName));

/** Keap REST's body for the fields given; blank values are left out. */
export function readOpportunityFields(
	ctx: IExecuteFunctions,
	itemIndex: number,
	values: IDataObject,
	label: string,
): IDataObject {
	const body: IDataObject = {};
	const text = (name: string, display: string) =>
		readText(ctx, itemIndex, values, name, `${label} → ${display}`);
	const id = (name: string, display: string) =>
		readId(ctx, itemIndex, values, name, `${label} → ${display}`);
	const date = (name: string, display: string) => {
		const value = text(name, display);
		if (value === undefined) return undefined;
		const parsed = new Date(value);
		if (Number.isNaN(parsed.getTime()))
			throw inputError(ctx, itemIndex, `${label} → ${display} is not a date`);
		return parsed.toISOString();
	};
	const amount = (name: string, display: string) => {
		const value = values[name];
		if (value === undefined || value === null || value === '') return undefined;
		const number = typeof value === 'string' ? Number(value.trim()) : value;
		if (typeof number !== 'number' || !Number.isFinite(number) || number < 0)
			throw inputError(ctx, itemIndex, `${label} → ${display} must be a number of 0 or more`);
		return number;
	};
	const title = text('title', 'Title');
	if (title !== undefined) body.opportunity_title = title;
	const contactId = id('contactId', 'Contact ID');
	if (contactId !== undefined) body.contact = { id: contactId };
	const stageId = id('stageId', 'Stage');
	if (stageId !== undefined) body.stage = { id: stageId };
	const userId = id('userId', 'User ID');
	if (userId !== undefined) body.user = { id: userId };
	const low = amount('projectedRevenueLow', 'Projected Revenue Low');
	if (low !== undefined) body.projected_revenue_low = low;
	const high = amount('projectedRevenueHigh', 'Projected Revenue High');
	if (high !== undefined) body.projected_revenue_high = high;
	if (low !== undefined && high !== undefined && low > high)
		throw inputError(
			ctx,
			itemIndex,
			`${label} → Projected Revenue Low is more than Projected Revenue High`,
		);
	const close = date('estimatedCloseDate', 'Estimated Close Date');
	if (close !== undefined) body.estimated_close_date = close;
	const next = date('nextActionDate', 'Next Action Date');
	if (next !== undefined) body.next_action_date = next;
	const nextNotes = text('nextActionNotes', 'Next Action Notes');
	if (nextNotes !== undefined) body.next_action_notes = nextNotes;
	const notes = text('notes', 'Notes');
	if (notes !== undefined) body.opportunity_notes = notes;
	return body;
}

export function stageIdParameter(ctx: IExecuteFunctions, itemIndex: number): string {
	return idParameter(
		ctx,
		itemIndex,
		'stageId',
		'Stage',
		'Choose a stage from the list, or give a stage ID from the instance’s pipeline.',
	);
}

/** A 400 from a write names the field Keap refused, e.g. a stage or contact that does not exist. */
export const opportunityRefused = (hub: Hub) => ({
	400: `Check the Contact ID and the Stage: both must exist in the Keap account of instance ${hub.instance.id}.`,
});

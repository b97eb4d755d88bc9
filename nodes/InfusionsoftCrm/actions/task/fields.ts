import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { inputError, readBoolean } from '../../../../lib/params/input';
import { keapRecord } from '../keapRecord';

export const taskRecord = keapRecord({
	noun: 'task',
	article: 'a',
	collection: '/tasks',
	idName: 'taskId',
	idDisplayName: 'Task ID',
	idDescription: 'The ID of the task in the customer’s Keap',
});

export const taskIdField = taskRecord.idField;

/** The fields of a task besides its title, in Keap REST's names on the way out. */
export const taskFields: INodeProperties[] = [
	{
		displayName: 'Completed',
		name: 'completed',
		type: 'boolean',
		default: false,
		description: 'Whether the task is done',
	},
	{
		displayName: 'Contact ID',
		name: 'contactId',
		type: 'string',
		default: '',
		description: 'The contact the task is about (its Keap ID)',
	},
	{
		displayName: 'Description',
		name: 'description',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		description: 'What is to be done',
	},
	{
		displayName: 'Due Date',
		name: 'dueDate',
		type: 'dateTime',
		default: '',
		description: 'When the task is due',
	},
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		default: '',
		description: 'What the task is called',
	},
];

/** Keap REST's body for the fields given; blank values are left out. */
export function readTaskFields(
	ctx: IExecuteFunctions,
	itemIndex: number,
	values: IDataObject,
	label: string,
): IDataObject {
	const body: IDataObject = {};
	const text = (name: string) => {
		const value = values[name];
		if (value === undefined || value === null || value === '') return undefined;
		if (typeof value !== 'string' && typeof value !== 'number')
			throw inputError(ctx, itemIndex, `${label} → ${name} must be text`);
		return String(value).trim() || undefined;
	};
	const title = text('title');
	if (title !== undefined) body.title = title;
	const description = text('description');
	if (description !== undefined) body.description = description;
	const due = text('dueDate');
	if (due !== undefined) {
		const date = new Date(due);
		if (Number.isNaN(date.getTime()))
			throw inputError(ctx, itemIndex, `${label} → Due Date is not a date`);
		body.due_date = date.toISOString();
	}
	if (values.completed !== undefined) {
		const completed = readBoolean(values.completed);
		if (completed === undefined)
			throw inputError(ctx, itemIndex, `${label} → Completed must be true or false`);
		body.completed = completed;
	}
	const contactId = text('contactId');
	if (contactId !== undefined) {
		if (!/^[1-9][0-9]{0,18}$/.test(contactId))
			throw inputError(ctx, itemIndex, `${label} → Contact ID must be a whole number`);
		body.contact = { id: Number(contactId) };
	}
	return body;
}

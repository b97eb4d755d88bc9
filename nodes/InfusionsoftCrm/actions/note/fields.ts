import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { inputError } from '../../../../lib/params/input';
import { readText } from '../../helpers/collectionValues';
import { keapRecord } from '../keapRecord';

export const noteRecord = keapRecord({
	noun: 'note',
	article: 'a',
	collection: '/notes',
	idName: 'noteId',
	idDisplayName: 'Note ID',
	idDescription:
		'The ID of the note in the customer’s Keap, e.g. the ID that Create or Get Many of notes gave',
});

export const noteIdField = noteRecord.idField;

/** Keap's kinds of note (its `type`); the name shown is the value sent. */
export const NOTE_TYPES = [
	'Appointment',
	'Call',
	'Email',
	'Fax',
	'Letter',
	'Meeting',
	'Other',
	'Task',
] as const;

/** The fields of a note besides its contact, in Keap REST v1's names on the way out. */
export const noteFields: INodeProperties[] = [
	{
		displayName: 'Body',
		name: 'body',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		description: 'The text of the note',
	},
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		default: '',
		description: 'The title of the note',
	},
	{
		displayName: 'Type',
		name: 'type',
		type: 'options',
		options: NOTE_TYPES.map((type) => ({ name: type, value: type })),
		default: 'Other',
		description: 'What kind of contact with the person the note records',
	},
	{
		displayName: 'User Name or ID',
		name: 'userId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getUsers', loadOptionsDependsOn: ['instance.value'] },
		default: '',
		description:
			'The Keap user the note belongs to. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
];

/** Keap REST's body for the fields given; blank values are left out. */
export function readNoteFields(
	ctx: IExecuteFunctions,
	itemIndex: number,
	values: IDataObject,
	label: string,
): IDataObject {
	const text = (name: string, displayName: string) =>
		readText(ctx, itemIndex, values, name, `${label} → ${displayName}`);
	const body: IDataObject = {};
	const title = text('title', 'Title');
	if (title !== undefined) body.title = title;
	const noteBody = text('body', 'Body');
	if (noteBody !== undefined) body.body = noteBody;
	const type = text('type', 'Type');
	if (type !== undefined) {
		const known = NOTE_TYPES.find((t) => t.toLowerCase() === type.toLowerCase());
		if (!known)
			throw inputError(ctx, itemIndex, `${label} → Type must be one of ${NOTE_TYPES.join(', ')}`);
		body.type = known;
	}
	const userId = text('userId', 'User');
	if (userId !== undefined) {
		if (!/^[1-9][0-9]{0,18}$/.test(userId))
			throw inputError(
				ctx,
				itemIndex,
				`${label} → User must be the ID of a Keap user (a whole number)`,
			);
		body.user_id = Number(userId);
	}
	return body;
}

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { elementFields } from '../../../../lib/keap/elements';
import { codeParameter, elementParameter, instanceIdParameter } from '../../../../lib/params/input';
import { callbackStateField, codeField, instanceIdField } from '../../helpers/descriptions';
import type { ItemContext } from '../types';
import { reauthenticateWithState, readCallbackState, refuseUsedState } from './helpers/usedState';

export const option = {
	name: 'Re-Authenticate',
	value: 'reauthenticate',
	description: 'Give an instance a new authorization code, keeping its ID',
	action: 'Reauthenticate an instance',
};

export const credentials = { account: true, app: true };

export const properties: INodeProperties[] = [
	instanceIdField,
	...elementFields(
		'The element of the instance: the code must come from an OAuth URL of the same element',
	),
	codeField,
	callbackStateField,
];

/** Gives an instance whose token refresh failed a new code; its ID and token stay usable. */
export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
	const id = instanceIdParameter(this, item.index);
	const element = elementParameter(this, item.index);
	const app = await item.app(element);
	const code = codeParameter(this, item.index);
	item.addSecret(code);
	const stateTag = readCallbackState(this, item.index);
	if (stateTag) await refuseUsedState(this, item.platform, stateTag);
	const reauthenticated = await reauthenticateWithState(
		this,
		item.platform,
		app,
		element,
		id,
		code,
		stateTag,
	);
	return { action: 'reauthenticated', ...reauthenticated };
}

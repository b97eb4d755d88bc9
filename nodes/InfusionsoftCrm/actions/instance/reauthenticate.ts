import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { callbackStateField, codeField, instanceIdField } from '../../shared/descriptions';
import { codeParameter, instanceIdParameter } from '../../shared/input';
import type { ItemContext } from '../types';
import { reauthenticateWithState, readCallbackState, refuseUsedState } from './usedState';

export const option = {
	name: 'Re-Authenticate',
	value: 'reauthenticate',
	description: 'Give an instance a new authorization code, keeping its ID',
	action: 'Reauthenticate an instance',
};

export const credentials = { account: true, app: true };

export const properties: INodeProperties[] = [instanceIdField, codeField, callbackStateField];

/** Gives an instance whose token refresh failed a new code; its ID and token stay usable. */
export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
	const id = instanceIdParameter(this, item.index);
	const app = await item.app('instance');
	const code = codeParameter(this, item.index);
	item.addSecret(code);
	const stateTag = readCallbackState(this, item.index);
	if (stateTag) await refuseUsedState(this, item.platform, stateTag);
	const reauthenticated = await reauthenticateWithState(item.platform, app, id, code, stateTag);
	return { action: 'reauthenticated', ...reauthenticated };
}

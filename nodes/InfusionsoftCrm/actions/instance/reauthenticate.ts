import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { instanceConfiguration } from '../../shared/app';
import { codeField, instanceIdField } from '../../shared/descriptions';
import { codeParameter, instanceIdParameter } from '../../shared/input';
import { ELEMENT_KEY, getInstance, reauthenticateInstanceOnce } from '../../transport/instances';
import type { OperationContext } from '../types';

const properties: INodeProperties[] = [
	instanceIdField,
	codeField,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['instance'], operation: ['reauthenticate'] } },
	properties,
);

/** Gives an instance whose token refresh failed a new code; its ID and token stay usable. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	ctx: OperationContext,
): Promise<IDataObject> {
	const id = instanceIdParameter(this, itemIndex);
	const app = ctx.requireApp(itemIndex, { needsServer: true });
	const code = codeParameter(this, itemIndex);
	const redactor = ctx.redactor.with([code]);
	const current = await getInstance(ctx.transport, id, itemIndex, redactor);
	const body = {
		element: { key: ELEMENT_KEY },
		providerData: { code },
		configuration: instanceConfiguration(app),
		name: current.name,
		tags: current.tags ?? [],
	};
	const reauthenticated = await reauthenticateInstanceOnce(ctx.transport, id, body, current.token, itemIndex, redactor);
	return { action: 'reauthenticated', ...reauthenticated };
}

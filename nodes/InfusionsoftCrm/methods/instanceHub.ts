import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeListSearchResult,
	INodeParameterResourceLocator,
	INodePropertyOptions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { elementKeyOf, isElementKey } from '../../../lib/keap/elements';
import { openClient } from '../../../lib/platform/client';
import { getInstance } from '../../../lib/platform/instances';
import { Hub, TOKEN_MODE } from '../actions/hub';

/**
 * The hub of the instance chosen in the node's Instance field, for a dropdown the editor loads
 * (tags, stages, products, …). Only From List and By ID name an instance the editor can read
 * without running the workflow; an expression or a token gives nothing to load from.
 */
export async function openInstanceHub(ctx: ILoadOptionsFunctions): Promise<Hub> {
	const locator = ctx.getCurrentNodeParameter('instance') as
		| INodeParameterResourceLocator
		| string
		| undefined;
	const mode = typeof locator === 'object' && locator !== null ? locator.mode : 'id';
	const raw = typeof locator === 'object' && locator !== null ? locator.value : locator;
	const id = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
	if (mode === TOKEN_MODE || !/^[1-9][0-9]{0,18}$/.test(id)) {
		throw new NodeOperationError(
			ctx.getNode(),
			'Choose an instance first (From List or By ID) to load this list',
			{ description: 'Or type the ID into the field (switch it to By ID or an expression).' },
		);
	}
	const { platform } = await openClient(ctx);
	const instance = await getInstance(platform, id);
	const element = elementKeyOf(instance);
	if (!isElementKey(element) || typeof instance.token !== 'string' || instance.token === '') {
		throw new NodeOperationError(ctx.getNode(), `Instance ${id} is not a usable Keap instance`);
	}
	return new Hub(platform, {
		id,
		name: String(instance.name ?? id),
		element,
		token: instance.token,
	});
}

/**
 * A dropdown's options from one hub list (at most `limit` records), sorted by name. `nameOf`
 * says how a record is shown; records without an id are left out.
 */
export async function hubOptions(
	ctx: ILoadOptionsFunctions,
	path: string,
	what: string,
	nameOf: (record: IDataObject) => string,
	limit = 1000,
): Promise<INodePropertyOptions[]> {
	const hub = await openInstanceHub(ctx);
	const records = await hub.list(path, {}, limit, what);
	return records
		.filter((record) => record.id !== undefined && record.id !== null)
		.map((record) => ({ name: nameOf(record), value: String(record.id) }))
		.sort((a, b) => a.name.localeCompare(b.name));
}

/** The same as a searchable list (resource locator), filtered by name on our side. */
export async function hubSearch(
	ctx: ILoadOptionsFunctions,
	path: string,
	what: string,
	nameOf: (record: IDataObject) => string,
	filter?: string,
): Promise<INodeListSearchResult> {
	const options = await hubOptions(ctx, path, what, nameOf);
	const wanted = filter?.trim().toLowerCase();
	return {
		results: wanted
			? options.filter((option) => option.name.toLowerCase().includes(wanted))
			: options,
	};
}

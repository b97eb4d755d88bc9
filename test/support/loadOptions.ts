/**
 * What the editor hands a node's list search, dropdown or resource mapper method
 * (ILoadOptionsFunctions), against a stand-in: the node's current parameters, its Cloud Elements
 * credential, and an HTTP helper that speaks as n8n's does for the options the door sends.
 */
import type { IDataObject, IHttpRequestOptions, ILoadOptionsFunctions } from 'n8n-workflow';

import type { Sandbox } from '../../sandbox';
import { credentialsFor, NODE_NAME, NODE_TYPE } from './infusionsoftRun';

/** Every call a load-options method made, as the stand-in's own log does not show an editor's. */
export interface LoadOptionsRun {
	ctx: ILoadOptionsFunctions;
	calls: Array<{ method: string; url: string }>;
}

export function loadOptionsContext(sb: Sandbox, parameters: IDataObject): LoadOptionsRun {
	const calls: LoadOptionsRun['calls'] = [];
	const credentials = credentialsFor(sb);
	const node = {
		id: 'load-options-node',
		name: NODE_NAME,
		type: NODE_TYPE,
		typeVersion: 2,
		position: [0, 0] as [number, number],
		parameters: parameters as never,
		credentials: { cloudElementsApi: { id: '1', name: 'Cloud Elements' } },
	};
	const read = (path: string): unknown =>
		path
			.split('.')
			.reduce<unknown>(
				(value, key) =>
					value !== null && typeof value === 'object' ? (value as IDataObject)[key] : undefined,
				parameters,
			);
	const httpRequest = async (options: IHttpRequestOptions) => {
		const method = options.method ?? 'GET';
		calls.push({ method, url: options.url });
		const response = await fetch(options.url, {
			method,
			headers: options.headers as Record<string, string>,
			body: options.body as string | undefined,
			redirect: options.disableFollowRedirect ? 'manual' : 'follow',
			signal: options.abortSignal,
		});
		return {
			statusCode: response.status,
			body: await response.text(),
			headers: Object.fromEntries(response.headers.entries()),
		};
	};
	const ctx = {
		getNode: () => node,
		getCredentials: async (type: string) => credentials[type as keyof typeof credentials],
		getCurrentNodeParameter: read,
		getCurrentNodeParameters: () => parameters,
		getNodeParameter: (name: string, fallback?: unknown) => read(name) ?? fallback,
		logger: { debug() {}, info() {}, warn() {}, error() {} },
		helpers: { httpRequest },
	};
	return { ctx: ctx as unknown as ILoadOptionsFunctions, calls };
}

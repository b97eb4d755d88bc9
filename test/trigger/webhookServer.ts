/**
 * Serves a workflow's webhook over real HTTP on loopback (test/trigger/webhookHarness.ts), so the
 * OAuth Callback Trigger is driven by real browser-like requests:
 *
 *   GET /webhook/<path>?query → the node's `webhook()` → if it returns `workflowData`, the run
 *   n8n starts, with the nodes it executed recorded.
 *
 * Not reproduced: express's query parser beyond repeated keys (parsed with URLSearchParams,
 * repeated keys as lists, no `a[b]=` nesting).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IRun,
	IWebhookResponseData,
} from 'n8n-workflow';

import {
	startWebhookHarness,
	type WebhookHarness,
	type WebhookWorkflowOptions,
} from './webhookHarness';

export interface WebhookRun {
	/** What the node's webhook() returned. */
	response: IWebhookResponseData;
	/** The workflow run it started, if any. */
	run?: IRun;
	executedNodes: string[];
}

export type WebhookServerOptions = WebhookWorkflowOptions;

export interface WebhookServer {
	/** e.g. http://127.0.0.1:PORT */
	url: string;
	/** The Production URL, as n8n-core computes it for the trigger node. */
	productionUrl: string;
	/** Every request that reached the node, in order; `settled` waits for their runs. */
	runs: WebhookRun[];
	/** Errors thrown by webhook(), answered with a 500 like n8n does. */
	errors: Error[];
	settled(): Promise<void>;
	/** Runs webhookMethods.default.checkExists as n8n does when the workflow is activated. */
	activate(): Promise<boolean>;
	setCredentials(credentials: Record<string, ICredentialDataDecryptedObject>): void;
	close(): Promise<void>;
}

/** Like n8n's express app with `query parser` set: a repeated key becomes a list. */
function parseQuery(search: URLSearchParams): IDataObject {
	const query: IDataObject = {};
	for (const [key, value] of search) {
		const previous = query[key];
		query[key] =
			previous === undefined
				? value
				: Array.isArray(previous)
					? [...previous, value]
					: [previous, value];
	}
	return query;
}

export async function startWebhookServer(options: WebhookServerOptions): Promise<WebhookServer> {
	const runs: WebhookRun[] = [];

	async function handle(
		req: IncomingMessage,
		res: ServerResponse,
		requestUrl: URL,
		harness: WebhookHarness,
	): Promise<void> {
		Object.assign(req, { query: parseQuery(requestUrl.searchParams), params: {}, body: {} });
		const call = await harness.callWebhook(req, res);
		if (call === undefined) return;
		const record: WebhookRun = { response: call.response, executedNodes: [] };
		runs.push(record);
		call.hooks.addHandler('nodeExecuteAfter', (nodeName) => {
			record.executedNodes.push(nodeName);
		});
		record.run = await call.run();
	}

	const harness = await startWebhookHarness({
		...options,
		name: 'webhook',
		httpMethod: 'GET',
		handle,
	});

	return {
		url: harness.url,
		productionUrl: harness.productionUrl,
		runs,
		errors: harness.errors,
		settled: harness.settled,
		activate: async () =>
			await harness.webhookMethods().checkExists.call(harness.hookContext('trigger')),
		setCredentials: harness.setCredentials,
		close: harness.close,
	};
}

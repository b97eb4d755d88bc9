/**
 * A small HTTP server that serves a workflow's webhook the way n8n does for a trigger with
 * `responseMode: 'onReceived'`, so the OAuth Callback Trigger is driven by real browser-like
 * requests:
 *
 *   GET /webhook/<path>?query → n8n-core's real WebhookContext (the request and response
 *   objects, real credential resolution) → the node's `webhook()` → if it returns
 *   `workflowData`, the run n8n's WebhookService starts: the trigger on the execution stack
 *   with that data, then n8n-core's real WorkflowExecute in 'webhook' mode.
 *
 * What it does NOT reproduce from n8n's CLI: express (the query is parsed with
 * URLSearchParams, repeated keys as lists, no `a[b]=` nesting), the webhook registry and
 * its database, queue mode and n8n's own response-header handling.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { ExecutionLifecycleHooks, ExternalSecretsProxy, HookContext, WebhookContext, WorkflowExecute } from 'n8n-core';
import {
	createRunExecutionData,
	NodeHelpers,
	UnexpectedError,
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type IConnections,
	type IDataObject,
	type INode,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IWebhookData,
	type IWebhookResponseData,
	type IWorkflowBase,
	type IWorkflowExecuteAdditionalData,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { HarnessCredentialsHelper, HarnessCredentialTypes } from '../harness/credentialsHelper';
// Importing the harness sets up n8n-core's DI container (logger, instance settings).
import '../harness';

export interface WebhookRun {
	/** What the node's webhook() returned. */
	response: IWebhookResponseData;
	/** The workflow run it started, if any. */
	run?: IRun;
	executedNodes: string[];
}

export interface WebhookServerOptions {
	nodeTypes: Record<string, INodeType>;
	credentialTypes: ICredentialType[];
	credentials: Record<string, ICredentialDataDecryptedObject>;
	nodes: INode[];
	connections: IConnections;
	/** The name of the webhook node. */
	trigger: string;
}

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

class NodeTypes implements INodeTypes {
	constructor(private readonly types: Record<string, INodeType>) {}

	getByName(type: string): INodeType {
		const nodeType = this.types[type];
		if (!nodeType) throw new UnexpectedError(`Unknown node type "${type}"`);
		return nodeType;
	}

	getByNameAndVersion(type: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(type), version);
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}

let executionCounter = 0;

/** Like n8n's express app with `query parser` set: a repeated key becomes a list. */
function parseQuery(search: URLSearchParams): IDataObject {
	const query: IDataObject = {};
	for (const [key, value] of search) {
		const previous = query[key];
		query[key] = previous === undefined ? value : Array.isArray(previous) ? [...previous, value] : [previous, value];
	}
	return query;
}

export async function startWebhookServer(options: WebhookServerOptions): Promise<WebhookServer> {
	const runs: WebhookRun[] = [];
	const errors: Error[] = [];
	const pending: Array<Promise<unknown>> = [];
	let store = structuredClone(options.credentials);
	const nodeTypes = new NodeTypes(options.nodeTypes);
	const credentialTypes = new HarnessCredentialTypes(options.credentialTypes);

	const server: Server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

	const workflowData: IWorkflowBase = {
		id: 'webhook-workflow',
		name: 'Webhook workflow',
		active: true,
		isArchived: false,
		activeVersionId: null,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes: options.nodes,
		connections: options.connections,
		settings: { executionOrder: 'v1' },
	};

	const newWorkflow = () =>
		new Workflow({
			id: workflowData.id,
			name: workflowData.name,
			nodes: structuredClone(options.nodes),
			connections: options.connections,
			active: true,
			nodeTypes,
			settings: workflowData.settings,
			staticData: {},
		});

	function additionalData(mode: WorkflowExecuteMode, executionId: string): IWorkflowExecuteAdditionalData {
		const unsupported = (what: string) => async () => {
			throw new UnexpectedError(`${what} is not supported here`);
		};
		return {
			credentialsHelper: new HarnessCredentialsHelper(credentialTypes, structuredClone(store)),
			hooks: new ExecutionLifecycleHooks(mode, executionId, workflowData),
			executionId,
			workflowId: workflowData.id,
			userId: 'webhook-user',
			currentNodeExecutionIndex: 0,
			variables: {},
			externalSecretsProxy: new ExternalSecretsProxy(),
			restApiUrl: `${url}/rest`,
			instanceBaseUrl: `${url}/`,
			formBaseUrl: `${url}/form`,
			formWaitingBaseUrl: `${url}/form-waiting`,
			formTestBaseUrl: `${url}/form-test`,
			webhookBaseUrl: `${url}/webhook`,
			webhookWaitingBaseUrl: `${url}/webhook-waiting`,
			webhookTestBaseUrl: `${url}/webhook-test`,
			mcpBaseUrl: `${url}/mcp`,
			mcpTestBaseUrl: `${url}/mcp-test`,
			executeWorkflow: unsupported('Executing sub-workflows'),
			startRunnerTask: unsupported('Task runners'),
			getRunExecutionData: async () => undefined,
			getRuntimeCredential: async () => undefined,
			logAiEvent: () => {},
		};
	}

	function webhookData(workflow: Workflow, data: IWorkflowExecuteAdditionalData, path: string): IWebhookData {
		const node = workflow.getNode(options.trigger)!;
		const description = nodeTypes.getByName(node.type).description.webhooks![0];
		return {
			httpMethod: 'GET',
			node: node.name,
			path,
			webhookDescription: description,
			workflowId: workflow.id,
			workflowExecuteAdditionalData: data,
			webhookId: node.webhookId,
		};
	}

	const probe = newWorkflow();
	const probeData = additionalData('webhook', 'probe');
	const productionUrl = new WebhookContext(
		probe,
		probe.getNode(options.trigger)!,
		probeData,
		'webhook',
		webhookData(probe, probeData, ''),
		[],
		null,
	).getNodeWebhookUrl('default')!;
	const servedPath = new URL(productionUrl).pathname;

	async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const requestUrl = new URL(req.url ?? '/', url);
		if (req.method !== 'GET' || requestUrl.pathname !== servedPath) {
			res.writeHead(404, { 'content-type': 'application/json' }).end('{"code":404,"message":"not registered"}');
			return;
		}
		Object.assign(req, { query: parseQuery(requestUrl.searchParams), params: {}, body: {} });

		const workflow = newWorkflow();
		const executionId = String(++executionCounter);
		const data = additionalData('webhook', executionId);
		data.httpRequest = req as never;
		data.httpResponse = res as never;
		const node = workflow.getNode(options.trigger)!;
		const context = new WebhookContext(workflow, node, data, 'webhook', webhookData(workflow, data, servedPath), [], null);

		let response: IWebhookResponseData;
		try {
			response = await nodeTypes.getByName(node.type).webhook!.call(context);
		} catch (error) {
			errors.push(error as Error);
			res.writeHead(500, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ code: 0, message: 'Error in workflow' }));
			return;
		}
		if (response.noWebhookResponse !== true) {
			res.writeHead(200, { 'content-type': 'application/json' }).end('{"message":"Workflow was started"}');
		}
		const record: WebhookRun = { response, executedNodes: [] };
		runs.push(record);
		if (response.workflowData === undefined) return;

		data.hooks!.addHandler('nodeExecuteAfter', (nodeName) => {
			record.executedNodes.push(nodeName);
		});
		const runExecutionData = createRunExecutionData({
			executionData: { nodeExecutionStack: [{ node, data: { main: response.workflowData }, source: null }] },
		});
		record.run = await new WorkflowExecute(data, 'webhook', runExecutionData).processRunExecutionData(workflow);
	}

	server.on('request', (req, res) => {
		pending.push(
			handle(req, res).catch((error: Error) => {
				errors.push(error);
				if (!res.headersSent) res.writeHead(500).end();
			}),
		);
	});

	return {
		url,
		productionUrl,
		runs,
		errors,
		settled: async () => {
			await Promise.all(pending);
		},
		activate: async () => {
			const workflow = newWorkflow();
			const data = additionalData('trigger', 'activation');
			const node = workflow.getNode(options.trigger)!;
			const hooks = new HookContext(workflow, node, data, 'trigger', 'activate', webhookData(workflow, data, servedPath));
			const methods = nodeTypes.getByName(node.type).webhookMethods!.default;
			return await methods.checkExists.call(hooks);
		},
		setCredentials: (credentials) => {
			store = structuredClone(credentials);
		},
		close: async () => {
			await Promise.all(pending);
			server.closeAllConnections();
			await new Promise((resolve) => server.close(resolve));
		},
	};
}

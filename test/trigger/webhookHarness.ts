/**
 * What test/trigger/eventsServer.ts (POST notifications) and webhookServer.ts (GET callbacks)
 * share: a workflow's webhook trigger served over real HTTP on loopback, the way n8n serves a
 * trigger with `responseMode: 'onReceived'`.
 *
 *   A request for the Production URL (any other answers 404) → the server's own `handle`, which
 *   prepares the request as n8n's parsers do and calls `callWebhook`: n8n-core's real
 *   WebhookContext (the request and response objects, real credential resolution) → the node's
 *   `webhook()`, answered 500 "Error in workflow" when it throws, else 200 unless it answered
 *   itself → `run()`: the run n8n's WebhookService starts, the trigger on the execution stack
 *   with the data it returned, then n8n-core's real WorkflowExecute in 'webhook' mode.
 *
 *   `hookContext(mode)`: n8n-core's real HookContext, for webhookMethods.default.
 *
 * Not reproduced: express, the webhook registry and its database, queue mode, n8n's own
 * response-header handling.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import {
	ExecutionLifecycleHooks,
	ExternalSecretsProxy,
	HookContext,
	WebhookContext,
	WorkflowExecute,
} from 'n8n-core';
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

/** The workflow a server serves. */
export interface WebhookWorkflowOptions {
	nodeTypes: Record<string, INodeType>;
	credentialTypes: ICredentialType[];
	credentials: Record<string, ICredentialDataDecryptedObject>;
	nodes: INode[];
	connections: IConnections;
	/** The name of the webhook node. */
	trigger: string;
}

export interface WebhookHarnessOptions extends WebhookWorkflowOptions {
	/** Names the workflow and its user: 'events' → 'events-workflow', 'events-user'. */
	name: string;
	httpMethod: 'GET' | 'POST';
	/** Kept between runs and hook calls, as n8n keeps a workflow's; without it each starts empty. */
	staticData?: IDataObject;
	/** Answers a request for the Production URL; `requestUrl` is parsed against the server's URL. */
	handle(
		req: IncomingMessage,
		res: ServerResponse,
		requestUrl: URL,
		harness: WebhookHarness,
	): Promise<void>;
}

/** A webhook() call that did not throw. */
export interface WebhookCall {
	response: IWebhookResponseData;
	/** The run's lifecycle hooks, e.g. to record the nodes it executes. */
	hooks: ExecutionLifecycleHooks;
	/** Starts the workflow run with what webhook() returned; undefined when it returned no workflowData. */
	run(): Promise<IRun | undefined>;
}

export interface WebhookHarness {
	/** e.g. http://127.0.0.1:PORT */
	url: string;
	/** The Production URL, as n8n-core computes it for the trigger node. */
	productionUrl: string;
	/** Errors thrown by webhook() or by a server's `handle`, answered with a 500 like n8n does. */
	errors: Error[];
	/** The node's webhook(), the answer n8n gives for it; undefined when it threw (answered 500). */
	callWebhook(req: IncomingMessage, res: ServerResponse): Promise<WebhookCall | undefined>;
	hookContext(mode: 'trigger' | 'manual'): HookContext;
	/** The trigger's webhookMethods.default (checkExists, create, delete). */
	webhookMethods(): NonNullable<INodeType['webhookMethods']>[string];
	setCredentials(credentials: Record<string, ICredentialDataDecryptedObject>): void;
	/** Waits for every request so far, and the run it started, to finish. */
	settled(): Promise<void>;
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

export async function startWebhookHarness(options: WebhookHarnessOptions): Promise<WebhookHarness> {
	const errors: Error[] = [];
	const pending: Array<Promise<unknown>> = [];
	let store = structuredClone(options.credentials);
	const nodeTypes = new NodeTypes(options.nodeTypes);
	const credentialTypes = new HarnessCredentialTypes(options.credentialTypes);

	const server: Server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

	const workflowData: IWorkflowBase = {
		id: `${options.name}-workflow`,
		name: `${options.name.charAt(0).toUpperCase()}${options.name.slice(1)} workflow`,
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
			staticData: options.staticData ?? {},
		});

	function additionalData(
		mode: WorkflowExecuteMode,
		executionId: string,
	): IWorkflowExecuteAdditionalData {
		const unsupported = (what: string) => async () => {
			throw new UnexpectedError(`${what} is not supported here`);
		};
		return {
			credentialsHelper: new HarnessCredentialsHelper(credentialTypes, structuredClone(store)),
			hooks: new ExecutionLifecycleHooks(mode, executionId, workflowData),
			executionId,
			workflowId: workflowData.id,
			userId: `${options.name}-user`,
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

	function webhookData(workflow: Workflow, data: IWorkflowExecuteAdditionalData): IWebhookData {
		const node = workflow.getNode(options.trigger)!;
		return {
			httpMethod: options.httpMethod,
			node: node.name,
			path: '',
			webhookDescription: nodeTypes.getByName(node.type).description.webhooks![0],
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
		webhookData(probe, probeData),
		[],
		null,
	).getNodeWebhookUrl('default')!;
	const servedPath = new URL(productionUrl).pathname;

	async function callWebhook(
		req: IncomingMessage,
		res: ServerResponse,
	): Promise<WebhookCall | undefined> {
		const workflow = newWorkflow();
		const data = additionalData('webhook', String(++executionCounter));
		data.httpRequest = req as never;
		data.httpResponse = res as never;
		const node = workflow.getNode(options.trigger)!;
		const context = new WebhookContext(
			workflow,
			node,
			data,
			'webhook',
			webhookData(workflow, data),
			[],
			null,
		);

		let response: IWebhookResponseData;
		try {
			response = await nodeTypes.getByName(node.type).webhook!.call(context);
		} catch (error) {
			errors.push(error as Error);
			res
				.writeHead(500, { 'content-type': 'application/json' })
				.end('{"code":0,"message":"Error in workflow"}');
			return undefined;
		}
		if (response.noWebhookResponse !== true) {
			res
				.writeHead(200, { 'content-type': 'application/json' })
				.end('{"message":"Workflow was started"}');
		}
		return {
			response,
			hooks: data.hooks!,
			run: async () => {
				if (response.workflowData === undefined) return undefined;
				const runExecutionData = createRunExecutionData({
					executionData: {
						nodeExecutionStack: [{ node, data: { main: response.workflowData }, source: null }],
					},
				});
				return await new WorkflowExecute(data, 'webhook', runExecutionData).processRunExecutionData(
					workflow,
				);
			},
		};
	}

	const harness: WebhookHarness = {
		url,
		productionUrl,
		errors,
		callWebhook,
		hookContext: (mode) => {
			const workflow = newWorkflow();
			const data = additionalData(mode, `hooks-${++executionCounter}`);
			return new HookContext(
				workflow,
				workflow.getNode(options.trigger)!,
				data,
				mode,
				'activate',
				webhookData(workflow, data),
			);
		},
		webhookMethods: () => {
			const trigger = options.nodes.find((node) => node.name === options.trigger)!;
			return nodeTypes.getByName(trigger.type).webhookMethods!.default;
		},
		setCredentials: (credentials) => {
			store = structuredClone(credentials);
		},
		settled: async () => {
			await Promise.all(pending);
		},
		close: async () => {
			await Promise.all(pending);
			server.closeAllConnections();
			await new Promise((resolve) => server.close(resolve));
		},
	};

	async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const requestUrl = new URL(req.url ?? '/', url);
		if (req.method !== options.httpMethod || requestUrl.pathname !== servedPath) {
			res
				.writeHead(404, { 'content-type': 'application/json' })
				.end('{"code":404,"message":"not registered"}');
			return;
		}
		await options.handle(req, res, requestUrl, harness);
	}

	server.on('request', (req, res) => {
		pending.push(
			route(req, res).catch((error: Error) => {
				errors.push(error);
				if (!res.headersSent) res.writeHead(500).end();
			}),
		);
	});

	return harness;
}

/**
 * Serves the Events Trigger's webhook over real HTTP on loopback, the way n8n does for a POST
 * trigger with `responseMode: 'onReceived'`, and runs its activation hooks:
 *
 *   POST /webhook/<path> → n8n's body handling (its `rawBodyReader` and `parseBody`, as read in
 *   n8n's packages/cli: the raw bytes kept as `req.rawBody`, a `readRawBody()` that reads them,
 *   and for a version-1 trigger `parseBody`: JSON parsed when the content type is
 *   application/json, a 422 "Failed to parse request body" before the node runs when it is not
 *   JSON) → n8n-core's real WebhookContext → the node's `webhook()` → if it returns
 *   `workflowData`, the run n8n starts: n8n-core's real WorkflowExecute in 'webhook' mode.
 *
 *   `hooks(mode)`: webhookMethods.default's checkExists / create / delete through n8n-core's
 *   real HookContext, with the workflow's static data kept between them as n8n keeps it.
 *
 * Not reproduced: express, the webhook registry and its database, queue mode, gzip bodies.
 * (test/trigger/webhookServer.ts serves GET callbacks only; it could be widened to this.)
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
import '../harness';

export interface EventsRun {
	status: number;
	answer: string;
	response?: IWebhookResponseData;
	run?: IRun;
}

export interface EventsServerOptions {
	nodeTypes: Record<string, INodeType>;
	credentialTypes: ICredentialType[];
	credentials: Record<string, ICredentialDataDecryptedObject>;
	nodes: INode[];
	connections: IConnections;
	trigger: string;
	/**
	 * How the body reaches the node: 'n8n' (default) as n8n 1.x and 2.x hand it over (`rawBody`
	 * read before the node runs); 'lazy': only `readRawBody()` is there, the node must call it;
	 * 'none': no raw body at all, only a parsed `body` (a server that is not n8n's).
	 */
	body?: 'n8n' | 'lazy' | 'none';
}

export interface Hooks {
	checkExists(): Promise<boolean>;
	create(): Promise<boolean>;
	delete(): Promise<boolean>;
}

export interface EventsServer {
	url: string;
	productionUrl: string;
	/** Every request that reached the node, with the workflow run it started. */
	runs: EventsRun[];
	/** Errors thrown by webhook() (answered 500). */
	errors: Error[];
	/** The workflow's static data, kept between hook calls. */
	staticData: IDataObject;
	post(body: string | Buffer, headers?: Record<string, string>): Promise<{ status: number; text: string }>;
	hooks(mode: 'trigger' | 'manual'): Hooks;
	close(): Promise<void>;
}

class NodeTypes implements INodeTypes {
	constructor(private readonly types: Record<string, INodeType>) {}

	getByName(type: string): INodeType {
		if (!this.types[type]) throw new UnexpectedError(`Unknown node type "${type}"`);
		return this.types[type];
	}

	getByNameAndVersion(type: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(type), version);
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}

let counter = 0;

/** n8n's rawBodyReader: `readRawBody()` reads the stream once into `rawBody`. */
function readRawBodyOf(req: IncomingMessage): () => Promise<void> {
	return async () => {
		if (Buffer.isBuffer(req.rawBody)) return;
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		req.rawBody = Buffer.concat(chunks);
	};
}

export async function startEventsServer(options: EventsServerOptions): Promise<EventsServer> {
	const runs: EventsRun[] = [];
	const errors: Error[] = [];
	const staticData: IDataObject = {};
	const nodeTypes = new NodeTypes(options.nodeTypes);
	const credentialTypes = new HarnessCredentialTypes(options.credentialTypes);
	const server: Server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	const workflowData: IWorkflowBase = {
		id: 'events-workflow',
		name: 'Events workflow',
		active: true,
		isArchived: false,
		activeVersionId: null,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes: options.nodes,
		connections: options.connections,
		settings: { executionOrder: 'v1' },
	};
	const workflow = () =>
		new Workflow({ ...workflowData, nodes: structuredClone(options.nodes), nodeTypes, staticData, active: true });

	const base = { webhook: `${url}/webhook`, webhookTest: `${url}/webhook-test` };
	function additionalData(mode: WorkflowExecuteMode, executionId: string): IWorkflowExecuteAdditionalData {
		return {
			credentialsHelper: new HarnessCredentialsHelper(credentialTypes, structuredClone(options.credentials)),
			hooks: new ExecutionLifecycleHooks(mode, executionId, workflowData),
			executionId,
			workflowId: workflowData.id,
			userId: 'events-user',
			currentNodeExecutionIndex: 0,
			variables: {},
			externalSecretsProxy: new ExternalSecretsProxy(),
			restApiUrl: `${url}/rest`,
			instanceBaseUrl: `${url}/`,
			webhookBaseUrl: base.webhook,
			webhookTestBaseUrl: base.webhookTest,
			webhookWaitingBaseUrl: `${url}/webhook-waiting`,
			formBaseUrl: `${url}/form`,
			formWaitingBaseUrl: `${url}/form-waiting`,
			formTestBaseUrl: `${url}/form-test`,
			mcpBaseUrl: `${url}/mcp`,
			mcpTestBaseUrl: `${url}/mcp-test`,
			executeWorkflow: async () => {
				throw new UnexpectedError('not here');
			},
			startRunnerTask: async () => {
				throw new UnexpectedError('not here');
			},
			getRunExecutionData: async () => undefined,
			getRuntimeCredential: async () => undefined,
			logAiEvent: () => {},
		} as IWorkflowExecuteAdditionalData;
	}
	const webhookData = (wf: Workflow, data: IWorkflowExecuteAdditionalData): IWebhookData => {
		const node = wf.getNode(options.trigger)!;
		return {
			httpMethod: 'POST',
			node: node.name,
			path: '',
			webhookDescription: nodeTypes.getByName(node.type).description.webhooks![0],
			workflowId: wf.id,
			workflowExecuteAdditionalData: data,
			webhookId: node.webhookId,
		};
	};
	const probe = workflow();
	const probeData = additionalData('webhook', 'probe');
	const productionUrl = new WebhookContext(probe, probe.getNode(options.trigger)!, probeData, 'webhook', webhookData(probe, probeData), [], null).getNodeWebhookUrl('default')!;
	const servedPath = new URL(productionUrl).pathname;

	async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const record: EventsRun = { status: 0, answer: '' };
		runs.push(record);
		const end = res.end.bind(res);
		res.end = ((chunk?: unknown, ...rest: unknown[]) => {
			record.status = res.statusCode;
			if (chunk !== undefined && typeof chunk !== 'function') record.answer += String(chunk);
			return end(chunk as never, ...(rest as []));
		}) as typeof res.end;
		if (req.method !== 'POST' || new URL(req.url ?? '/', url).pathname !== servedPath) {
			res.writeHead(404).end('{"code":404,"message":"not registered"}');
			return;
		}
		// n8n: rawBodyReader, then parseBody for a version-1 trigger.
		const contentType = req.headers['content-type']?.split(';')[0].trim().toLowerCase();
		Object.assign(req, { contentType, query: {}, params: {}, body: {} });
		const body = options.body ?? 'n8n';
		const readRawBody = readRawBodyOf(req);
		if (body !== 'none') req.readRawBody = readRawBody;
		if (body !== 'lazy') await readRawBody();
		if (body !== 'lazy' && contentType === 'application/json' && req.rawBody.length > 0) {
			try {
				req.body = JSON.parse(req.rawBody.toString('utf8'));
				if (body === 'none') delete (req as { rawBody?: Buffer }).rawBody;
			} catch {
				res.writeHead(422, { 'content-type': 'application/json' }).end('{"code":422,"message":"Failed to parse request body"}');
				return;
			}
		}

		const wf = workflow();
		const data = additionalData('webhook', String(++counter));
		data.httpRequest = req as never;
		data.httpResponse = res as never;
		const node = wf.getNode(options.trigger)!;
		const context = new WebhookContext(wf, node, data, 'webhook', webhookData(wf, data), [], null);
		try {
			record.response = await nodeTypes.getByName(node.type).webhook!.call(context);
		} catch (error) {
			errors.push(error as Error);
			res.writeHead(500, { 'content-type': 'application/json' }).end('{"code":0,"message":"Error in workflow"}');
			return;
		}
		if (record.response.noWebhookResponse !== true) res.writeHead(200).end('{"message":"Workflow was started"}');
		if (record.response.workflowData === undefined) return;
		const runData = createRunExecutionData({
			executionData: { nodeExecutionStack: [{ node, data: { main: record.response.workflowData }, source: null }] },
		});
		record.run = await new WorkflowExecute(data, 'webhook', runData).processRunExecutionData(wf);
	}

	const pending: Array<Promise<unknown>> = [];
	server.on('request', (req, res) => {
		pending.push(
			handle(req, res).catch((error: Error) => {
				errors.push(error);
				if (!res.headersSent) res.writeHead(500).end();
			}),
		);
	});

	const hookContext = (mode: 'trigger' | 'manual') => {
		const wf = workflow();
		const data = additionalData(mode, `hooks-${++counter}`);
		return new HookContext(wf, wf.getNode(options.trigger)!, data, mode, 'activate', webhookData(wf, data));
	};
	const methods = () => nodeTypes.getByName(options.nodes.find((n) => n.name === options.trigger)!.type).webhookMethods!.default;

	return {
		url,
		productionUrl,
		runs,
		errors,
		staticData,
		post: async (body, headers = {}) => {
			const response = await fetch(productionUrl, {
				method: 'POST',
				headers: { 'content-type': 'application/json', ...headers },
				body: typeof body === 'string' ? body : new Uint8Array(body),
			});
			const text = await response.text();
			await Promise.all(pending);
			return { status: response.status, text };
		},
		hooks: (mode) => ({
			checkExists: async () => await methods().checkExists.call(hookContext(mode)),
			create: async () => await methods().create.call(hookContext(mode)),
			delete: async () => await methods().delete.call(hookContext(mode)),
		}),
		close: async () => {
			await Promise.all(pending);
			server.closeAllConnections();
			await new Promise((resolve) => server.close(resolve));
		},
	};
}

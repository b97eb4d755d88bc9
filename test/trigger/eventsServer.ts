/**
 * Serves the Events Trigger's webhook over real HTTP on loopback (test/trigger/webhookHarness.ts)
 * and runs its activation hooks:
 *
 *   POST /webhook/<path> → n8n's body handling (its `rawBodyReader` and `parseBody`, as read in
 *   n8n's packages/cli: the raw bytes kept as `req.rawBody`, a `readRawBody()` that reads them,
 *   and for a version-1 trigger `parseBody`: JSON parsed when the content type is
 *   application/json, a 422 "Failed to parse request body" before the node runs when it is not
 *   JSON) → the node's `webhook()` → if it returns `workflowData`, the run n8n starts.
 *
 *   `hooks(mode)`: webhookMethods.default's checkExists / create / delete through n8n-core's
 *   real HookContext, with the workflow's static data kept between them as n8n keeps it.
 *
 * Not reproduced: gzip bodies.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import type { IDataObject, IRun, IWebhookResponseData } from 'n8n-workflow';

import {
	startWebhookHarness,
	type WebhookHarness,
	type WebhookWorkflowOptions,
} from './webhookHarness';

export interface EventsRun {
	status: number;
	answer: string;
	response?: IWebhookResponseData;
	run?: IRun;
}

export interface EventsServerOptions extends WebhookWorkflowOptions {
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
	/** Every request for the Production URL, with the workflow run it started. */
	runs: EventsRun[];
	/** Errors thrown by webhook() (answered 500). */
	errors: Error[];
	/** The workflow's static data, kept between hook calls. */
	staticData: IDataObject;
	post(
		body: string | Buffer,
		headers?: Record<string, string>,
	): Promise<{ status: number; text: string }>;
	hooks(mode: 'trigger' | 'manual'): Hooks;
	close(): Promise<void>;
}

/** n8n's rawBodyReader: `readRawBody()` reads the stream once into `rawBody`. */
function readRawBodyOf(req: IncomingMessage): () => Promise<void> {
	return async () => {
		if (Buffer.isBuffer(req.rawBody)) return;
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		req.rawBody = Buffer.concat(chunks);
	};
}

/** Keeps the status and text of the answer, whoever writes it. */
function recordAnswer(res: ServerResponse, record: EventsRun): void {
	const end = res.end.bind(res);
	res.end = ((chunk?: unknown, ...rest: unknown[]) => {
		record.status = res.statusCode;
		if (chunk !== undefined && typeof chunk !== 'function') record.answer += String(chunk);
		return end(chunk as never, ...(rest as []));
	}) as typeof res.end;
}

/** n8n's body handling for a version-1 trigger; false when it answered 422 instead. */
async function readBody(
	req: IncomingMessage,
	res: ServerResponse,
	body: EventsServerOptions['body'] = 'n8n',
): Promise<boolean> {
	const contentType = req.headers['content-type']?.split(';')[0].trim().toLowerCase();
	Object.assign(req, { contentType, query: {}, params: {}, body: {} });
	const readRawBody = readRawBodyOf(req);
	if (body !== 'none') req.readRawBody = readRawBody;
	if (body !== 'lazy') await readRawBody();
	if (body === 'lazy' || contentType !== 'application/json' || req.rawBody.length === 0)
		return true;
	try {
		req.body = JSON.parse(req.rawBody.toString('utf8'));
		if (body === 'none') delete (req as { rawBody?: Buffer }).rawBody;
		return true;
	} catch {
		res
			.writeHead(422, { 'content-type': 'application/json' })
			.end('{"code":422,"message":"Failed to parse request body"}');
		return false;
	}
}

export async function startEventsServer(options: EventsServerOptions): Promise<EventsServer> {
	const runs: EventsRun[] = [];
	const staticData: IDataObject = {};

	async function handle(
		req: IncomingMessage,
		res: ServerResponse,
		_url: URL,
		harness: WebhookHarness,
	): Promise<void> {
		const record: EventsRun = { status: 0, answer: '' };
		runs.push(record);
		recordAnswer(res, record);
		if (!(await readBody(req, res, options.body))) return;
		const call = await harness.callWebhook(req, res);
		if (call === undefined) return;
		record.response = call.response;
		record.run = await call.run();
	}

	const harness = await startWebhookHarness({
		...options,
		name: 'events',
		httpMethod: 'POST',
		staticData,
		handle,
	});
	const hook = (mode: 'trigger' | 'manual', method: keyof Hooks) => async () =>
		await harness.webhookMethods()[method].call(harness.hookContext(mode));

	return {
		url: harness.url,
		productionUrl: harness.productionUrl,
		runs,
		errors: harness.errors,
		staticData,
		post: async (body, headers = {}) => {
			const response = await fetch(harness.productionUrl, {
				method: 'POST',
				headers: { 'content-type': 'application/json', ...headers },
				body: typeof body === 'string' ? body : new Uint8Array(body),
			});
			const text = await response.text();
			await harness.settled();
			return { status: response.status, text };
		},
		hooks: (mode) => ({
			checkExists: hook(mode, 'checkExists'),
			create: hook(mode, 'create'),
			delete: hook(mode, 'delete'),
		}),
		close: harness.close,
	};
}

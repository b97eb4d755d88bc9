import { expect } from '@jest/globals';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { EXAMPLE } from '../../sandbox';
import type { Sandbox } from '../../sandbox';

// Shared by the stand-in's tests that talk to it over real HTTP (hub, events, rate limit).

export const AUTH = `User ${EXAMPLE.userSecret}, Organization ${EXAMPLE.organizationSecret}`;

export interface CallResult {
	status: number;
	headers: Headers;
	json: any;
}

export interface CallOptions {
	body?: unknown;
	/** The instance token for the `Element` part; null: no Element part. */
	token?: string | null;
	/** The whole Authorization header (overrides token). */
	auth?: string;
	headers?: Record<string, string>;
}

export interface Provisioned {
	id: number;
	token: string;
}

export type ElementKey = 'infusionsoftrest' | 'infusionsoftcrm';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Calls of a stand-in that may be started later (`clientOf(() => sb)`). */
export function clientOf(sandbox: () => Sandbox) {
	async function call(
		method: string,
		path: string,
		options: CallOptions = {},
	): Promise<CallResult> {
		const headers: Record<string, string> = { ...options.headers };
		headers.authorization =
			options.auth ?? (options.token ? `${AUTH}, Element ${options.token}` : AUTH);
		let body: string | undefined;
		if (options.body !== undefined) {
			body = JSON.stringify(options.body);
			headers['content-type'] = headers['content-type'] ?? 'application/json';
		}
		const response = await fetch(sandbox().apiRoot + path, { method, headers, body });
		const text = await response.text();
		return {
			status: response.status,
			headers: response.headers,
			json: text === '' ? undefined : JSON.parse(text),
		};
	}

	async function control(method: string, path: string, body?: unknown): Promise<CallResult> {
		const response = await fetch(`${sandbox().url}/__sandbox${path}`, {
			method,
			headers: body === undefined ? {} : { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		return {
			status: response.status,
			headers: response.headers,
			json: text === '' ? undefined : JSON.parse(text),
		};
	}

	/** A new instance of the element (the example app), with more configuration if given. */
	async function provision(
		element: ElementKey,
		extra: { name?: string; tags?: string[]; configuration?: Record<string, string> } = {},
	): Promise<Provisioned> {
		const code = sandbox().issueCode({
			clientId: EXAMPLE.clientId,
			callbackUrl: EXAMPLE.callbackUrl,
		});
		const configuration: Record<string, string> = {
			'oauth.callback.url': EXAMPLE.callbackUrl,
			'oauth.api.key': EXAMPLE.clientId,
			'oauth.api.secret': EXAMPLE.clientSecret,
		};
		if (element === 'infusionsoftcrm') {
			configuration['infusionsoft.server'] = EXAMPLE.server;
			configuration['infusionsoft.private.key'] = '';
		}
		const response = await call('POST', '/instances', {
			body: {
				element: { key: element },
				providerData: { code },
				configuration: { ...configuration, ...extra.configuration },
				name: extra.name ?? `hub ${element}`,
				tags: extra.tags,
			},
		});
		expect(response.status).toBe(200);
		return { id: response.json.id, token: response.json.token };
	}

	/** Calls of one instance's hub: `hub.get('/contacts')` is GET /hubs/crm/contacts with its token. */
	function hubOf(instance: Provisioned) {
		const at = (method: string) => (path: string, body?: unknown) =>
			call(method, `/hubs/crm${path}`, { token: instance.token, body });
		return {
			get: at('GET'),
			post: at('POST'),
			patch: at('PATCH'),
			delete: at('DELETE'),
			put: at('PUT'),
		};
	}

	return { call, control, provision, hubOf };
}

/** One POST a receiver got: the raw body bytes as received, and their JSON. */
export interface Received {
	url: string;
	headers: http.IncomingHttpHeaders;
	raw: Buffer;
	json: any;
	time: number;
}

/**
 * A real loopback webhook receiver (node:http). `answer(n)` gives the status of the n-th POST
 * (0-based; default 200).
 */
export async function startReceiver(answer: (n: number) => number = () => 200) {
	const received: Received[] = [];
	let answerOf = answer;
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const raw = Buffer.concat(chunks);
			let json: unknown;
			try {
				json = JSON.parse(raw.toString('utf8'));
			} catch {
				json = undefined;
			}
			const status = answerOf(received.length);
			received.push({ url: req.url ?? '', headers: req.headers, raw, json, time: Date.now() });
			res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'no');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return {
		url,
		received,
		/** From now on, answer the n-th POST with this status. */
		setAnswer(next: (n: number) => number) {
			answerOf = next;
		},
		/** Waits until `count` POSTs arrived (generous timeout: the machine may be loaded). */
		async waitFor(count: number, timeoutMs = 15000) {
			const started = Date.now();
			while (received.length < count) {
				if (Date.now() - started > timeoutMs)
					throw new Error(
						`the receiver got ${received.length} POSTs, not ${count}, in ${timeoutMs} ms`,
					);
				await sleep(10);
			}
			return received;
		},
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;

import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';

import {
	NodeApiError,
	NodeConnectionTypes,
	NodeOperationError,
	type IAuthenticateGeneric,
	type ICredentialType,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { chain, itemsNode, manualTrigger, node, runWorkflow } from './index';

// ---- A throwaway node + credential type, only for proving the harness ----------

const SECRET = 'sk-harness-secret-1234567890';

class HarnessEchoApi implements ICredentialType {
	name = 'harnessEchoApi';

	displayName = 'Harness Echo API';

	properties: ICredentialType['properties'] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
		{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '' },
		{ displayName: 'Header Name', name: 'headerName', type: 'string', default: 'X-Api-Key' },
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { '={{$credentials.headerName}}': '=Key {{$credentials.apiKey}}' },
		},
	};
}

class HarnessEcho implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Harness Echo',
		name: 'harnessEcho',
		group: ['transform'],
		version: 1,
		description: 'Posts each item code to an echo server',
		defaults: { name: 'Echo' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'harnessEchoApi', required: true }],
		properties: [{ displayName: 'Code', name: 'code', type: 'string', default: '' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const { baseUrl } = await this.getCredentials<{ baseUrl: string }>('harnessEchoApi');
		const out: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			try {
				const code = this.getNodeParameter('code', i) as string;
				if (!code)
					throw new NodeOperationError(this.getNode(), 'Code is required', { itemIndex: i });
				this.logger.info('Echoing item', { code, itemIndex: i });
				const response = await this.helpers.httpRequestWithAuthentication.call(
					this,
					'harnessEchoApi',
					{
						method: 'POST',
						url: `${baseUrl}/echo`,
						body: { code },
						json: true,
					},
				);
				out.push({ json: response, pairedItem: { item: i } });
			} catch (error) {
				if (this.continueOnFail()) {
					out.push({ json: { error: (error as Error).message }, pairedItem: { item: i } });
					continue;
				}
				throw error;
			}
		}
		return [out];
	}
}

const ECHO_TYPE = 'CUSTOM.harnessEcho';

/** An OAuth2 credential (extends the harness's built-in `oAuth2Api`) and a node using it. */
class HarnessOAuth2Api implements ICredentialType {
	name = 'harnessOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Harness OAuth2 API';

	properties: ICredentialType['properties'] = [
		{ displayName: 'Grant Type', name: 'grantType', type: 'hidden', default: 'authorizationCode' },
	];
}

class HarnessOAuthGet implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Harness OAuth Get',
		name: 'harnessOAuthGet',
		group: ['transform'],
		version: 1,
		description: 'GETs a URL with OAuth2',
		defaults: { name: 'OAuth Get' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'harnessOAuth2Api', required: true }],
		properties: [{ displayName: 'URL', name: 'url', type: 'string', default: '' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const url = this.getNodeParameter('url', 0) as string;
		const json = await this.helpers.httpRequestWithAuthentication.call(this, 'harnessOAuth2Api', {
			method: 'POST',
			url,
			body: { code: 'oauth' },
			json: true,
		});
		return [[{ json, pairedItem: { item: 0 } }]];
	}
}

// ---- A local HTTP server on loopback --------------------------------------------

interface Received {
	method?: string;
	url?: string;
	headers: IncomingHttpHeaders;
	body: { code?: string; form?: string };
}

let server: Server;
let baseUrl: string;
const received: Received[] = [];

beforeAll(async () => {
	server = createServer((req, res) => {
		let raw = '';
		req.on('data', (chunk) => (raw += chunk));
		req.on('end', () => {
			const isJson = req.headers['content-type']?.includes('json');
			const body = raw && isJson ? JSON.parse(raw) : { form: raw };
			received.push({ method: req.method, url: req.url, headers: req.headers, body });
			const reply = (status: number, json: object) => {
				res.writeHead(status, { 'content-type': 'application/json' });
				res.end(JSON.stringify(json));
			};
			if (req.url === '/token') {
				return reply(200, { access_token: 'fresh-token', token_type: 'Bearer', expires_in: 3600 });
			}
			if (req.headers.authorization === 'Bearer stale-token')
				return reply(401, { message: 'expired' });
			if (String(body.code).toLowerCase() === 'fail') return reply(500, { message: 'boom' });
			reply(200, { echoed: body.code });
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
	await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
	received.length = 0;
});

function echoWorkflow(codes: string[], onError?: 'continueRegularOutput') {
	return chain(
		manualTrigger(),
		itemsNode(codes.map((code) => ({ code }))),
		node({
			name: 'Echo',
			type: ECHO_TYPE,
			parameters: { code: '={{ $json.code.toUpperCase() }}' },
			credentials: ['harnessEchoApi'],
			onError,
		}),
	);
}

const run = async (codes: string[], onError?: 'continueRegularOutput') =>
	await runWorkflow({
		nodeTypes: { [ECHO_TYPE]: HarnessEcho },
		credentialTypes: [HarnessEchoApi],
		credentials: { harnessEchoApi: { apiKey: SECRET, baseUrl } },
		workflow: echoWorkflow(codes, onError),
	});

// ---- Tests -------------------------------------------------------------------------

describe('runWorkflow harness (real n8n-core WorkflowExecute)', () => {
	it('runs trigger → items → node: auth header, per-item expressions, N in → N out with pairedItem', async () => {
		const result = await run(['a', 'b', 'c']);

		expect(result.error).toBeUndefined();
		expect(result.run.status).toBe('success');
		expect(result.executedNodes).toEqual(['Manual Trigger', 'Items', 'Echo']);

		// generic authenticate applied by the credentials helper (header name and value are expressions)
		expect(received).toHaveLength(3);
		for (const r of received) {
			expect(r.method).toBe('POST');
			expect(r.url).toBe('/echo');
			expect(r.headers['x-api-key']).toBe(`Key ${SECRET}`);
		}
		// `={{ $json.code.toUpperCase() }}` resolved per item
		expect(received.map((r) => r.body.code)).toEqual(['A', 'B', 'C']);

		const out = result.outputOf('Echo');
		expect(out.map((i) => i.json)).toEqual([{ echoed: 'A' }, { echoed: 'B' }, { echoed: 'C' }]);
		expect(out.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	it('with continueOnFail on, a failing item becomes an item with an error and the run succeeds', async () => {
		const result = await run(['a', 'fail', 'c'], 'continueRegularOutput');

		expect(result.error).toBeUndefined();
		const out = result.outputOf('Echo');
		expect(out).toHaveLength(3);
		expect(out[0].json).toEqual({ echoed: 'A' });
		expect(out[1].json.error).toEqual(expect.any(String));
		expect(out[1].pairedItem).toEqual({ item: 1 });
		expect(out[2].json).toEqual({ echoed: 'C' });
	});

	it('with continueOnFail off, an HTTP failure fails the run with a NodeApiError', async () => {
		const result = await run(['a', 'fail', 'c']);

		expect(result.run.status).toBe('error');
		// n8n stores errors in IRun as plain copies ({ ...error, message, stack }); `name` keeps the class
		expect(result.error?.name).toBe(NodeApiError.name);
		expect((result.error as NodeApiError).httpCode).toBe('500');
		expect(result.taskOf('Echo')?.error?.name).toBe(NodeApiError.name);
		expect((result.taskOf('Echo')?.error as NodeApiError).node.name).toBe('Echo');
		// neither the run data (what n8n would store) nor the logs contain the secret
		expect(JSON.stringify(result.run)).not.toContain(SECRET);
		expect(result.logText).not.toContain(SECRET);
		expect(result.outputOf('Echo')).toEqual([]);
		expect(received).toHaveLength(2); // stopped at the failing item
	});

	it('with continueOnFail off, a NodeOperationError fails the run', async () => {
		const result = await run(['']);

		expect(result.error?.name).toBe(NodeOperationError.name);
		expect(result.error?.message).toBe('Code is required');
		expect(received).toHaveLength(0);
	});

	it('captures what the node logs, and the secret is not in the logs', async () => {
		const result = await run(['a', 'b']);

		const echoLogs = result.logs.filter((l) => l.message === 'Echoing item');
		expect(echoLogs.map((l) => [l.level, l.metadata?.code])).toEqual([
			['info', 'A'],
			['info', 'B'],
		]);
		// engine logs (LoggerProxy) are captured too
		expect(result.logs.some((l) => l.message.includes('Start executing node "Echo"'))).toBe(true);
		expect(result.logText).not.toContain(SECRET);
	});

	it('supports OAuth2 credentials (extends oAuth2Api): bearer token, refresh on 401, token written back', async () => {
		const result = await runWorkflow({
			nodeTypes: { 'CUSTOM.harnessOAuthGet': HarnessOAuthGet },
			credentialTypes: [HarnessOAuth2Api],
			credentials: {
				harnessOAuth2Api: {
					clientId: 'client-id',
					clientSecret: 'client-secret',
					accessTokenUrl: `${baseUrl}/token`,
					authUrl: `${baseUrl}/authorize`,
					oauthTokenData: {
						access_token: 'stale-token',
						refresh_token: 'refresh-1',
						token_type: 'Bearer',
					},
				},
			},
			workflow: chain(
				manualTrigger(),
				node({
					name: 'OAuth Get',
					type: 'CUSTOM.harnessOAuthGet',
					parameters: { url: `${baseUrl}/echo` },
					credentials: ['harnessOAuth2Api'],
				}),
			),
		});

		expect(result.error).toBeUndefined();
		expect(received.map((r) => [r.url, r.headers.authorization ?? null])).toEqual([
			['/echo', 'Bearer stale-token'],
			['/token', expect.stringMatching(/^Basic /)],
			['/echo', 'Bearer fresh-token'],
		]);
		expect(received[1].body.form).toContain('grant_type=refresh_token');
		expect(result.outputOf('OAuth Get')[0].json).toEqual({ echoed: 'oauth' });
		expect(result.credentialUpdates).toHaveLength(1);
		expect(result.credentialUpdates[0].data.oauthTokenData).toMatchObject({
			access_token: 'fresh-token',
		});
	});
});

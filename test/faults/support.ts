/**
 * Shared by the fault suite: sentinel secrets, a sandbox that only knows them, a deep
 * serialiser for everything a run leaves behind, the operations and the faults.
 */
import { expect } from '@jest/globals';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { startSandbox, type Sandbox, type SandboxFault } from '../../sandbox';
import { NODE_NAME, runNode, type Credentials, type NodeRun } from '../support/infusionsoftRun';

/**
 * Distinctive, base64-like secrets ('/', '+', '='), so that a raw, a URL-encoded or a
 * form-encoded copy is recognisable anywhere.
 */
export const SENTINEL = {
	userSecret: 'SntlUSR/q8+Zk3Wv/Pw9x+Fa==',
	organizationSecret: 'SntlORG+7bQ/mR2+Lk/4Yt8e=',
	clientId: 'sntl-client-id-4ynetc9z7v6v',
	clientSecret: 'SntlCLI/Zw+9Qk/dE4+aT0x==',
	callbackUrl: 'https://n8n.sentinel.example/webhook/infusionsoft-crm/callback',
	server: 'dt777.infusionsoft.com',
	encryptedKey: 'SntlKEY/a1b2+c3d4/e5f6+g7==',
	/** A code the sandbox never issued: used where the platform never gets to read it. */
	code: 'SntlCODE/Xy+7Qp/Lm+Rs9==',
} as const;

export const SECRET_SENTINELS: string[] = [
	SENTINEL.userSecret,
	SENTINEL.organizationSecret,
	SENTINEL.clientSecret,
	SENTINEL.encryptedKey,
	SENTINEL.code,
];

/** The forms a secret takes in a URL, a form body or JSON text. */
export function secretForms(secret: string): string[] {
	return [
		...new Set([
			secret,
			encodeURIComponent(secret),
			new URLSearchParams({ s: secret }).toString().slice(2),
			JSON.stringify(secret).slice(1, -1),
		]),
	];
}

export async function startSentinelSandbox(options: { latencyMs?: number } = {}): Promise<Sandbox> {
	return await startSandbox({
		...options,
		accounts: [{ userSecret: SENTINEL.userSecret, organizationSecret: SENTINEL.organizationSecret }],
		apps: [{ clientId: SENTINEL.clientId, clientSecret: SENTINEL.clientSecret, name: 'Sentinel app' }],
	});
}

export function sentinelCredentials(sb: Sandbox): Credentials {
	return {
		cloudElementsApi: {
			baseUrl: sb.apiRoot,
			userSecret: SENTINEL.userSecret,
			organizationSecret: SENTINEL.organizationSecret,
		},
		infusionsoftCrmOAuth2Api: {
			clientId: SENTINEL.clientId,
			clientSecret: SENTINEL.clientSecret,
			callbackUrl: SENTINEL.callbackUrl,
			server: SENTINEL.server,
			encryptedKey: SENTINEL.encryptedKey,
		},
	};
}

export function issueCode(sb: Sandbox): string {
	return sb.issueCode({ clientId: SENTINEL.clientId, callbackUrl: SENTINEL.callbackUrl });
}

/**
 * Every string reachable from `value`, keys included: own properties whether enumerable or
 * not (an Error's message, stack, cause), Maps, Sets, Buffers; cycles visited once.
 */
export function allText(value: unknown): string {
	const out: string[] = [];
	const seen = new WeakSet<object>();
	const walk = (v: unknown): void => {
		if (typeof v === 'string') out.push(v);
		else if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') out.push(String(v));
		else if (typeof v === 'function') out.push(v.name);
		else if (v !== null && typeof v === 'object') {
			if (seen.has(v)) return;
			seen.add(v);
			if (Buffer.isBuffer(v)) return void out.push(v.toString('utf8'));
			if (v instanceof Map) return void [...v.entries()].forEach(walk);
			if (v instanceof Set) return void [...v.values()].forEach(walk);
			if (v instanceof Date) return void out.push(String(v.getTime()));
			for (const key of Object.getOwnPropertyNames(v)) {
				out.push(key);
				let child: unknown;
				try {
					child = (v as Record<string, unknown>)[key];
				} catch {
					continue;
				}
				walk(child);
			}
			for (const sym of Object.getOwnPropertySymbols(v)) walk((v as Record<symbol, unknown>)[sym]);
		}
	};
	walk(value);
	return out.join('\n');
}

/**
 * Everything of a run a user or an operator can see that comes from this node: its output
 * items, its task data (the real error object with cause, context, description), the run's
 * error (n8n's plain copy), the whole result data except the Items node's output (the input
 * the user gave), and every log entry with its metadata.
 */
export function visibleOf(run: NodeRun): string {
	const { runData, ...restOfResult } = run.run.data.resultData;
	const ourRuns = Object.fromEntries(Object.entries(runData).filter(([name]) => name === NODE_NAME));
	return allText([run.items, run.taskOf(NODE_NAME), run.error, restOfResult, ourRuns, run.logs, run.logText]);
}

/** Throws (naming the form, not the secret) when any form of any sentinel is visible. */
export function expectNoSentinels(run: NodeRun, extra: string[] = [], except: string[] = []): void {
	const text = visibleOf(run);
	for (const secret of [...SECRET_SENTINELS, ...extra].filter((s) => !except.includes(s))) {
		for (const form of secretForms(secret)) {
			if (text.includes(form)) {
				const at = text.indexOf(form);
				const around = text.slice(Math.max(0, at - 80), at).replace(/\s+/g, ' ');
				throw new Error(`A sentinel leaked (${form.slice(0, 8)}…) after: "${around}"`);
			}
		}
	}
}

/**
 * The secrets a call of this operation carries: the account's always; the app's and the codes
 * only for operations that read them (n8n hands a node no credential its operation hides).
 */
export function secretsSent(usesApp: boolean, codes: string[]): string[] {
	return [
		SENTINEL.userSecret,
		SENTINEL.organizationSecret,
		...(usesApp ? [SENTINEL.clientSecret, SENTINEL.encryptedKey] : []),
		...codes,
	];
}

/** A platform error body that repeats the request's secrets back, as a careless proxy or platform might. */
export function echoingBody(all: string[]): IDataObject {
	return {
		requestId: `req-${all[all.length - 1]}`,
		message: `Rejected: ${all.join(' ')} ${all.map(encodeURIComponent).join(' ')}`,
		providerMessage: { error: 'invalid_request', echoed: all, url: `?apiSecret=${all.map(encodeURIComponent).join('&x=')}` },
	};
}

export function echoingHtml(status: number, all: string[]): string {
	return `<html><head><title>${status} Bad Gateway</title></head><body><h1>${status}</h1><pre>Authorization: User ${SENTINEL.userSecret}, Organization ${SENTINEL.organizationSecret}\n${all.map(encodeURIComponent).join('\n')}</pre></body></html>`;
}

export const TYPE_ERROR_WORDS = /Cannot read prop|Cannot set prop|is not a function|is not iterable|Cannot convert|is not defined|of undefined|of null|Unexpected token|\[object Object\]/i;

export interface RunError {
	name?: string;
	message?: string;
	description?: string | null;
	httpCode?: string | null;
	context?: { itemIndex?: number };
}

/** A clear error: an n8n error, worded for a person, with the item it came from. */
export function expectClearError(error: RunError | undefined, { httpCode, itemIndex = 0 }: { httpCode?: string; itemIndex?: number } = {}): void {
	expect(error).toBeDefined();
	expect(['NodeApiError', 'NodeOperationError']).toContain(error!.name);
	expect(typeof error!.message).toBe('string');
	expect(error!.message!.length).toBeGreaterThan(10);
	expect(error!.message).not.toMatch(TYPE_ERROR_WORDS);
	expect(error!.description ?? '').not.toMatch(TYPE_ERROR_WORDS);
	if (httpCode !== undefined) expect(error!.httpCode).toBe(httpCode);
	if (error!.context?.itemIndex !== undefined) expect(error!.context.itemIndex).toBe(itemIndex);
}

/** An error item of Continue On Fail: the message, no TypeError wording. */
export function expectErrorItem(item: INodeExecutionData, itemIndex: number, httpCode?: string): void {
	expect(typeof item.json.error).toBe('string');
	expect(item.json.error).not.toMatch(TYPE_ERROR_WORDS);
	expect(item.pairedItem).toEqual({ item: itemIndex });
	if (httpCode !== undefined) expect(item.json.httpCode).toBe(httpCode);
}

export function apiCalls(sb: Sandbox) {
	return sb.requests.filter((r) => r.path.startsWith('/elements/api-v2'));
}

/** Creates an instance straight through the platform API, as another tool would. */
export async function seedInstance(sb: Sandbox, name: string, tags: string[] = ['seeded']): Promise<number> {
	const response = await fetch(`${sb.apiRoot}/instances`, {
		method: 'POST',
		headers: {
			Authorization: `User ${SENTINEL.userSecret}, Organization ${SENTINEL.organizationSecret}`,
			'Content-Type': 'application/json',
		},
		body: JSON.stringify({
			element: { key: 'infusionsoftcrm' },
			providerData: { code: issueCode(sb) },
			configuration: {
				'oauth.callback.url': SENTINEL.callbackUrl,
				'oauth.api.key': SENTINEL.clientId,
				'oauth.api.secret': SENTINEL.clientSecret,
				'infusionsoft.server': SENTINEL.server,
				'infusionsoft.private.key': SENTINEL.encryptedKey,
			},
			tags,
			name,
		}),
	});
	if (!response.ok) throw new Error(`seed failed: ${response.status} ${await response.text()}`);
	const { id } = (await response.json()) as { id: number };
	sb.requests.length = 0;
	return id;
}

export async function runWith(
	sb: Sandbox,
	parameters: IDataObject,
	items: IDataObject[],
	continueOnFail = false,
): Promise<NodeRun> {
	return await runNode(sb, { parameters, items, continueOnFail, credentials: sentinelCredentials(sb) });
}

export type { NodeRun, Sandbox, SandboxFault };

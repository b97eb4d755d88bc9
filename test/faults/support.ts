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
	eventSignatureKey: 'SntlEVT/k9+Hs2/Qw7+Zp1==',
	/** A code the sandbox never issued: used where the platform never gets to read it. */
	code: 'SntlCODE/Xy+7Qp/Lm+Rs9==',
} as const;

export const SECRET_SENTINELS: string[] = [
	SENTINEL.userSecret,
	SENTINEL.organizationSecret,
	SENTINEL.clientSecret,
	SENTINEL.encryptedKey,
	SENTINEL.eventSignatureKey,
	SENTINEL.code,
];

/** One form of a secret, by name: a failure shows the name, never the secret. */
export interface NamedForm {
	name: string;
	form: string;
}

/*
 * The leak detector is written apart from the node's Redactor (it must not import it): it is
 * the independent check that each form a secret can travel in is caught.
 */
const upperHex = (text: string) => text.replace(/%[0-9a-fA-F]{2}/g, (e) => e.toUpperCase());
const lowerHex = (text: string) => text.replace(/%[0-9a-fA-F]{2}/g, (e) => e.toLowerCase());
const notAlphanumeric = (text: string, escape: (codePoint: number) => string) =>
	[...text].map((c) => (/^[A-Za-z0-9]$/.test(c) ? c : escape(c.codePointAt(0)!))).join('');
const htmlMinimal = (text: string, apostrophe: string) =>
	text.replace(
		/[&<>"']/g,
		(c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? apostrophe,
	);
const tryForm = (make: () => string) => {
	try {
		return make();
	} catch {
		return ''; // encodeURIComponent throws on a lone surrogate
	}
};

/** The encodings of a value, by name. */
const ENCODINGS: Array<[name: string, encode: (value: string) => string]> = [
	['raw', (v) => v],
	['URL-encoded, upper-case hex', (v) => tryForm(() => upperHex(encodeURIComponent(v)))],
	['URL-encoded, lower-case hex', (v) => tryForm(() => lowerHex(encodeURIComponent(v)))],
	['form-encoded', (v) => new URLSearchParams({ s: v }).toString().slice(2)],
	[
		'form-encoded, lower-case hex',
		(v) => lowerHex(new URLSearchParams({ s: v }).toString().slice(2)),
	],
	['with + read as a space', (v) => v.replace(/\+/g, ' ')],
	['JSON-escaped', (v) => JSON.stringify(v).slice(1, -1)],
	['JSON-escaped with \\/', (v) => JSON.stringify(v).slice(1, -1).replace(/\//g, '\\/')],
	['HTML &#xHH;', (v) => notAlphanumeric(v, (c) => `&#x${c.toString(16).toUpperCase()};`)],
	['HTML &#xhh;', (v) => notAlphanumeric(v, (c) => `&#x${c.toString(16)};`)],
	['HTML &#DD;', (v) => notAlphanumeric(v, (c) => `&#${c};`)],
	['HTML-escaped (&#39;)', (v) => htmlMinimal(v, '&#39;')],
	['HTML-escaped (&#x27;)', (v) => htmlMinimal(v, '&#x27;')],
];

/**
 * The values a secret is sent as: as typed; trimmed; with CR/LF removed and trimmed, as
 * n8n's HTTP stack puts it in a header.
 */
function sentValues(secret: string): Array<[name: string, value: string]> {
	return [
		['', secret],
		['trimmed', secret.trim()],
		['CR/LF removed', secret.replace(/[\r\n]/g, '').trim()],
	];
}

/** The forms of each secret met so far: the same few secrets are looked for in thousands of runs. */
const formsOf = new Map<string, NamedForm[]>();

/** Every form of a secret the detector looks for in visible text, by name; each form once. */
export function namedSecretForms(secret: string): NamedForm[] {
	let named = formsOf.get(secret);
	if (!named) {
		named = makeNamedForms(secret);
		formsOf.set(secret, named);
	}
	return named;
}

function makeNamedForms(secret: string): NamedForm[] {
	const forms = new Map<string, string>();
	for (const [valueName, value] of sentValues(secret)) {
		if (value === '') continue;
		for (const [encodingName, encode] of ENCODINGS) {
			const form = encode(value);
			if (form !== '' && !forms.has(form))
				forms.set(form, valueName ? `${encodingName}, ${valueName}` : encodingName);
		}
	}
	return [...forms].map(([form, name]) => ({ name, form }));
}

/** The forms a secret takes in a URL, a form body, JSON or HTML text, trimmed or not. */
export function secretForms(secret: string): string[] {
	return namedSecretForms(secret).map(({ form }) => form);
}

/** Hex digits of `%XX`, `&#xXX;` and `\uXXXX` escapes in lower case: mixed-case escapes then compare equal. */
function foldHex(text: string): string {
	return text.replace(/%[0-9a-fA-F]{2}|&#[xX][0-9a-fA-F]+;|\\u[0-9a-fA-F]{4}/g, (e) =>
		e.toLowerCase(),
	);
}

/**
 * Runs of base64 (or base64url) characters long enough to hold the smallest secret (8 bytes
 * encode to 11 characters without padding), each decoded at the four alignments it may have.
 */
function* base64Decodings(text: string): Generator<{ at: number; bytes: Buffer }> {
	for (const match of text.matchAll(/[A-Za-z0-9+/_-]{11,}/g)) {
		for (let skip = 0; skip < 4; skip++) {
			yield { at: match.index!, bytes: Buffer.from(match[0].slice(skip), 'base64') };
		}
	}
}

/**
 * The characters that base64 (or base64url, read in the standard alphabet) of any bytes holding
 * `value` must contain, one string per alignment of `value` on the 3-byte groups: those whose
 * six bits all come from `value`. None of them in a text: no base64 in it holds `value`.
 */
function base64Cores(value: Buffer): string[] {
	return [0, 1, 2].map((k) => {
		const encoded = Buffer.concat([Buffer.alloc(k), value]).toString('base64');
		return encoded.slice(Math.ceil((8 * k) / 6), Math.floor((8 * (k + value.length)) / 6));
	});
}

/** The byte strings a secret's base64 may hold (as sent, URL-encoded), with their cores. */
const needlesOf = new Map<string, Array<{ bytes: Buffer; cores: string[] }>>();

function base64Needles(secret: string): Array<{ bytes: Buffer; cores: string[] }> {
	let needles = needlesOf.get(secret);
	if (!needles) {
		needles = [
			...new Set(
				sentValues(secret).flatMap(([, v]) => (v ? [v, tryForm(() => encodeURIComponent(v))] : [])),
			),
		]
			.filter((v) => v !== '')
			.map((v) => Buffer.from(v, 'utf8'))
			.map((bytes) => ({ bytes, cores: base64Cores(bytes) }));
		needlesOf.set(secret, needles);
	}
	return needles;
}

export interface Leak {
	/** Which secret: its SENTINEL key, or its place among the extra secrets. */
	secret: string;
	/** The form it was found in. */
	form: string;
	at: number;
}

function secretName(secret: string, index: number): string {
	return (
		Object.entries(SENTINEL).find(([, value]) => value === secret)?.[0] ?? `secret #${index + 1}`
	);
}

/** The first secret visible in the text in any form (base64 included), or undefined. */
export function findLeak(text: string, secrets: string[]): Leak | undefined {
	const wanted = secrets.filter((s) => s.trim() !== '');
	const forms = wanted.map((secret, index) => ({
		name: secretName(secret, index),
		forms: namedSecretForms(secret),
	}));
	for (const { name, forms: named } of forms) {
		for (const { name: how, form } of named) {
			const at = text.indexOf(form);
			if (at !== -1) return { secret: name, form: how, at };
		}
	}
	// Escapes whose hex digits mix upper and lower case (`%2f%2B`).
	const folded = foldHex(text);
	for (const { name, forms: named } of forms) {
		for (const { name: how, form } of named) {
			const at = /%|&#|\\u/.test(form) ? folded.indexOf(foldHex(form)) : -1;
			if (at !== -1) return { secret: name, form: `${how}, mixed-case hex`, at };
		}
	}
	// Base64 of anything holding a secret (a header, a query string), at any offset.
	const needles = wanted.map((secret, index) => ({
		name: secretName(secret, index),
		values: base64Needles(secret),
	}));
	// Decoding every run at every alignment is slow: first, whether any run can hold a secret at all.
	const standard = text.replace(/-/g, '+').replace(/_/g, '/');
	const possible = needles.some(({ values }) =>
		values.some(({ cores }) => cores.some((core) => core === '' || standard.includes(core))),
	);
	if (!possible) return undefined;
	for (const { at, bytes } of base64Decodings(text)) {
		for (const { name, values } of needles) {
			if (values.some((v) => bytes.includes(v.bytes))) return { secret: name, form: 'base64', at };
		}
	}
	return undefined;
}

/** Throws (naming the secret's field and the form, not the secret) when any form of any secret is in the text. */
export function expectNoSecretsIn(text: string, secrets: string[]): void {
	const leak = findLeak(text, secrets);
	if (leak === undefined) return;
	let around = text.slice(Math.max(0, leak.at - 80), leak.at);
	// What precedes may hold another secret: mask every form of every secret in it.
	for (const secret of secrets.filter((s) => s.trim() !== '')) {
		for (const form of secretForms(secret)) around = around.split(form).join('<secret>');
	}
	around = around.replace(/[A-Za-z0-9+/_-]{11,}$/, '<base64>').replace(/\s+/g, ' ');
	throw new Error(`A sentinel leaked (${leak.secret}, ${leak.form}) after: "${around}"`);
}

export async function startSentinelSandbox(options: { latencyMs?: number } = {}): Promise<Sandbox> {
	return await startSandbox({
		...options,
		accounts: [
			{ userSecret: SENTINEL.userSecret, organizationSecret: SENTINEL.organizationSecret },
		],
		apps: [
			{ clientId: SENTINEL.clientId, clientSecret: SENTINEL.clientSecret, name: 'Sentinel app' },
		],
	});
}

export function sentinelCredentials(sb: Sandbox): Credentials {
	return {
		cloudElementsApi: {
			baseUrl: sb.apiRoot,
			userSecret: SENTINEL.userSecret,
			organizationSecret: SENTINEL.organizationSecret,
			eventSignatureSecret: SENTINEL.eventSignatureKey,
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
		else if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint')
			out.push(String(v));
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
	const ourRuns = Object.fromEntries(
		Object.entries(runData).filter(([name]) => name === NODE_NAME),
	);
	return allText([
		run.items,
		run.taskOf(NODE_NAME),
		run.error,
		restOfResult,
		ourRuns,
		run.logs,
		run.logText,
	]);
}

/** Throws (naming the form, not the secret) when any form of any sentinel is visible. */
export function expectNoSentinels(run: NodeRun, extra: string[] = [], except: string[] = []): void {
	expectNoSecretsIn(
		visibleOf(run),
		[...SECRET_SENTINELS, ...extra].filter((s) => !except.includes(s)),
	);
}

/**
 * The secrets a call of this operation carries: the account's always; the app's and the codes
 * only for operations that read them (n8n hands a node no credential its operation hides).
 */
export function secretsSent(usesApp: boolean, codes: string[]): string[] {
	return [
		SENTINEL.userSecret,
		SENTINEL.organizationSecret,
		SENTINEL.eventSignatureKey,
		...(usesApp ? [SENTINEL.clientSecret, SENTINEL.encryptedKey] : []),
		...codes,
	];
}

/** A platform error body that repeats the request's secrets back, as a careless proxy or platform might. */
export function echoingBody(all: string[]): IDataObject {
	return {
		requestId: `req-${all[all.length - 1]}`,
		message: `Rejected: ${all.join(' ')} ${all.map(encodeURIComponent).join(' ')}`,
		providerMessage: {
			error: 'invalid_request',
			echoed: all,
			url: `?apiSecret=${all.map(encodeURIComponent).join('&x=')}`,
		},
	};
}

export function echoingHtml(status: number, all: string[]): string {
	return `<html><head><title>${status} Bad Gateway</title></head><body><h1>${status}</h1><pre>Authorization: User ${SENTINEL.userSecret}, Organization ${SENTINEL.organizationSecret}\n${all.map(encodeURIComponent).join('\n')}</pre></body></html>`;
}

export const TYPE_ERROR_WORDS =
	/Cannot read prop|Cannot set prop|is not a function|is not iterable|Cannot convert|is not defined|of undefined|of null|Unexpected token|\[object Object\]/i;

export interface RunError {
	name?: string;
	message?: string;
	description?: string | null;
	httpCode?: string | null;
	context?: { itemIndex?: number };
}

/** A clear error: an n8n error, worded for a person, with the item it came from. */
export function expectClearError(
	error: RunError | undefined,
	{ httpCode, itemIndex = 0 }: { httpCode?: string; itemIndex?: number } = {},
): void {
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
export function expectErrorItem(
	item: INodeExecutionData,
	itemIndex: number,
	httpCode?: string,
): void {
	expect(typeof item.json.error).toBe('string');
	expect(item.json.error).not.toMatch(TYPE_ERROR_WORDS);
	expect(item.pairedItem).toEqual({ item: itemIndex });
	if (httpCode !== undefined) expect(item.json.httpCode).toBe(httpCode);
}

export function apiCalls(sb: Sandbox) {
	return sb.requests.filter((r) => r.path.startsWith('/elements/api-v2'));
}

/** Creates an instance straight through the platform API, as another tool would (the legacy element unless told). */
export async function seedInstance(
	sb: Sandbox,
	name: string,
	tags: string[] = ['seeded'],
	element: 'infusionsoftcrm' | 'infusionsoftrest' = 'infusionsoftcrm',
): Promise<number> {
	const oauth = {
		'oauth.callback.url': SENTINEL.callbackUrl,
		'oauth.api.key': SENTINEL.clientId,
		'oauth.api.secret': SENTINEL.clientSecret,
	};
	const configuration =
		element === 'infusionsoftcrm'
			? {
					...oauth,
					'infusionsoft.server': SENTINEL.server,
					'infusionsoft.private.key': SENTINEL.encryptedKey,
				}
			: oauth;
	const response = await fetch(`${sb.apiRoot}/instances`, {
		method: 'POST',
		headers: {
			Authorization: `User ${SENTINEL.userSecret}, Organization ${SENTINEL.organizationSecret}`,
			'Content-Type': 'application/json',
		},
		body: JSON.stringify({
			element: { key: element },
			providerData: { code: issueCode(sb) },
			configuration,
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
	typeVersion = 1,
): Promise<NodeRun> {
	return await runNode(sb, {
		parameters,
		items,
		continueOnFail,
		credentials: sentinelCredentials(sb),
		typeVersion,
	});
}
export type { NodeRun, Sandbox, SandboxFault };

import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import type { CloudElementsAccount } from '../shared/account';
import { authorizationHeader } from '../shared/account';
import type { Redactor } from '../shared/redact';
import type { RetryPolicy } from '../shared/requestOptions';
import { requestRateProblem } from '../shared/requestOptions';
import type { Clock } from './pacer';
import { REAL_CLOCK, RequestPacer } from './pacer';
import { foreignAnswer, isPlatformAnswer } from './platformAnswer';

export type QueryValue = string | number | boolean | string[] | undefined;

/**
 * What a usable 2xx answer looks like: `object` a JSON object; `instance` an object with an
 * `id`; `provisioned` an instance with its `token` too (what a create or re-authentication
 * must give back); `list` an array of objects; `any` anything but a non-JSON text.
 */
export type AnswerShape = 'any' | 'object' | 'instance' | 'provisioned' | 'list';

/** Wait time shared by several calls, e.g. all the pages of one listing. */
export interface RetryBudget {
	waitedMs: number;
}

export interface PlatformRequest {
	method: IHttpRequestMethods;
	/** Under the API root, e.g. `/instances/12345`. */
	path: string;
	query?: Record<string, QueryValue>;
	body?: IDataObject;
	/** What a usable 2xx answer looks like; `any` when not given. */
	expect?: AnswerShape;
	/**
	 * The call must not be sent twice: it creates an instance or spends a single-use code.
	 * When its outcome is unknown it is not sent again here; `OutcomeUnknownError` is thrown
	 * so the caller can look at the platform before trying again.
	 */
	unsafeToRepeat?: boolean;
	/** Statuses the caller reads itself instead of failing, e.g. 404 on a list; only the platform's own answer (`isPlatformAnswer`) counts, another is an error. */
	accept?: number[];
	/** What to check, by status, in the words of the operation. */
	hints?: Partial<Record<number, string>>;
	/** Shared by the calls of one listing; each call has its own otherwise. */
	budget?: RetryBudget;
	/** One more sentence for an error, from the platform's and the provider's words (e.g. "switch element"). */
	explain?: (text: string) => string | undefined;
	/** A hub call through an instance: its token joins the Authorization header. */
	elementToken?: string;
	/** The error message by status, in the words of the operation (e.g. "the connection is dead"). */
	messages?: Partial<Record<number, string>>;
}

/** What the transport needs of n8n: an execution, or the editor loading a list (listSearch). */
export type TransportContext = Pick<IExecuteFunctions, 'logger' | 'getNode'> & {
	helpers: Pick<IExecuteFunctions['helpers'], 'httpRequest'>;
	getExecutionCancelSignal?: () => AbortSignal | undefined;
};

export interface PlatformResponse<T = unknown> {
	statusCode: number;
	body: T;
	headers: Record<string, string>;
}

/** An unsafe call was sent and no usable answer came back: it may or may not have taken effect. */
export class OutcomeUnknownError extends Error {
	constructor(readonly cause: NodeApiError) {
		super(cause.message);
		this.name = 'OutcomeUnknownError';
	}
}

const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);
/** A proxy that timed out or failed may have passed the request on: unsafe to repeat a create. */
const MAYBE_PROCESSED_STATUSES = new Set([502, 504]);
/** Connection errors where the request never reached the server; any other failure may have. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const MAX_MESSAGE_LENGTH = 300;
const MAX_PROVIDER_MESSAGE_LENGTH = 500;

const STATUS_HINTS: Record<number, string> = {
	401: 'Check the User Secret and Organization Secret of the Cloud Elements API credential, and that its API Root is the host your account lives on (US, EU or SAP Open Connectors).',
	403: 'The account is not allowed to do this, or the instance is disabled. Enable the instance or check the account’s role.',
	404: 'Nothing was found at this address: check the ID, and that the API Root of the Cloud Elements API credential is right.',
	405: 'The API Root of the Cloud Elements API credential probably points at the wrong place: it should end in /elements/api-v2.',
	429: 'The platform is throttling requests. Lower the Concurrency option or raise Max Retries, or run the workflow later.',
	500: 'The platform failed to handle the request. Try again later; if it persists, contact Cloud Elements support with the request ID.',
	502: 'A gateway in front of the platform failed. Try again later.',
	503: 'The platform is unavailable. Try again later.',
	504: 'A gateway in front of the platform timed out. Try again later.',
};

const NETWORK_WORDS: Record<string, string> = {
	ECONNREFUSED: 'the connection was refused',
	ENOTFOUND: 'the host was not found',
	EAI_AGAIN: 'the host name could not be looked up',
	EHOSTUNREACH: 'the host is unreachable',
	ENETUNREACH: 'the network is unreachable',
	ECONNRESET: 'the connection was cut',
	EPIPE: 'the connection was cut',
	ECONNABORTED: 'the connection was cut',
	ETIMEDOUT: 'the connection timed out',
	ETIMEOUT: 'the answer took longer than the Timeout option',
	EBODY: 'the connection was cut while the answer was arriving',
};

/** Where every call through an instance goes, under the API root. */
export const HUB = '/hubs/crm';

/** A percent-encoded dot, slash or backslash, or a control character: what lets a path climb out once resolved. */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
export const PATH_TRICKS = /%2e|%2f|%5c|[\u0000-\u001f\u007f]/i;

/**
 * Why a hub call's URL must not be sent: it is checked as n8n's HTTP stack will resolve it
 * (WHATWG URL: `%2e%2e` and `.%2e` are `..`, tabs and newlines vanish), so no spelling of a
 * path can carry an instance token outside `/hubs/crm/`. Undefined when it stays inside.
 */
export function hubUrlProblem(apiRoot: string, url: string): string | undefined {
	const root = new URL(apiRoot);
	let sent: URL;
	try {
		sent = new URL(url);
	} catch {
		return 'it is not a valid URL';
	}
	const rootPath = root.pathname.replace(/\/+$/, '');
	if (sent.origin !== root.origin) return `it leaves the API Root's host`;
	if (!sent.pathname.startsWith(`${rootPath}${HUB}/`)) return `it resolves to a path outside ${HUB}`;
	if (PATH_TRICKS.test(sent.pathname)) return 'its path holds a percent-encoded dot, slash or backslash';
	return undefined;
}

export function buildUrl(apiRoot: string, path: string, query?: Record<string, QueryValue>): string {
	const params = new URLSearchParams();
	for (const [key, value] of Object.entries(query ?? {})) {
		if (value === undefined || value === '') continue;
		if (Array.isArray(value)) value.forEach((v) => params.append(key, v));
		else params.append(key, String(value));
	}
	const search = params.toString();
	return `${apiRoot}${path}${search ? `?${search}` : ''}`;
}

/** The backoff before try `attempt + 1`: exponential from 500 ms, full jitter, at most 30 s. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
	const ceiling = Math.min(30_000, 500 * 2 ** attempt);
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * `Retry-After` as seconds or as an HTTP date, in milliseconds; undefined when absent,
 * unreadable or negative (a negative wait is no instruction: the backoff applies).
 */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
	if (value === undefined || value.trim() === '') return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return seconds < 0 ? undefined : seconds * 1000;
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function clip(text: string, max: number): string {
	return text.length > max ? `${text.slice(0, max)}…` : text;
}

interface NetworkFailure {
	code: string;
	/** False only when the request certainly never reached the server. */
	sent: boolean;
}

function networkFailure(error: unknown, timedOut: boolean): NetworkFailure {
	if (timedOut) return { code: 'ETIMEOUT', sent: true };
	const seen = new Set<unknown>();
	let current = error as { code?: unknown; cause?: unknown; response?: { status?: unknown } } | undefined;
	while (current && typeof current === 'object' && !seen.has(current)) {
		seen.add(current);
		// The status line arrived, the body did not: the call was processed.
		if (current.response?.status) return { code: 'EBODY', sent: true };
		const code = current.code;
		if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) {
			return { code, sent: !NOT_SENT_CODES.has(code) };
		}
		current = current.cause as typeof current;
	}
	return { code: 'ECONNRESET', sent: true };
}

/**
 * Infusionsoft's OAuth errors come as a JSON text (`{"error":"invalid_grant","error_description":…}`):
 * shown as `invalid_grant: …`; anything else is shown as it came.
 */
export function readProviderMessage(value: unknown): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	let parsed: unknown = value;
	if (typeof value === 'string') {
		try {
			parsed = JSON.parse(value);
		} catch {
			return value;
		}
	}
	if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
		const { error, error_description: description } = parsed as Record<string, unknown>;
		if (typeof error === 'string') {
			return typeof description === 'string' && description ? `${error}: ${description}` : error;
		}
	}
	return typeof value === 'string' ? value : JSON.stringify(value);
}

function describeBody(body: unknown, isHtml: boolean): string {
	if (isHtml) return ' with an HTML page (a proxy or gateway error)';
	if (body === undefined) return ' with an empty body';
	if (typeof body === 'string') return ' with a body that is not JSON';
	return '';
}

const isObject = (value: unknown): value is IDataObject =>
	value !== null && typeof value === 'object' && !Array.isArray(value);

const hasId = (value: IDataObject) =>
	(typeof value.id === 'number' && Number.isSafeInteger(value.id)) ||
	(typeof value.id === 'string' && /^\d+$/.test(value.id));

function fitsShape(body: unknown, shape: AnswerShape): boolean {
	if (typeof body === 'string') return false;
	switch (shape) {
		case 'any':
			return true;
		case 'object':
			return isObject(body);
		case 'instance':
			return isObject(body) && hasId(body);
		case 'provisioned':
			return isObject(body) && hasId(body) && typeof body.token === 'string' && body.token !== '';
		case 'list':
			return Array.isArray(body) && body.every(isObject);
	}
}

const SHAPE_WORDS: Record<AnswerShape, string> = {
	any: 'an answer',
	object: 'a JSON object',
	instance: 'an instance',
	provisioned: 'an instance with its ID and token',
	list: 'a list',
};

function describeShape(body: unknown): string {
	if (body === undefined) return 'an empty body';
	if (body === null) return 'null';
	if (typeof body === 'string') return 'a body that is not JSON';
	if (Array.isArray(body)) return 'a list';
	if (typeof body === 'object') return 'an object without the expected fields';
	return `a ${typeof body}`;
}

function lowerCaseHeaders(headers: unknown): Record<string, string> {
	const out: Record<string, string> = {};
	if (headers && typeof headers === 'object') {
		for (const [key, value] of Object.entries(headers as Record<string, unknown>)) {
			out[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
		}
	}
	return out;
}

/** A platform answer never decides an output's prototype: `__proto__` keys are dropped. */
function parseBody(body: unknown): unknown {
	if (Buffer.isBuffer(body)) body = body.toString('utf8');
	if (typeof body !== 'string') return body;
	if (body.trim() === '') return undefined;
	try {
		// The reviver makes parsing several times slower: only texts that can hold the key need it
		// (spelled out, or with any \u escape, which can spell it too).
		return body.includes('__proto__') || body.includes('\\u')
			? JSON.parse(body, (key, value: unknown) => (key === '__proto__' ? undefined : value))
			: JSON.parse(body);
	} catch {
		return body;
	}
}

/** Where a redirect points; only its scheme and host are ever shown (its path or query may carry anything). */
function redirectTarget(location: string | undefined, from: string): URL | undefined {
	if (!location) return undefined;
	try {
		return new URL(location, from);
	} catch {
		return undefined;
	}
}

type Outcome =
	| { response: PlatformResponse; failure?: undefined }
	| { response?: undefined; failure: NetworkFailure };

/**
 * The one door to the platform: every operation's call passes here, so the URL, the
 * Authorization header, retries, error wording and redaction are written once.
 */
export class CloudElementsTransport {
	readonly apiRoot: string;

	private readonly authorization: string;

	private readonly account: CloudElementsAccount;

	/** One per transport, so one per execution: every item's calls share it. */
	private readonly pacer: RequestPacer;

	constructor(
		private readonly ctx: TransportContext,
		account: CloudElementsAccount,
		readonly policy: RetryPolicy,
		clock: Clock = REAL_CLOCK,
	) {
		const rateProblem = requestRateProblem(policy.maxRequestsPerSecond);
		if (rateProblem) {
			throw new NodeOperationError(ctx.getNode(), rateProblem, {
				description: 'Open Request Options and set Max Requests per Second to a number of at least 0.01, such as 10, or to 0 for no limit.',
			});
		}
		this.apiRoot = account.apiRoot;
		this.account = account;
		this.authorization = authorizationHeader(account);
		this.pacer = new RequestPacer(policy.maxRequestsPerSecond ?? 0, clock);
	}

	/** The transport as one item sees it: its errors name the item and are redacted with its secrets. */
	forItem(itemIndex: number, redactor: Redactor): Platform {
		return new Platform(this, itemIndex, redactor);
	}

	async request<T = unknown>(
		req: PlatformRequest,
		itemIndex: number,
		redactor: Redactor,
	): Promise<PlatformResponse<T>> {
		const budget = req.budget ?? { waitedMs: 0 };
		const shape = req.expect ?? 'any';
		const url = buildUrl(this.apiRoot, req.path, req.query);
		if (req.elementToken) {
			const problem = hubUrlProblem(this.apiRoot, url);
			if (problem) throw this.refusedHubCall(problem, itemIndex);
		}
		for (let attempt = 0; ; attempt++) {
			await this.pacer.turn(this.ctx.getExecutionCancelSignal?.());
			const { response, failure } = await this.send(req, url);

			let unusable = false;
			if (response) {
				const status = response.statusCode;
				if (status >= 300 && status < 400) throw this.redirectError(req, response, itemIndex, redactor);
				if (status < 300) {
					if (fitsShape(response.body, shape)) return response as PlatformResponse<T>;
					unusable = true;
				} else if (req.accept?.includes(status)) {
					if (isPlatformAnswer(response.body)) return response as PlatformResponse<T>;
					const { message, description } = foreignAnswer(req, response);
					throw this.apiError(redactor.text(message), redactor.text(description), status, itemIndex);
				} else if (!RETRYABLE_STATUSES.has(status)) {
					throw this.statusError(req, response, itemIndex, redactor);
				}
			}

			const maybeProcessed = failure ? failure.sent : unusable || MAYBE_PROCESSED_STATUSES.has(response.statusCode);
			const finalError = () =>
				response
					? this.statusError(req, response, itemIndex, redactor, attempt)
					: this.networkError(req, failure, itemIndex, attempt);
			if (req.unsafeToRepeat && maybeProcessed) {
				throw new OutcomeUnknownError(finalError());
			}

			const retryAfter = retryAfterMs(response?.headers['retry-after']);
			const delay = retryAfter ?? backoffMs(attempt);
			if (attempt >= this.policy.maxRetries || budget.waitedMs + delay > this.policy.maxWaitMs) {
				throw finalError();
			}
			// The platform throttles the account, not this item: every item of the execution waits
			// (only for a wait this call accepted: a Retry-After beyond Max Retry Wait holds no one).
			if (retryAfter !== undefined && response?.statusCode === 429) this.pacer.pause(retryAfter);
			this.ctx.logger.debug(
				`Cloud Elements: ${req.method} ${req.path} got ${response?.statusCode ?? failure?.code}${unusable ? ' (unusable body)' : ''}; try ${attempt + 2} in ${delay} ms`,
			);
			await this.retryWait(delay);
			budget.waitedMs += delay;
		}
	}

	/** A wait before the next try, which a cancelled execution ends at once. */
	private async retryWait(ms: number): Promise<void> {
		const cancel = this.ctx.getExecutionCancelSignal?.();
		try {
			await sleep(ms, cancel);
		} catch {
			// n8n's sleep rejects only when `cancel` fires.
			throw new NodeOperationError(this.ctx.getNode(), 'The execution was cancelled');
		}
	}

	/** Nothing was sent: an instance's token goes to its CRM hub and nowhere else. */
	private refusedHubCall(problem: string, itemIndex: number): NodeOperationError {
		return new NodeOperationError(this.ctx.getNode(), `A call through an instance was refused before it was sent: ${problem} [item ${itemIndex}]`, {
			itemIndex,
			description: `Calls through an instance may only reach ${HUB}/… under the API Root. Check the Path (leave out "..", percent-encoded dots, slashes or backslashes, and control characters) and any ID mapped into it.`,
		});
	}

	private async send(req: PlatformRequest, url: string): Promise<Outcome> {
		// The helper's own timeout only bounds silence between bytes; this bounds the whole try.
		const deadline = AbortSignal.timeout(this.policy.timeoutMs);
		const cancel = this.ctx.getExecutionCancelSignal?.();
		const options: IHttpRequestOptions = {
			method: req.method,
			url,
			headers: {
				Authorization: req.elementToken ? authorizationHeader(this.account, req.elementToken) : this.authorization,
				Accept: 'application/json',
				...(req.body ? { 'Content-Type': 'application/json' } : {}),
			},
			body: req.body ? JSON.stringify(req.body) : undefined,
			json: false,
			encoding: 'text',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			timeout: this.policy.timeoutMs,
			abortSignal: cancel ? AbortSignal.any([deadline, cancel]) : deadline,
		};
		try {
			const raw = (await this.ctx.helpers.httpRequest(options)) as {
				statusCode: number;
				body: unknown;
				headers: unknown;
			};
			return {
				response: {
					statusCode: raw.statusCode,
					body: parseBody(raw.body),
					headers: lowerCaseHeaders(raw.headers),
				},
			};
		} catch (error) {
			if (cancel?.aborted) throw new NodeOperationError(this.ctx.getNode(), 'The execution was cancelled');
			return { failure: networkFailure(error, deadline.aborted) };
		}
	}

	private redirectError(
		req: PlatformRequest,
		response: PlatformResponse,
		itemIndex: number,
		redactor: Redactor,
	): NodeApiError {
		const status = response.statusCode;
		const target = redirectTarget(response.headers.location, this.apiRoot);
		const root = new URL(this.apiRoot);
		const toHttps = target?.protocol === 'https:' && root.protocol === 'http:' && target.hostname === root.hostname;
		const message = `Cloud Elements answered with a redirect (HTTP ${status})${target ? ` to ${target.protocol}//${target.host}` : ''}`;
		const description = [
			'The node does not follow redirects, so that the secrets in the Authorization header never go anywhere else.',
			toHttps
				? 'Change the API Root of the Cloud Elements API credential from http:// to https://.'
				: 'Set the API Root of the Cloud Elements API credential to the platform’s address (e.g. https://api.cloud-elements.com/elements/api-v2); a proxy that redirects to a login page must let n8n through.',
			`${req.method} ${req.path} → HTTP ${status}`,
		].join(' ');
		return this.apiError(redactor.text(message), redactor.text(description), status, itemIndex);
	}

	private statusError(
		req: PlatformRequest,
		response: PlatformResponse,
		itemIndex: number,
		redactor: Redactor,
		retries = 0,
	): NodeApiError {
		const status = response.statusCode;
		const body = response.body;
		const json = isObject(body) ? body : undefined;
		const platformMessage = typeof json?.message === 'string' && json.message.trim() ? json.message : undefined;
		const providerMessage = readProviderMessage(json?.providerMessage);
		const requestId = typeof json?.requestId === 'string' ? clip(json.requestId, 100) : undefined;
		const isHtml = typeof body === 'string' && /^\s*</.test(body);

		let message: string;
		if (req.messages?.[status]) {
			message = req.messages[status]!;
		} else if (status < 300) {
			message = `Cloud Elements answered HTTP ${status} with ${describeShape(body)} where ${SHAPE_WORDS[req.expect ?? 'any']} was expected`;
		} else {
			message = platformMessage
				? `Cloud Elements: ${clip(platformMessage, MAX_MESSAGE_LENGTH)}`
				: `Cloud Elements answered HTTP ${status}${describeBody(body, isHtml)}`;
		}
		if (retries > 0) message += ` (after ${retries} ${retries === 1 ? 'retry' : 'retries'})`;

		const description = [
			providerMessage ? `Infusionsoft says: ${clip(providerMessage, MAX_PROVIDER_MESSAGE_LENGTH)}` : undefined,
			status < 300
				? 'The answer was cut off or did not come from the platform (a proxy?): check the API Root, and try again.'
				: (req.hints?.[status] ?? STATUS_HINTS[status] ?? (status >= 500 ? STATUS_HINTS[500] : undefined)),
			status >= 400 ? req.explain?.([platformMessage, providerMessage].filter(Boolean).join(' ')) : undefined,
			requestId ? `Request ID: ${requestId}` : undefined,
			`${req.method} ${req.path} → HTTP ${status}`,
		]
			.filter(Boolean)
			.join(' ');

		return this.apiError(redactor.text(message), redactor.text(description), status, itemIndex);
	}

	private networkError(
		req: PlatformRequest,
		failure: NetworkFailure,
		itemIndex: number,
		retries: number,
	): NodeApiError {
		const words = NETWORK_WORDS[failure.code] ?? 'the connection failed';
		const timeout = failure.code === 'ETIMEOUT' ? ` (${this.policy.timeoutMs / 1000} s)` : '';
		const message = `No answer from Cloud Elements: ${words}${timeout}${retries > 0 ? `, ${retries + 1} tries` : ''}`;
		const description = `${req.method} ${req.path} under ${this.apiRoot} (${failure.code}). Check that the API Root of the Cloud Elements API credential is reachable from n8n; raise the Timeout option for slow networks.`;
		return this.apiError(message, description, undefined, itemIndex);
	}

	apiError(message: string, description: string, status: number | undefined, itemIndex: number): NodeApiError {
		const httpCode = status === undefined ? undefined : String(status);
		// A clean object as the cause: the raw error carries the URL and headers.
		const cause: JsonObject = { message, description, ...(httpCode ? { httpCode } : {}) };
		const error = new NodeApiError(this.ctx.getNode(), cause, { message, description, httpCode, itemIndex });
		// NodeApiError swaps a message that mentions a network code for a generic one of its own.
		error.message = message;
		error.description = description;
		return error;
	}
}

/** The platform for one item: its index and its redactor are bound, so calls name neither. */
export class Platform {
	constructor(
		private readonly transport: CloudElementsTransport,
		readonly itemIndex: number,
		readonly redactor: Redactor,
	) {}

	get policy(): RetryPolicy {
		return this.transport.policy;
	}

	async request<T = unknown>(req: PlatformRequest): Promise<PlatformResponse<T>> {
		return await this.transport.request<T>(req, this.itemIndex, this.redactor);
	}

	/** An error about the platform's answers that no single call shows (e.g. endless paging). */
	error(message: string, description: string): NodeApiError {
		return this.transport.apiError(this.redactor.text(message), this.redactor.text(description), undefined, this.itemIndex);
	}
}

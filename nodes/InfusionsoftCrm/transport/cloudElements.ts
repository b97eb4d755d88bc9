import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import { normalizeApiRoot } from '../shared/apiRoot';
import type { Redactor } from '../shared/redact';

export interface CloudElementsAccount {
	baseUrl: string;
	userSecret: string;
	organizationSecret: string;
}

export interface RetryPolicy {
	/** How many times one call is sent again after a throttle, a gateway error or a network error. */
	maxRetries: number;
	/** The most time one call may spend waiting between tries, in total. */
	maxWaitMs: number;
	/** How long one try may take before it counts as a network error. */
	timeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxRetries: 4,
	maxWaitMs: 60_000,
	timeoutMs: 30_000,
};

export type QueryValue = string | number | boolean | string[] | undefined;

export interface PlatformRequest {
	method: IHttpRequestMethods;
	/** Under the API root, e.g. `/instances/12345`. */
	path: string;
	query?: Record<string, QueryValue>;
	body?: IDataObject;
	/**
	 * The call must not be sent twice: it creates an instance or spends a single-use code.
	 * When its outcome is unknown it is not sent again here; `OutcomeUnknownError` is thrown
	 * so the caller can look at the platform before trying again.
	 */
	unsafeToRepeat?: boolean;
	/** Statuses the caller reads itself instead of failing, e.g. 404 on a list. */
	accept?: number[];
	/** What to check, by status, in the words of the operation. */
	hints?: Partial<Record<number, string>>;
}

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
/** Connection errors where the request never reached the server. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);

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

export function authorizationHeader(account: CloudElementsAccount): string {
	return `User ${account.userSecret}, Organization ${account.organizationSecret}`;
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

/** `Retry-After` as seconds or as an HTTP date, in milliseconds; undefined when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
	if (value === undefined || value.trim() === '') return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

interface NetworkFailure {
	code: string;
	sent: boolean;
}

function networkFailure(error: unknown): NetworkFailure | undefined {
	const seen = new Set<unknown>();
	let current = error as { code?: unknown; cause?: unknown; response?: unknown } | undefined;
	while (current && typeof current === 'object' && !seen.has(current)) {
		seen.add(current);
		if ((current as { response?: { status?: number } }).response?.status) return undefined;
		const code = current.code;
		if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) {
			return { code, sent: !NOT_SENT_CODES.has(code) };
		}
		current = current.cause as typeof current;
	}
	const message = error instanceof Error ? error.message : '';
	if (/socket hang up|timeout|aborted|network/i.test(message)) {
		return { code: 'ECONNRESET', sent: true };
	}
	return undefined;
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

/** A success whose body is not JSON (a truncated answer, a proxy's page): it cannot be used. */
function isGarbled(response: PlatformResponse): boolean {
	return response.statusCode < 300 && typeof response.body === 'string';
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

function parseBody(body: unknown): unknown {
	if (Buffer.isBuffer(body)) body = body.toString('utf8');
	if (typeof body !== 'string') return body;
	if (body.trim() === '') return undefined;
	try {
		return JSON.parse(body);
	} catch {
		return body;
	}
}

/**
 * The one door to the platform: every operation's call passes here, so the URL, the
 * Authorization header, retries, error wording and redaction are written once.
 */
export class CloudElementsTransport {
	readonly apiRoot: string;

	private readonly authorization: string;

	constructor(
		private readonly ctx: IExecuteFunctions,
		account: CloudElementsAccount,
		readonly policy: RetryPolicy,
	) {
		this.apiRoot = normalizeApiRoot(account.baseUrl);
		this.authorization = authorizationHeader(account);
	}

	async request<T = unknown>(
		req: PlatformRequest,
		itemIndex: number,
		redactor: Redactor,
	): Promise<PlatformResponse<T>> {
		let waitedMs = 0;
		for (let attempt = 0; ; attempt++) {
			const outcome = await this.send(req);
			const { response, failure } = outcome;

			const garbled = response !== undefined && isGarbled(response);
			if (response && !garbled && !RETRYABLE_STATUSES.has(response.statusCode)) {
				const ok = response.statusCode < 400 || req.accept?.includes(response.statusCode);
				if (ok) return response as PlatformResponse<T>;
				throw this.statusError(req, response, itemIndex, redactor);
			}

			const maybeProcessed = failure
				? failure.sent
				: garbled || MAYBE_PROCESSED_STATUSES.has(response!.statusCode);
			const finalError = () =>
				response
					? this.statusError(req, response, itemIndex, redactor, attempt)
					: this.networkError(req, failure!, itemIndex, attempt);
			if (req.unsafeToRepeat && maybeProcessed) {
				throw new OutcomeUnknownError(finalError());
			}

			const delay =
				retryAfterMs(response?.headers['retry-after']) ?? backoffMs(attempt);
			if (attempt >= this.policy.maxRetries || waitedMs + delay > this.policy.maxWaitMs) {
				throw finalError();
			}
			this.ctx.logger.debug(
				`Cloud Elements: ${req.method} ${req.path} got ${response?.statusCode ?? failure!.code}; try ${attempt + 2} in ${delay} ms`,
			);
			await sleep(delay);
			waitedMs += delay;
		}
	}

	private async send(
		req: PlatformRequest,
	): Promise<{ response?: PlatformResponse; failure?: NetworkFailure }> {
		const options: IHttpRequestOptions = {
			method: req.method,
			url: buildUrl(this.apiRoot, req.path, req.query),
			headers: {
				Authorization: this.authorization,
				Accept: 'application/json',
				...(req.body ? { 'Content-Type': 'application/json' } : {}),
			},
			body: req.body,
			json: false,
			encoding: 'text',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			timeout: this.policy.timeoutMs,
		};
		if (req.body) options.body = JSON.stringify(req.body);
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
			const failure = networkFailure(error);
			if (failure) return { failure };
			// Not a network failure: an n8n or axios error whose text may carry the URL.
			return { failure: { code: 'EREQUEST', sent: false } };
		}
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
		const json = body && typeof body === 'object' ? (body as IDataObject) : undefined;
		const platformMessage = typeof json?.message === 'string' ? json.message : undefined;
		const providerMessage = readProviderMessage(json?.providerMessage);
		const requestId = typeof json?.requestId === 'string' ? json.requestId : undefined;
		const isHtml = typeof body === 'string' && /^\s*</.test(body);

		let message = platformMessage
			? `Cloud Elements: ${platformMessage}`
			: `Cloud Elements answered HTTP ${status}${describeBody(body, isHtml)}`;
		if (retries > 0) message += ` (after ${retries} ${retries === 1 ? 'retry' : 'retries'})`;

		const description = [
			providerMessage ? `Infusionsoft says: ${providerMessage}` : undefined,
			status < 300
				? 'The answer was cut off or did not come from the platform (a proxy?): check the API Root, and try again.'
				: (req.hints?.[status] ?? STATUS_HINTS[status] ?? (status >= 500 ? STATUS_HINTS[500] : undefined)),
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
		const what =
			failure.code === 'EREQUEST'
				? 'The request could not be made'
				: `No answer from Cloud Elements (${failure.code})`;
		const message = `${what}${retries > 0 ? ` after ${retries + 1} tries` : ''}`;
		const description = `${req.method} ${req.path} under ${this.apiRoot}. Check that the API Root of the Cloud Elements API credential is reachable from n8n; raise the Timeout option for slow networks.`;
		return this.apiError(message, description, undefined, itemIndex);
	}

	private apiError(
		message: string,
		description: string,
		status: number | undefined,
		itemIndex: number,
	): NodeApiError {
		const httpCode = status === undefined ? undefined : String(status);
		// A clean object as the cause: the raw error carries the URL and headers.
		const cause: JsonObject = { message, description, ...(httpCode ? { httpCode } : {}) };
		return new NodeApiError(this.ctx.getNode(), cause, {
			message,
			description,
			httpCode,
			itemIndex,
		});
	}
}

/** The door's errors, in the words of the credential's fields: what happened, what to check, nothing secret. */
import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { Redactor } from '../security/redact';
import type { NetworkFailure } from './answers';
import { isObject } from './answers';
import { foreignAnswer, isPlatformAnswer } from './platformAnswer';
import type { AnswerShape, PlatformRequest, PlatformResponse } from './request';

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

export function clip(text: string, max: number): string {
	return text.length > max ? `${text.slice(0, max)}…` : text;
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

/** Where a redirect points; only its scheme and host are ever shown (its path or query may carry anything). */
function redirectTarget(location: string | undefined, from: string): URL | undefined {
	if (!location) return undefined;
	try {
		return new URL(location, from);
	} catch {
		return undefined;
	}
}

export function redirectError(
	node: INode,
	apiRoot: string,
	req: PlatformRequest,
	response: PlatformResponse,
	itemIndex: number,
	redactor: Redactor,
): NodeApiError {
	const status = response.statusCode;
	const target = redirectTarget(response.headers.location, apiRoot);
	const root = new URL(apiRoot);
	const toHttps =
		target?.protocol === 'https:' && root.protocol === 'http:' && target.hostname === root.hostname;
	const message = `Cloud Elements answered with a redirect (HTTP ${status})${target ? ` to ${target.protocol}//${target.host}` : ''}`;
	const description = [
		'The node does not follow redirects, so that the secrets in the Authorization header never go anywhere else.',
		toHttps
			? 'Change the API Root of the Cloud Elements API credential from http:// to https://.'
			: 'Set the API Root of the Cloud Elements API credential to the platform’s address (e.g. https://api.cloud-elements.com/elements/api-v2); a proxy that redirects to a login page must let n8n through.',
		`${req.method} ${req.path} → HTTP ${status}`,
	].join(' ');
	return apiError(node, redactor.text(message), redactor.text(description), status, itemIndex);
}

export function statusError(
	node: INode,
	req: PlatformRequest,
	response: PlatformResponse,
	itemIndex: number,
	redactor: Redactor,
	retries = 0,
): NodeApiError {
	const status = response.statusCode;
	const body = response.body;
	// A 404 the platform did not send says nothing of what was asked for ("deleted?" would mislead).
	if (status === 404 && !isPlatformAnswer(body)) {
		const { message, description } = foreignAnswer(req, response);
		return apiError(node, redactor.text(message), redactor.text(description), status, itemIndex);
	}
	const json = isObject(body) ? body : undefined;
	const platformMessage =
		typeof json?.message === 'string' && json.message.trim() ? json.message : undefined;
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
		providerMessage
			? `Infusionsoft says: ${clip(providerMessage, MAX_PROVIDER_MESSAGE_LENGTH)}`
			: undefined,
		status < 300
			? 'The answer was cut off or did not come from the platform (a proxy?): check the API Root, and try again.'
			: (req.hints?.[status] ??
				STATUS_HINTS[status] ??
				(status >= 500 ? STATUS_HINTS[500] : undefined)),
		status >= 400
			? req.explain?.([platformMessage, providerMessage].filter(Boolean).join(' '))
			: undefined,
		requestId ? `Request ID: ${requestId}` : undefined,
		`${req.method} ${req.path} → HTTP ${status}`,
	]
		.filter(Boolean)
		.join(' ');

	return apiError(node, redactor.text(message), redactor.text(description), status, itemIndex);
}

export function networkError(
	node: INode,
	where: { apiRoot: string; timeoutMs: number },
	req: PlatformRequest,
	failure: NetworkFailure,
	itemIndex: number,
	retries: number,
): NodeApiError {
	const words = NETWORK_WORDS[failure.code] ?? 'the connection failed';
	const timeout = failure.code === 'ETIMEOUT' ? ` (${where.timeoutMs / 1000} s)` : '';
	const message = `No answer from Cloud Elements: ${words}${timeout}${retries > 0 ? `, ${retries + 1} tries` : ''}`;
	const description = `${req.method} ${req.path} under ${where.apiRoot} (${failure.code}). Check that the API Root of the Cloud Elements API credential is reachable from n8n; raise the Timeout option for slow networks.`;
	return apiError(node, message, description, undefined, itemIndex);
}

/** The node's one kind of platform error, with a clean cause: the raw error carries the URL and headers. */
export function apiError(
	node: INode,
	message: string,
	description: string,
	status: number | undefined,
	itemIndex: number,
): NodeApiError {
	const httpCode = status === undefined ? undefined : String(status);
	const cause: JsonObject = { message, description, ...(httpCode ? { httpCode } : {}) };
	const error = new NodeApiError(node, cause, { message, description, httpCode, itemIndex });
	// NodeApiError swaps a message that mentions a network code for a generic one of its own.
	error.message = message;
	error.description = description;
	return error;
}

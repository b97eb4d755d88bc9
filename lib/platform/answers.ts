/** What an answer or a failed try means to the door: retry or not, how long to wait, and the body read safely. */
import type { IDataObject } from 'n8n-workflow';

import type { AnswerShape } from './request';

/** Statuses worth another try. */
export const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);
/** A proxy that timed out or failed may have passed the request on: unsafe to repeat a create. */
export const MAYBE_PROCESSED_STATUSES = new Set([502, 504]);
/** Connection errors where the request never reached the server; any other failure may have. */
const NOT_SENT_CODES = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
]);

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

export interface NetworkFailure {
	code: string;
	/** False only when the request certainly never reached the server. */
	sent: boolean;
}

export function networkFailure(error: unknown, timedOut: boolean): NetworkFailure {
	if (timedOut) return { code: 'ETIMEOUT', sent: true };
	const seen = new Set<unknown>();
	let current = error as
		| { code?: unknown; cause?: unknown; response?: { status?: unknown } }
		| undefined;
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

export const isObject = (value: unknown): value is IDataObject =>
	value !== null && typeof value === 'object' && !Array.isArray(value);

const hasId = (value: IDataObject) =>
	(typeof value.id === 'number' && Number.isSafeInteger(value.id)) ||
	(typeof value.id === 'string' && /^\d+$/.test(value.id));

export function fitsShape(body: unknown, shape: AnswerShape): boolean {
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

export function lowerCaseHeaders(headers: unknown): Record<string, string> {
	const out: Record<string, string> = {};
	if (headers && typeof headers === 'object') {
		for (const [key, value] of Object.entries(headers as Record<string, unknown>)) {
			out[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
		}
	}
	return out;
}

/** A platform answer never decides an output's prototype: `__proto__` keys are dropped. */
export function parseBody(body: unknown): unknown {
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

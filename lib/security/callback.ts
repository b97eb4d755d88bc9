import { createHash, timingSafeEqual } from 'crypto';

import type { AppKeys, StateContext, StateFailureReason } from './state';
import { verifyState } from './state';

/**
 * Reading and checking Infusionsoft's redirect to the callback URL; pure, shared by the
 * Parse Callback operation and the OAuth Callback Trigger.
 */

export type CallbackQuery = Record<string, unknown>;

export type StateCheck = 'signed' | 'exact' | 'none';

export const STATE_CHECKS: StateCheck[] = ['signed', 'exact', 'none'];

export type CallbackFailureReason =
	| 'denied'
	| 'no-code'
	| 'bad-callback'
	| 'no-state'
	| 'state-mismatch'
	| StateFailureReason;

export interface CallbackCheckOptions {
	stateCheck: StateCheck;
	/** For a signed state. */
	app?: AppKeys;
	/** For `exact`. */
	expectedState?: string;
	maxAgeSeconds: number;
	/** Milliseconds since the epoch. */
	now: number;
}

export interface AuthorizedCallback {
	ok: true;
	code: string;
	state: string | null;
	context: StateContext;
	/** The element a signed state was made for; null otherwise. */
	element: string | null;
	issuedAt: string | null;
}

export interface RefusedCallback {
	ok: false;
	reason: CallbackFailureReason;
	/** Says what is wrong; never contains the code or the state. */
	message: string;
	/** Infusionsoft's `error` and `error_description`, when the user denied access. */
	error?: string;
	errorDescription?: string;
	/** Only when the state was verified. */
	context?: StateContext;
	issuedAt?: string;
}

export type CallbackCheck = AuthorizedCallback | RefusedCallback;

const MAX_CALLBACK_LENGTH = 16_384;
const MAX_CODE_LENGTH = 4096;
const MAX_ERROR_LENGTH = 500;

/** A callback URL (full, or just its `?query`) or a query object, as a query object. */
export function readCallback(
	input: unknown,
): { ok: true; query: CallbackQuery } | { ok: false; message: string } {
	if (input !== null && typeof input === 'object' && !Array.isArray(input)) {
		return { ok: true, query: { ...(input as CallbackQuery) } };
	}
	if (typeof input !== 'string') {
		return { ok: false, message: 'The callback must be a URL, a query string or a query object' };
	}
	const text = input.trim();
	if (text === '') return { ok: false, message: 'The callback is empty' };
	if (text.length > MAX_CALLBACK_LENGTH) {
		return { ok: false, message: `The callback is longer than ${MAX_CALLBACK_LENGTH} characters` };
	}
	const withoutFragment = text.split('#')[0];
	const questionMark = withoutFragment.indexOf('?');
	const search = questionMark === -1 ? withoutFragment : withoutFragment.slice(questionMark + 1);
	if (questionMark === -1 && !search.includes('=')) {
		return { ok: false, message: 'The callback has no query: expected a URL with ?code=…&state=…' };
	}
	const query: CallbackQuery = {};
	for (const [key, value] of new URLSearchParams(search)) {
		if (key === '__proto__') continue;
		const previous = query[key];
		if (previous === undefined) query[key] = value;
		else
			query[key] = Array.isArray(previous) ? [...(previous as string[]), value] : [previous, value];
	}
	return { ok: true, query };
}

type Field = { kind: 'absent' } | { kind: 'one'; value: string } | { kind: 'many' };

/**
 * A query field; a repeated or nested one is ambiguous, as a callback never sends those. A
 * number (a query object built by an expression) is its text; blank text counts as absent.
 */
function field(query: CallbackQuery, key: string): Field {
	const value = Object.prototype.hasOwnProperty.call(query, key) ? query[key] : undefined;
	if (value === undefined || value === null) return { kind: 'absent' };
	if (typeof value === 'number' && Number.isFinite(value))
		return { kind: 'one', value: String(value) };
	if (typeof value !== 'string') return { kind: 'many' };
	return value.trim() === '' ? { kind: 'absent' } : { kind: 'one', value };
}

const clip = (text: string) =>
	text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH)}…` : text;

function sameText(a: string, b: string): boolean {
	const digest = (text: string) => createHash('sha256').update(text).digest();
	return timingSafeEqual(digest(a), digest(b));
}

type StateOutcome =
	| {
			ok: true;
			state: string | null;
			context: StateContext;
			element: string | null;
			issuedAt: string | null;
	  }
	| { ok: false; reason: CallbackFailureReason; message: string };

function checkState(query: CallbackQuery, options: CallbackCheckOptions): StateOutcome {
	const state = field(query, 'state');
	if (state.kind === 'many') {
		return { ok: false, reason: 'bad-callback', message: 'The callback has more than one state' };
	}
	const raw = state.kind === 'one' ? state.value : null;
	if (options.stateCheck === 'none')
		return { ok: true, state: raw, context: null, element: null, issuedAt: null };
	if (raw === null) return { ok: false, reason: 'no-state', message: 'The callback has no state' };

	if (options.stateCheck === 'exact') {
		if (!sameText(raw, options.expectedState ?? '')) {
			return {
				ok: false,
				reason: 'state-mismatch',
				message: 'The state is not the expected value',
			};
		}
		return { ok: true, state: raw, context: null, element: null, issuedAt: null };
	}

	if (!options.app)
		throw new TypeError('A signed state check needs the app’s client ID and secret');
	const verified = verifyState(raw, {
		...options.app,
		maxAgeSeconds: options.maxAgeSeconds,
		now: options.now,
	});
	if (!verified.ok) return verified;
	return {
		ok: true,
		state: raw,
		context: verified.context,
		element: verified.element,
		issuedAt: new Date(verified.issuedAt).toISOString(),
	};
}

/**
 * Checks a callback: `error` first (the user said no), then `code`, then the state.
 * Never throws for any query; messages never contain the code or the state.
 */
export function checkCallback(query: CallbackQuery, options: CallbackCheckOptions): CallbackCheck {
	const error = field(query, 'error');
	if (error.kind !== 'absent') {
		const refused: RefusedCallback = {
			ok: false,
			reason: 'denied',
			error: error.kind === 'one' ? clip(error.value) : 'unreadable',
			message: '',
		};
		const description = field(query, 'error_description');
		if (description.kind === 'one') refused.errorDescription = clip(description.value);
		const state = checkState(query, options);
		let message = `The user did not grant access (${refused.error})`;
		if (state.ok && state.context !== null) refused.context = state.context;
		if (state.ok && state.issuedAt !== null) refused.issuedAt = state.issuedAt;
		if (!state.ok && options.stateCheck !== 'none')
			message += `; besides, the state is not valid: ${state.message}`;
		refused.message = message;
		return refused;
	}

	const code = field(query, 'code');
	if (code.kind === 'absent') {
		return {
			ok: false,
			reason: 'no-code',
			message: 'The callback has neither a code nor an error',
		};
	}
	if (code.kind === 'many') {
		return { ok: false, reason: 'bad-callback', message: 'The callback has more than one code' };
	}
	if (code.value.length > MAX_CODE_LENGTH) {
		return {
			ok: false,
			reason: 'bad-callback',
			message: `The code is longer than ${MAX_CODE_LENGTH} characters`,
		};
	}

	const state = checkState(query, options);
	if (!state.ok) return state;
	return {
		ok: true,
		code: code.value,
		state: state.state,
		context: state.context,
		element: state.element,
		issuedAt: state.issuedAt,
	};
}

/** The query without the authorization code, for outputs that must not carry it. */
export function withoutCode(query: CallbackQuery): CallbackQuery {
	const rest = { ...query };
	delete rest.code;
	return rest;
}

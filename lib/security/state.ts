import { createHash, createHmac, randomBytes, timingSafeEqual } from 'crypto';

/**
 * The signed OAuth `state`: `n8nis1.<payload>.<signature>`, both base64url.
 *
 * The payload is JSON `{ a, t, e, n, c? }`: an app ID (a short hash of the client ID), the
 * issue and expiry times (Unix seconds), a random nonce and the user's context. The
 * signature is an HMAC-SHA256 over `n8nis1.<payload>` with a key derived from the app's
 * client secret, so any n8n worker holding the credential verifies it without stored state.
 * The payload is signed, not encrypted: the context is readable by whoever sees the URL.
 */
export const STATE_PREFIX = 'n8nis1.';

export const MAX_STATE_LENGTH = 2048;
export const MAX_CONTEXT_BYTES = 1024;
/** Tolerated difference between the clocks of the n8n servers that mint and verify. */
export const CLOCK_SKEW_SECONDS = 60;
export const DEFAULT_STATE_LIFETIME_SECONDS = 10 * 60;

const SIGNING_PURPOSE = 'n8n-nodes-infusionsoft-crm/state/v1';
const APP_PURPOSE = 'n8n-nodes-infusionsoft-crm/app/v1\n';
const NONCE_BYTES = 12;
const SIGNATURE_BYTES = 32;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export type StateContext =
	| string
	| number
	| boolean
	| null
	| StateContext[]
	| { [key: string]: StateContext };

export interface AppKeys {
	clientId: string;
	clientSecret: string;
}

export type StateFailureReason =
	| 'malformed'
	| 'bad-signature'
	| 'other-app'
	| 'expired'
	| 'from-the-future';

export type StateVerification =
	| { ok: true; context: StateContext; element: string | null; issuedAt: number; expiresAt: number }
	| { ok: false; reason: StateFailureReason; message: string };

interface Payload {
	a: string;
	t: number;
	e: number;
	n: string;
	c?: StateContext;
	/** The element the OAuth URL was asked for, so the callback side can pass it on to Create. */
	k?: string;
}

function signingKey(clientSecret: string): Buffer {
	if (typeof clientSecret !== 'string' || clientSecret === '') {
		throw new TypeError('The client secret is needed to sign or verify a state');
	}
	return createHmac('sha256', clientSecret).update(SIGNING_PURPOSE).digest();
}

/** Tells apps apart without revealing anything beyond what the public client ID already does. */
export function appId(clientId: string): string {
	return createHash('sha256')
		.update(APP_PURPOSE + clientId)
		.digest()
		.subarray(0, 9)
		.toString('base64url');
}

function sign(key: Buffer, encodedPayload: string): Buffer {
	return createHmac('sha256', key)
		.update(STATE_PREFIX + encodedPayload)
		.digest();
}

/** A context as it will come back from `verifyState`, or an error message. */
export function checkContext(
	context: unknown,
): { ok: true; context: StateContext } | { ok: false; message: string } {
	if (context === undefined || context === '') return { ok: true, context: null };
	let json: string | undefined;
	try {
		json = JSON.stringify(context);
	} catch {
		json = undefined;
	}
	if (json === undefined) return { ok: false, message: 'The context must be text or JSON data' };
	if (Buffer.byteLength(json) > MAX_CONTEXT_BYTES) {
		return {
			ok: false,
			message: `The context is too long: at most ${MAX_CONTEXT_BYTES} bytes as JSON`,
		};
	}
	return { ok: true, context: JSON.parse(json) as StateContext };
}

export interface MintOptions extends AppKeys {
	context?: unknown;
	/** Milliseconds since the epoch. */
	now: number;
	lifetimeSeconds?: number;
	/** Random by default; fixed only in tests. */
	nonce?: Buffer;
	/** The element key, carried back by the callback. */
	element?: string;
}

/** Random bytes drawn from the CSPRNG in blocks: one nonce per item without one system call each. */
const NONCE_BLOCK_BYTES = NONCE_BYTES * 256;
let nonceBlock: Buffer = Buffer.alloc(0);
let nonceAt = 0;

function freshNonce(): Buffer {
	if (nonceAt + NONCE_BYTES > nonceBlock.length) {
		nonceBlock = randomBytes(NONCE_BLOCK_BYTES);
		nonceAt = 0;
	}
	// A copy: each part of the block is handed out once.
	const nonce = Buffer.from(nonceBlock.subarray(nonceAt, nonceAt + NONCE_BYTES));
	nonceAt += NONCE_BYTES;
	return nonce;
}

/**
 * Mints states for one app: the app ID and the signing key are derived once (a hash and an
 * HMAC), then each state costs one HMAC. Made per execution; not kept beyond it.
 */
export class StateSigner {
	private readonly app: string;

	private readonly key: Buffer;

	constructor(keys: AppKeys) {
		this.key = signingKey(keys.clientSecret);
		this.app = appId(keys.clientId);
	}

	mint(options: Omit<MintOptions, keyof AppKeys>): {
		state: string;
		context: StateContext;
		issuedAt: number;
		expiresAt: number;
	} {
		const checked = checkContext(options.context);
		if (!checked.ok) throw new RangeError(checked.message);
		const lifetime = options.lifetimeSeconds ?? DEFAULT_STATE_LIFETIME_SECONDS;
		if (!Number.isInteger(lifetime) || lifetime < 1)
			throw new RangeError('The state lifetime must be a whole number of seconds');
		const issued = Math.floor(options.now / 1000);
		const payload: Payload = {
			a: this.app,
			t: issued,
			e: issued + lifetime,
			n: (options.nonce ?? freshNonce()).toString('base64url'),
		};
		if (checked.context !== null) payload.c = checked.context;
		if (options.element) payload.k = options.element;
		const encoded = Buffer.from(JSON.stringify(payload)).toString('base64url');
		const signature = sign(this.key, encoded).toString('base64url');
		return {
			state: `${STATE_PREFIX}${encoded}.${signature}`,
			context: checked.context,
			issuedAt: issued * 1000,
			expiresAt: payload.e * 1000,
		};
	}
}

export function mintState(options: MintOptions): {
	state: string;
	context: StateContext;
	issuedAt: number;
	expiresAt: number;
} {
	const { clientId, clientSecret, ...rest } = options;
	return new StateSigner({ clientId, clientSecret }).mint(rest);
}

export function isSignedState(value: unknown): value is string {
	return typeof value === 'string' && value.startsWith(STATE_PREFIX);
}

export const USED_STATE_TAG_PREFIX = 'used-state:';

/**
 * The tag an instance carries once a signed state connected or re-authenticated it: the
 * platform remembers which callbacks were used, so no n8n process has to (queue mode), and
 * the tag reveals nothing of the state.
 */
export function usedStateTag(state: string): string {
	return (
		USED_STATE_TAG_PREFIX +
		createHash('sha256').update(state).digest().subarray(0, 12).toString('base64url')
	);
}

/** Decodes base64url only in its canonical form, so that no two texts carry the same bytes. */
function decode(text: string): Buffer | undefined {
	if (!BASE64URL.test(text)) return undefined;
	const bytes = Buffer.from(text, 'base64url');
	return bytes.toString('base64url') === text ? bytes : undefined;
}

function readPayload(bytes: Buffer): Payload | undefined {
	let value: unknown;
	try {
		value = JSON.parse(bytes.toString('utf8'));
	} catch {
		return undefined;
	}
	if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
	const p = value as Record<string, unknown>;
	const isTime = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
	if (
		typeof p.a !== 'string' ||
		typeof p.n !== 'string' ||
		!isTime(p.t) ||
		!isTime(p.e) ||
		p.e < p.t
	) {
		return undefined;
	}
	return p as unknown as Payload;
}

const malformed = (message: string): StateVerification => ({
	ok: false,
	reason: 'malformed',
	message,
});

const UNITS: Array<[string, number]> = [
	['d', 86400],
	['h', 3600],
	['min', 60],
	['s', 1],
];

/** e.g. `45 s`, `10 min`, `5 min 1 s`, `2 h 5 min`, `3 d 1 h`: the two largest adjacent units. */
export function duration(seconds: number): string {
	let rest = Math.max(0, Math.floor(seconds));
	const parts: string[] = [];
	for (const [name, size] of UNITS) {
		const count = Math.floor(rest / size);
		rest -= count * size;
		if (count > 0) parts.push(`${count} ${name}`);
		if (parts.length === 2 || (parts.length === 1 && count === 0)) break;
	}
	return parts.length > 0 ? parts.join(' ') : '0 s';
}

export interface VerifyOptions extends AppKeys {
	/** The oldest state accepted, whatever lifetime it was issued with. */
	maxAgeSeconds: number;
	/** Milliseconds since the epoch. */
	now: number;
}

/**
 * Checks a state from a callback. Never throws for any `state` value; the message says
 * what is wrong without repeating the state.
 */
export function verifyState(state: unknown, options: VerifyOptions): StateVerification {
	if (typeof state !== 'string' || state === '') return malformed('The callback has no state');
	if (state.length > MAX_STATE_LENGTH)
		return malformed(`The state is longer than ${MAX_STATE_LENGTH} characters`);
	if (!state.startsWith(STATE_PREFIX)) {
		return malformed('The state is not a signed state from Get OAuth URL');
	}
	const parts = state.slice(STATE_PREFIX.length).split('.');
	if (parts.length !== 2) return malformed('The state is damaged: it does not have two parts');
	const [encodedPayload, encodedSignature] = parts;
	const payloadBytes = decode(encodedPayload);
	const signature = decode(encodedSignature);
	if (!payloadBytes || !signature || signature.length !== SIGNATURE_BYTES) {
		return malformed('The state is damaged: it is not valid base64url');
	}
	const payload = readPayload(payloadBytes);
	if (!payload) return malformed('The state is damaged: its content cannot be read');

	const ours = appId(options.clientId);
	const expected = sign(signingKey(options.clientSecret), encodedPayload);
	const signed = timingSafeEqual(expected, signature);
	if (payload.a !== ours) {
		// Unsigned as far as we can tell: only a label for the message, rejected either way.
		return {
			ok: false,
			reason: 'other-app',
			message:
				'The state was issued for another Infusionsoft app (another Client ID) than the one of this credential',
		};
	}
	if (!signed) {
		return {
			ok: false,
			reason: 'bad-signature',
			message:
				'The state’s signature does not match: it was altered or forged, or the app’s Client Secret changed since it was issued',
		};
	}

	const now = Math.floor(options.now / 1000);
	if (payload.t > now + CLOCK_SKEW_SECONDS) {
		return {
			ok: false,
			reason: 'from-the-future',
			message: `The state was issued ${duration(payload.t - now)} in the future: check the clocks of the n8n servers`,
		};
	}
	const age = Math.max(0, now - payload.t);
	if (now > payload.e) {
		return {
			ok: false,
			reason: 'expired',
			message: `The state expired: it was issued ${duration(age)} ago and was valid for ${duration(payload.e - payload.t)}`,
		};
	}
	if (age > options.maxAgeSeconds) {
		return {
			ok: false,
			reason: 'expired',
			message: `The state is too old: it was issued ${duration(age)} ago and this node accepts at most ${duration(options.maxAgeSeconds)} (Max State Age)`,
		};
	}
	return {
		ok: true,
		context: payload.c === undefined ? null : payload.c,
		element: typeof payload.k === 'string' ? payload.k : null,
		issuedAt: payload.t * 1000,
		expiresAt: payload.e * 1000,
	};
}

import { createHmac } from 'node:crypto';

import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

import {
	appId,
	CLOCK_SKEW_SECONDS,
	duration,
	MAX_CONTEXT_BYTES,
	MAX_STATE_LENGTH,
	mintState,
	STATE_PREFIX,
	StateSigner,
	verifyState,
} from '../../../lib/security/state';

const APP = { clientId: 'example4ynetc9z7v6vajwvkw', clientSecret: 'cL1ent/Secret+Example=' };
const OTHER_APP = { clientId: 'other-client-id-123', clientSecret: 'other/Secret+Value=' };
const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);
const TEN_MINUTES = 600;

const mint = (
	context: unknown = 'customer-42',
	options: Partial<Parameters<typeof mintState>[0]> = {},
) => mintState({ ...APP, context, now: NOW, ...options }).state;

const verify = (state: unknown, options: Partial<Parameters<typeof verifyState>[1]> = {}) =>
	verifyState(state, { ...APP, maxAgeSeconds: TEN_MINUTES, now: NOW, ...options });

const BASE64URL_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

describe('mintState / verifyState', () => {
	it('carries the element when given, so the callback side can pass it on', () => {
		const minted = mintState({ ...APP, context: 'c', element: 'infusionsoftrest', now: NOW });
		expect(verify(minted.state)).toMatchObject({
			ok: true,
			context: 'c',
			element: 'infusionsoftrest',
		});
	});

	it('round trip: the context, issue and expiry times come back', () => {
		const minted = mintState({ ...APP, context: 'customer-42', now: NOW });
		expect(minted.state.startsWith(STATE_PREFIX)).toBe(true);
		expect(minted.state).toMatch(/^n8nis1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
		expect(minted.issuedAt).toBe(NOW);
		expect(minted.expiresAt).toBe(NOW + TEN_MINUTES * 1000);
		expect(verify(minted.state)).toEqual({
			ok: true,
			context: 'customer-42',
			element: null,
			issuedAt: NOW,
			expiresAt: NOW + TEN_MINUTES * 1000,
		});
	});

	it('is compact and URL-safe', () => {
		const { state } = mintState({ ...APP, context: 'customer-42', now: NOW });
		expect(state.length).toBeLessThan(180);
		expect(encodeURIComponent(state)).toBe(state);
	});

	it('a missing or empty context comes back as null', () => {
		expect(verify(mintState({ ...APP, now: NOW }).state)).toMatchObject({
			ok: true,
			context: null,
		});
		expect(verify(mint(''))).toMatchObject({ ok: true, context: null });
	});

	it('durations in messages name the two largest units', () => {
		expect([0, 45, 60, 61, 300, 301, 3600, 3660, 7505, 90000].map(duration)).toEqual([
			'0 s',
			'45 s',
			'1 min',
			'1 min 1 s',
			'5 min',
			'5 min 1 s',
			'1 h',
			'1 h 1 min',
			'2 h 5 min',
			'1 d 1 h',
		]);
	});

	it('two states minted at the same moment differ (random nonce)', () => {
		expect(mint()).not.toBe(mint());
	});

	it('property: any JSON context up to the size bound survives the round trip', () => {
		fc.assert(
			fc.property(fc.jsonValue({ maxDepth: 3 }), (context) => {
				const json = JSON.stringify(context);
				fc.pre(Buffer.byteLength(json) <= MAX_CONTEXT_BYTES && context !== '');
				const result = verify(mint(context));
				expect(result).toMatchObject({ ok: true, context: JSON.parse(json) });
			}),
			{ numRuns: 300 },
		);
	});

	it('refuses to mint an oversized or non-JSON context', () => {
		expect(() => mint('x'.repeat(MAX_CONTEXT_BYTES + 1))).toThrow(/too long/);
		expect(() => mint(() => 1)).toThrow(/text or JSON/);
		expect(() => mint(10n)).toThrow(/text or JSON/);
	});

	it('property: changing any one character is rejected', () => {
		const state = mint({ customerId: 42, plan: 'gold' });
		fc.assert(
			fc.property(
				fc.integer({ min: 0, max: state.length - 1 }),
				fc.constantFrom(...`${BASE64URL_CHARS}.=+/ %`.split('')),
				(index, replacement) => {
					fc.pre(state[index] !== replacement);
					const tampered = state.slice(0, index) + replacement + state.slice(index + 1);
					expect(verify(tampered).ok).toBe(false);
				},
			),
			{ numRuns: 2000 },
		);
	});

	it('property: flipping any bit of the decoded payload or signature is rejected', () => {
		const state = mint('customer-42');
		const [payload, signature] = state.slice(STATE_PREFIX.length).split('.');
		const bytes = [Buffer.from(payload, 'base64url'), Buffer.from(signature, 'base64url')];
		fc.assert(
			fc.property(
				fc.integer({ min: 0, max: 1 }),
				fc.nat(),
				fc.integer({ min: 0, max: 7 }),
				(part, at, bit) => {
					const copy = [Buffer.from(bytes[0]), Buffer.from(bytes[1])];
					copy[part][at % copy[part].length] ^= 1 << bit;
					const tampered = `${STATE_PREFIX}${copy[0].toString('base64url')}.${copy[1].toString('base64url')}`;
					expect(verify(tampered).ok).toBe(false);
				},
			),
			{ numRuns: 1000 },
		);
	});

	it('a forged state with this app’s ID but another key: bad-signature', () => {
		const payload = Buffer.from(
			JSON.stringify({
				a: appId(APP.clientId),
				t: NOW / 1000,
				e: NOW / 1000 + 600,
				n: 'AAAAAAAAAAAAAAAA',
				c: 'victim',
			}),
		).toString('base64url');
		const key = createHmac('sha256', 'guessed-secret')
			.update('n8n-nodes-infusionsoft-crm/state/v1')
			.digest();
		const signature = createHmac('sha256', key)
			.update(STATE_PREFIX + payload)
			.digest('base64url');
		const result = verify(`${STATE_PREFIX}${payload}.${signature}`);
		expect(result).toMatchObject({ ok: false, reason: 'bad-signature' });
		if (!result.ok) expect(result.message).toMatch(/altered or forged/);
	});

	it('a state of another app: other-app, whether its secret is the same or not', () => {
		const foreign = mintState({ ...OTHER_APP, context: 'c', now: NOW }).state;
		expect(verify(foreign)).toMatchObject({ ok: false, reason: 'other-app' });
		const sameSecret = mintState({
			clientId: OTHER_APP.clientId,
			clientSecret: APP.clientSecret,
			now: NOW,
		}).state;
		expect(verify(sameSecret)).toMatchObject({ ok: false, reason: 'other-app' });
	});

	it('this app with a changed client secret: bad-signature', () => {
		expect(verify(mint(), { clientSecret: 'rotated/Secret=' })).toMatchObject({
			ok: false,
			reason: 'bad-signature',
		});
	});

	it('expiry: valid up to and including its lifetime, expired one second later', () => {
		const state = mint('c', { lifetimeSeconds: 300 });
		expect(verify(state, { now: NOW + 300_000 }).ok).toBe(true);
		const late = verify(state, { now: NOW + 301_000 });
		expect(late).toMatchObject({ ok: false, reason: 'expired' });
		if (!late.ok)
			expect(late.message).toBe(
				'The state expired: it was issued 5 min 1 s ago and was valid for 5 min',
			);
	});

	it('Max State Age caps a longer lifetime, at its exact boundary', () => {
		const state = mint('c', { lifetimeSeconds: 24 * 3600 });
		expect(verify(state, { now: NOW + 600_000 }).ok).toBe(true);
		const old = verify(state, { now: NOW + 601_000 });
		expect(old).toMatchObject({ ok: false, reason: 'expired' });
		if (!old.ok)
			expect(old.message).toMatch(
				/issued 10 min 1 s ago and this node accepts at most 10 min \(Max State Age\)/,
			);
		expect(verify(state, { now: NOW + 3 * 3600_000, maxAgeSeconds: 4 * 3600 }).ok).toBe(true);
	});

	it('from the future: tolerated within the clock skew, refused beyond', () => {
		expect(verify(mint(), { now: NOW - CLOCK_SKEW_SECONDS * 1000 }).ok).toBe(true);
		const ahead = verify(mint(), { now: NOW - (CLOCK_SKEW_SECONDS + 1) * 1000 });
		expect(ahead).toMatchObject({ ok: false, reason: 'from-the-future' });
		if (!ahead.ok) expect(ahead.message).toMatch(/clocks/);
	});

	it('a plain custom state or no state is malformed, with a message saying so', () => {
		expect(verify('customer-42')).toEqual({
			ok: false,
			reason: 'malformed',
			message: 'The state is not a signed state from Get OAuth URL',
		});
		expect(verify(undefined)).toMatchObject({
			ok: false,
			reason: 'malformed',
			message: 'The callback has no state',
		});
		expect(verify('')).toMatchObject({ ok: false, reason: 'malformed' });
	});

	it('bounds the input size', () => {
		const result = verify(STATE_PREFIX + 'A'.repeat(MAX_STATE_LENGTH));
		expect(result).toMatchObject({ ok: false, reason: 'malformed' });
		if (!result.ok) expect(result.message).toMatch(/longer than/);
	});

	it('refuses a signature in non-canonical base64url (same bytes, other text)', () => {
		const state = mint();
		const last = state[state.length - 1];
		// The last of 43 characters carries 4 bits of the signature and 2 unused bits.
		const alphabetIndex = BASE64URL_CHARS.indexOf(last);
		const sibling = BASE64URL_CHARS[(alphabetIndex & ~0b11) | ((alphabetIndex + 1) & 0b11)];
		const twin = state.slice(0, -1) + sibling;
		expect(twin).not.toBe(state);
		expect(Buffer.from(twin.split('.')[2], 'base64url')).toEqual(
			Buffer.from(state.split('.')[2], 'base64url'),
		);
		expect(verify(twin).ok).toBe(false);
	});

	it('property: never throws, whatever it is given', () => {
		const candidates = fc.oneof(
			fc.anything(),
			fc.string(),
			fc.string().map((s) => STATE_PREFIX + s),
			fc.tuple(fc.base64String(), fc.base64String()).map(([a, b]) => `${STATE_PREFIX}${a}.${b}`),
			fc
				.jsonValue()
				.map(
					(v) =>
						`${STATE_PREFIX}${Buffer.from(JSON.stringify(v) ?? '').toString('base64url')}.${'A'.repeat(43)}`,
				),
		);
		fc.assert(
			fc.property(candidates, (value) => {
				const result = verify(value);
				expect(result.ok).toBe(false);
				if (!result.ok) expect(typeof result.message).toBe('string');
			}),
			{ numRuns: 2000 },
		);
	});

	it('messages never repeat the state', () => {
		const state = mint('secret-customer');
		for (const bad of [
			state.slice(0, -2) + 'xx',
			state + 'A',
			state.replace(STATE_PREFIX, 'n8nis2.'),
		]) {
			const result = verify(bad);
			expect(result.ok).toBe(false);
			if (!result.ok) {
				expect(result.message).not.toContain(
					bad.slice(STATE_PREFIX.length, STATE_PREFIX.length + 12),
				);
				expect(result.message).not.toContain('secret-customer');
			}
		}
	});
});

describe('StateSigner: the app keys derived once, a state per call', () => {
	it('mints what mintState mints (same nonce), each state verifiable, every nonce different', () => {
		const signer = new StateSigner(APP);
		const nonce = Buffer.alloc(12, 7);
		expect(signer.mint({ context: 'c', element: 'infusionsoftrest', now: NOW, nonce })).toEqual(
			mintState({ ...APP, context: 'c', element: 'infusionsoftrest', now: NOW, nonce }),
		);
		const nonces = new Set<string>();
		for (let i = 0; i < 600; i++) {
			const { state } = signer.mint({ context: i, now: NOW });
			expect(verify(state)).toMatchObject({ ok: true, context: i });
			const payload = JSON.parse(
				Buffer.from(state.slice(STATE_PREFIX.length).split('.')[0], 'base64url').toString(),
			) as { n: string };
			nonces.add(payload.n);
		}
		expect(nonces.size).toBe(600);
	});
});

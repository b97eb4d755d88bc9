import fc from 'fast-check';

import { REDACTED, Redactor } from '../../../nodes/InfusionsoftCrm/shared/redact';

describe('Redactor', () => {
	const secret = 'uS3r/Secret+Example==';

	it('removes a secret in raw, URL-encoded, form-encoded and JSON-escaped forms', () => {
		const redactor = new Redactor([secret]);
		const texts = [
			`Authorization: User ${secret}`,
			`https://x/y?apiSecret=${encodeURIComponent(secret)}`,
			`apiSecret=${new URLSearchParams({ s: secret }).toString().slice(2)}`,
			JSON.stringify({ s: secret }),
		];
		for (const text of texts) {
			const out = redactor.text(text);
			expect(out).toContain(REDACTED);
			expect(out).not.toContain(secret);
			expect(out).not.toContain(encodeURIComponent(secret));
		}
	});

	it('leaves very short values alone and ignores empty ones', () => {
		const redactor = new Redactor(['', undefined, 'ab']);
		expect(redactor.text('abc ab')).toBe('abc ab');
	});

	it('redacts deep in JSON values and adds per-item secrets with `with`', () => {
		const redactor = new Redactor([secret]).with(['the-code-123']);
		const out = redactor.json({ a: [{ b: `x ${secret}` }], code: 'the-code-123', n: 5, t: true, z: null });
		expect(out).toEqual({ a: [{ b: `x ${REDACTED}` }], code: REDACTED, n: 5, t: true, z: null });
	});

	it('never lets a base64-like secret through, whatever the text around it', () => {
		const secretArb = fc.stringMatching(/^[A-Za-z0-9+/=_-]{10,40}$/);
		fc.assert(
			fc.property(secretArb, fc.string(), fc.string(), (s, before, after) => {
				const redactor = new Redactor([s]);
				const texts = [`${before}${s}${after}`, `${before}${encodeURIComponent(s)}${after}`];
				return texts.every((text) => !redactor.text(text).includes(s));
			}),
		);
	});
});

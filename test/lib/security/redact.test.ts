import fc from 'fast-check';

import {
	MIN_SECRET_LENGTH,
	REDACTED,
	Redactor,
	secretTooShort,
} from '../../../lib/security/redact';

/*
 * The forms below are written out here, independently of the Redactor's own list, so that a
 * form the Redactor forgets fails a test instead of being forgotten twice.
 */
const upperHex = (text: string) => text.replace(/%[0-9a-f]{2}/gi, (e) => e.toUpperCase());
const lowerHex = (text: string) => text.replace(/%[0-9a-f]{2}/gi, (e) => e.toLowerCase());
/** Every other escape upper-case, the rest lower-case. */
const mixedHex = (text: string) => {
	let n = 0;
	return text.replace(/%[0-9a-f]{2}/gi, (e) => (n++ % 2 ? e.toUpperCase() : e.toLowerCase()));
};
const formEncoded = (text: string) => new URLSearchParams({ s: text }).toString().slice(2);
const plusAsSpace = (text: string) => text.replace(/\+/g, ' ');
const jsonEscaped = (text: string) => JSON.stringify(text).slice(1, -1);
const jsonSlashes = (text: string) => jsonEscaped(text).replace(/\//g, '\\/');
const perChar = (text: string, f: (c: string) => string) =>
	[...text].map((c) => (/[A-Za-z0-9]/.test(c) ? c : f(c))).join('');
const htmlHexUpper = (text: string) =>
	perChar(text, (c) => `&#x${c.codePointAt(0)!.toString(16).toUpperCase()};`);
const htmlHexLower = (text: string) =>
	perChar(text, (c) => `&#x${c.codePointAt(0)!.toString(16)};`);
const htmlDecimal = (text: string) => perChar(text, (c) => `&#${c.codePointAt(0)};`);
const htmlMinimal = (apostrophe: string) => (text: string) =>
	text.replace(
		/[&<>"']/g,
		(c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": apostrophe })[c]!,
	);

/** The forms a secret (already as sent) can be seen in, by name. */
const FORMS: Record<string, (s: string) => string> = {
	raw: (s) => s,
	'URL-encoded, upper-case hex': (s) => upperHex(encodeURIComponent(s)),
	'URL-encoded, lower-case hex': (s) => lowerHex(encodeURIComponent(s)),
	'URL-encoded, mixed-case hex': (s) => mixedHex(encodeURIComponent(s)),
	'form-encoded': formEncoded,
	'form-encoded, lower-case hex': (s) => lowerHex(formEncoded(s)),
	'plus read as a space': plusAsSpace,
	'JSON-escaped': jsonEscaped,
	'JSON-escaped with \\/': jsonSlashes,
	'HTML &#xHH; upper-case': htmlHexUpper,
	'HTML &#xhh; lower-case': htmlHexLower,
	'HTML &#DD;': htmlDecimal,
	'HTML minimal, &#39;': htmlMinimal('&#39;'),
	'HTML minimal, &#x27;': htmlMinimal('&#x27;'),
};

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const b64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/** True when some run of base64 characters in the text decodes (at any alignment) to text holding the secret. */
function base64Holds(text: string, secret: string): boolean {
	const needle = Buffer.from(secret, 'utf8');
	for (const [run] of text.matchAll(/[A-Za-z0-9+/_-]{8,}/g)) {
		for (let skip = 0; skip < 4; skip++) {
			if (Buffer.from(run.slice(skip), 'base64').includes(needle)) return true;
		}
	}
	return false;
}

/** The secret in any form listed above, or in base64: the names of the forms found. */
function leaks(text: string, secret: string): string[] {
	const sent = secret.replace(/[\r\n]/g, '').trim();
	const found = Object.entries(FORMS)
		.filter(([, f]) => [secret, sent].some((s) => text.includes(f(s))))
		.map(([name]) => name);
	if (base64Holds(text, sent)) found.push('base64');
	return found;
}

describe('Redactor', () => {
	const secret = 'uS3r/Secret+Example== "q" <&> \'x\'';

	describe('removes each form a secret travels in', () => {
		const redactor = new Redactor([secret]);

		it.each(Object.entries(FORMS))('%s', (_name, form) => {
			const out = redactor.text(`before ${form(secret)} after`);
			expect(out).toBe(`before ${REDACTED} after`);
			expect(leaks(out, secret)).toEqual([]);
		});

		it('the trimmed secret that n8n sends, when the credential has a trailing space or newline', () => {
			const padded = new Redactor(['  uS3r/Secret+Example==\n']);
			expect(padded.text('Authorization: User uS3r/Secret+Example==, Organization x')).toBe(
				`Authorization: User ${REDACTED}, Organization x`,
			);
			expect(padded.text(`q=${encodeURIComponent('uS3r/Secret+Example==')}`)).toBe(`q=${REDACTED}`);
		});

		it('the secret with CR/LF removed, as a header carries it', () => {
			const split = new Redactor(['uS3r/Sec\r\nret+Example==']);
			expect(split.text('User uS3r/Secret+Example==, Organization x')).toBe(
				`User ${REDACTED}, Organization x`,
			);
		});

		it('a raw secret with + that a server decoded as form data', () => {
			const out = new Redactor(['a+b+c+d+e+f']).text('echo: a b c d e f.');
			expect(out).toBe(`echo: ${REDACTED}.`);
		});

		it.each([0, 1, 2, 3, 4, 5])(
			'base64 and base64url of a whole Authorization header (prefix of %i characters)',
			(shift) => {
				const userSecret = 'SntlUSR/q8+Zk3Wv/Pw9x+Fa==';
				const orgSecret = 'SntlORG+7bQ/mR2+Lk/4Yt8e=';
				const twoSecrets = new Redactor([userSecret, orgSecret]);
				const header = `${'x'.repeat(shift)}User ${userSecret}, Organization ${orgSecret}`;
				for (const encoded of [b64(header), b64url(header)]) {
					const out = twoSecrets.text(`Authorization: Basic ${encoded}.`);
					expect(out).toContain(REDACTED);
					expect(base64Holds(out, userSecret)).toBe(false);
					expect(base64Holds(out, orgSecret)).toBe(false);
					expect(out.startsWith('Authorization: Basic ')).toBe(true);
				}
			},
		);

		it('the base64 of a secret alone, and of the secret URL-encoded in a query', () => {
			const s = 'uS3r/Secret+Example==';
			const one = new Redactor([s]);
			for (const text of [b64(s), b64url(s), b64(`a=1&secret=${encodeURIComponent(s)}&b=2`)]) {
				const out = one.text(text);
				expect(out).toContain(REDACTED);
				expect(base64Holds(out, s)).toBe(false);
				expect(base64Holds(out, encodeURIComponent(s))).toBe(false);
			}
		});

		it('a percent-encoded URL carried in another URL (double encoding)', () => {
			const s = 'uS3r/Secret+Example==';
			const out = new Redactor([s]).text(
				`?next=${encodeURIComponent(`?k=${encodeURIComponent(s)}`)}`,
			);
			expect(out).toBe(`?next=%3Fk%3D${REDACTED}`);
		});
	});

	describe('never mangles its marker', () => {
		it('does not read again the marker it put in (a second secret overlapping the marker)', () => {
			const redactor = new Redactor(['secret-number-one', 'redacted]x', 'x[redacted']);
			expect(redactor.text('a secret-number-onex b')).toBe(`a ${REDACTED}x b`);
			expect(redactor.text('a xsecret-number-one b')).toBe(`a x${REDACTED} b`);
			expect(redactor.text('a redacted]x b x[redacted c')).toBe(`a ${REDACTED} b ${REDACTED} c`);
		});

		it('leaves a marker already in the text alone when a secret lies wholly inside it', () => {
			const redactor = new Redactor(['secret-number-one', 'redacted', '[redacte']);
			expect(redactor.text(`x ${REDACTED} y`)).toBe(`x ${REDACTED} y`);
			const once = redactor.text('x secret-number-one y redacted z');
			expect(once).toBe(`x ${REDACTED} y ${REDACTED} z`);
			expect(redactor.text(once)).toBe(once);
		});

		it('ignores secrets shorter than the minimum (dact, [red, …), which would eat into it', () => {
			const redactor = new Redactor(['secret-number-one', 'dact', '[red', 'ted]', 'e']);
			expect(redactor.text('a secret-number-one b; redact')).toBe(`a ${REDACTED} b; redact`);
		});

		it('replaces overlapping forms of two secrets with one marker, leaving no piece of either', () => {
			const redactor = new Redactor(['abcdefghij', 'ghijklmnopq']);
			expect(redactor.text('<abcdefghijklmnopq>')).toBe(`<${REDACTED}>`);
			expect(redactor.text('<abcdefghij ghijklmnopq>')).toBe(`<${REDACTED} ${REDACTED}>`);
		});
	});

	describe('secrets too short to be told apart from ordinary text', () => {
		it('are at most MIN_SECRET_LENGTH - 1 characters once trimmed and stripped of CR/LF', () => {
			expect(MIN_SECRET_LENGTH).toBe(8);
			expect(secretTooShort('')).toBe(false);
			expect(secretTooShort('  \r\n ')).toBe(false);
			expect(secretTooShort('a')).toBe(true);
			expect(secretTooShort('abc')).toBe(true);
			expect(secretTooShort(' abcdefg\n')).toBe(true);
			expect(secretTooShort('abc\r\ndefg')).toBe(true);
			expect(secretTooShort('abcdefgh')).toBe(false);
			expect(secretTooShort(' abcd\r\nefgh ')).toBe(false);
		});

		it('are ignored by the Redactor: an Encrypted Key "http" leaves URLs intact', () => {
			const redactor = new Redactor(['http', 'a', 'ab', 'abc', '  abcdefg  ', '', undefined]);
			const text = 'https://api.example.com/http?a=abc&b=abcdefg';
			expect(redactor.text(text)).toBe(text);
			expect(redactor.with(['s', 'xyz']).text(text)).toBe(text);
		});
	});

	describe('json', () => {
		const s = 'uS3r/Secret+Example==';
		const redactor = new Redactor([s]);

		it('redacts deep in JSON values and adds per-item secrets with `with`', () => {
			const withCode = redactor.with(['the-code-123']);
			const out = withCode.json({
				a: [{ b: `x ${s}` }],
				code: 'the-code-123',
				n: 5,
				t: true,
				z: null,
			});
			expect(out).toEqual({ a: [{ b: `x ${REDACTED}` }], code: REDACTED, n: 5, t: true, z: null });
			expect(redactor.text('the-code-123')).toBe('the-code-123');
			expect(withCode.with(['the-code-123'])).toBe(withCode);
		});

		it("never lets a __proto__ key become the copy's prototype", () => {
			const parsed = JSON.parse(
				`{"__proto__": {"polluted": "${s}", "isAdmin": true}, "ok": 1}`,
			) as object;
			const out = redactor.json(parsed) as Record<string, unknown>;
			expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
			expect(Object.prototype.hasOwnProperty.call(out, '__proto__')).toBe(false);
			expect(out.isAdmin).toBeUndefined();
			expect(out).toEqual({ ok: 1 });
			expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		});

		it('copies own properties only, and redacts keys without letting two collide', () => {
			const proto = { inherited: s };
			const value = Object.assign(Object.create(proto) as object, {
				[`a ${s}`]: 1,
				[`a ${encodeURIComponent(s)}`]: 2,
			});
			const out = redactor.json(value) as Record<string, unknown>;
			expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
			expect(out).toEqual({ [`a ${REDACTED}`]: 1, [`a ${REDACTED} (2)`]: 2 });
		});

		it('redacts a number that is a numeric secret', () => {
			const numeric = new Redactor(['123456789']);
			expect(numeric.json({ key: 123456789, other: 42, text: 'k=123456789' })).toEqual({
				key: REDACTED,
				other: 42,
				text: `k=${REDACTED}`,
			});
		});
	});

	describe('properties', () => {
		const secretArb = fc
			.string({
				unit: fc.constantFrom(...'/+= %&<>"\'abcXYZqrs'.split('')),
				minLength: 8,
				maxLength: 30,
			})
			.filter((s) => !secretTooShort(s) && s.trim() !== '');
		/** Text around the secret: none of it can begin or end a form. */
		const aroundArb = fc.string({
			unit: fc.constantFrom(...'!~@.,:()*|#'.split('')),
			maxLength: 12,
		});
		const forms = Object.entries(FORMS);

		it('no form of the secret survives, and the text around it does', () => {
			fc.assert(
				fc.property(
					secretArb,
					fc.constantFrom(...forms),
					aroundArb,
					aroundArb,
					(s, [, form], before, after) => {
						const out = new Redactor([s]).text(`${before}${form(s)}${after}`);
						return out === `${before}${REDACTED}${after}` && leaks(out, s).length === 0;
					},
				),
				{ numRuns: 500 },
			);
		});

		it('no base64 of a header holding the secret decodes to it after redaction', () => {
			fc.assert(
				fc.property(
					secretArb,
					fc.nat(5),
					fc.boolean(),
					aroundArb,
					aroundArb,
					(s, shift, url, before, after) => {
						const sent = s.replace(/[\r\n]/g, '').trim();
						const header = `${'x'.repeat(shift)}User ${sent}, Organization y`;
						const out = new Redactor([s]).text(
							`${before}${url ? b64url(header) : b64(header)}${after}`,
						);
						return (
							out.includes(REDACTED) &&
							!base64Holds(out, sent) &&
							out.startsWith(before) &&
							out.endsWith(after)
						);
					},
				),
				{ numRuns: 300 },
			);
		});

		it('text without the secret comes out unchanged', () => {
			fc.assert(
				fc.property(secretArb, fc.string({ maxLength: 200 }), (s, text) => {
					fc.pre(leaks(text, s).length === 0 && !text.includes(s.replace(/[\r\n]/g, '').trim()));
					return new Redactor([s]).text(text) === text;
				}),
				{ numRuns: 300 },
			);
		});
	});
});

/**
 * The leak detector on its own: each form a secret can travel in is caught, and clean text is
 * not. The fault suite's "no sentinel anywhere" checks are only as good as this.
 */
import { describe, expect, it } from '@jest/globals';

import {
	expectNoSecretsIn,
	findLeak,
	namedSecretForms,
	SECRET_SENTINELS,
	SENTINEL,
	secretForms,
} from './support';

const user = SENTINEL.userSecret;
const org = SENTINEL.organizationSecret;
const header = `Authorization: User ${user}, Organization ${org}`;

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const b64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
const perChar = (text: string, f: (c: string) => string) =>
	[...text].map((c) => (/[A-Za-z0-9]/.test(c) ? c : f(c))).join('');

/** The message the detector fails with, or undefined. */
function caught(text: string, secrets: string[] = SECRET_SENTINELS): string | undefined {
	try {
		expectNoSecretsIn(text, secrets);
		return undefined;
	} catch (error) {
		return (error as Error).message;
	}
}

/** The message names the form and the field, and shows no form of any secret. */
function expectCaught(text: string, form: RegExp, secrets: string[] = SECRET_SENTINELS): void {
	const message = caught(text, secrets);
	expect(message).toMatch(/^A sentinel leaked \(/);
	expect(message).toMatch(form);
	for (const secret of secrets) {
		for (const shown of secretForms(secret)) expect(message).not.toContain(shown);
	}
	expect(findLeak(message!, secrets)).toBeUndefined();
}

describe('the leak detector', () => {
	describe('catches each form of a secret', () => {
		const secret = ' My "odd" <secret> & \'more\' a+b/c=\n';
		const sent = secret.replace(/[\r\n]/g, '').trim();
		const cases: Array<[string, string, RegExp]> = [
			['raw', `x ${secret} y`, /raw/],
			['trimmed', `User ${secret.trim()}, Organization`, /raw, trimmed/],
			[
				'URL-encoded, upper-case hex',
				`?s=${encodeURIComponent(sent)}`,
				/URL-encoded, upper-case hex/,
			],
			[
				'URL-encoded, lower-case hex',
				`?s=${encodeURIComponent(sent).replace(/%../g, (e) => e.toLowerCase())}`,
				/URL-encoded, lower-case hex/,
			],
			[
				'URL-encoded, mixed-case hex',
				`?s=${encodeURIComponent(sent).replace(/%2F/g, '%2f')}`,
				/mixed-case hex/,
			],
			['form-encoded', `s=${new URLSearchParams({ s: sent }).toString().slice(2)}`, /form-encoded/],
			['+ read as a space', `echo ${sent.replace(/\+/g, ' ')}`, /\+ read as a space/],
			['JSON-escaped', JSON.stringify({ s: sent }), /JSON-escaped/],
			[
				'JSON-escaped with \\/',
				JSON.stringify({ s: sent }).replace(/\//g, '\\/'),
				/JSON-escaped with \\\//,
			],
			[
				'HTML &#xHH;',
				perChar(sent, (c) => `&#x${c.charCodeAt(0).toString(16).toUpperCase()};`),
				/HTML &#xHH;/,
			],
			['HTML &#xhh;', perChar(sent, (c) => `&#x${c.charCodeAt(0).toString(16)};`), /HTML &#xhh;/],
			['HTML &#DD;', perChar(sent, (c) => `&#${c.charCodeAt(0)};`), /HTML &#DD;/],
			[
				'HTML &amp; &lt; &gt; &quot; &#39;',
				sent
					.replace(/&/g, '&amp;')
					.replace(/</g, '&lt;')
					.replace(/>/g, '&gt;')
					.replace(/"/g, '&quot;')
					.replace(/'/g, '&#39;'),
				/HTML-escaped \(&#39;\)/,
			],
			[
				'HTML &#x27;',
				sent
					.replace(/&/g, '&amp;')
					.replace(/</g, '&lt;')
					.replace(/>/g, '&gt;')
					.replace(/"/g, '&quot;')
					.replace(/'/g, '&#x27;'),
				/HTML-escaped \(&#x27;\)/,
			],
			['base64 of the secret', `token ${b64(sent)}`, /base64/],
		];

		it.each(cases)('%s', (_name, text, form) => {
			expectCaught(text, form, [secret]);
		});

		it('with CR/LF removed, as a header carries it', () => {
			expectCaught('User SntlX/ab+cd==efgh, Organization', /raw, CR\/LF removed/, [
				'SntlX/ab\r\n+cd==efgh',
			]);
			expectCaught(
				`?s=${encodeURIComponent('SntlX/ab+cd==efgh')}`,
				/URL-encoded, upper-case hex, CR\/LF removed/,
				['SntlX/ab\r\n+cd==efgh'],
			);
		});

		it.each(
			SECRET_SENTINELS.flatMap((s) =>
				namedSecretForms(s).map(({ name, form }) => [name, s, form] as const),
			),
		)('every form it lists: %s of a sentinel', (name, s, form) => {
			const message = caught(`<p>before ${form} after</p>`);
			expect(message).toContain(`, ${name}`);
			expect(message).toContain(Object.entries(SENTINEL).find(([, v]) => v === s)![0]);
		});
	});

	describe('catches base64 of a text holding a secret, at any offset', () => {
		it.each([0, 1, 2, 3, 4, 5, 6, 7])(
			'the whole Authorization header, shifted by %i characters',
			(shift) => {
				const text = `${'>'.repeat(shift)}${header}`;
				expectCaught(`Basic ${b64(text)}`, /\(userSecret, base64\)/);
				expectCaught(`basic:${b64url(text)}`, /\(userSecret, base64\)/);
				expectCaught(`x${b64(text).replace(/=+$/, '')}y`, /\(userSecret, base64\)/);
			},
		);

		it('the organisation secret alone in base64, and a query string with the code URL-encoded', () => {
			expectCaught(`"${b64(`Organization ${org}`)}"`, /\(organizationSecret, base64\)/);
			expectCaught(
				b64url(`https://x.example/cb?state=s&code=${encodeURIComponent(SENTINEL.code)}`),
				/\(code, base64\)/,
			);
		});

		it('an extra secret given by the test (an authorization code), trimmed', () => {
			expectCaught(b64('code=code-4f9a/77+xyz'), /\(secret #1, base64\)/, ['  code-4f9a/77+xyz\n']);
		});
	});

	describe('does not fire on clean text', () => {
		it('text that names no secret, markers, near misses and unrelated base64', () => {
			const near = user.slice(0, -3);
			const clean = [
				'Cloud Elements answered HTTP 401: Authorization: User [redacted], Organization [redacted]',
				`near miss: ${near} ${encodeURIComponent(near)} ${b64(`User ${near}`)}`,
				b64('Authorization: User someone-else, Organization another-one'),
				'https://n8n.sentinel.example/webhook/infusionsoft-crm/callback?code=[redacted]&state=n8nis1.e30.AAAA',
				`${SENTINEL.clientId} ${SENTINEL.server} ${SENTINEL.callbackUrl}`,
				'/srv/app/node_modules/n8n-workflow/dist/errors/node-api.error.js:123:45',
				'',
			].join('\n');
			expect(findLeak(clean, SECRET_SENTINELS)).toBeUndefined();
			expect(() => expectNoSecretsIn(clean, SECRET_SENTINELS)).not.toThrow();
		});

		it('empty or blank extra secrets are no secrets', () => {
			expect(() => expectNoSecretsIn('some text', ['', '   '])).not.toThrow();
		});
	});

	it('shows no other secret in the text it quotes before the leak', () => {
		const message = caught(
			`${org} ${encodeURIComponent(SENTINEL.clientSecret)} then ${b64(user)}`,
			[user, org, SENTINEL.clientSecret],
		);
		// The first leak found is the user secret's base64 only if nothing else was: here the raw organisation secret is.
		expect(message).toMatch(/organizationSecret, raw/);
		expect(
			caught(`${encodeURIComponent(SENTINEL.clientSecret)} then ${user}`, [
				user,
				SENTINEL.clientSecret,
			]),
		).toMatch(/\(userSecret, raw\) after: "<secret> then "/);
	});
});

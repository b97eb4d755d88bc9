import fc from 'fast-check';

import { normalizeApiRoot } from '../../../lib/security/apiRoot';
import { normalizeServer } from '../../../lib/keap/server';

describe('normalizeServer', () => {
	it.each([
		['dt123.infusionsoft.com', 'dt123.infusionsoft.com'],
		['https://dt123.infusionsoft.com', 'dt123.infusionsoft.com'],
		['https://dt123.infusionsoft.com/', 'dt123.infusionsoft.com'],
		['  DT123.Infusionsoft.com/app/ ', 'dt123.infusionsoft.com'],
		['http://dt123.infusionsoft.com:8443/x?y=1', 'dt123.infusionsoft.com:8443'],
	])('%s → %s', (input, expected) => {
		expect(normalizeServer(input)).toBe(expected);
	});

	it.each(['', '   ', 'not a host', 'localhost', 'https://', 'dt123 .infusionsoft.com'])(
		'rejects %j',
		(input) => {
			expect(normalizeServer(input)).toBeUndefined();
		},
	);

	it('gives the same host with or without scheme and trailing slash', () => {
		const label = fc.stringMatching(/^[a-z0-9]{1,10}$/);
		fc.assert(
			fc.property(label, label, (a, b) => {
				const host = `${a}.${b}.com`;
				const forms = [host, `https://${host}`, `https://${host}/`, `${host}/`, host.toUpperCase()];
				return new Set(forms.map(normalizeServer)).size === 1 && normalizeServer(host) === host;
			}),
		);
	});
});

describe('normalizeApiRoot', () => {
	it.each([
		[
			'https://api.cloud-elements.com/elements/api-v2',
			'https://api.cloud-elements.com/elements/api-v2',
		],
		[
			'https://api.cloud-elements.com/elements/api-v2/',
			'https://api.cloud-elements.com/elements/api-v2',
		],
		['https://api.cloud-elements.co.uk', 'https://api.cloud-elements.co.uk/elements/api-v2'],
		['https://staging.cloud-elements.com/', 'https://staging.cloud-elements.com/elements/api-v2'],
		[
			' https://api.openconnectors.eu10.ext.hana.ondemand.com/elements/api-v2// ',
			'https://api.openconnectors.eu10.ext.hana.ondemand.com/elements/api-v2',
		],
	])('%s → %s', (input, expected) => {
		expect(normalizeApiRoot(input)).toBe(expected);
	});
});

import fc from 'fast-check';

import { appProblems, instanceBody, readApp } from '../../../nodes/InfusionsoftCrm/shared/app';
import { parseTags, readBoolean } from '../../../nodes/InfusionsoftCrm/shared/input';

describe('parseTags', () => {
	it.each([
		['', []],
		['a', ['a']],
		[' a , b,,a ', ['a', 'b']],
		[['x', ' y ', 3], ['x', 'y', '3']],
	])('%j → %j', (input, expected) => {
		expect(parseTags(input)).toEqual(expected);
	});

	it.each([{ a: 1 }, [{}], true, [['nested']]])('rejects %j', (input) => {
		expect(parseTags(input)).toBeUndefined();
	});

	it('never returns empty or repeated tags', () => {
		fc.assert(
			fc.property(fc.oneof(fc.string(), fc.array(fc.string())), (input) => {
				const tags = parseTags(input)!;
				return tags.every((t) => t.trim() === t && t !== '') && new Set(tags).size === tags.length;
			}),
		);
	});
});

describe('readApp and instanceBody', () => {
	const complete = {
		clientId: 'client-1',
		clientSecret: 'cl1ent/Secret+x==',
		callbackUrl: 'https://n8n.example.com/webhook/cb',
		server: 'https://DT123.infusionsoft.com/',
		encryptedKey: '47d9d59aa25f7e4fc00f73331071edb4',
	};

	it('maps the credential to the seed’s five configuration keys for infusionsoftcrm, the server normalised', () => {
		const { app, problems } = readApp(complete);
		expect(problems).toEqual([]);
		expect(instanceBody(app, 'infusionsoftcrm', { code: 'c0de-0000', name: 'n', tags: ['t'] })).toEqual({
			element: { key: 'infusionsoftcrm' },
			providerData: { code: 'c0de-0000' },
			tags: ['t'],
			name: 'n',
			configuration: {
				'oauth.callback.url': 'https://n8n.example.com/webhook/cb',
				'oauth.api.key': 'client-1',
				'oauth.api.secret': 'cl1ent/Secret+x==',
				'infusionsoft.server': 'dt123.infusionsoft.com',
				'infusionsoft.private.key': '47d9d59aa25f7e4fc00f73331071edb4',
			},
		});
	});

	it('sends exactly the three OAuth keys for infusionsoftrest, whatever else the credential holds', () => {
		const { app } = readApp(complete);
		expect(instanceBody(app, 'infusionsoftrest', { code: 'c0de-0000', name: 'n', tags: [] }).configuration).toEqual({
			'oauth.callback.url': 'https://n8n.example.com/webhook/cb',
			'oauth.api.key': 'client-1',
			'oauth.api.secret': 'cl1ent/Secret+x==',
		});
	});

	it('names every unusable field, for the use at hand', () => {
		const { app, problems } = readApp({ clientId: ' ', clientSecret: '', callbackUrl: 'not a url', server: 'x y', encryptedKey: 'http' });
		expect(appProblems(app, problems, 'infusionsoftcrm')).toEqual([
			'Client ID is empty',
			'Client Secret is empty',
			'Callback URL is not an http(s) URL',
			'Infusionsoft Server is not a host name such as dt123.infusionsoft.com',
			'Encrypted Key is shorter than 8 characters, which no real one is',
		]);
		// Keap REST needs neither the server nor the key.
		expect(appProblems(app, problems, 'infusionsoftrest')).toEqual([
			'Client ID is empty',
			'Client Secret is empty',
			'Callback URL is not an http(s) URL',
		]);
		// A signed state needs only the client ID and secret.
		expect(appProblems(app, problems, 'state')).toEqual(['Client ID is empty', 'Client Secret is empty']);
	});

	it('an empty Server is a problem only for the legacy element', () => {
		const { app, problems } = readApp({ ...complete, server: '', encryptedKey: '' });
		expect(problems).toEqual([]);
		expect(appProblems(app, problems, 'infusionsoftrest')).toEqual([]);
		expect(appProblems(app, problems, 'infusionsoftcrm')).toEqual(['Infusionsoft Server is empty (the infusionsoftcrm element needs it)']);
	});

	it('accepts an empty Encrypted Key and sends it as given', () => {
		const { app, problems } = readApp({ ...complete, encryptedKey: '' });
		expect(problems).toEqual([]);
		expect((instanceBody(app, 'infusionsoftcrm', { code: 'c0de-0000', name: 'n', tags: [] }).configuration as Record<string, string>)['infusionsoft.private.key']).toBe('');
	});
});

describe('readBoolean', () => {
	it.each([
		[true, true],
		[false, false],
		['true', true],
		[' FALSE ', false],
	])('%j → %j', (input, expected) => {
		expect(readBoolean(input)).toBe(expected);
	});

	it.each(['', 'yes', 'no', 0, 1, null, undefined, [], {}])('refuses %j', (input) => {
		expect(readBoolean(input)).toBeUndefined();
	});
});

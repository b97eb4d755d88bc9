import fc from 'fast-check';
import type { IExecuteFunctions } from 'n8n-workflow';

import { appProblems, instanceBody, readApp } from '../../../lib/security/app';
import { holdsExpression, nodeParameter, parseTags, readBoolean } from '../../../lib/params/input';
import { InfusionsoftCrm } from '../../../nodes/InfusionsoftCrm/InfusionsoftCrm.node';

describe('parseTags', () => {
	it.each([
		['', []],
		['a', ['a']],
		[' a , b,,a ', ['a', 'b']],
		[
			['x', ' y ', 3],
			['x', 'y', '3'],
		],
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
		expect(
			instanceBody(app, 'infusionsoftcrm', { code: 'c0de-0000', name: 'n', tags: ['t'] }),
		).toEqual({
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
		expect(
			instanceBody(app, 'infusionsoftrest', { code: 'c0de-0000', name: 'n', tags: [] })
				.configuration,
		).toEqual({
			'oauth.callback.url': 'https://n8n.example.com/webhook/cb',
			'oauth.api.key': 'client-1',
			'oauth.api.secret': 'cl1ent/Secret+x==',
		});
	});

	it('names every unusable field, for the use at hand', () => {
		const { app, problems } = readApp({
			clientId: ' ',
			clientSecret: '',
			callbackUrl: 'not a url',
			server: 'x y',
			encryptedKey: 'http',
		});
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
		expect(appProblems(app, problems, 'state')).toEqual([
			'Client ID is empty',
			'Client Secret is empty',
		]);
	});

	it('an empty Server is a problem only for the legacy element', () => {
		const { app, problems } = readApp({ ...complete, server: '', encryptedKey: '' });
		expect(problems).toEqual([]);
		expect(appProblems(app, problems, 'infusionsoftrest')).toEqual([]);
		expect(appProblems(app, problems, 'infusionsoftcrm')).toEqual([
			'Infusionsoft Server is empty (the infusionsoftcrm element needs it)',
		]);
	});

	it('accepts an empty Encrypted Key and sends it as given', () => {
		const { app, problems } = readApp({ ...complete, encryptedKey: '' });
		expect(problems).toEqual([]);
		expect(
			(
				instanceBody(app, 'infusionsoftcrm', { code: 'c0de-0000', name: 'n', tags: [] })
					.configuration as Record<string, string>
			)['infusionsoft.private.key'],
		).toBe('');
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

describe('nodeParameter: what holds no expression is read once per execution', () => {
	/** A stand-in for n8n's context: `values[name]` is the raw parameter; `=…` resolves per item. */
	function fakeContext(values: Record<string, unknown>) {
		const reads: string[] = [];
		const rawReads: string[] = [];
		const resolve = (value: unknown, itemIndex: number): unknown => {
			if (typeof value === 'string' && value.startsWith('='))
				return `${value.slice(1)}#${itemIndex}`;
			if (Array.isArray(value)) return value.map((v) => resolve(v, itemIndex));
			if (value !== null && typeof value === 'object') {
				return Object.fromEntries(
					Object.entries(value).map(([k, v]) => [k, resolve(v, itemIndex)]),
				);
			}
			return value;
		};
		const ctx = {
			getNodeParameter(
				name: string,
				itemIndex: number,
				fallback?: unknown,
				options?: { rawExpressions?: boolean },
			) {
				const raw = name in values ? values[name] : fallback;
				if (options?.rawExpressions) {
					rawReads.push(`${name}@${itemIndex}`);
					return raw;
				}
				reads.push(`${name}@${itemIndex}`);
				return resolve(raw, itemIndex);
			},
		};
		return { ctx: ctx as unknown as IExecuteFunctions, reads, rawReads };
	}

	describe('a plain path into the item, ={{ $json.a.b }}', () => {
		/** n8n's answer for `={{ $json.<path> }}`, or `answer(item)` when given; evaluations counted. */
		function pathContext(raw: string, items: object[], answer?: (json: object) => unknown) {
			const evaluated: number[] = [];
			const path = /\$json\.([\w.]+)/.exec(raw)?.[1].split('.') ?? [];
			const ctx = {
				getInputData: () => items.map((json) => ({ json })),
				getNodeParameter(name: string, itemIndex: number, fallback?: unknown, options?: object) {
					if (options) return raw;
					evaluated.push(itemIndex);
					const json = items[itemIndex];
					if (answer) return answer(json);
					return path.reduce<unknown>(
						(v, k) => (v as Record<string, unknown> | undefined)?.[k],
						json,
					);
				},
			};
			return { ctx: ctx as unknown as IExecuteFunctions, evaluated };
		}
		const read = (ctx: IExecuteFunctions, count: number) =>
			Array.from({ length: count }, (_, i) => nodeParameter(ctx, 'state', i, ''));

		it("reads texts, numbers and booleans from the item after n8n's first answer agreed", () => {
			const items = [{ c: { id: 'a' } }, { c: { id: 7 } }, { c: { id: true } }, { c: { id: 'd' } }];
			const { ctx, evaluated } = pathContext('={{  $json.c.id }}', items);
			expect(read(ctx, 4)).toEqual(['a', 7, true, 'd']);
			expect(evaluated).toEqual([0]);
		});

		it('leaves n8n to evaluate an item whose value is anything else', () => {
			const items = [
				{ c: 'a' },
				{ c: { nested: 1 } },
				{},
				{ c: null },
				{ c: Infinity },
				{ c: 'f' },
			];
			const { ctx, evaluated } = pathContext('={{ $json.c }}', items);
			expect(read(ctx, 6)).toEqual(['a', { nested: 1 }, undefined, null, Infinity, 'f']);
			expect(evaluated).toEqual([0, 1, 2, 3, 4]);
		});

		it("evaluates every item when n8n's answer differs from the item's value", () => {
			const items = [{ c: 'a' }, { c: 'b' }];
			const { ctx, evaluated } = pathContext('={{ $json.c }}', items, (json) =>
				String((json as { c: string }).c).toUpperCase(),
			);
			expect(read(ctx, 2)).toEqual(['A', 'B']);
			expect(evaluated).toEqual([0, 1]);
		});

		it('is only taken where n8n would hand the value over unchanged: no parameter declares validateType', () => {
			// n8n checks (and may convert) an evaluated value only against a property's validateType.
			const declaring: string[] = [];
			const walk = (list: unknown[] | undefined, at: string): void => {
				for (const entry of list ?? []) {
					const p = entry as {
						name?: string;
						validateType?: unknown;
						options?: unknown[];
						values?: unknown[];
					};
					if (p.validateType !== undefined) declaring.push(`${at}${p.name}`);
					walk(Array.isArray(p.options) ? p.options : undefined, `${at}${p.name}.`);
					walk(Array.isArray(p.values) ? p.values : undefined, `${at}${p.name}.`);
				}
			};
			walk(new InfusionsoftCrm().description.properties, '');
			expect(declaring).toEqual([]);
		});

		it.each([
			'={{ "x" + $json.c }}',
			'=id {{ $json.c }}',
			'={{ $json["c"] }}',
			'={{ $json.c }} ',
			'={{ $json }}',
			'={{ $json.c.toUpperCase() }}',
		])('evaluates %s for every item', (raw) => {
			const { ctx, evaluated } = pathContext(raw, [{ c: 'a' }, { c: 'b' }], () => 'n8n');
			expect(read(ctx, 2)).toEqual(['n8n', 'n8n']);
			expect(evaluated).toEqual([0, 1]);
		});
	});

	it('looks at a raw value once per execution, expression or not', () => {
		const { ctx, rawReads, reads } = fakeContext({ fixed: 'a', expr: '=b' });
		for (const i of [0, 1, 2]) {
			expect(nodeParameter(ctx, 'expr', i, '')).toBe(`b#${i}`);
			expect(nodeParameter(ctx, 'fixed', i, '')).toBe('a');
		}
		expect(rawReads).toEqual(['expr@0', 'fixed@0']);
		expect(reads).toEqual(['expr@0', 'fixed@0', 'expr@1', 'expr@2']);
	});

	it('reads a fixed value once, and an expression (anywhere inside) for every item', () => {
		const { ctx, reads } = fakeContext({
			fixed: 'a',
			expr: '=b',
			nested: { x: 1, y: ['=c'] },
			plain: { x: 1 },
		});
		for (const i of [0, 1, 2]) {
			expect(nodeParameter(ctx, 'fixed', i, '')).toBe('a');
			expect(nodeParameter(ctx, 'expr', i, '')).toBe(`b#${i}`);
			expect(nodeParameter(ctx, 'nested', i, {})).toEqual({ x: 1, y: [`c#${i}`] });
			expect(nodeParameter(ctx, 'plain', i, {})).toEqual({ x: 1 });
		}
		expect(reads).toEqual([
			'fixed@0',
			'expr@0',
			'nested@0',
			'plain@0',
			'expr@1',
			'nested@1',
			'expr@2',
			'nested@2',
		]);
	});

	it('gives every item its own copy of an object, and keeps a cache per execution and per fallback', () => {
		const { ctx, reads } = fakeContext({ plain: { x: 1 } });
		const first = nodeParameter(ctx, 'plain', 0, {}) as { x: number };
		first.x = 2;
		expect(nodeParameter(ctx, 'plain', 1, {})).toEqual({ x: 1 });
		expect(nodeParameter(ctx, 'missing', 0, 'one')).toBe('one');
		expect(nodeParameter(ctx, 'missing', 1, 'two')).toBe('two');
		const other = fakeContext({ plain: { x: 3 } });
		expect(nodeParameter(other.ctx, 'plain', 0, {})).toEqual({ x: 3 });
		expect(reads).toEqual(['plain@0', 'missing@0', 'missing@1']);
	});

	it.each([
		['=x', true],
		['a=x', false],
		[{ a: [{ b: '={{ 1 }}' }] }, true],
		[{ __rl: true, mode: 'id', value: '=123' }, true],
		[{ a: 1, b: 'x', c: null }, false],
		[3, false],
	])('holdsExpression(%j) is %s', (value, expected) => {
		expect(holdsExpression(value)).toBe(expected);
	});
});

/**
 * Property tests over the node's parameters and the callback input, through n8n's engine:
 * random values (of every JSON type, blank, huge, unicode, path-like) reach each parameter
 * by expression, several items per run. Whatever they are:
 * - every rejection is an n8n error that names the field and the item;
 * - nothing crashes with a TypeError (or its wording wrapped in an n8n error);
 * - with Continue On Fail, every item gives its own output, paired and in order;
 * - no request reaches the platform with an invalid body, and the platform never refuses one;
 * - Parse Callback never accepts a callback whose state is not a valid signed state (or the
 *   expected one), and never repeats the code or the state in an error.
 *
 * FC_RUNS=200 npx jest test/faults/badInput runs more cases (default 12 per operation).
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import type { Sandbox } from '../../sandbox';
import { rowsByItem } from './evaluate';
import { signedState } from './operations';
import { requestProblem } from './requestChecks';
import {
	expectNoSentinels,
	issueCode,
	runWith,
	seedInstance,
	SENTINEL,
	startSentinelSandbox,
	TYPE_ERROR_WORDS,
	type NodeRun,
} from './support';

const NUM_RUNS = Number(process.env.FC_RUNS ?? 12);
const ISSUED_CODE = '<<issued code>>';
const SEEDED_ID = '<<seeded id>>';
const SEEDED_NAME = '<<seeded name>>';

const oddText = fc.constantFrom(
	'',
	' ',
	'\t\n ',
	'0',
	'-1',
	'12.5',
	'1e3',
	' 42 ',
	'007',
	'12/../../elements',
	'١٢٣',
	'9'.repeat(25),
	'a,b, ,c',
	',,,',
	'null',
	'undefined',
	'{{ $json }}',
	'\u0000',
	'%2F',
	'NaN',
	'x'.repeat(5000),
	'🚀 emoji',
);
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
	{ weight: 3, arbitrary: fc.string({ maxLength: 30 }) },
	{ weight: 3, arbitrary: oddText },
	fc.string({ unit: 'grapheme', maxLength: 12 }),
	fc.integer(),
	fc.double({ noNaN: true, noDefaultInfinity: true }),
	fc.boolean(),
	fc.constant(null),
	fc.array(
		fc.oneof(
			fc.string({ maxLength: 8 }),
			fc.integer(),
			fc.boolean(),
			fc.constant(null),
			fc.constant({}),
		),
		{ maxLength: 4 },
	),
	fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);
/** A field that may be absent from the item (the expression then gives undefined). */
const field = (arb: fc.Arbitrary<unknown> = anyValue) =>
	fc.option(arb, { nil: undefined, freq: 6 });
/** Codes only reach the node through items: a sentinel in a parameter would be the user's own text. */
const code = field(
	fc.oneof(
		{ weight: 2, arbitrary: fc.constant(ISSUED_CODE) },
		fc.constantFrom(SENTINEL.code, ` ${SENTINEL.code}\n`),
		anyValue,
	),
);
const id = field(fc.oneof({ weight: 2, arbitrary: fc.constant(SEEDED_ID) }, anyValue));
const requestOptions = fc.record(
	{
		concurrency: anyValue,
		maxRetries: anyValue,
		timeoutSeconds: anyValue,
		maxRetryWaitSeconds: anyValue,
	},
	{ requiredKeys: [] },
);

interface PropertySpec {
	name: string;
	/** Parameters; `items` fields reach them by expression. */
	parameters: fc.Arbitrary<IDataObject>;
	item: fc.Arbitrary<IDataObject>;
	/** Words one of which an input rejection must contain (any case). */
	labels: string[];
	/** For Parse Callback: what a valid callback gives. */
	verifyAccepted?: (item: IDataObject, parameters: IDataObject, row: IDataObject) => void;
}

const expr = (name: string) => `={{ $json.${name} }}`;

const SPECS: PropertySpec[] = [
	{
		name: 'oauth/getOAuthUrl (custom state)',
		parameters: requestOptions.map((options) => ({
			resource: 'oauth',
			operation: 'getOAuthUrl',
			state: expr('state'),
			additionalFields: { siteAddress: expr('siteAddress'), scope: expr('scope') },
			requestOptions: options,
		})),
		item: fc.record({ state: field(), siteAddress: field(), scope: field() }),
		labels: ['State', 'Site Address', 'Scope'],
	},
	{
		name: 'oauth/getOAuthUrl (signed state)',
		parameters: fc.constant({
			resource: 'oauth',
			operation: 'getOAuthUrl',
			context: expr('context'),
			additionalFields: { stateLifetimeMinutes: expr('lifetime') },
		}),
		item: fc.record({
			context: field(fc.oneof(anyValue, fc.jsonValue({ maxDepth: 3 }))),
			lifetime: field(),
		}),
		labels: ['Context', 'State Valid For'],
	},
	{
		name: 'instance/create',
		parameters: fc
			.record({
				onExisting: fc.oneof(
					fc.constantFrom('reuse', 'reauthenticate', 'create'),
					fc.constant(expr('onExisting')),
				),
				requestOptions,
			})
			.map((p) => ({
				resource: 'instance',
				operation: 'create',
				code: expr('code'),
				name: expr('name'),
				tags: expr('tags'),
				...p,
			})),
		item: fc.record({
			code,
			name: field(fc.oneof(fc.constant(SEEDED_NAME), anyValue)),
			tags: field(),
			onExisting: field(fc.oneof(fc.constantFrom('reuse', 'reauthenticate', 'create'), anyValue)),
		}),
		labels: ['Authorization Code', 'Instance Name', 'Tags', 'If an Instance With This Name Exists'],
	},
	...['get', 'enable', 'disable'].map(
		(operation): PropertySpec => ({
			name: `instance/${operation}`,
			parameters: requestOptions.map((options) => ({
				resource: 'instance',
				operation,
				instanceId: expr('id'),
				requestOptions: options,
			})),
			item: fc.record({ id }),
			labels: ['Instance ID'],
		}),
	),
	{
		name: 'instance/delete',
		parameters: fc.constant({
			resource: 'instance',
			operation: 'delete',
			instanceId: expr('id'),
			ignoreMissing: expr('ignoreMissing'),
		}),
		item: fc.record({ id, ignoreMissing: field() }),
		labels: ['Instance ID', 'Succeed If Already Deleted'],
	},
	{
		name: 'instance/getAll',
		parameters: fc.constant({
			resource: 'instance',
			operation: 'getAll',
			returnAll: expr('returnAll'),
			limit: expr('limit'),
			filters: {
				tags: expr('tags'),
				searchText: expr('searchText'),
				infusionsoftOnly: expr('only'),
			},
		}),
		item: fc.record({
			returnAll: field(),
			limit: field(fc.oneof(fc.integer({ min: -3, max: 300 }), anyValue)),
			tags: field(),
			searchText: field(),
			only: field(),
		}),
		labels: ['Limit', 'Tags', 'Search Text', 'Return All', 'Infusionsoft Only'],
	},
	{
		name: 'instance/update',
		parameters: fc.constant({
			resource: 'instance',
			operation: 'update',
			instanceId: expr('id'),
			updateFields: { name: expr('name'), tags: expr('tags') },
		}),
		item: fc.record({ id, name: field(), tags: field() }),
		labels: ['Instance ID', 'Name', 'Tags', 'Nothing to update'],
	},
	{
		name: 'instance/reauthenticate',
		parameters: fc.constant({
			resource: 'instance',
			operation: 'reauthenticate',
			instanceId: expr('id'),
			code: expr('code'),
		}),
		item: fc.record({ id, code }),
		labels: ['Instance ID', 'Authorization Code'],
	},
	callbackSpec(),
];

/** Callbacks: well-formed ones with every kind of state, and random ones, as objects or URLs. */
function callbackSpec(): PropertySpec {
	const VALID = 'valid signed state';
	const stateKinds = fc.constantFrom(
		VALID,
		'other secret',
		'expired',
		'tampered',
		'forged',
		'random',
		'expected',
		'absent',
		'two states',
	);
	const query = fc.record({
		code: fc.oneof(
			fc.constant(`code-${SENTINEL.code}`),
			fc.constant(SENTINEL.code),
			anyValue,
			fc.constant(undefined),
		),
		stateKind: stateKinds,
		error: fc.option(fc.constantFrom('access_denied', 'invalid_scope', ''), {
			nil: undefined,
			freq: 3,
		}),
		extra: fc.dictionary(
			fc.constantFrom('scope', 'foo', 'code', 'error_description'),
			fc.string({ maxLength: 6 }),
			{ maxKeys: 2 },
		),
		form: fc.constantFrom('object', 'url', 'query string', 'random'),
		random: anyValue,
	});
	return {
		name: 'oauth/parseCallback',
		parameters: fc
			.record({
				stateCheck: fc.constantFrom('signed', 'exact', 'none'),
				maxStateAgeMinutes: fc.oneof(fc.constant(10), anyValue),
			})
			.map((p) => ({
				resource: 'oauth',
				operation: 'parseCallback',
				callback: expr('callback'),
				expectedState: 'expected-state',
				...p,
			})),
		item: query.map((q) => {
			const state = (() => {
				switch (q.stateKind) {
					case VALID:
						return signedState('ctx');
					case 'other secret':
						return signedState('ctx', { clientSecret: 'SntlOTHER/secret+==' });
					case 'expired':
						return signedState('ctx', { now: Date.now() - 86_400_000 });
					case 'tampered': {
						const s = signedState('ctx');
						return s.slice(0, 12) + (s[12] === 'A' ? 'B' : 'A') + s.slice(13);
					}
					case 'forged':
						return `n8nis1.${Buffer.from('{"a":"x","t":1,"e":9999999999,"n":"n"}').toString('base64url')}.${'A'.repeat(43)}`;
					case 'random':
						return typeof q.random === 'string' ? q.random : JSON.stringify(q.random);
					case 'expected':
						return 'expected-state';
					case 'two states':
						return [signedState('ctx'), signedState('ctx')];
					default:
						return undefined;
				}
			})();
			const fields: IDataObject = { ...q.extra };
			if (q.code !== undefined) fields.code = q.code as IDataObject[string];
			if (state !== undefined) fields.state = state;
			if (q.error !== undefined) fields.error = q.error;
			let callback: unknown = fields;
			if (q.form !== 'object') {
				const search = new URLSearchParams();
				for (const [key, value] of Object.entries(fields)) {
					for (const v of Array.isArray(value) ? value : [value])
						search.append(key, typeof v === 'string' ? v : JSON.stringify(v));
				}
				callback =
					q.form === 'url'
						? `https://n8n.example/cb?${search.toString()}#x`
						: q.form === 'query string'
							? `?${search.toString()}`
							: q.random;
			}
			return { callback, stateKind: q.stateKind } as IDataObject;
		}),
		labels: ['callback', 'State Check', 'Expected State', 'Max State Age'],
		verifyAccepted: (item, parameters, row) => {
			const check = parameters.stateCheck;
			if (check === 'signed') expect(item.stateKind).toBe(VALID);
			if (check === 'exact') expect(item.stateKind).toBe('expected');
			expect(typeof row.code).toBe('string');
			expect((row.code as string).length).toBeGreaterThan(0);
		},
	};
}

/** Replaces the markers with real codes, ids and names, on a fresh stand-in. */
async function materialise(sb: Sandbox, items: IDataObject[]): Promise<IDataObject[]> {
	sb.reset();
	const ids = [
		await seedInstance(sb, 'Seeded A', ['a']),
		await seedInstance(sb, 'Seeded B', ['b']),
	];
	return items.map((item, i) => {
		const out: IDataObject = {};
		for (const [key, value] of Object.entries(item)) {
			if (value === ISSUED_CODE) out[key] = issueCode(sb);
			else if (value === SEEDED_ID) out[key] = ids[i % ids.length];
			else if (value === SEEDED_NAME) out[key] = i % 2 ? 'Seeded B' : 'Seeded A';
			else if (value !== undefined) out[key] = value;
		}
		return out;
	});
}

/** The platform refusals a valid request can get: an unknown or used code, an unknown instance. */
function allowedPlatformError(json: IDataObject): boolean {
	const description = String(json.errorDescription ?? '');
	if (json.httpCode === '404') return true;
	return json.httpCode === '400' && /invalid_grant/.test(description);
}

function checkRequests(sb: Sandbox) {
	const problems = sb.requests.map(requestProblem).filter(Boolean);
	expect(problems).toEqual([]);
}

function checkRejection(message: string, labels: string[], itemIndex: number) {
	expect(message).not.toMatch(TYPE_ERROR_WORDS);
	expect(message).toContain(`[item ${itemIndex}]`);
	const lower = message.toLowerCase();
	if (!labels.some((label) => lower.includes(label.toLowerCase()))) {
		throw new Error(`The rejection "${message}" names none of: ${labels.join(', ')}`);
	}
}

function checkNoCallbackEcho(run: NodeRun, items: IDataObject[]) {
	// Errors never repeat a code or a state from the callback (the output of a success carries the code by design).
	const error = run.error as { message?: string; description?: string } | undefined;
	const errorText = JSON.stringify([
		error?.message,
		error?.description,
		run.items.map((row) => [row.json.error, row.json.errorDescription]),
	]);
	for (const item of items) {
		const callback = item.callback;
		const query =
			typeof callback === 'object' && callback !== null && !Array.isArray(callback)
				? (callback as IDataObject)
				: {};
		for (const value of [query.code, query.state].flat()) {
			if (typeof value === 'string' && value.length >= 8) expect(errorText).not.toContain(value);
		}
	}
}

describe('random input to every operation', () => {
	for (const spec of SPECS) {
		it.concurrent(
			`${spec.name}: refusals name the field and the item; no crash; no invalid request`,
			async () => {
				const sb = await startSentinelSandbox();
				try {
					await fc.assert(
						fc.asyncProperty(
							spec.parameters,
							fc.array(spec.item, { minLength: 1, maxLength: 5 }),
							async (parameters, generated) => {
								// Continue On Fail: every item answers for itself.
								const items = await materialise(sb, generated);
								const run = await runWith(sb, parameters, items, true);
								checkRequests(sb);
								// Parse Callback outputs the code it is given: that is what it is for.
								const except = spec.name === 'oauth/parseCallback' ? [SENTINEL.code] : [];
								expectNoSentinels(run, [], except);
								expect(run.error).toBeUndefined();
								const byItem = rowsByItem(run.items, items.length);
								const firstFailure: Array<string | undefined> = [];
								byItem.forEach((rows, i) => {
									if (spec.name !== 'instance/getAll') expect(rows).toHaveLength(1);
									for (const row of rows) {
										expect(typeof row.json).toBe('object');
										expect(Array.isArray(row.json)).toBe(false);
										if (typeof row.json.error !== 'string') {
											spec.verifyAccepted?.(items[i], parameters, row.json);
											continue;
										}
										const message = row.json.error;
										firstFailure[i] ??= message;
										if (row.json.httpCode !== undefined) {
											expect(message).not.toMatch(TYPE_ERROR_WORDS);
											if (!allowedPlatformError(row.json)) {
												throw new Error(
													`The platform refused a request: ${message} ${String(row.json.errorDescription)}`,
												);
											}
										} else {
											checkRejection(message, spec.labels, i);
										}
									}
								});
								if (spec.name === 'oauth/parseCallback') checkNoCallbackEcho(run, items);

								// Continue On Fail off: the first failure stops the run as an n8n error, the same one.
								const again = await materialise(sb, generated);
								const stop = await runWith(sb, parameters, again);
								checkRequests(sb);
								expectNoSentinels(stop, [], except);
								const failed = firstFailure.findIndex((message) => message !== undefined);
								if (failed === -1) {
									expect(stop.error).toBeUndefined();
								} else {
									expect(['NodeOperationError', 'NodeApiError']).toContain(stop.error?.name);
									expect(stop.error?.message).not.toMatch(TYPE_ERROR_WORDS);
									if (firstFailure[failed]!.includes(`[item ${failed}]`))
										expect(stop.error?.message).toBe(firstFailure[failed]);
								}
								if (spec.name === 'oauth/parseCallback') checkNoCallbackEcho(stop, again);
							},
						),
						{ numRuns: NUM_RUNS, endOnFailure: true },
					);
				} finally {
					await sb.close();
				}
			},
			120_000,
		);
	}
});

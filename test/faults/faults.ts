/**
 * The failure paths of the issue (401, 400, 404, 429, 5xx with HTML, invalid JSON, timeout,
 * connection reset), as stand-in faults aimed at one call of an operation, and what each must
 * end in: a correct result or a clear error.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Sandbox, SandboxFault } from '../../sandbox';
import { returnsList, type OperationSpec, type Target } from './operations';
import { echoingBody, echoingHtml, SENTINEL } from './support';

/**
 * - result: every item is correct, the stand-in's state included;
 * - output: every item's output is correct (a fault answered in the platform's place, so its
 *   state says nothing);
 * - either: each item is a correct output or a clear error;
 * - error: a clear error with this HTTP code (null: a network error, no code); with Continue
 *   On Fail, each item is that error or, when the fault hit another item, correct;
 * - skip: the combination says nothing new (the reason is given).
 */
export type Expectation =
	| { kind: 'result' }
	| { kind: 'output'; allowEmpty?: boolean }
	| { kind: 'either' }
	| { kind: 'error'; httpCode: string | null; everyItem: boolean }
	| { kind: 'skip'; reason: string };

export interface FaultSpec {
	name: string;
	/**
	 * Made by the credentials or the input, not aimed at a call: it hits the operation's first
	 * call, so it is run once per operation, against its first target.
	 */
	anyTarget?: boolean;
	/** Its answer repeats what the call carried (secrets, code, token): run on every call of every operation. */
	echoes?: boolean;
	/** The wait the node must decide before its second try (a Retry-After), read from the virtual clock. */
	waitsMs?: number;
	requestOptions?: IDataObject;
	/** Replaces the account or the items before the run. */
	adjust?: (input: {
		credentials: { cloudElementsApi: IDataObject };
		items: IDataObject[];
	}) => void;
	/** `secrets`: what the node sent in the call the fault answers (an echoing fault repeats them). */
	inject(sb: Sandbox, target: Target, secrets: string[]): void;
	expect(op: OperationSpec, target: Target): Expectation;
}

const PERSISTENT = 100;
/** Persistent faults: one retry, so that running out of retries is quick. */
const ONE_RETRY = { maxRetries: 1 };

const at = (target: Target): Pick<SandboxFault, 'method' | 'path'> => ({
	method: target.method,
	path: target.path,
});
const result = (): Expectation => ({ kind: 'result' });
const error = (httpCode: string | null, everyItem = true): Expectation => ({
	kind: 'error',
	httpCode,
	everyItem,
});

const isLookup = (target: Target) => target.label.startsWith('GET /instances (look-up)');
const isList = (target: Target) =>
	target.method === 'GET' &&
	/\/(instances|contacts|tasks|tags|opportunities|companies|notes|products|orders|emails|files)\$/.test(
		String(target.path),
	);
/** Hub deletes: the platform's 404 is done, and they need no answer. */
const HUB_DELETES = [
	'contact/delete',
	'task/delete',
	'company/delete',
	'note/delete',
	'opportunity/delete',
	'file/delete',
	'product/delete',
	'order/delete',
	'record/delete',
];
/** Hub creates sent once and looked up by a natural key after a lost answer (an email, a SKU). */
const LOOKED_UP = ['contact/create', 'product/create', 'tag/create'];
/** Operations whose answer body is not needed: any JSON (or none) is taken as done. */
const needsNoAnswer = (op: OperationSpec, target?: Target) =>
	['instance/delete', 'instance/enable', 'instance/disable'].includes(op.name) ||
	([...HUB_DELETES, 'instance/testConnection'].includes(op.name) && target?.carriesToken === true);
const isCreate = (op: OperationSpec) => op.name.startsWith('instance/create');
const usesCode = (op: OperationSpec) =>
	isCreate(op) || op.name.startsWith('instance/reauthenticate');
/** The call that spends the code: POST /instances, or the PUT that re-authenticates. */
const spendsCode = (op: OperationSpec, target: Target) =>
	usesCode(op) && (target.method === 'POST' || target.method === 'PUT');

/** A truncated JSON body with a 200, as a proxy that cut the answer short would send. */
const TRUNCATED_JSON = '{"id": 12345, "name": "trunc';

/** A body long enough that dripping it takes far longer than a test. */
const SLOW_BODY = JSON.stringify({ id: 1, padding: 'x'.repeat(2000) });

const BASE_FAULTS: FaultSpec[] = [
	{
		name: '401 whose body repeats every secret',
		echoes: true,
		requestOptions: ONE_RETRY,
		inject: (sb, target, secrets) =>
			sb.fail({ ...at(target), status: 401, body: echoingBody(secrets), times: PERSISTENT }),
		expect: () => error('401'),
	},
	{
		name: '401 from the platform for a wrong Organization Secret',
		anyTarget: true,
		adjust: ({ credentials }) => {
			credentials.cloudElementsApi.organizationSecret = 'SntlWRONG/0rg+Secret==';
		},
		inject: () => undefined,
		expect: () => error('401'),
	},
	{
		name: '400 whose body repeats every secret',
		echoes: true,
		inject: (sb, target, secrets) =>
			sb.fail({ ...at(target), status: 400, body: echoingBody(secrets) }),
		expect: () => error('400', false),
	},
	{
		name: '400 from the platform for a code it never issued',
		anyTarget: true,
		adjust: ({ items }) => items.forEach((item) => (item.code = SENTINEL.code)),
		inject: () => undefined,
		expect: (op) =>
			usesCode(op) ? error('400') : { kind: 'skip', reason: 'the operation takes no code' },
	},
	{
		name: '404 whose body repeats every secret',
		echoes: true,
		inject: (sb, target, secrets) =>
			sb.fail({ ...at(target), status: 404, body: echoingBody(secrets) }),
		expect: (op, target) => {
			// A list with no match answers 404: an empty list (an object's metadata is no list).
			if (
				op.name === 'instance/getAll' ||
				(returnsList(op) && target.carriesToken && !target.label.endsWith('/metadata'))
			) {
				return { kind: 'output', allowEmpty: true };
			}
			if (HUB_DELETES.includes(op.name) && target.carriesToken) return { kind: 'output' };
			if (op.name === 'instance/testConnection' && !target.carriesToken) return { kind: 'output' };
			if (op.name === 'instance/delete') return { kind: 'output' };
			if (isLookup(target)) {
				return op.name.includes('reauthenticate')
					? {
							kind: 'skip',
							reason: 'a look-up that finds nothing creates: the same path as the new-name case',
						}
					: result();
			}
			return error('404', false);
		},
	},
	{
		name: '429 with Retry-After 2 s, once',
		waitsMs: 2000,
		inject: (sb, target) => sb.fail({ ...at(target), status: 429, retryAfter: 2 }),
		expect: result,
	},
	{
		name: '429 with Retry-After 1 s on every try, body repeating every secret',
		echoes: true,
		waitsMs: 1000,
		requestOptions: ONE_RETRY,
		inject: (sb, target, secrets) =>
			sb.fail({
				...at(target),
				status: 429,
				retryAfter: 1,
				body: echoingBody(secrets),
				times: PERSISTENT,
			}),
		expect: () => error('429'),
	},
	{
		name: '500 with an HTML page that repeats every secret',
		echoes: true,
		inject: (sb, target, secrets) =>
			sb.fail({
				...at(target),
				status: 500,
				body: echoingHtml(500, secrets),
				contentType: 'text/html',
			}),
		expect: () => error('500', false),
	},
	...[502, 503, 504].map(
		(status): FaultSpec => ({
			name: `${status} with an HTML page, once`,
			inject: (sb, target) => sb.fail({ ...at(target), status, html: true }),
			expect: result,
		}),
	),
	{
		name: '503 with an HTML page that repeats every secret, on every try',
		echoes: true,
		requestOptions: ONE_RETRY,
		inject: (sb, target, secrets) =>
			sb.fail({
				...at(target),
				status: 503,
				retryAfter: 0,
				body: echoingHtml(503, secrets),
				contentType: 'text/html',
				times: PERSISTENT,
			}),
		expect: () => error('503'),
	},
	{
		name: '200 with invalid (truncated) JSON',
		inject: (sb, target) => sb.fail({ ...at(target), status: 200, body: TRUNCATED_JSON }),
		expect: () => ({ kind: 'either' }),
	},
	{
		name: '400 with invalid JSON that repeats every secret',
		echoes: true,
		inject: (sb, target, secrets) =>
			sb.fail({
				...at(target),
				status: 400,
				body: `{"message": "bad ${secrets.join(' ')} ${secrets.map(encodeURIComponent).join(' ')}`,
			}),
		expect: () => error('400', false),
	},
	{
		name: 'timeout, once (the request is processed, the answer comes too late)',
		requestOptions: { timeoutSeconds: 1 },
		inject: (sb, target) => sb.fail({ ...at(target), delayMs: 1600 }),
		expect: result,
	},
	{
		name: 'timeout on every try',
		requestOptions: { timeoutSeconds: 1, maxRetries: 0 },
		inject: (sb, target) => sb.fail({ ...at(target), delayMs: 1600, times: PERSISTENT }),
		// A create or re-authentication that timed out is looked up, not sent again: it was processed, so it is found.
		expect: (op, target) => (spendsCode(op, target) ? result() : error(null)),
	},
	{
		name: 'connection reset before processing, once',
		inject: (sb, target) => sb.fail({ ...at(target), drop: 'before' }),
		expect: result,
	},
	{
		name: 'connection reset after processing, once',
		inject: (sb, target) => sb.fail({ ...at(target), drop: 'after' }),
		expect: result,
	},
	{
		name: '301 redirect to the https address (an http:// API root)',
		requestOptions: ONE_RETRY,
		inject: (sb, target) =>
			sb.fail({
				...at(target),
				status: 301,
				body: '',
				headers: {
					location: `https://platform.example.net/elements/api-v2${String(target.path)}?apiSecret=x`,
				},
				times: PERSISTENT,
			}),
		expect: () => error('301'),
	},
	{
		name: '302 redirect to a proxy login page, with an HTML body',
		echoes: true,
		requestOptions: ONE_RETRY,
		inject: (sb, target, secrets) =>
			sb.fail({
				...at(target),
				status: 302,
				contentType: 'text/html',
				body: `<html><body>Please sign in ${secrets.map(encodeURIComponent).join(' ')}</body></html>`,
				headers: { location: '/sso/login?next=%2Felements' },
				times: PERSISTENT,
			}),
		expect: () => error('302'),
	},
	{
		name: 'connection cut in the middle of a 2xx body, after processing, once',
		inject: (sb, target) => sb.fail({ ...at(target), drop: 'midBody' }),
		expect: result,
	},
	{
		name: 'answer dripped one byte every 400 ms (Timeout 1 s), once',
		requestOptions: { timeoutSeconds: 1 },
		inject: (sb, target) =>
			sb.fail({ ...at(target), status: 200, afterProcessing: true, body: SLOW_BODY, dripMs: 400 }),
		expect: result,
	},
	{
		name: '200 with a JSON null, once',
		inject: (sb, target) => sb.fail({ ...at(target), status: 200, body: 'null' }),
		// A call that needs no answer takes the 200 as done; the others try again (or look up, for a create).
		expect: (op, target) => (needsNoAnswer(op, target) ? { kind: 'output' } : result()),
	},
	{
		name: '200 with a JSON null on every try',
		requestOptions: ONE_RETRY,
		inject: (sb, target) =>
			sb.fail({ ...at(target), status: 200, body: 'null', times: PERSISTENT }),
		expect: (op, target) => (needsNoAnswer(op, target) ? { kind: 'output' } : error('200')),
	},
	{
		name: '201 with an empty body after the call was processed, once',
		inject: (sb, target) =>
			sb.fail({ ...at(target), status: 201, body: '', afterProcessing: true }),
		expect: result,
	},
	{
		name: '204 with no body on every try',
		requestOptions: ONE_RETRY,
		inject: (sb, target) => sb.fail({ ...at(target), status: 204, times: PERSISTENT }),
		expect: (op, target) => (needsNoAnswer(op, target) ? { kind: 'output' } : error('204')),
	},
	{
		name: 'a JSON list where one object is expected, once',
		inject: (sb, target) =>
			sb.fail({ ...at(target), status: 200, body: '[{"id":1},{"id":2},{"id":3}]' }),
		expect: (op, target) =>
			isList(target)
				? { kind: 'skip', reason: 'a list is the expected answer there' }
				: needsNoAnswer(op, target)
					? { kind: 'output' }
					: result(),
	},
	{
		name: '401 echoing the Authorization header as sent, for secrets pasted with a trailing newline or space',
		echoes: true,
		requestOptions: ONE_RETRY,
		adjust: ({ credentials }) => {
			credentials.cloudElementsApi.userSecret = `${SENTINEL.userSecret}\n`;
			credentials.cloudElementsApi.organizationSecret = ` ${SENTINEL.organizationSecret} `;
		},
		inject: (sb, target) =>
			sb.fail({ ...at(target), status: 401, echoRequest: true, times: PERSISTENT }),
		expect: () => error('401'),
	},
	{
		name: 'connection reset on every try',
		requestOptions: ONE_RETRY,
		inject: (sb, target) => sb.fail({ ...at(target), drop: 'before', times: PERSISTENT }),
		expect: () => error(null),
	},
];

/**
 * Calls through an instance add their own rules: a task or opportunity create (and a record create
 * of any object) has no natural key to look it up by, so a fault after which the platform may have acted ends in a clear "outcome unknown"
 * error, never a second task; a contact create is looked up by email instead; and Test
 * Connection answers a dead connection (401) instead of failing.
 */
const TASK_OUTCOME_UNKNOWN: Record<string, string | null> = {
	'timeout, once (the request is processed, the answer comes too late)': null,
	'connection reset before processing, once': null,
	'connection reset after processing, once': null,
	'connection cut in the middle of a 2xx body, after processing, once': null,
	'answer dripped one byte every 400 ms (Timeout 1 s), once': null,
	'200 with a JSON null, once': '200',
	'201 with an empty body after the call was processed, once': '201',
	'502 with an HTML page, once': '502',
	'504 with an HTML page, once': '504',
	'200 with invalid (truncated) JSON': '200',
	'a JSON list where one object is expected, once': '200',
};

const ODD_BODIES = [
	'200 with a JSON null, once',
	'200 with a JSON null on every try',
	'201 with an empty body after the call was processed, once',
	'204 with no body on every try',
	'a JSON list where one object is expected, once',
];

/** Hub creates with no natural key: a lost answer is "outcome unknown", never a second record. */
const OUTCOME_UNKNOWN_CREATES = [
	'task/create',
	'opportunity/create',
	'company/create',
	'note/create',
	'email/record',
	'file/upload',
	'email/send',
	'order/create',
	'record/create',
];

function forHubCalls(
	fault: FaultSpec,
	op: OperationSpec,
	target: Target,
	base: Expectation,
): Expectation {
	const posts = target.method === 'POST' && target.carriesToken === true;
	// A send needs no answer (Keap gives none): any JSON or none is taken as sent, and a 2xx with
	// no body has no middle to cut.
	if (op.name === 'email/send' && posts) {
		if (ODD_BODIES.includes(fault.name)) return { kind: 'output' };
		if (fault.name === 'connection cut in the middle of a 2xx body, after processing, once')
			return result();
	}
	if (OUTCOME_UNKNOWN_CREATES.includes(op.name) && posts && fault.name in TASK_OUTCOME_UNKNOWN) {
		return error(TASK_OUTCOME_UNKNOWN[fault.name], false);
	}
	if (
		op.name === 'customApiCall/request' &&
		target.carriesToken &&
		ODD_BODIES.includes(fault.name)
	) {
		return { kind: 'skip', reason: 'a custom call passes any answer through as it came' };
	}
	if (LOOKED_UP.includes(op.name) && posts && fault.name === 'timeout on every try')
		return result();
	if (
		op.name === 'instance/testConnection' &&
		target.carriesToken &&
		base.kind === 'error' &&
		base.httpCode === '401'
	) {
		return { kind: 'output' };
	}
	return base;
}

export const FAULTS: FaultSpec[] = BASE_FAULTS.map((fault) => ({
	...fault,
	expect: (op, target) => forHubCalls(fault, op, target, fault.expect(op, target)),
}));

/** What a call to the platform is, and the URL it goes to (a hub call's URL checked before its token is sent). */
import type { IDataObject, IHttpRequestMethods } from 'n8n-workflow';

export type QueryValue = string | number | boolean | string[] | undefined;

/**
 * What a usable 2xx answer looks like: `object` a JSON object; `instance` an object with an
 * `id`; `provisioned` an instance with its `token` too (what a create or re-authentication
 * must give back); `list` an array of objects; `any` anything but a non-JSON text.
 */
export type AnswerShape = 'any' | 'object' | 'instance' | 'provisioned' | 'list';

/** Wait time shared by several calls, e.g. all the pages of one listing. */
export interface RetryBudget {
	waitedMs: number;
}

export interface PlatformRequest {
	method: IHttpRequestMethods;
	/** Under the API root, e.g. `/instances/12345`. */
	path: string;
	query?: Record<string, QueryValue>;
	body?: IDataObject;
	/** What a usable 2xx answer looks like; `any` when not given. */
	expect?: AnswerShape;
	/**
	 * The call must not be sent twice: it creates an instance or spends a single-use code.
	 * When its outcome is unknown it is not sent again here; `OutcomeUnknownError` is thrown
	 * so the caller can look at the platform before trying again.
	 */
	unsafeToRepeat?: boolean;
	/** Statuses the caller reads itself instead of failing, e.g. 404 on a list; only the platform's own answer (`isPlatformAnswer`) counts, another is an error. */
	accept?: number[];
	/** What to check, by status, in the words of the operation. */
	hints?: Partial<Record<number, string>>;
	/** Shared by the calls of one listing; each call has its own otherwise. */
	budget?: RetryBudget;
	/** One more sentence for an error, from the platform's and the provider's words (e.g. "switch element"). */
	explain?: (text: string) => string | undefined;
	/** A hub call through an instance: its token joins the Authorization header. */
	elementToken?: string;
	/** The error message by status, in the words of the operation (e.g. "the connection is dead"). */
	messages?: Partial<Record<number, string>>;
}

export interface PlatformResponse<T = unknown> {
	statusCode: number;
	body: T;
	headers: Record<string, string>;
}

/** Where every call through an instance goes, under the API root. */
export const HUB = '/hubs/crm';

/** A percent-encoded dot, slash or backslash, or a control character: what lets a path climb out once resolved. */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
export const PATH_TRICKS = /%2e|%2f|%5c|[\u0000-\u001f\u007f]/i;

/**
 * Why a hub call's URL must not be sent: it is checked as n8n's HTTP stack will resolve it
 * (WHATWG URL: `%2e%2e` and `.%2e` are `..`, tabs and newlines vanish), so no spelling of a
 * path can carry an instance token outside `/hubs/crm/`. Undefined when it stays inside.
 */
export function hubUrlProblem(apiRoot: string, url: string): string | undefined {
	const root = new URL(apiRoot);
	let sent: URL;
	try {
		sent = new URL(url);
	} catch {
		return 'it is not a valid URL';
	}
	const rootPath = root.pathname.replace(/\/+$/, '');
	if (sent.origin !== root.origin) return `it leaves the API Root's host`;
	if (!sent.pathname.startsWith(`${rootPath}${HUB}/`))
		return `it resolves to a path outside ${HUB}`;
	if (PATH_TRICKS.test(sent.pathname))
		return 'its path holds a percent-encoded dot, slash or backslash';
	return undefined;
}

export function buildUrl(
	apiRoot: string,
	path: string,
	query?: Record<string, QueryValue>,
): string {
	const params = new URLSearchParams();
	for (const [key, value] of Object.entries(query ?? {})) {
		if (value === undefined || value === '') continue;
		if (Array.isArray(value)) value.forEach((v) => params.append(key, v));
		else params.append(key, String(value));
	}
	const search = params.toString();
	return `${apiRoot}${path}${search ? `?${search}` : ''}`;
}

import type { IDataObject } from 'n8n-workflow';

import type { Platform } from './cloudElements';
import type { PlatformRequest, QueryValue, RetryBudget } from './request';

const NEXT_PAGE_HEADER = 'elements-next-page-token';
const MAX_PAGE_SIZE = 200;
/** 100,000 records: far above any account seen, low enough to stop a platform that pages forever. */
export const MAX_PAGES = 500;

export interface PagedList {
	/** Under the API root, e.g. `/instances` or `/hubs/crm/contacts`. */
	path: string;
	query?: Record<string, QueryValue>;
	/** For a hub list: the instance's token. */
	elementToken?: string;
	/** What is listed, in the error messages ("instances", "contacts"). */
	what: string;
	/** How the user can narrow the list, in the error messages. */
	narrow: string;
	/** Errors by status in the operation's words (a hub's dead connection). */
	messages?: PlatformRequest['messages'];
	hints?: PlatformRequest['hints'];
	/** The field that tells records apart; `id` by default. */
	idOf?: (record: IDataObject) => unknown;
	/**
	 * A 404 on the first page is an error, as for a single call: for a path the node does not
	 * know (Custom API Call), where the platform's 404 may just as well mean a misspelt path.
	 */
	firstPageMustExist?: boolean;
}

/**
 * Reads a list page by page, following `elements-next-page-token`. The platform answers 404
 * when nothing matches, and may hand out a token that leads to an empty (404) page: both end
 * the list (a first page's only without `firstPageMustExist`). Only the platform's own 404
 * does: a proxy's or gateway's fails the listing (the transport checks the body). A platform
 * that pages forever is stopped: a token seen before, a page that brings nothing new, or more
 * than `MAX_PAGES` pages end the listing with an error; the retry waits of all its pages share
 * one Max Retry Wait.
 */
export async function listPages(
	platform: Platform,
	list: PagedList,
	limit: number | undefined,
): Promise<IDataObject[]> {
	return (await readPages(platform, list, limit, undefined)).records;
}

export interface PagesRead {
	records: IDataObject[];
	/** How many calls the listing took. */
	pages: number;
	/** False when it stopped at `maxPages` with more to come. */
	complete: boolean;
}

/** The whole list, or as much as `maxPages` pages hold; says how many calls it took. */
export async function listPagesUpTo(
	platform: Platform,
	list: PagedList,
	maxPages?: number,
): Promise<PagesRead> {
	return await readPages(platform, list, undefined, maxPages);
}

async function readPages(
	platform: Platform,
	list: PagedList,
	limit: number | undefined,
	maxPages: number | undefined,
): Promise<PagesRead> {
	const idOf = list.idOf ?? ((record: IDataObject) => record.id);
	const found: IDataObject[] = [];
	const seenIds = new Set<string>();
	const seenTokens = new Set<string>();
	const budget: RetryBudget = { waitedMs: 0 };
	let nextPage: string | undefined;
	let page = 1;
	for (; ; page++) {
		const remaining = limit === undefined ? MAX_PAGE_SIZE : limit - found.length;
		const response = await platform.request<IDataObject[]>({
			method: 'GET',
			path: list.path,
			query: { ...list.query, pageSize: Math.min(MAX_PAGE_SIZE, remaining), nextPage },
			accept: page === 1 && list.firstPageMustExist ? [] : [404],
			expect: 'list',
			budget,
			elementToken: list.elementToken,
			messages: list.messages,
			hints: list.hints,
		});
		if (response.statusCode === 404) break;
		const fresh = response.body.filter((record) => !seenIds.has(String(idOf(record))));
		for (const record of fresh) seenIds.add(String(idOf(record)));
		found.push(...fresh);
		nextPage = response.headers[NEXT_PAGE_HEADER] || undefined;
		if (nextPage === undefined || response.body.length === 0) break;
		if (limit !== undefined && found.length >= limit) break;
		if (maxPages !== undefined && page >= maxPages)
			return { records: found, pages: page, complete: false };
		if (seenTokens.has(nextPage) || fresh.length === 0) {
			throw platform.error(
				`Cloud Elements kept handing out pages of ${list.what} it had already sent`,
				`The listing was stopped after ${page} pages so that it cannot run forever. Try again later; if it persists, narrow the list with ${list.narrow}, or contact Cloud Elements support.`,
			);
		}
		if (page >= MAX_PAGES) {
			throw platform.error(
				`Cloud Elements has more than ${MAX_PAGES} pages of ${list.what}`,
				`The listing was stopped after ${MAX_PAGES} pages (${found.length} ${list.what}) so that it cannot run forever. Narrow it with ${list.narrow}.`,
			);
		}
		seenTokens.add(nextPage);
	}
	return {
		records: limit === undefined ? found : found.slice(0, limit),
		pages: page,
		complete: true,
	};
}

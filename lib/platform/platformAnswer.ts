import type { IDataObject } from 'n8n-workflow';

import type { PlatformRequest, PlatformResponse } from './request';

const MAX_SHOWN = 200;

/**
 * The platform's own error answer: a JSON object with a text `requestId` and `message`, as every
 * error of Cloud Elements and SAP Open Connectors comes. A proxy's or gateway's answer with the
 * same status (an nginx page, `{"message": "no Route matched"}`, an empty body) is not: only the
 * platform's own 404 may be read as "nothing there", or one gateway would make every instance
 * and every list look gone.
 */
export function isPlatformAnswer(body: unknown): boolean {
	if (body === null || typeof body !== 'object' || Array.isArray(body)) return false;
	const { requestId, message } = body as IDataObject;
	return typeof requestId === 'string' && requestId.trim() !== '' && typeof message === 'string';
}

function whatCameBack(body: unknown): string {
	if (body === undefined) return 'an empty body';
	if (typeof body === 'string')
		return /^\s*</.test(body) ? 'an HTML page' : 'a body that is not JSON';
	const message = (body as IDataObject | null)?.message;
	if (typeof message === 'string' && message.trim()) {
		const shown = message.length > MAX_SHOWN ? `${message.slice(0, MAX_SHOWN)}…` : message;
		return `"${shown}" but no request ID`;
	}
	return 'JSON without the platform’s request ID';
}

/**
 * The error for a status the caller would have read (e.g. a 404 as "not found") that came from
 * something other than the platform: it says what came back, and that nothing was read from it.
 */
export function foreignAnswer(
	req: PlatformRequest,
	response: PlatformResponse,
): { message: string; description: string } {
	const status = response.statusCode;
	return {
		message: `HTTP ${status} with ${whatCameBack(response.body)}: not an answer of Cloud Elements (a proxy or gateway?)`,
		description: [
			`Only the platform’s own ${status} (a JSON error with its requestId) is read as ${status === 404 ? '"not found" or an empty list' : 'its answer'}; this one came from something else, so nothing was read from it and nothing was changed.`,
			'Check the API Root of the Cloud Elements API credential and any proxy or gateway between n8n and the platform, then try again.',
			`${req.method} ${req.path} → HTTP ${status}`,
		].join(' '),
	};
}

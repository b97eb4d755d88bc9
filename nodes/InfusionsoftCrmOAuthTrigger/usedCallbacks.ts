import { createHash } from 'crypto';

/**
 * The callbacks the trigger has passed on, remembered in the workflow's static data, so that the
 * same callback coming again (the customer reloads the page, the browser restores the tab) starts
 * nothing and the customer is told so, instead of "Thank you" for a code that is spent. Keyed by
 * the code, which Infusionsoft issues once per authorization: the same state with a fresh code is
 * a new authorization (e.g. a move completed on a second try) and is the workflow's to judge.
 * Only hashes are kept, never a code. n8n saves static data as soon as the trigger has answered,
 * before the run starts.
 */

/** Longer than any code or signed state lives. */
export const USED_WINDOW_MS = 24 * 60 * 60 * 1000;
export const MAX_REMEMBERED = 1000;

export interface UsedCallbacks {
	/** `code:<sha256>` → when it was passed on (ms since 1970). */
	usedCallbacks?: Record<string, number>;
}

const hashed = (kind: string, value: string) =>
	`${kind}:${createHash('sha256').update(value).digest('hex')}`;

/** What tells this callback from others: its code. */
export function callbackKeys(code: string): string[] {
	return [hashed('code', code)];
}

export function usedBefore(data: UsedCallbacks, keys: string[], now: number): boolean {
	const remembered = data.usedCallbacks ?? {};
	return keys.some((key) => {
		const at = Object.prototype.hasOwnProperty.call(remembered, key) ? remembered[key] : undefined;
		return typeof at === 'number' && now - at < USED_WINDOW_MS;
	});
}

/** Adds the keys; expired entries go, and the oldest beyond the cap. Replaced as a whole, so n8n sees the change. */
export function rememberUsed(data: UsedCallbacks, keys: string[], now: number): void {
	const kept = Object.entries(data.usedCallbacks ?? {})
		.filter(
			([key, at]) => !keys.includes(key) && typeof at === 'number' && now - at < USED_WINDOW_MS,
		)
		.sort((a, b) => a[1] - b[1])
		.slice(-(MAX_REMEMBERED - keys.length));
	data.usedCallbacks = Object.fromEntries([...kept, ...keys.map((key) => [key, now])]);
}

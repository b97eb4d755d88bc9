const API_PATH = '/elements/api-v2';

/**
 * The credential's API root, made whole: trims spaces and trailing slashes and adds
 * `/elements/api-v2` when only the host was given.
 */
export function normalizeApiRoot(baseUrl: string): string {
	const trimmed = baseUrl.trim().replace(/\/+$/, '');
	return trimmed.endsWith(API_PATH) ? trimmed : `${trimmed}${API_PATH}`;
}

export function isHttpUrl(value: string): boolean {
	try {
		const url = new URL(value);
		return url.protocol === 'http:' || url.protocol === 'https:';
	} catch {
		return false;
	}
}

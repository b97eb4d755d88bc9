/**
 * The Infusionsoft account host as the element expects it in `infusionsoft.server`:
 * `dt123.infusionsoft.com`, `https://dt123.infusionsoft.com/` and `DT123.infusionsoft.com/app`
 * all give `dt123.infusionsoft.com`. Returns undefined when no host can be read.
 */
export function normalizeServer(input: string): string | undefined {
	const trimmed = input.trim();
	if (trimmed === '') return undefined;
	const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
	let host: string;
	try {
		host = new URL(withScheme).host.toLowerCase();
	} catch {
		return undefined;
	}
	if (!/^[a-z0-9.-]+(:\d+)?$/.test(host) || host.startsWith('.') || !host.includes('.')) {
		return undefined;
	}
	return host;
}

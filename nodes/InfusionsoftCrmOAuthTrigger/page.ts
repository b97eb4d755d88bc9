/**
 * The page the user's browser gets back from the callback URL. Static: it never shows the
 * code, the state or anything else from the request, so nothing can be reflected into it.
 */

export interface PageText {
	title: string;
	message: string;
}

export type PageKind = 'authorized' | 'denied' | 'invalid' | 'used' | 'notACallback';

export const DEFAULT_PAGES: Record<PageKind, PageText> = {
	authorized: {
		title: 'Thank you',
		message: 'Your Infusionsoft account is being connected. You can close this window.',
	},
	denied: {
		title: 'Access not granted',
		message:
			'You declined access, so nothing was connected. You can close this window; if this was a mistake, ask for a new link.',
	},
	invalid: {
		title: 'This link cannot be used',
		message:
			'The authorization link has expired or is not valid, so nothing was connected. Please ask for a new link.',
	},
	used: {
		title: 'Already received',
		message:
			'This authorization was received before, so nothing more was done. If your account was connected a moment ago, there is nothing else to do; otherwise please ask for a new link.',
	},
	notACallback: {
		title: 'Infusionsoft authorization',
		message:
			'This address receives the answer of Infusionsoft after you authorize access. There is nothing to see here.',
	},
};

/** Scripts, frames, forms and outside resources are all refused; only the inline style is allowed. */
export const PAGE_HEADERS: Record<string, string> = {
	'Content-Type': 'text/html; charset=utf-8',
	'Cache-Control': 'no-store',
	'Content-Security-Policy':
		"default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; sandbox",
	'Referrer-Policy': 'no-referrer',
	'X-Content-Type-Options': 'nosniff',
	'X-Frame-Options': 'DENY',
};

export function escapeHtml(text: string): string {
	return text.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function renderPage({ title, message }: PageText): string {
	const paragraphs = message
		.split(/\r?\n\s*\r?\n/)
		.map((p) => p.trim())
		.filter(Boolean)
		.map((p) => `<p>${escapeHtml(p).replace(/\r?\n/g, '<br>')}</p>`)
		.join('\n    ');
	return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="referrer" content="no-referrer">
  <title>${escapeHtml(title)}</title>
  <style>
    body { margin: 0; min-height: 100vh; display: flex; align-items: center; justify-content: center;
           background: #f3f5f7; color: #1f2933; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
    main { background: #fff; max-width: 440px; width: 100%; margin: 16px; padding: 32px; border-radius: 12px;
           box-shadow: 0 2px 16px rgba(0, 0, 0, .08); }
    h1 { font-size: 1.25rem; margin: 0 0 1rem; }
  </style>
</head>
<body>
  <main>
    <h1>${escapeHtml(title)}</h1>
    ${paragraphs}
  </main>
</body>
</html>
`;
}

/** A page's texts with the user's own where given (empty fields keep the default). */
export function pageText(kind: PageKind, custom: Record<string, unknown>): PageText {
	const pick = (key: string, fallback: string) => {
		const value = custom[key];
		return typeof value === 'string' && value.trim() !== '' ? value.trim() : fallback;
	};
	const defaults = DEFAULT_PAGES[kind];
	return {
		title: pick(`${kind}Title`, defaults.title),
		message: pick(`${kind}Message`, defaults.message),
	};
}

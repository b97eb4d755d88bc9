// @ts-check
'use strict';

/**
 * The fake Infusionsoft consent page of the sandbox.
 *
 *   GET /app/oauth/authorize?client_id&redirect_uri&response_type=code&scope&state
 *       a small HTML page: "<app> wants access to your account", Allow / Deny
 *   GET /app/oauth/authorize/decision?...&decision=allow|deny
 *       302 to redirect_uri with ?code=&state= (allow) or ?error=access_denied&... (deny)
 *
 * Pure functions: they get the query and two services (find an app, issue a code) and
 * return a reply; the server writes it.
 */

const AUTHORIZE_PATH = '/app/oauth/authorize';
const DECISION_PATH = '/app/oauth/authorize/decision';

/**
 * @typedef {object} Reply
 * @property {number} status
 * @property {Record<string, string>} headers
 * @property {string} body
 */

/**
 * @typedef {object} ConsentServices
 * @property {(clientId: string) => { clientId: string, name: string } | undefined} findApp
 * @property {(grant: { clientId: string, callbackUrl: string }) => string} issueCode
 */

/** @typedef {Record<string, string | undefined>} Query */

/**
 * The consent page URL, in the order the platform's `oauthUrl` uses.
 * @param {string} base  e.g. 'http://127.0.0.1:5680'
 * @param {{ clientId: string, callbackUrl: string, state?: string, scope?: string }} params
 */
function authorizeUrl(base, { clientId, callbackUrl, state, scope }) {
	const parts = [
		`scope=${encodeURIComponent(scope || 'full')}`,
		'response_type=code',
		`redirect_uri=${encodeURIComponent(callbackUrl)}`,
	];
	if (state !== undefined && state !== '') parts.push(`state=${encodeURIComponent(state)}`);
	parts.push(`client_id=${encodeURIComponent(clientId)}`);
	return `${base}${AUTHORIZE_PATH}?${parts.join('&')}`;
}

/**
 * GET /app/oauth/authorize
 * @param {Query} query
 * @param {ConsentServices} services
 * @returns {Reply}
 */
function authorizePage(query, services) {
	const checked = checkAuthorizeRequest(query, services);
	if ('reply' in checked) return checked.reply;
	const { app, redirectUri } = checked;

	/** @param {'allow' | 'deny'} decision */
	const decisionHref = (decision) => {
		const params = new URLSearchParams();
		for (const key of ['client_id', 'redirect_uri', 'response_type', 'scope', 'state']) {
			const value = query[key];
			if (value !== undefined) params.set(key, value);
		}
		params.set('decision', decision);
		return `${DECISION_PATH}?${params}`;
	};

	const title = `Infusionsoft (local stand-in) — ${app.name} wants access to your account`;
	return htmlReply(
		200,
		title,
		`
    <p class="brand">Infusionsoft <span>(local stand-in)</span></p>
    <h1><strong>${escapeHtml(app.name)}</strong> wants access to your account</h1>
    <p>If you allow it, this app can read and change your contacts, companies,
       opportunities and other CRM data (scope: ${escapeHtml(query.scope || 'full')}).</p>
    <dl>
      <dt>Client id</dt><dd>${escapeHtml(app.clientId)}</dd>
      <dt>Returns you to</dt><dd>${escapeHtml(redirectUri)}</dd>
    </dl>
    <div class="actions">
      <a id="deny" class="button deny" href="${escapeHtml(decisionHref('deny'))}">Deny</a>
      <a id="allow" class="button allow" href="${escapeHtml(decisionHref('allow'))}">Allow</a>
    </div>
    <p class="note">Served by the local Cloud Elements sandbox: no real Infusionsoft account is involved.</p>`,
	);
}

/**
 * GET /app/oauth/authorize/decision
 * @param {Query} query
 * @param {ConsentServices} services
 * @returns {Reply}
 */
function decide(query, services) {
	const checked = checkAuthorizeRequest(query, services);
	if ('reply' in checked) return checked.reply;
	const { app, redirectUri } = checked;
	/** @type {Record<string, string>} */
	const state = query.state ? { state: query.state } : {};

	if (query.decision === 'allow') {
		const code = services.issueCode({ clientId: app.clientId, callbackUrl: redirectUri });
		return redirectReply(withQuery(redirectUri, { code, ...state }));
	}
	if (query.decision === 'deny') {
		return redirectReply(
			withQuery(redirectUri, {
				error: 'access_denied',
				error_description: 'The user denied access',
				...state,
			}),
		);
	}
	return errorPage('The decision must be "allow" or "deny".');
}

/**
 * Errors in client_id or redirect_uri are shown to the user, never redirected (OAuth 2.0, 4.1.2.1).
 * @param {Query} query
 * @param {ConsentServices} services
 * @returns {{ reply: Reply } | { app: { clientId: string, name: string }, redirectUri: string }}
 */
function checkAuthorizeRequest(query, services) {
	const app = query.client_id ? services.findApp(query.client_id) : undefined;
	if (!app)
		return {
			reply: errorPage(`Unknown client_id "${query.client_id ?? ''}": no such app is registered.`),
		};
	const redirectUri = query.redirect_uri ?? '';
	if (!isAbsoluteUrl(redirectUri))
		return { reply: errorPage('redirect_uri is missing or is not an absolute URL.') };
	if (query.response_type !== 'code') return { reply: errorPage('response_type must be "code".') };
	return { app, redirectUri };
}

/**
 * Appends query parameters, keeping a query string the URI already has and any fragment.
 * @param {string} uri
 * @param {Record<string, string>} params
 */
function withQuery(uri, params) {
	const hashAt = uri.indexOf('#');
	const base = hashAt === -1 ? uri : uri.slice(0, hashAt);
	const fragment = hashAt === -1 ? '' : uri.slice(hashAt);
	const separator = !base.includes('?') ? '?' : /[?&]$/.test(base) ? '' : '&';
	return `${base}${separator}${new URLSearchParams(params)}${fragment}`;
}

/** @param {string} value */
function isAbsoluteUrl(value) {
	try {
		return Boolean(new URL(value).protocol);
	} catch {
		return false;
	}
}

/** @param {string} location @returns {Reply} */
function redirectReply(location) {
	return { status: 302, headers: { location, 'cache-control': 'no-store' }, body: '' };
}

/** @param {string} message */
function errorPage(message) {
	return htmlReply(
		400,
		'Infusionsoft (local stand-in) — authorization error',
		`
    <p class="brand">Infusionsoft <span>(local stand-in)</span></p>
    <h1>This authorization request is invalid</h1>
    <p class="error">${escapeHtml(message)}</p>`,
	);
}

/**
 * @param {number} status
 * @param {string} title
 * @param {string} content  trusted HTML
 * @returns {Reply}
 */
function htmlReply(status, title, content) {
	const body = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(title)}</title>
  <style>
    body { margin: 0; min-height: 100vh; display: flex; align-items: center; justify-content: center;
           background: #f3f5f7; color: #1f2933; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
    main { background: #fff; max-width: 440px; width: 100%; padding: 32px; border-radius: 12px;
           box-shadow: 0 2px 16px rgba(0, 0, 0, .08); }
    h1 { font-size: 1.25rem; margin: .25rem 0 1rem; }
    .brand { color: #37862c; font-weight: 700; margin: 0; }
    .brand span, .note, dt { color: #7b8794; font-weight: 400; }
    dl { display: grid; grid-template-columns: auto 1fr; gap: 4px 12px; font-size: .875rem; }
    dd { margin: 0; word-break: break-all; }
    .actions { display: flex; gap: 12px; margin: 24px 0 8px; }
    .button { flex: 1; padding: 10px 16px; border-radius: 8px; text-align: center;
              text-decoration: none; font-weight: 600; }
    .allow { background: #37862c; color: #fff; }
    .deny { background: #e4e7eb; color: #1f2933; }
    .note { font-size: .75rem; }
    .error { color: #b42318; }
  </style>
</head>
<body><main>${content}
</main></body>
</html>
`;
	return {
		status,
		headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
		body,
	};
}

/** @param {string} text */
function escapeHtml(text) {
	return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

module.exports = { AUTHORIZE_PATH, DECISION_PATH, authorizeUrl, authorizePage, decide, withQuery };

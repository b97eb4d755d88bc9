'use strict';
/**
 * What a browser does with the links (the consent page, the redirect to n8n), over plain HTTP:
 * for the e2e checks and the walkthrough without Chromium.
 */
const { sleep } = require('./processes');

const decodeHtml = (text) =>
	text.replace(/&#(\d+);/g, (_, code) => String.fromCharCode(Number(code))).replace(/&amp;/g, '&');

/**
 * Open an OAuth URL (the stand-in's consent page) and click Allow or Deny. Returns the
 * consent page and the redirect's Location (the callback URL with code or error, and state).
 */
async function clickConsent(oauthUrl, decision) {
	const page = await fetch(oauthUrl);
	const html = await page.text();
	if (page.status !== 200)
		throw new Error(`the consent page answered ${page.status}: ${html.slice(0, 300)}`);
	const match = new RegExp(`id="${decision}"[^>]*href="([^"]+)"`).exec(html);
	if (!match) throw new Error(`the consent page has no ${decision} button`);
	const answer = await fetch(new URL(decodeHtml(match[1]), oauthUrl), { redirect: 'manual' });
	const location = answer.headers.get('location');
	if (answer.status !== 302 || !location)
		throw new Error(`${decision} answered ${answer.status} without a redirect`);
	return { html, location };
}

/** GET a URL as the browser does after the redirect: { status, headers, text, title, message }. */
async function openPage(url) {
	const res = await fetch(url, { redirect: 'manual' });
	const text = await res.text();
	const strip = (s) => decodeHtml((s || '').replace(/<[^>]+>/g, '').trim());
	return {
		status: res.status,
		headers: res.headers,
		text,
		title: strip(/<h1[^>]*>([\s\S]*?)<\/h1>/.exec(text)?.[1]),
		message: strip(/<\/h1>\s*([\s\S]*?)<\/main>/.exec(text)?.[1]).replace(/\s+/g, ' '),
	};
}

/** Polls `fn` until it returns a truthy value. */
async function eventually(fn, { timeoutMs = 20000, what = 'condition' } = {}) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await fn();
		if (value) return value;
		if (Date.now() > deadline)
			throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await sleep(200);
	}
}

module.exports = { clickConsent, openPage, eventually, decodeHtml };

import type { Sandbox } from '../../../../../sandbox';

const decodeHtml = (text: string) =>
	text.replace(/&#(\d+);/g, (_, code) => String.fromCharCode(Number(code)));

/**
 * What a user's browser does on the stand-in's consent page: opens the OAuth URL, clicks
 * Allow or Deny, and gets Infusionsoft's redirect. Returns the redirect's Location (the
 * callback URL with `code` or `error`, and `state`), without following it.
 */
export async function clickOnConsentPage(
	sb: Sandbox,
	oauthUrl: string,
	decision: 'allow' | 'deny',
): Promise<string> {
	const page = await fetch(oauthUrl);
	const html = await page.text();
	if (page.status !== 200)
		throw new Error(`The consent page answered ${page.status}: ${html.slice(0, 200)}`);
	const match = new RegExp(`id="${decision}"[^>]*href="([^"]+)"`).exec(html);
	if (!match) throw new Error(`The consent page has no ${decision} link`);
	const answer = await fetch(sb.url + decodeHtml(match[1]), { redirect: 'manual' });
	const location = answer.headers.get('location');
	if (answer.status !== 302 || !location)
		throw new Error(`The decision answered ${answer.status} without a redirect`);
	return location;
}

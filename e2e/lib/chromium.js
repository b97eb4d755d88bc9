'use strict';
/**
 * Headless Chromium for the e2e walkthrough and the editor screenshots: Debian's
 * /usr/bin/chromium (apt-get install chromium), driven by playwright-core (a dev dependency;
 * required only when a browser is launched). Not Playwright's own browser download.
 */
const fs = require('node:fs');

const CHROMIUM = '/usr/bin/chromium';
/** Without the background-networking flags Chromium's own connections are refused here. */
const CHROMIUM_FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

const hasChromium = () => fs.existsSync(CHROMIUM);

/**
 * Launches headless Chromium with a profile in `userDataDir` (a fresh folder the caller made and
 * removes; launchPersistentContext passes --user-data-dir itself). Returns the browser context.
 */
async function launchChromium(
	userDataDir,
	{ viewport = { width: 1440, height: 900 }, ...options } = {},
) {
	const { chromium } = require('playwright-core');
	return chromium.launchPersistentContext(userDataDir, {
		executablePath: CHROMIUM,
		headless: true,
		args: CHROMIUM_FLAGS,
		viewport,
		...options,
	});
}

/** Signs into the n8n editor at `url` as `owner` ({ email, password }). */
async function signIn(page, url, owner) {
	await page.goto(`${url}/signin`);
	await page.fill('input[name=emailOrLdapLoginId]', owner.email);
	await page.fill('input[name=password]', owner.password);
	await page.click('[data-test-id=form-submit-button]');
	await page.waitForURL((u) => !u.pathname.startsWith('/signin'), { timeout: 30000 });
}

module.exports = { CHROMIUM, CHROMIUM_FLAGS, hasChromium, launchChromium, signIn };

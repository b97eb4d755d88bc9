#!/usr/bin/env node
/*
 * Screenshots of the nodes in the real n8n editor, for the README.
 *
 *   apt-get install -y chromium          # once, as root: the browser (/usr/bin/chromium)
 *   bash e2e/install-n8n.sh n8n-2        # once: n8n 2.x on its own Node
 *   npm run screenshots                  # = node scripts/screenshot-editor.js
 *
 * Builds and packs this package, installs the tarball into a fresh n8n user folder the way
 * n8n's community package installer does, starts the local Cloud Elements stand-in and n8n 2.x,
 * creates the owner, logs in through the editor in headless Chromium (playwright-core), creates
 * a workflow, adds the nodes through the node creator's search and saves PNGs to
 * docs/screenshots/. Everything it started is stopped at the end, also on failure.
 *
 * Options: --out <dir> (default docs/screenshots), --keep (keep the temp folder: n8n's log and
 * user folder, for debugging; kept anyway after a failure, with failure.png of the page).
 * Chromium is Debian's, not Playwright's download: playwright-core only drives it.
 */
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');

const e2e = require('../e2e/lib/n8n');
const demo = require('../e2e/lib/demo');
const rest = require('../e2e/lib/rest');
const { CHROMIUM, hasChromium, launchChromium, signIn } = require('../e2e/lib/chromium');
const { standInCredentials } = require('../e2e/lib/credentials');
const {
	NODE,
	addNodeByAction,
	addTrigger,
	openCreatorItem,
	openNewWorkflow,
	pickAction,
	searchNodeCreator,
	settle,
} = require('../e2e/lib/nodeCreator');
const { startSandbox } = require('../sandbox');

const ROOT = demo.ROOT;
const FLAVOR = 'n8n-2';
/** Shown in the webhook URLs instead of 127.0.0.1:<port>: what a user's instance looks like. */
const PUBLIC_URL = 'https://n8n.example.com/';
const VIEWPORT = { width: 1440, height: 900 };

const CE_CREDENTIAL_ID = 'screenshotCe0001';
const APP_CREDENTIAL_ID = 'screenshotApp001';
const TRIGGER = 'Infusionsoft CRM OAuth Callback Trigger';
const EVENTS_TRIGGER = 'Infusionsoft CRM Events Trigger';
const HEALTH_TRIGGER = 'Infusionsoft CRM Connection Health Trigger';

function parseArgs(argv) {
	const options = { out: path.join(ROOT, 'docs', 'screenshots'), keep: false };
	for (let i = 0; i < argv.length; i++) {
		if (argv[i] === '--out') options.out = path.resolve(argv[++i]);
		else if (argv[i] === '--keep') options.keep = true;
		else throw new Error(`unknown option ${argv[i]} (use --out <dir>, --keep)`);
	}
	return options;
}

const started = Date.now();
const log = (message) =>
	process.stdout.write(
		`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${message}\n`,
	);

/** Resources to release, newest first. */
const cleanups = [];
async function cleanup() {
	while (cleanups.length) {
		const [what, fn] = cleanups.pop();
		try {
			await fn();
		} catch (error) {
			process.stderr.write(`cleanup (${what}) failed: ${error.message}\n`);
		}
	}
}

/* ------------------------------------------------------------------------------------------
 * Editor steps (n8n 2.x selectors: the editor's data-test-id attributes); adding nodes is
 * e2e/lib/nodeCreator.js.
 * ---------------------------------------------------------------------------------------- */

/** Empties the canvas, so that the node creator offers triggers again. */
async function clearCanvas(page) {
	await page.locator('[data-test-id=canvas-node]').first().click();
	await page.keyboard.press('ControlOrMeta+a');
	await page.keyboard.press('Delete');
	await page.locator('[data-test-id=canvas-node]').first().waitFor({ state: 'detached' });
	await settle(page, 300);
}

async function closeNdv(page) {
	await page.click('[data-test-id=ndv-close-button]');
	await page.locator('[data-test-id=ndv]').waitFor({ state: 'hidden' });
	await settle(page, 300);
}

/** Opens the trigger panel's "Webhook URLs" on Production, until it shows the URL of this webhook path. */
async function showProductionUrl(page, webhookPath) {
	await page.getByText('Webhook URLs', { exact: true }).click();
	await page.locator('[data-test-id=radio-button-production]').click();
	await page.getByText(`${PUBLIC_URL}webhook/${webhookPath}`).waitFor();
}

/** Picks the credential with this id in every NDV credential select that is still empty and offers it. */
async function selectCredential(page, credentialId) {
	const selects = page.locator('[data-test-id=node-credentials-select]');
	const n = await selects.count();
	for (let i = 0; i < n; i++) {
		const select = selects.nth(i);
		if ((await select.locator('input').first().inputValue()) !== '') continue;
		await select.click();
		const option = page.locator(
			`[data-test-id=node-credentials-select-item-${credentialId}]:visible`,
		);
		try {
			await option.waitFor({ timeout: 2000 });
			await option.click();
		} catch {
			await select.click(); // not this select's type: close it again (Escape would close the panel)
		}
		await settle(page, 300);
	}
}

async function shoot(page, outDir, name, what, shots, { keepPointer = false } = {}) {
	const file = path.join(outDir, name);
	if (!keepPointer) {
		await page.mouse.move(5, VIEWPORT.height - 5); // no hover effect where the pointer last was
		await page.evaluate(() => document.activeElement?.blur()); // nor a focus ring
	}
	await settle(page, 300);
	await page.screenshot({ path: file });
	shots.push({ file, what });
	log(`saved ${path.relative(ROOT, file)}: ${what}`);
}

async function takeScreenshots(page, url, outDir) {
	const shots = [];

	await openNewWorkflow(page, url);
	const name = page.locator('[data-test-id=workflow-name-input]');
	if (await name.count()) {
		await name.click();
		await page.keyboard.press('ControlOrMeta+a');
		await page.keyboard.type('Provision Infusionsoft CRM');
		await page.keyboard.press('Enter');
		await settle(page, 300);
	}

	// 1. Node creator: search finds both nodes.
	await searchNodeCreator(page);
	await shoot(
		page,
		outDir,
		'node-creator-search.png',
		'node creator: search "Infusionsoft"',
		shots,
	);

	// 2. The OAuth callback trigger and its webhook URLs.
	await openCreatorItem(page, TRIGGER);
	await page.getByRole('button', { name: 'Add to workflow' }).click();
	await page.locator('[data-test-id=ndv]').waitFor();
	await selectCredential(page, APP_CREDENTIAL_ID);
	await showProductionUrl(page, 'infusionsoft-crm/callback');
	await shoot(
		page,
		outDir,
		'oauth-callback-trigger.png',
		'OAuth Callback Trigger panel with its production webhook URL',
		shots,
	);
	await closeNdv(page);

	// 3. Operations: the node's actions in the node creator.
	await searchNodeCreator(page);
	await openCreatorItem(page, NODE);
	await page.getByText('Create an instance', { exact: true }).waitFor();
	await shoot(
		page,
		outDir,
		'node-creator-actions.png',
		`node creator: the actions of ${NODE}`,
		shots,
	);

	// 4. Create Instance.
	await pickAction(page, 'Create an instance');
	await page.locator('[data-test-id=parameter-input-code]').waitFor();
	await selectCredential(page, CE_CREDENTIAL_ID);
	await selectCredential(page, APP_CREDENTIAL_ID);
	await shoot(page, outDir, 'create-instance.png', 'node panel: Instance → Create', shots);

	// 5. The Cloud Elements credential form (a new one: defaults and the fields users fill in).
	const cloudElementsSelect = page.locator('[data-test-id=node-credentials-select]').first();
	await cloudElementsSelect.click();
	await page.locator('[data-test-id=node-credentials-select-item-new]:visible').click();
	const modal = page.locator('[data-test-id=editCredential-modal]');
	await modal.waitFor();
	await modal.locator('[data-test-id=parameter-input-userSecret]').waitFor();
	await settle(page);
	// show one field's help (a tooltip on the label's help icon; it covers the empty field above)
	await modal.locator('[data-test-id=organizationSecret] label').first().hover();
	await modal.locator('[data-test-id=organizationSecret] [data-icon=circle-help]').hover();
	await page.getByText('Sent as "Organization <secret>"', { exact: false }).waitFor();
	await shoot(
		page,
		outDir,
		'credential-cloud-elements.png',
		'Cloud Elements API credential form (Organization Secret help shown)',
		shots,
		{ keepPointer: true },
	);
	await page.locator('button[aria-label="Close this dialog"]:visible').click();
	await modal.waitFor({ state: 'hidden' });
	await closeNdv(page);

	// 6. Get OAuth URL.
	await addNodeByAction(page, 'Get the authorization URL');
	await selectCredential(page, CE_CREDENTIAL_ID);
	await selectCredential(page, APP_CREDENTIAL_ID);
	await shoot(page, outDir, 'get-oauth-url.png', 'node panel: OAuth → Get OAuth URL', shots);
	await closeNdv(page);

	// 7. Contact → Get Many, through a customer's instance.
	await addNodeByAction(page, 'Get many contacts');
	await selectCredential(page, CE_CREDENTIAL_ID);
	await shoot(page, outDir, 'contacts-get-many.png', 'node panel: Contact → Get Many', shots);
	await closeNdv(page);

	// 8. The Events Trigger and its Production URL.
	await clearCanvas(page);
	await addTrigger(page, EVENTS_TRIGGER);
	await selectCredential(page, CE_CREDENTIAL_ID);
	await showProductionUrl(page, 'infusionsoft-crm/events');
	await shoot(
		page,
		outDir,
		'events-trigger.png',
		'Events Trigger panel with its production webhook URL',
		shots,
	);
	await closeNdv(page);

	// 9. The Connection Health Trigger.
	await clearCanvas(page);
	await addTrigger(page, HEALTH_TRIGGER);
	await selectCredential(page, CE_CREDENTIAL_ID);
	await shoot(page, outDir, 'health-trigger.png', 'Connection Health Trigger panel', shots);
	await closeNdv(page);

	return shots;
}

/* ------------------------------------------------------------------------------------------ */

async function main() {
	const options = parseArgs(process.argv.slice(2));
	if (!hasChromium()) {
		throw new Error(
			`${CHROMIUM} not found: install Debian's chromium first (as root: apt-get update && apt-get install -y chromium)`,
		);
	}
	e2e.runtimePaths(FLAVOR); // throws "run bash e2e/install-n8n.sh n8n-2" when missing

	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'screenshot-editor-'));
	cleanups.push([
		'temp folder',
		() => (options.keep ? log(`kept ${tmp}`) : fs.rmSync(tmp, { recursive: true, force: true })),
	]);

	log('npm run build');
	await demo.build();
	const { tarball } = await demo.pack(tmp);
	log(`packed ${path.basename(tarball)}`);

	const userFolder = e2e.makeUserFolder(path.join(tmp, 'user'));
	await e2e.installCommunityPackage(userFolder, tarball, FLAVOR);
	log('installed into a fresh n8n user folder');

	const sandbox = await startSandbox({ port: 0 });
	cleanups.push(['sandbox', () => sandbox.close()]);
	log(`Cloud Elements stand-in on ${sandbox.url}`);

	const credentials = standInCredentials(
		{
			cloudElementsApi: { id: CE_CREDENTIAL_ID, name: 'Cloud Elements (sandbox)' },
			infusionsoftCrmOAuth2Api: { id: APP_CREDENTIAL_ID, name: 'Infusionsoft app (sandbox)' },
		},
		{
			apiRoot: sandbox.apiRoot,
			callbackUrl: `${PUBLIC_URL}webhook/infusionsoft-crm/callback`,
			encryptedKey: '',
		},
	);
	await e2e.importCredentials(FLAVOR, userFolder, credentials);
	log('imported the two credentials');

	const n8n = await e2e.startN8n(FLAVOR, userFolder, { env: { WEBHOOK_URL: PUBLIC_URL } });
	cleanups.push(['n8n', () => n8n.stop()]);
	log(`n8n ${FLAVOR} on ${n8n.url} (log: ${n8n.logFile})`);
	await rest.setupOwner(n8n.url);

	const context = await launchChromium(fs.mkdtempSync(path.join(tmp, 'chromium-')), {
		viewport: VIEWPORT,
		deviceScaleFactor: 1,
	});
	cleanups.push(['chromium', () => context.close()]);
	const page = context.pages()[0] || (await context.newPage());
	page.setDefaultTimeout(30000);
	await signIn(page, n8n.url, rest.DEFAULT_OWNER);
	log('signed in');

	fs.mkdirSync(options.out, { recursive: true });
	try {
		const shots = await takeScreenshots(page, n8n.url, options.out);
		log(`done: ${shots.length} screenshots in ${path.relative(ROOT, options.out) || '.'}`);
	} catch (error) {
		const file = path.join(tmp, 'failure.png');
		await page.screenshot({ path: file }).catch(() => {});
		options.keep = true;
		error.message += `\n(page at failure: ${file}; n8n log: ${n8n.logFile})`;
		throw error;
	}
}

for (const signal of ['SIGINT', 'SIGTERM']) {
	process.on(signal, () => {
		log(`${signal}: stopping everything it started`);
		cleanup().finally(() => process.exit(130));
	});
}

main()
	.then(cleanup, async (error) => {
		process.stderr.write(`screenshot-editor failed: ${error.stack || error}\n`);
		await cleanup();
		process.exitCode = 1;
	})
	.then(() => log('stopped everything it started'));

#!/usr/bin/env node
/*
 * The newcomer's walkthrough that `npm start` prints, done by a machine:
 *
 *   node e2e/walkthrough.js [--url http://localhost:5678] [--http] [--out dir]
 *
 * against a running `npm start` (a fresh one: it expects instances 12345-12347 to be its own).
 * In headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core), through the n8n
 * 2.x editor: sign in as the demo owner;
 *  1. Keap REST, the default: open the provisioning workflow, pick "from New customer" next to
 *     "Execute workflow" and run it, read the oauthUrl in "Get OAuth URL", open it in a new tab,
 *     click Allow on the stand-in's consent page and read n8n's answer page;
 *  2. the legacy element, one click away: the same with the legacy link workflow (one trigger:
 *     "Execute workflow" runs it) and "Get OAuth URL (legacy Infusionsoft CRM)";
 *  3. "keep customer connections alive": "List customer connections" shows both instances;
 *  4. the move to Keap REST: "from Start the move", the link in "Not moved yet: send the link",
 *     Allow: the migration workflow's own callback trigger answers.
 * Screenshots go to --out (default: a temp folder).
 * --http (or no Chromium): the same over HTTP — REST sign-in, `n8n execute` on the demo's user
 * folder (--folder), the consent page's Allow link, the callback.
 * Prints what it saw; the e2e runner (e2e/start.js) uses these functions.
 */
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const n8n = require('./lib/n8n');
const demo = require('./lib/demo');
const { DEMO_OWNER, login } = require('./lib/rest');
const { hasChromium, launchChromium, signIn } = require('./lib/chromium');
const { clickConsent, openPage, decodeHtml } = require('./lib/http');
const {
	NODE,
	openCreatorItem,
	openNewWorkflow,
	parameterValue,
	pickAction,
	searchNodeCreator,
} = require('./lib/nodeCreator');

/** The stand-in's consent-page links (client_id comes last in its URLs). */
const OAUTH_URL = /https?:\/\/[^"<\s]+?\/app\/oauth\/authorize\?[^"<\s]*?client_id=[A-Za-z0-9]+/;

/** The rounds of the walkthrough: which workflow, from which trigger, which node has the link. */
const ROUNDS = [
	{
		key: 'rest',
		workflowId: demo.PROVISIONING_WORKFLOW_ID,
		trigger: /New customer/,
		node: 'Get OAuth URL',
		field: 'oauthUrl',
	},
	{
		key: 'legacy',
		workflowId: demo.LEGACY_LINK_WORKFLOW_ID,
		trigger: null,
		node: 'Get OAuth URL (legacy Infusionsoft CRM)',
		field: 'oauthUrl',
	},
	{
		key: 'migration',
		workflowId: demo.MIGRATION_WORKFLOW_ID,
		trigger: /Start the move/,
		node: 'Not moved yet: send the link',
		field: 'linkExpiresAt',
	},
];

/** Opens a workflow in the editor; after `settleMs`, Escape closes the "Production Checklist" box n8n 2.x opens, if any. */
async function openWorkflow(page, publicUrl, id, settleMs) {
	await page.goto(`${publicUrl}/workflow/${id}`);
	await page.locator('[data-test-id=canvas-trigger-node]').first().waitFor();
	await page.waitForTimeout(settleMs);
	await page.keyboard.press('Escape');
}

/**
 * In the editor (n8n 2.x). Returns { oauthUrl, consentTitle, answer: { url, title, message },
 * legacy: { … the same }, migration: { … }, listedInEditor: [names], shots } (the top level is
 * the Keap REST round).
 */
async function browserWalkthrough({ publicUrl, outDir, log = () => {} }) {
	const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-chromium-'));
	const context = await launchChromium(userDataDir);
	const shots = [];
	const page = context.pages()[0] || (await context.newPage());
	page.setDefaultTimeout(30000);
	const shoot = async (p, name) => {
		if (!outDir) return;
		fs.mkdirSync(outDir, { recursive: true });
		const file = path.join(outDir, name);
		await p.screenshot({ path: file });
		shots.push(file);
	};
	const results = {};
	try {
		log('sign in');
		await signIn(page, publicUrl, DEMO_OWNER);

		for (const [i, round] of ROUNDS.entries()) {
			const n = i + 1;
			if (round.key === 'migration') {
				log(
					'run "keep customer connections alive": "List customer connections" shows both instances',
				);
				await openWorkflow(page, publicUrl, demo.REPROVISIONING_WORKFLOW_ID, 1000);
				await page.click('[data-test-id=execute-workflow-button]');
				const listNode = page.locator('[data-test-id=canvas-node]', {
					hasText: 'List customer connections',
				});
				await listNode.locator('[data-test-id=canvas-node-status-success]').waitFor();
				await listNode.dblclick();
				await page.locator('[data-test-id=ndv]').waitFor();
				await page.getByText('Infusionsoft – customer-42').first().waitFor();
				await page.getByText('Infusionsoft – customer-43').first().waitFor();
				const html = await page.content();
				results.listedInEditor = [
					'Infusionsoft – customer-42',
					'Infusionsoft – customer-43',
				].filter((name) => html.includes(name));
				await shoot(page, `${n}-list-connections.png`);
			}

			log(
				`${round.key}: open the workflow, Execute workflow${round.trigger ? ` from "${round.trigger.source}"` : ''}`,
			);
			await openWorkflow(page, publicUrl, round.workflowId, 1500);
			await shoot(page, `${n}a-${round.key}-workflow.png`);
			if (round.trigger) {
				// The editor preselects the OAuth Callback Trigger (it ranks non-core triggers first).
				await page.click('button[aria-label="Select trigger node"]');
				await page.getByRole('menuitem', { name: round.trigger }).click();
			}
			await page.click('[data-test-id=execute-workflow-button]');
			const linkNode = page.locator('[data-test-id=canvas-node]', { hasText: round.node });
			await linkNode.locator('[data-test-id=canvas-node-status-success]').waitFor();
			await shoot(page, `${n}b-${round.key}-executed.png`);

			log(`${round.key}: read the link in "${round.node}"`);
			await linkNode.dblclick();
			await page.locator('[data-test-id=ndv]').waitFor();
			await page.getByText(round.field, { exact: true }).first().waitFor();
			const found = OAUTH_URL.exec(await page.content());
			if (!found) throw new Error(`no OAuth URL in the "${round.node}" output`);
			const oauthUrl = decodeHtml(found[0]);
			await shoot(page, `${n}c-${round.key}-link.png`);

			log(`${round.key}: open the link in a new tab, click Allow`);
			const tab = await context.newPage();
			await tab.goto(oauthUrl);
			const consentTitle = await tab.title();
			await shoot(tab, `${n}d-${round.key}-consent.png`);
			await Promise.all([
				tab.waitForURL((u) => u.pathname.includes('/webhook/')),
				tab.click('#allow'),
			]);
			await tab.locator('h1').waitFor();
			const answer = {
				url: tab.url(),
				title: (await tab.locator('h1').innerText()).trim(),
				message: (await tab.locator('main').innerText()).trim(),
			};
			await shoot(tab, `${n}e-${round.key}-callback.png`);
			await tab.close();
			results[round.key] = { oauthUrl, consentTitle, answer };
		}
		return {
			...results.rest,
			legacy: results.legacy,
			migration: results.migration,
			listedInEditor: results.listedInEditor,
			shots,
		};
	} catch (error) {
		await shoot(page, 'failure.png').catch(() => {});
		throw error;
	} finally {
		await context.close();
		fs.rmSync(userDataDir, { recursive: true, force: true });
	}
}

/** The same without a browser. Returns { oauthUrl, consentTitle, answer, legacy, migration }. */
async function httpWalkthrough({ publicUrl, folder, flavor = 'n8n-2', log = () => {} }) {
	log('sign in (REST)');
	await login(publicUrl, DEMO_OWNER);
	const results = {};
	for (const round of ROUNDS) {
		log(`${round.key}: n8n execute on the demo user folder`);
		const run = await n8n.executeWorkflow(flavor, folder, round.workflowId);
		const [out] = n8n.nodeOutput(run, round.node);
		const oauthUrl = round.key === 'migration' ? OAUTH_URL.exec(out.text)[0] : out.oauthUrl;
		log(`${round.key}: consent page: Allow`);
		const { html, location } = await clickConsent(oauthUrl, 'allow');
		const answer = await openPage(location);
		results[round.key] = {
			oauthUrl,
			consentTitle: decodeHtml(/<title>([^<]*)<\/title>/.exec(html)?.[1] || ''),
			answer: { url: location, title: answer.title, message: answer.message },
		};
	}
	return { ...results.rest, legacy: results.legacy, migration: results.migration };
}

/**
 * Adds the node from the editor's node creator by its action "Create an instance" and reads the
 * panel it opens: the Resource and Operation menus and the Authorization Code field. n8n's editor
 * hides a field it takes for an authentication switch and resets it to its default on an action,
 * which credentials' `show` rules naming every Resource once caused (the panel opened Get OAuth URL
 * with no Resource menu).
 */
async function editorActionPanel({ publicUrl, outDir }) {
	const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-chromium-'));
	const context = await launchChromium(userDataDir);
	try {
		const page = context.pages()[0] || (await context.newPage());
		page.setDefaultTimeout(30000);
		await signIn(page, publicUrl, DEMO_OWNER);
		await openNewWorkflow(page, publicUrl);
		await searchNodeCreator(page);
		await openCreatorItem(page, NODE);
		// The node's page in the node creator: its triggers (n8n pairs "<node>Trigger" with it).
		const creator = {
			noTriggersCallout: await page
				.locator('[data-test-id=actions-panel-no-triggers-callout]')
				.count(),
			items: (
				await page
					.locator(
						'[data-test-id=node-creator-category-item], [data-test-id=node-creator-item-name]',
					)
					.allInnerTexts()
			).map((text) => text.trim()),
		};
		await pickAction(page, 'Create an instance');
		// The field of the operation the action names, or the time it takes to say it never came.
		const code = await page
			.locator('[data-test-id=parameter-input-code]')
			.waitFor({ timeout: 10000 })
			.then(
				() => true,
				() => false,
			);
		const credentialFields = page.locator('[data-test-id=credentials-label]');
		const credentials = [];
		for (let i = 0; i < (await credentialFields.count()); i++) {
			const field = credentialFields.nth(i);
			credentials.push({
				label: (await field.innerText()).split('\n')[0].trim(),
				selected: await field.locator('input').first().inputValue(),
			});
		}
		const panel = {
			resource: await parameterValue(page, 'resource'),
			operation: await parameterValue(page, 'operation'),
			code,
			credentials,
			// n8n marks an expression that resolves to nothing (shown as a red "undefined").
			creator,
			callbackStateUnresolved: await page
				.locator('[data-test-id=parameter-input-callbackState] .cm-invalid-resolvable')
				.count(),
		};
		if (outDir) {
			fs.mkdirSync(outDir, { recursive: true });
			await page.screenshot({ path: path.join(outDir, 'editor-create-an-instance.png') });
		}
		return panel;
	} finally {
		await context.close();
		fs.rmSync(userDataDir, { recursive: true, force: true });
	}
}

async function main() {
	const args = process.argv.slice(2);
	const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
	const publicUrl = opt('--url', 'http://localhost:5678');
	const log = (m) => console.log(`- ${m}`);
	const useHttp = args.includes('--http') || !hasChromium();
	const result = useHttp
		? await httpWalkthrough({
				publicUrl,
				folder: opt('--folder', path.join(demo.ROOT, '.cache', 'n8n-start', 'n8n-2')),
				log,
			})
		: await browserWalkthrough({
				publicUrl,
				outDir: opt('--out', fs.mkdtempSync(path.join(os.tmpdir(), 'walkthrough-'))),
				log,
			});
	console.log(JSON.stringify(result, null, 2));
}

if (require.main === module) {
	main().catch((error) => {
		console.error(error);
		process.exit(1);
	});
}

module.exports = { browserWalkthrough, editorActionPanel, httpWalkthrough };

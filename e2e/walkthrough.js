#!/usr/bin/env node
/*
 * The newcomer's walkthrough that `npm start` prints, done by a machine:
 *
 *   node e2e/walkthrough.js [--url http://localhost:5678] [--http] [--out dir]
 *
 * against a running `npm start`. In headless Chromium (Debian's /usr/bin/chromium, driven by
 * playwright-core), through the n8n 2.x editor: sign in as the demo owner, open the provisioning
 * workflow, pick "from New customer" next to "Execute workflow" and run it, read the oauthUrl in
 * the "Get OAuth URL" node, open it in a new tab, click Allow on the stand-in's consent page and
 * read n8n's answer page. Screenshots go to --out (default: a temp folder).
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

/** Opens a workflow in the editor; after `settleMs`, Escape closes the "Production Checklist" box n8n 2.x opens, if any. */
async function openWorkflow(page, publicUrl, id, settleMs) {
  await page.goto(`${publicUrl}/workflow/${id}`);
  await page.locator('[data-test-id=canvas-trigger-node]').first().waitFor();
  await page.waitForTimeout(settleMs);
  await page.keyboard.press('Escape');
}

/**
 * In the editor (n8n 2.x). Returns { oauthUrl, consentTitle, answer: { url, title, message }, shots }.
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
  try {
    log('sign in');
    await signIn(page, publicUrl, DEMO_OWNER);

    log('open the provisioning workflow');
    await openWorkflow(page, publicUrl, demo.PROVISIONING_WORKFLOW_ID, 1500);
    await shoot(page, '1-workflow.png');

    log('Execute workflow from "New customer"');
    await page.click('button[aria-label="Select trigger node"]');
    await page.getByRole('menuitem', { name: /New customer/ }).click();
    await page.click('[data-test-id=execute-workflow-button]');
    const urlNode = page.locator('[data-test-id=canvas-node]', { hasText: 'Get OAuth URL' });
    await urlNode.locator('[data-test-id=canvas-node-status-success]').waitFor();
    await shoot(page, '2-executed.png');

    log('read the oauthUrl in "Get OAuth URL"');
    await urlNode.dblclick();
    await page.locator('[data-test-id=ndv]').waitFor();
    await page.getByText('oauthUrl', { exact: true }).first().waitFor();
    const html = await page.content();
    const found = /https?:\/\/[^"<\s]+\/app\/oauth\/authorize\?[^"<\s]+/.exec(html);
    if (!found) throw new Error('no oauthUrl in the "Get OAuth URL" output');
    const oauthUrl = decodeHtml(found[0]);
    await shoot(page, '3-get-oauth-url.png');

    log('open the link in a new tab, click Allow');
    const tab = await context.newPage();
    await tab.goto(oauthUrl);
    const consentTitle = await tab.title();
    await shoot(tab, '4-consent.png');
    await Promise.all([tab.waitForURL((u) => u.pathname.includes('/webhook/')), tab.click('#allow')]);
    await tab.locator('h1').waitFor();
    const answer = { url: tab.url(), title: (await tab.locator('h1').innerText()).trim(), message: (await tab.locator('main').innerText()).trim() };
    await shoot(tab, '5-callback.png');

    log('run "keep customer connections alive": "List customer connections" shows the instance');
    await openWorkflow(page, publicUrl, demo.REPROVISIONING_WORKFLOW_ID, 1000);
    await page.click('[data-test-id=execute-workflow-button]');
    const listNode = page.locator('[data-test-id=canvas-node]', { hasText: 'List customer connections' });
    await listNode.locator('[data-test-id=canvas-node-status-success]').waitFor();
    await listNode.dblclick();
    await page.locator('[data-test-id=ndv]').waitFor();
    await page.getByText('Infusionsoft – customer-42').first().waitFor();
    const listed = (await page.content()).match(/Infusionsoft – customer-42/g).length > 0;
    await shoot(page, '6-list-connections.png');
    return { oauthUrl, consentTitle, answer, listedInEditor: listed, shots };
  } catch (error) {
    await shoot(page, 'failure.png').catch(() => {});
    throw error;
  } finally {
    await context.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}

/** The same without a browser. Returns { oauthUrl, consentTitle, answer }. */
async function httpWalkthrough({ publicUrl, folder, flavor = 'n8n-2', log = () => {} }) {
  log('sign in (REST)');
  await login(publicUrl, DEMO_OWNER);
  log('execute the provisioning workflow (n8n execute on the demo user folder)');
  const run = await n8n.executeWorkflow(flavor, folder, demo.PROVISIONING_WORKFLOW_ID);
  const [{ oauthUrl }] = n8n.nodeOutput(run, 'Get OAuth URL');
  log('consent page: Allow');
  const { html, location } = await clickConsent(oauthUrl, 'allow');
  const answer = await openPage(location);
  return {
    oauthUrl,
    consentTitle: decodeHtml(/<title>([^<]*)<\/title>/.exec(html)?.[1] || ''),
    answer: { url: location, title: answer.title, message: answer.message },
  };
}

async function main() {
  const args = process.argv.slice(2);
  const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
  const publicUrl = opt('--url', 'http://localhost:5678');
  const log = (m) => console.log(`- ${m}`);
  const useHttp = args.includes('--http') || !hasChromium();
  const result = useHttp
    ? await httpWalkthrough({ publicUrl, folder: opt('--folder', path.join(demo.ROOT, '.cache', 'n8n-start', 'n8n-2')), log })
    : await browserWalkthrough({ publicUrl, outDir: opt('--out', fs.mkdtempSync(path.join(os.tmpdir(), 'walkthrough-'))), log });
  console.log(JSON.stringify(result, null, 2));
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}

module.exports = { browserWalkthrough, httpWalkthrough };

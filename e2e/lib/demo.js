'use strict';
/**
 * What `npm start` (scripts/start.js) and the e2e runner (e2e/run.js) share: build and pack
 * this package, the example credentials and workflows, and the few n8n REST calls they make.
 * Plain Node (>= 20), no dependencies; n8n itself is driven through e2e/lib/n8n.js.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { run } = require('./processes');

const ROOT = path.resolve(__dirname, '..', '..');
const EXAMPLES_DIR = path.join(ROOT, 'examples');
const EXAMPLE_CREDENTIALS_DIR = path.join(EXAMPLES_DIR, 'credentials');
const PACKAGE = require(path.join(ROOT, 'package.json'));

const NODE_TYPE = `${PACKAGE.name}.infusionsoftCrm`;
const TRIGGER_TYPE = `${PACKAGE.name}.infusionsoftCrmOAuthTrigger`;
const PROVISIONING_WORKFLOW_ID = 'infusionsoftProvision1';
const REPROVISIONING_WORKFLOW_ID = 'infusionsoftReprovision1';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Install the dev tools from the lockfile when they are missing (a fresh clone). */
async function ensureDevDependencies(log = () => {}) {
  const needed = ['typescript/bin/tsc', 'gulp/bin/gulp.js'].map((p) => path.join(ROOT, 'node_modules', p));
  if (needed.every((p) => fs.existsSync(p))) return false;
  log('installing the dev tools (npm ci) ...');
  await run(npm, ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: ROOT });
  return true;
}

/** `npm run build`: TypeScript to dist/ and the icons. */
async function build() {
  await run(npm, ['run', 'build', '--silent'], { cwd: ROOT });
}

/**
 * `npm pack` into `destDir`. Returns { tarball, filename, integrity, files } — `integrity`
 * changes exactly when the packed content changes (npm pack fixes mtimes), so it tells
 * whether an installed copy is stale.
 */
async function pack(destDir) {
  fs.mkdirSync(destDir, { recursive: true });
  const { stdout } = await run(npm, ['pack', '--json', '--pack-destination', destDir, '--loglevel=error'], { cwd: ROOT });
  const [info] = JSON.parse(stdout.slice(stdout.indexOf('[')));
  return {
    tarball: path.join(destDir, info.filename),
    filename: info.filename,
    integrity: info.integrity,
    files: info.files.map((f) => f.path),
  };
}

/** The default Path of the OAuth Callback Trigger, from the build (dist/). */
function triggerDefaultPath() {
  const file = path.join(ROOT, 'dist', 'nodes', 'InfusionsoftCrmOAuthTrigger', 'InfusionsoftCrmOAuthTrigger.node.js');
  return require(file).DEFAULT_CALLBACK_PATH;
}

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/**
 * The example credentials (examples/credentials/*.json, each an array in `n8n import:credentials`
 * form), optionally pointed at another stand-in (`apiRoot`) or n8n (`callbackUrl`).
 */
function exampleCredentials({ apiRoot, callbackUrl } = {}) {
  const credentials = fs
    .readdirSync(EXAMPLE_CREDENTIALS_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .flatMap((f) => readJson(path.join(EXAMPLE_CREDENTIALS_DIR, f)));
  return credentials.map((c) => {
    const data = { ...c.data };
    if (apiRoot && c.type === 'cloudElementsApi') data.baseUrl = apiRoot;
    if (callbackUrl && c.type === 'infusionsoftCrmOAuth2Api') data.callbackUrl = callbackUrl;
    return { ...c, data };
  });
}

/** The example workflows (examples/*.json): [{ file, workflow }]. */
function exampleWorkflows() {
  return fs
    .readdirSync(EXAMPLES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ file: path.join(EXAMPLES_DIR, f), workflow: readJson(path.join(EXAMPLES_DIR, f)) }));
}

/** sha256 over files (names and contents), to notice when something must be imported again. */
function hashFiles(files) {
  const h = crypto.createHash('sha256');
  for (const f of [...files].sort()) {
    h.update(path.relative(ROOT, f));
    h.update('\0');
    h.update(fs.readFileSync(f));
    h.update('\0');
  }
  return h.digest('hex');
}

/* ------------------------------------------------------------------------------------------
 * n8n REST (the editor's API, /rest): the same calls on n8n 1.x and 2.x.
 * `headers` are what e2e/lib/n8n.js's login() / setupOwner() return.
 * ---------------------------------------------------------------------------------------- */

async function rest(url, route, { method = 'GET', body, headers = {}, allowFailure = false } = {}) {
  const res = await fetch(`${url}/rest${route}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (!res.ok && !allowFailure) {
    const e = new Error(`${method} /rest${route} -> ${res.status}: ${text.slice(0, 500)}`);
    e.status = res.status;
    e.json = json;
    throw e;
  }
  return { status: res.status, json, data: json?.data };
}

async function getWorkflow(url, headers, id) {
  return (await rest(url, `/workflows/${encodeURIComponent(id)}`, { headers })).data;
}

/**
 * Activate (2.x: publish) a workflow so its triggers listen: POST /rest/workflows/:id/activate
 * with the current versionId (n8n 1.123 and 2.x). Returns the workflow; no-op when active.
 */
async function activateWorkflow(url, headers, id) {
  const wf = await getWorkflow(url, headers, id);
  if (wf.active) return wf;
  const { data } = await rest(url, `/workflows/${encodeURIComponent(id)}/activate`, {
    method: 'POST',
    headers,
    body: { versionId: wf.versionId },
  });
  if (!data?.active) throw new Error(`workflow ${id} is still inactive after activation: ${JSON.stringify(data).slice(0, 300)}`);
  return data;
}

/**
 * Waits until n8n serves a production webhook: n8n 2.x activates (publishes) through an outbox,
 * so POST .../activate answers before the webhook is registered (404 "not registered" meanwhile).
 * Probes with a bare GET, which the OAuth Callback Trigger answers 400 without starting a run.
 * Returns the first status that is not 404.
 */
async function waitForWebhook(url, webhookPath, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await fetch(`${url}/webhook/${webhookPath}`).then((r) => r.status, () => 0);
    if (status !== 404 && status !== 0) return status;
    if (Date.now() > deadline) throw new Error(`the production webhook ${webhookPath} was not registered within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function deactivateWorkflow(url, headers, id) {
  const wf = await getWorkflow(url, headers, id);
  if (!wf.active) return wf;
  return (await rest(url, `/workflows/${encodeURIComponent(id)}/deactivate`, { method: 'POST', headers, body: {} })).data;
}

/**
 * The editor's credential test (the Test button): POST /rest/credentials/test with
 * { credentials: { id, name, type, data } }; `data` fields given replace the stored ones for
 * this test only. Resolves { status: 'OK' | 'Error', message }.
 */
async function testCredential(url, headers, credential) {
  const { data } = await rest(url, '/credentials/test', { method: 'POST', headers, body: { credentials: credential } });
  return data;
}

module.exports = {
  ROOT,
  PACKAGE,
  NODE_TYPE,
  TRIGGER_TYPE,
  PROVISIONING_WORKFLOW_ID,
  REPROVISIONING_WORKFLOW_ID,
  EXAMPLES_DIR,
  EXAMPLE_CREDENTIALS_DIR,
  ensureDevDependencies,
  build,
  pack,
  triggerDefaultPath,
  exampleCredentials,
  exampleWorkflows,
  hashFiles,
  rest,
  getWorkflow,
  activateWorkflow,
  deactivateWorkflow,
  waitForWebhook,
  testCredential,
};

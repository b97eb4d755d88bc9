'use strict';
/**
 * The e2e suite for one n8n flavor: the packed tarball installed as n8n installs a community
 * package, the example credentials and workflows imported and run with the real n8n CLI against
 * a fresh stand-in, then the credential test and the OAuth Callback Trigger through a running
 * n8n server.
 */
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const n8n = require('./lib/n8n');
const demo = require('./lib/demo');
const rest = require('./lib/rest');
const { listExecutions, waitForNewExecution, executionRun } = rest;
const { EXAMPLE, ceAuthorization, exampleCredentials, instanceConfiguration } = require('./lib/credentials');
const { clickConsent, openPage, eventually } = require('./lib/http');
const { decodeState, signatureValid, forgeContext } = require('./lib/signedState');
const { startSandbox } = require('../sandbox');

const CE_AUTH = ceAuthorization();
const CLI_COPY_ID = 'infusionsoftReprovisionCli';

/**
 * `n8n execute` cannot start at a Schedule Trigger: the CLI copy of the scheduled example has
 * a Manual Trigger of the same name in its place; every other node and connection is the file's.
 */
function scheduledCliCopy(workflow) {
  const nodes = workflow.nodes.map((node) =>
    node.type === 'n8n-nodes-base.scheduleTrigger'
      ? { id: node.id, name: node.name, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: node.position, parameters: {} }
      : node,
  );
  assert.ok(nodes.some((n, i) => n !== workflow.nodes[i]), 'the scheduled example has a Schedule Trigger');
  return { ...workflow, id: CLI_COPY_ID, name: `${workflow.name} (CLI copy: Manual Trigger)`, nodes, active: false };
}

/** A platform call to the stand-in as the node makes it. */
async function platform(sb, method, route, body) {
  const res = await fetch(`${sb.apiRoot}${route}`, {
    method,
    headers: { authorization: CE_AUTH, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json().catch(() => undefined);
  if (!res.ok) throw new Error(`${method} ${route} -> ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** Creates an instance in the stand-in through its API (a code from its fake Infusionsoft). */
async function seedInstance(sb, name, tags, callbackUrl) {
  const code = sb.issueCode({ clientId: EXAMPLE.clientId, callbackUrl });
  return platform(sb, 'POST', '/instances', {
    element: { key: 'infusionsoftcrm' },
    providerData: { code },
    configuration: instanceConfiguration({ callbackUrl, encryptedKey: '' }),
    tags,
    name,
  });
}

const query = (url) => Object.fromEntries(new URL(url).searchParams);
/** Platform calls that change something: not reads, and not the OAuth URL (a POST that only answers). */
const changes = (sb, since) =>
  sb.requests.slice(since).filter((r) => r.method !== 'GET' && r.path.startsWith('/elements/api-v2/') && !r.path.endsWith('/oauth/url'));

/**
 * @param {string} flavor 'n8n-2' | 'n8n-1'
 * @param {{ tarball: string, files: string[] }} pkg  the packed package
 * @param {import('./lib/report').Report} report
 */
async function flavorSuite(flavor, pkg, report) {
  const group = flavor;
  const check = (name, fn, opts) => report.check(group, name, fn, opts);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `e2e-${flavor}-`));
  const folder = n8n.makeUserFolder(path.join(work, 'user'));
  const sb = await startSandbox({ port: 0 });
  const port = await n8n.getFreePort();
  const base = `http://127.0.0.1:${port}`;
  const callbackUrl = `${base}/webhook/${demo.triggerDefaultPath()}`;
  const credentials = exampleCredentials({ apiRoot: sb.apiRoot, callbackUrl });
  const examples = demo.exampleWorkflows();
  const exampleByFile = (name) => examples.find((e) => path.basename(e.file) === name).workflow;
  let server;
  let failed = false;
  const shared = {};

  try {
    await check('n8n version', async () => {
      const r = await n8n.n8nCli(flavor, folder, ['--version']);
      assert.equal(r.code, 0, r.stderr);
      return `n8n ${r.stdout.trim()} on Node ${fs.existsSync(n8n.runtimePaths(flavor).node) ? require('node:child_process').execFileSync(n8n.runtimePaths(flavor).node, ['--version']).toString().trim() : '?'}`;
    });

    await check(
      'install the packed tarball as n8n installs a community package',
      async () => {
        const installed = await n8n.installCommunityPackage(folder, pkg.tarball, flavor);
        const manifest = JSON.parse(fs.readFileSync(path.join(installed.dir, 'package.json'), 'utf8'));
        const declared = [...manifest.n8n.credentials, ...manifest.n8n.nodes];
        for (const file of declared) assert.ok(fs.existsSync(path.join(installed.dir, file)), `${file} (n8n section) is in the tarball`);
        for (const icon of ['dist/nodes/InfusionsoftCrm/infusionsoftCrm.svg', 'dist/nodes/InfusionsoftCrm/infusionsoftCrm.dark.svg']) {
          assert.ok(fs.existsSync(path.join(installed.dir, icon)), `${icon} is in the tarball`);
        }
        assert.ok(!pkg.files.some((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')), 'no TypeScript sources shipped');
        assert.ok(!pkg.files.some((f) => /^(test|sandbox|examples|e2e|scripts)\//.test(f)), 'no repository-only files shipped');
        assert.equal(manifest.peerDependencies, undefined, 'peerDependencies removed as n8n does');
        return `${pkg.files.length} files; n8n section: ${declared.length} entries present`;
      },
      { fatal: true },
    );

    await check(
      `import:credentials examples/credentials/*.json (API root = stand-in, Callback URL = ${callbackUrl})`,
      async () => {
        await n8n.importCredentials(flavor, folder, credentials);
        return credentials.map((c) => `${c.type} "${c.name}"`).join(', ');
      },
      { fatal: true },
    );

    await check(
      'import:workflow examples/*.json (+ a CLI copy of the scheduled one)',
      async () => {
        const list = examples.map(({ workflow }) =>
          // Saved successful executions let the checks below read what the trigger's outputs did;
          // the file's own setting ("none") keeps the token out of the database. Nodes unchanged.
          workflow.id === demo.PROVISIONING_WORKFLOW_ID ? { ...workflow, settings: { ...workflow.settings, saveDataSuccessExecution: 'all' } } : workflow,
        );
        list.push(scheduledCliCopy(exampleByFile('scheduled-reprovisioning.json')));
        const file = path.join(work, 'workflows.json');
        fs.writeFileSync(file, JSON.stringify(list, null, 2));
        await n8n.importWorkflow(flavor, folder, file);
        return list.map((w) => w.id).join(', ');
      },
      { fatal: true },
    );

    await check('execute provisioning-flow.json: the URL half makes a signed oauthUrl', async () => {
      const before = sb.requests.length;
      const run = await n8n.executeWorkflow(flavor, folder, demo.PROVISIONING_WORKFLOW_ID);
      const [out] = n8n.nodeOutput(run, 'Get OAuth URL');
      const url = new URL(out.oauthUrl);
      assert.equal(`${url.origin}${url.pathname}`, `${sb.url}/app/oauth/authorize`);
      const q = query(out.oauthUrl);
      assert.equal(q.client_id, EXAMPLE.clientId);
      assert.equal(q.redirect_uri, callbackUrl);
      assert.equal(q.state, out.state);
      assert.ok(signatureValid(out.state, EXAMPLE.clientSecret), 'state signed with the app secret');
      const payload = decodeState(out.state);
      assert.equal(payload.c, 'customer-42');
      assert.equal(payload.e - payload.t, 60 * 60, 'valid for 60 minutes (State Valid For)');
      assert.equal(out.context, 'customer-42');
      const [mail] = n8n.nodeOutput(run, 'Send the link to the customer');
      assert.ok(mail.text.includes(out.oauthUrl), 'the email text carries the link');
      assert.equal(mail.to, 'owner@customer-42.example');
      assert.equal(run.data.resultData.runData['Create Instance'], undefined, 'the callback half did not run');
      const calls = sb.requests.slice(before).filter((r) => r.path.startsWith('/elements/api-v2/'));
      assert.deepEqual(calls.map((r) => `${r.method} ${r.path}`), ['POST /elements/api-v2/elements/infusionsoftcrm/oauth/url']);
      assert.deepEqual(calls[0].query, {}, 'no field (the client secret above all) in the URL');
      assert.equal(calls[0].body.apiSecret, EXAMPLE.clientSecret, 'the client secret in the body, as it is');
      assert.equal(calls[0].headers.authorization, CE_AUTH, 'secrets sent as they are');
      shared.oauthUrl = out.oauthUrl;
      shared.state = out.state;
      return `state ${out.state.length} chars, context ${payload.c}`;
    });

    await check('execute scheduled-reprovisioning.json (CLI copy): re-auth URL for the invalid one, re-enable the disabled one', async () => {
      sb.reset();
      const ok = await seedInstance(sb, 'Infusionsoft – fine', ['customer', 'fine'], callbackUrl);
      const broken = await seedInstance(sb, 'Infusionsoft – broken', ['customer', 'broken'], callbackUrl);
      const off = await seedInstance(sb, 'Infusionsoft – off', ['customer', 'off'], callbackUrl);
      const other = await seedInstance(sb, 'Internal – not a customer', ['internal'], callbackUrl);
      sb.instances.get(broken.id).valid = false;
      sb.instances.get(off.id).disabled = true;
      sb.instances.get(other.id).disabled = true;
      const before = sb.requests.length;

      const run = await n8n.executeWorkflow(flavor, folder, CLI_COPY_ID);
      const listed = n8n.nodeOutput(run, 'List customer connections').map((i) => i.id);
      assert.deepEqual(listed.sort(), [ok.id, broken.id, off.id].sort(), 'lists the instances tagged customer');
      const flagged = n8n.nodeOutput(run, 'Flag: ask the customer to reconnect');
      assert.equal(flagged.length, 1);
      assert.equal(flagged[0].instanceId, broken.id);
      assert.equal(flagged[0].instanceName, broken.name);
      assert.equal(flagged[0].status, 'needs re-authorization');
      const state = query(flagged[0].reconnectUrl).state;
      assert.ok(flagged[0].reconnectUrl.startsWith(`${sb.url}/app/oauth/authorize?`));
      assert.ok(signatureValid(state, EXAMPLE.clientSecret), 're-auth link signed');
      const payload = decodeState(state);
      assert.deepEqual(payload.c, { reauthenticateInstanceId: broken.id, name: broken.name });
      assert.equal(payload.e - payload.t, 1440 * 60, 'valid for a day');
      const enabled = n8n.nodeOutput(run, 'Re-enable');
      assert.deepEqual(enabled.map((i) => i.id), [off.id]);

      assert.equal(sb.instances.get(off.id).disabled, false, 'the disabled one is enabled in the stand-in');
      assert.equal(sb.instances.get(broken.id).valid, false, 'the invalid one waits for its customer');
      assert.equal(sb.instances.get(other.id).disabled, true, 'an instance not tagged customer is left alone');
      assert.deepEqual(
        changes(sb, before).map((r) => `${r.method} ${r.path}`),
        [`PUT /elements/api-v2/instances/${off.id}/enabled`],
        'the only change is re-enabling',
      );
      return `listed ${listed.length}, re-auth link for ${broken.id}, re-enabled ${off.id}`;
    });

    await check(
      'n8n start (server) with the package, owner set up, logged in',
      async () => {
        const t0 = Date.now();
        server = await n8n.startN8n(flavor, folder, { port });
        const ready = Date.now() - t0;
        await rest.setupOwner(server.url);
        shared.session = await rest.login(server.url);
        return `${server.url}, ready after ${(ready / 1000).toFixed(1)} s`;
      },
      { fatal: true },
    );
    const headers = shared.session.headers;

    await check('the editor lists both nodes and both credential types', async () => {
      const nodes = await rest.editorTypes(base, headers, 'nodes');
      const creds = await rest.editorTypes(base, headers, 'credentials');
      for (const type of [demo.NODE_TYPE, demo.TRIGGER_TYPE]) assert.ok(nodes.includes(`"name":"${type}"`), `${type} in /types/nodes.json`);
      for (const type of ['cloudElementsApi', 'infusionsoftCrmOAuth2Api']) assert.ok(creds.includes(`"name":"${type}"`), `${type} in /types/credentials.json`);
      const ids = (await rest.listCredentials(base, headers)).map((c) => c.id);
      for (const c of credentials) assert.ok(ids.includes(c.id), `credential ${c.id} visible to the owner`);
    });

    const ce = credentials.find((c) => c.type === 'cloudElementsApi');
    await check('credential test (POST /rest/credentials/test): good secrets, account with no instances -> OK', async () => {
      sb.reset();
      const empty = await fetch(`${sb.apiRoot}/instances`, { headers: { authorization: CE_AUTH } });
      assert.equal(empty.status, 404, 'the stand-in account has no instances (GET /instances answers 404)');
      const result = await rest.testCredential(base, headers, { id: ce.id, name: ce.name, type: ce.type, data: ce.data });
      assert.equal(result.status, 'OK', JSON.stringify(result));
      const call = sb.requests.filter((r) => r.path.startsWith('/elements/api-v2/')).at(-1);
      assert.equal(`${call.method} ${call.path}`, 'GET /elements/api-v2/elements/infusionsoftcrm');
      assert.equal(call.headers.authorization, CE_AUTH);
      return JSON.stringify(result);
    });

    await check('credential test: a wrong User Secret, or Organization Secret -> Error', async () => {
      const messages = [];
      for (const wrong of [{ userSecret: 'wrong/User+Secret=' }, { organizationSecret: 'wrong/Org+Secret=' }]) {
        const result = await rest.testCredential(base, headers, { id: ce.id, name: ce.name, type: ce.type, data: { ...ce.data, ...wrong } });
        assert.equal(result.status, 'Error', JSON.stringify(result));
        messages.push(result.message);
      }
      const saved = await rest.testCredential(base, headers, { id: ce.id, name: ce.name, type: ce.type, data: ce.data });
      assert.equal(saved.status, 'OK', 'the stored credential is unchanged');
      return messages.map((m) => JSON.stringify(m)).join(' / ');
    });

    await check('activate the provisioning flow (its OAuth Callback Trigger listens)', async () => {
      const wf = await rest.activateWorkflow(base, headers, demo.PROVISIONING_WORKFLOW_ID);
      assert.equal(wf.active, true);
      const t0 = Date.now();
      const status = await rest.waitForWebhook(base, demo.triggerDefaultPath());
      const page = await openPage(callbackUrl);
      assert.equal(page.status, 400, 'a bare GET (no code, error or state) is not a callback');
      return `webhook live after ${Date.now() - t0} ms (bare GET -> ${status} "${page.title}")`;
    });

    await check('callback for real: consent -> Allow -> production webhook -> "being connected" page, instance created', async () => {
      assert.ok(shared.oauthUrl, 'needs the oauthUrl of the CLI run');
      sb.reset();
      const seen = (await listExecutions(base, headers, demo.PROVISIONING_WORKFLOW_ID)).map((e) => e.id);
      const { html, location } = await clickConsent(shared.oauthUrl, 'allow');
      assert.match(html, /wants access to your account/);
      assert.ok(location.startsWith(`${callbackUrl}?code=`), location);
      const page = await openPage(location);
      assert.equal(page.status, 200);
      assert.equal(page.title, 'Thank you');
      assert.match(page.message, /Your Infusionsoft account is being connected/);
      assert.ok(!page.text.includes(query(location).code), 'the page does not show the code');
      assert.match(page.headers.get('content-security-policy') || '', /default-src 'none'/);

      const instance = await eventually(() => [...sb.instances.values()][0], { what: 'an instance in the stand-in' });
      assert.equal(instance.name, 'Infusionsoft – customer-42');
      assert.deepEqual(instance.tags.slice(0, 2), ['customer', 'customer-42']);
      assert.match(instance.tags[2], /^used-state:/, 'the instance remembers the callback that made it');
      shared.instance = { id: instance.id, token: instance.token };
      assert.equal(instance.configuration['oauth.callback.url'], callbackUrl);
      const create = sb.requests.find((r) => r.method === 'POST' && r.path === '/elements/api-v2/instances');
      assert.equal(create.body.providerData.code, query(location).code, 'created with the code of this redirect');

      const execution = await waitForNewExecution(base, headers, demo.PROVISIONING_WORKFLOW_ID, seen);
      const { status, run } = await executionRun(base, headers, flavor, execution.id);
      assert.equal(status, 'success');
      const [stored] = n8n.nodeOutput(run, 'Store instance ID and token');
      assert.equal(stored.instanceId, instance.id);
      assert.equal(stored.customerId, 'customer-42');
      assert.equal(stored.action, 'created');
      assert.equal(run.data.resultData.runData['Notify: not connected'], undefined);
      return `instance ${instance.id} "${instance.name}", execution ${execution.id} (${execution.mode})`;
    });

    await check('callback: Deny -> "Access not granted", second output, nothing created', async () => {
      const instancesBefore = sb.instances.size;
      const requestsBefore = sb.requests.length;
      const seen = (await listExecutions(base, headers, demo.PROVISIONING_WORKFLOW_ID)).map((e) => e.id);
      const { location } = await clickConsent(shared.oauthUrl, 'deny');
      assert.equal(query(location).error, 'access_denied');
      const page = await openPage(location);
      assert.equal(page.status, 200);
      assert.equal(page.title, 'Access not granted');
      const execution = await waitForNewExecution(base, headers, demo.PROVISIONING_WORKFLOW_ID, seen);
      const { run } = await executionRun(base, headers, flavor, execution.id);
      const [notified] = n8n.nodeOutput(run, 'Notify: not connected');
      assert.equal(notified.reason, 'denied');
      assert.equal(notified.customerId, 'customer-42');
      assert.equal(run.data.resultData.runData['Create Instance'], undefined, 'Create Instance did not run');
      assert.equal(sb.instances.size, instancesBefore);
      assert.deepEqual(changes(sb, requestsBefore), [], 'no platform call changed anything');
      return `execution ${execution.id}: ${JSON.stringify(notified)}`;
    });

    await check('callback: the same link replayed with a fresh code from another account -> refused by Create, instance untouched', async () => {
      assert.ok(shared.instance, 'needs the instance of the Allow check');
      const requestsBefore = sb.requests.length;
      const seen = (await listExecutions(base, headers, demo.PROVISIONING_WORKFLOW_ID)).map((e) => e.id);
      const code = sb.issueCode({ clientId: EXAMPLE.clientId, callbackUrl });
      const page = await openPage(`${callbackUrl}?${new URLSearchParams({ code, state: shared.state })}`);
      assert.equal(page.status, 200, 'the trigger cannot know: the state is genuine and unexpired');
      const execution = await waitForNewExecution(base, headers, demo.PROVISIONING_WORKFLOW_ID, seen);
      const { status, run } = await executionRun(base, headers, flavor, execution.id);
      assert.equal(status, 'error');
      const error = run.data.resultData.error;
      assert.match(error.message, new RegExp(`This callback was used before: it already connected instance ${shared.instance.id}`));
      assert.equal(sb.instances.get(shared.instance.id).token, shared.instance.token, 'the instance still points at the first account');
      assert.deepEqual(changes(sb, requestsBefore), [], 'no platform call changed anything');
      return `execution ${execution.id}: ${error.message}`;
    });

    await check('callback: a forged state (context changed) -> 400 "This link cannot be used", refused', async () => {
      const instancesBefore = sb.instances.size;
      const requestsBefore = sb.requests.length;
      const seen = (await listExecutions(base, headers, demo.PROVISIONING_WORKFLOW_ID)).map((e) => e.id);
      const code = sb.issueCode({ clientId: EXAMPLE.clientId, callbackUrl });
      const forged = forgeContext(shared.state, 'customer-666');
      const page = await openPage(`${callbackUrl}?${new URLSearchParams({ code, state: forged })}`);
      assert.equal(page.status, 400);
      assert.equal(page.title, 'This link cannot be used');
      const execution = await waitForNewExecution(base, headers, demo.PROVISIONING_WORKFLOW_ID, seen);
      const { run } = await executionRun(base, headers, flavor, execution.id);
      const [notified] = n8n.nodeOutput(run, 'Notify: not connected');
      assert.equal(notified.reason, 'bad-signature');
      assert.equal(notified.customerId, 'unknown (state not verified)');
      assert.equal(run.data.resultData.runData['Create Instance'], undefined);
      assert.equal(sb.instances.size, instancesBefore);
      assert.deepEqual(changes(sb, requestsBefore), []);
      return `reason ${notified.reason}`;
    });

    await check('activate scheduled-reprovisioning.json as it is (Schedule Trigger), then deactivate', async () => {
      const wf = await rest.activateWorkflow(base, headers, demo.REPROVISIONING_WORKFLOW_ID);
      assert.equal(wf.active, true);
      const off = await rest.deactivateWorkflow(base, headers, demo.REPROVISIONING_WORKFLOW_ID);
      assert.equal(off.active, false);
    });

    await check('n8n server log has no errors about the package', async () => {
      const logText = fs.readFileSync(server.logFile, 'utf8');
      const bad = logText.split('\n').filter((l) => /infusionsoft/i.test(l) && /error|fail|problem/i.test(l));
      assert.deepEqual(bad, []);
    });
  } catch (error) {
    failed = true;
    if (!error.reported) throw error;
  } finally {
    if (server) {
      const res = await server.stop();
      if (res && res.code !== 0) console.log(`     (${flavor} n8n server exited with ${JSON.stringify(res)})`);
    }
    await sb.close();
    if (process.env.E2E_KEEP || failed || report.results.some((r) => r.group === group && !r.ok)) {
      console.log(`     kept ${work} (n8n user folder and server log)`);
    } else {
      fs.rmSync(work, { recursive: true, force: true });
    }
  }
}

module.exports = { flavorSuite, scheduledCliCopy };

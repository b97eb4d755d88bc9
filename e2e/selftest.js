#!/usr/bin/env node
'use strict';
/**
 * Self-test of the e2e harness against a real n8n (no project code involved):
 *
 *   node e2e/selftest.js n8n-2 [n8n-1 ...]     (after bash e2e/install-n8n.sh <flavor>)
 *   E2E_KEEP=1 keeps the temporary user folders for inspection.
 *
 * It writes a throwaway community package (one programmatic node + one credential)
 * into a temp dir, `npm pack`s it, installs it with installCommunityPackage, imports a
 * credential and workflows, and runs them with `n8n execute`:
 *   - Manual Trigger -> E2E Echo      must succeed and show the decrypted credential
 *   - Schedule Trigger -> E2E Echo    recorded (what does `execute` do?)
 *   - Webhook -> E2E Echo             recorded (what does `execute` do?)
 * then starts the server, sets up the owner, logs in and finds the node in /types/nodes.json.
 * Prints one summary line per check and "N passed, N failed".
 */
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const n8n = require('./lib/n8n');
const rest = require('./lib/rest');

const PKG = 'n8n-nodes-e2e-echo';
const NODE_TYPE = `${PKG}.e2eEcho`;

function writeEchoPackage(root) {
	const files = {
		'package.json': JSON.stringify(
			{
				name: PKG,
				version: '0.0.1',
				description: 'Throwaway community package used to prove the e2e harness',
				keywords: ['n8n-community-node-package'],
				license: 'MIT',
				files: ['dist'],
				n8n: {
					n8nNodesApiVersion: 1,
					credentials: ['dist/credentials/E2eEchoApi.credentials.js'],
					nodes: ['dist/nodes/E2eEcho/E2eEcho.node.js'],
				},
				peerDependencies: { 'n8n-workflow': '*' },
			},
			null,
			2,
		),
		'dist/credentials/E2eEchoApi.credentials.js': `'use strict';
class E2eEchoApi {
  constructor() {
    this.name = 'e2eEchoApi';
    this.displayName = 'E2E Echo API';
    this.properties = [
      { displayName: 'Token', name: 'token', type: 'string', typeOptions: { password: true }, default: '' },
      { displayName: 'Base URL', name: 'baseUrl', type: 'string', default: 'http://127.0.0.1' },
    ];
  }
}
exports.E2eEchoApi = E2eEchoApi;
`,
		'dist/nodes/E2eEcho/E2eEcho.node.js': `'use strict';
class E2eEcho {
  constructor() {
    this.description = {
      displayName: 'E2E Echo',
      name: 'e2eEcho',
      group: ['transform'],
      version: 1,
      description: 'Echoes input items plus a message and the credential',
      defaults: { name: 'E2E Echo' },
      inputs: ['main'],
      outputs: ['main'],
      credentials: [{ name: 'e2eEchoApi', required: true }],
      properties: [{ displayName: 'Message', name: 'message', type: 'string', default: 'hello' }],
    };
  }
  async execute() {
    const items = this.getInputData();
    const creds = await this.getCredentials('e2eEchoApi');
    return [items.map((item, i) => ({
      json: { ...item.json, message: this.getNodeParameter('message', i), token: creds.token,
              baseUrl: creds.baseUrl, nodeVersion: process.version },
      pairedItem: { item: i },
    }))];
  }
}
exports.E2eEcho = E2eEcho;
`,
	};
	for (const [rel, text] of Object.entries(files)) {
		fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
		fs.writeFileSync(path.join(root, rel), text);
	}
	const out = execFileSync('npm', ['pack', '--silent', '--pack-destination', root], {
		cwd: root,
		encoding: 'utf8',
	});
	return path.join(root, out.trim().split('\n').pop());
}

const CRED = {
	id: 'e2eEchoCred001',
	name: 'E2E Echo credential',
	type: 'e2eEchoApi',
	data: { token: 's3cret-token', baseUrl: 'http://127.0.0.1:9' },
};

const echoNode = (id) => ({
	id: `${id}-echo`,
	name: 'Echo',
	type: NODE_TYPE,
	typeVersion: 1,
	parameters: { message: `from ${id}` },
	credentials: { e2eEchoApi: { id: CRED.id, name: CRED.name } },
});

/** A workflow whose nodes run in a chain: first -> second -> ... */
function workflow(id, chain) {
	const connections = {};
	chain.slice(0, -1).forEach((node, i) => {
		connections[node.name] = { main: [[{ node: chain[i + 1].name, type: 'main', index: 0 }]] };
	});
	return {
		id,
		name: `selftest ${id}`,
		active: false,
		settings: { executionOrder: 'v1' },
		connections,
		nodes: chain.map((node, i) => ({ position: [i * 220, 0], ...node })),
	};
}

const codeNode = (name, jsCode) => ({
	id: `code-${name}`,
	name,
	type: 'n8n-nodes-base.code',
	typeVersion: 2,
	parameters: { jsCode },
});

const TRIGGERS = {
	manual: {
		id: 't-manual',
		name: 'Manual',
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		parameters: {},
	},
	schedule: {
		id: 't-schedule',
		name: 'Schedule',
		type: 'n8n-nodes-base.scheduleTrigger',
		typeVersion: 1.2,
		parameters: { rule: { interval: [{ field: 'hours', hoursInterval: 1 }] } },
	},
	webhook: {
		id: 't-webhook',
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		webhookId: '6f1c3e1e-0000-4000-8000-00000000e2e0',
		parameters: { path: 'e2e-selftest', httpMethod: 'GET', options: {} },
	},
	subworkflow: {
		id: 't-sub',
		name: 'Sub',
		type: 'n8n-nodes-base.executeWorkflowTrigger',
		typeVersion: 1,
		parameters: {},
	},
};

async function selftest(flavor, report) {
	const t0 = Date.now();
	const since = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
	const work = fs.mkdtempSync(path.join(os.tmpdir(), `e2e-selftest-${flavor}-`));
	const check = async (name, fn) => {
		try {
			const detail = await fn();
			report.push({ flavor, name, ok: true, detail });
			console.log(`ok   ${flavor} ${name} (${since()})${detail ? ` — ${detail}` : ''}`);
		} catch (e) {
			report.push({ flavor, name, ok: false, detail: e.message });
			console.log(`FAIL ${flavor} ${name} (${since()})\n${e.stack}`);
		}
	};
	try {
		const tarball = writeEchoPackage(path.join(work, 'pkg'));
		const folder = n8n.makeUserFolder(path.join(work, 'user'));

		await check('installCommunityPackage', async () => {
			const r = await n8n.installCommunityPackage(folder, tarball, flavor);
			assert.equal(r.name, PKG);
			assert.ok(fs.existsSync(path.join(folder, '.n8n/nodes/node_modules', PKG, 'package.json')));
			return r.dir;
		});

		await check('importCredentials (plain data, encrypted on import)', async () => {
			await n8n.importCredentials(flavor, folder, [CRED]);
		});

		const ids = {
			manual: 'wfSelftestManual',
			schedule: 'wfSelftestSched',
			webhook: 'wfSelftestHook',
			subworkflow: 'wfSelftestSub',
			code: 'wfSelftestCode',
			failing: 'wfSelftestFail',
		};
		const workflows = {
			manual: [TRIGGERS.manual, echoNode(ids.manual)],
			schedule: [TRIGGERS.schedule, echoNode(ids.schedule)],
			webhook: [TRIGGERS.webhook, echoNode(ids.webhook)],
			subworkflow: [TRIGGERS.subworkflow, echoNode(ids.subworkflow)],
			code: [
				TRIGGERS.manual,
				codeNode('Code', 'return [{ json: { fromCode: 1 + 1 } }];'),
				echoNode(ids.code),
			],
			failing: [TRIGGERS.manual, codeNode('Boom', "throw new Error('boom from selftest');")],
		};
		await check(`importWorkflow x${Object.keys(ids).length}`, async () => {
			for (const [kind, id] of Object.entries(ids)) {
				assert.equal(await n8n.importWorkflow(flavor, folder, workflow(id, workflows[kind])), id);
			}
		});

		await check('execute Manual Trigger -> community node', async () => {
			const run = await n8n.executeWorkflow(flavor, folder, ids.manual);
			if (process.env.E2E_DUMP)
				fs.writeFileSync(path.join(work, 'run-manual.json'), JSON.stringify(run, null, 2));
			const out = n8n.nodeOutput(run, 'Echo');
			assert.equal(out.length, 1);
			assert.equal(out[0].token, CRED.data.token);
			assert.equal(out[0].message, `from ${ids.manual}`);
			return `status=${run.status} node=${out[0].nodeVersion} keys=${Object.keys(run).join(',')}`;
		});

		await check('execute Manual -> Code (task runner) -> community node', async () => {
			const run = await n8n.executeWorkflow(flavor, folder, ids.code);
			const out = n8n.nodeOutput(run, 'Echo');
			assert.equal(out[0].fromCode, 2);
			assert.equal(out[0].token, CRED.data.token);
		});

		await check('execute failing workflow -> rejects with err.run', async () => {
			const err = await n8n.executeWorkflow(flavor, folder, ids.failing).then(
				() => assert.fail('should have rejected'),
				(e) => e,
			);
			const run = err.run;
			if (process.env.E2E_DUMP)
				fs.writeFileSync(path.join(work, 'run-failing.json'), JSON.stringify(run, null, 2));
			const msg = run?.data?.resultData?.error?.message;
			assert.match(String(msg), /boom from selftest/);
			return `exit=${err.result.code} status=${run.status} error.message=${msg} lastNode=${run.data.resultData.lastNodeExecuted}`;
		});

		for (const kind of ['schedule', 'webhook', 'subworkflow']) {
			await check(`execute ${kind} trigger (observed behaviour)`, async () => {
				const r = await n8n.n8nCli(
					flavor,
					folder,
					['execute', `--id=${ids[kind]}`, '--rawOutput'],
					{
						timeoutMs: 120000,
					},
				);
				const run = n8n.parseExecuteOutput(r.stdout);
				const echo = run && n8n.nodeOutput(run, 'Echo');
				const msg = (r.stdout + r.stderr)
					.split('\n')
					.filter((l) => /error|not|trigger/i.test(l))
					.slice(0, 3);
				return (
					`exit=${r.code}${r.timedOut ? ' (timed out)' : ''} status=${run?.status} ` +
					`ranNodes=${run ? Object.keys(run.data.resultData.runData).join('+') : '-'} ` +
					`echo=${echo ? JSON.stringify(echo) : '-'} ${msg.join(' | ').slice(0, 300)}`
				);
			});
		}

		await check('startN8n + setupOwner + login', async () => {
			const server = await n8n.startN8n(flavor, folder);
			try {
				const owner = await rest.setupOwner(server.url);
				assert.ok(owner.cookie, 'owner setup returns an auth cookie');
				const session = await rest.login(server.url);
				const me = await rest.rest(server.url, '/login', { headers: session.headers });
				assert.equal(me.status, 200);
				const creds = (await rest.listCredentials(server.url, session.headers)).map((c) => c.id);
				assert.ok(creds.includes(CRED.id), `imported credential visible to the owner: ${creds}`);
				const nodeTypes = await rest.editorTypes(server.url, session.headers, 'nodes');
				assert.ok(
					nodeTypes.includes(`"name":"${NODE_TYPE}"`),
					'the editor knows the community node',
				);
				return `${server.url} owner=${owner.user?.email}`;
			} finally {
				await server.stop();
			}
		});
	} finally {
		if (!process.env.E2E_KEEP) fs.rmSync(work, { recursive: true, force: true });
		else console.log(`kept ${work}`);
	}
}

async function main() {
	const flavors = process.argv.slice(2);
	if (flavors.length === 0) flavors.push('n8n-2');
	const report = [];
	for (const flavor of flavors) await selftest(flavor, report);
	const failed = report.filter((r) => !r.ok).length;
	console.log(`${report.length - failed} passed, ${failed} failed`);
	process.exitCode = failed ? 1 : 0;
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});

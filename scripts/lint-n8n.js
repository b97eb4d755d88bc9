#!/usr/bin/env node
/*
 * `n8n-node lint` (n8n's own CLI, @n8n/node-cli) in strict mode, on the package's sources.
 *
 * Strict mode ("strict": true in package.json's n8n section, which n8n's verification asks for)
 * refuses any eslint.config.mjs but n8n's default, and that default lints every .ts file under
 * the folder. The tests are not part of the package and legitimately use the file system,
 * timers and console, so the CLI runs on a copy holding only what the package is built from
 * (package.json, tsconfig.json, eslint.config.mjs, credentials/, lib/, nodes/): exactly what
 * `n8n-node lint` checks in a package made with `n8n-node new`. Our stricter rules and the
 * tests' linting are in eslint.strict.config.mjs (`npm run lint` runs both).
 */
'use strict';

const fs = require('node:fs');
const { spawnSync } = require('node:child_process');
const { stagePackageSources } = require('./lib/stage');

const dir = stagePackageSources('n8n-lint');
try {
	const result = spawnSync('npx', ['--no-install', 'n8n-node', 'lint'], {
		cwd: dir,
		stdio: 'inherit',
		env: { ...process.env, CI: 'true' },
	});
	if (result.status !== 0) {
		console.error(`n8n-node lint failed (exit ${result.status ?? result.signal})`);
		process.exitCode = 1;
	}
} finally {
	fs.rmSync(dir, { recursive: true, force: true });
}

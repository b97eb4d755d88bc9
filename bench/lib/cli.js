'use strict';
/** The small command line of the standalone bench scripts: `--name value` options, a profile folder, the exit code. */
const fs = require('node:fs');
const path = require('node:path');

/** `option('--runs', 3)`: the value after the flag, or the fallback; `profileDir`: --profile-dir, created. */
function cliOptions(args = process.argv.slice(2)) {
	const option = (name, fallback) => {
		const at = args.indexOf(name);
		return at === -1 ? fallback : args[at + 1];
	};
	const profileDir = option('--profile-dir') ? path.resolve(option('--profile-dir')) : undefined;
	if (profileDir) fs.mkdirSync(profileDir, { recursive: true });
	return { option, profileDir };
}

/** Exits 0 once `promise` settles (after `done` with its value), 1 with the error printed. */
function exitWhenDone(promise, done = () => {}) {
	promise.then(
		(value) => {
			done(value);
			process.exit(0);
		},
		(error) => {
			console.error(error);
			process.exit(1);
		},
	);
}

/** A CPU profile of what `task` runs (the timed part only), written to `file`; no file, no profile. */
async function profiled(file, task) {
	if (!file) return await task();
	const inspector = require('node:inspector/promises');
	const session = new inspector.Session();
	session.connect();
	await session.post('Profiler.enable');
	await session.post('Profiler.setSamplingInterval', { interval: 200 });
	await session.post('Profiler.start');
	try {
		return await task();
	} finally {
		const { profile } = await session.post('Profiler.stop');
		session.disconnect();
		fs.writeFileSync(file, JSON.stringify(profile));
	}
}

module.exports = { cliOptions, exitWhenDone, profiled };

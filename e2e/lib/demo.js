'use strict';
/**
 * This package and its example workflows, as `npm start` (scripts/start.js), the e2e runner
 * (e2e/run.js), the screenshots and the benchmarks need them: build, pack, the node types and
 * workflow IDs, the examples. (The example credentials: credentials.js.)
 * Plain Node (>= 20), no dependencies; n8n itself is driven through n8n.js and rest.js.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { run } = require('./processes');

const ROOT = path.resolve(__dirname, '..', '..');
const EXAMPLES_DIR = path.join(ROOT, 'examples');
const PACKAGE = require(path.join(ROOT, 'package.json'));

const NODE_TYPE = `${PACKAGE.name}.infusionsoftCrm`;
const TRIGGER_TYPE = `${PACKAGE.name}.infusionsoftCrmOAuthTrigger`;
const PROVISIONING_WORKFLOW_ID = 'infusionsoftProvision1';
const LEGACY_LINK_WORKFLOW_ID = 'infusionsoftLegacyLink1';
const REPROVISIONING_WORKFLOW_ID = 'infusionsoftReprovision1';
const MIGRATION_WORKFLOW_ID = 'infusionsoftMigrate1';
const EVENTS_WORKFLOW_ID = 'infusionsoftEvts';
const HEALTH_WORKFLOW_ID = 'infusionsoftHlth';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Install the dev tools from the lockfile when they are missing (a fresh clone). */
async function ensureDevDependencies(log = () => {}) {
	const needed = ['typescript/bin/tsc', 'gulp/bin/gulp.js'].map((p) =>
		path.join(ROOT, 'node_modules', p),
	);
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
 * `npm pack` into `destDir`. Returns { tarball, filename, integrity, files, info } — `integrity`
 * changes exactly when the packed content changes (npm pack fixes mtimes), so it tells
 * whether an installed copy is stale; `info` is npm's own entry (sizes, entryCount, files).
 */
async function pack(destDir) {
	fs.mkdirSync(destDir, { recursive: true });
	const { stdout } = await run(
		npm,
		// build() ran just before: --ignore-scripts skips prepack's second build.
		['pack', '--json', '--ignore-scripts', '--pack-destination', destDir, '--loglevel=error'],
		{ cwd: ROOT },
	);
	const [info] = JSON.parse(stdout.slice(stdout.indexOf('[')));
	return {
		tarball: path.join(destDir, info.filename),
		filename: info.filename,
		integrity: info.integrity,
		files: info.files.map((f) => f.path),
		info,
	};
}

/** The default Path of the OAuth Callback Trigger, from the build (dist/). */
function triggerDefaultPath() {
	const file = path.join(
		ROOT,
		'dist',
		'nodes',
		'InfusionsoftCrmOAuthTrigger',
		'InfusionsoftCrmOAuthTrigger.node.js',
	);
	return require(file).DEFAULT_CALLBACK_PATH;
}

function readJson(file) {
	return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** The *.json files directly in `dir`, in name order (full paths). */
function jsonFiles(dir) {
	return fs
		.readdirSync(dir)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((f) => path.join(dir, f));
}

/** The example workflows (examples/*.json): [{ file, workflow }]. */
function exampleWorkflows() {
	return jsonFiles(EXAMPLES_DIR).map((file) => ({ file, workflow: readJson(file) }));
}

/**
 * The OAuth Callback Triggers of the example workflows: [{ workflowId, workflowName, file, node,
 * path, credentialId }] (path: the trigger's Path, the default when it sets none).
 */
function exampleTriggers(workflows = exampleWorkflows()) {
	const defaultPath = triggerDefaultPath();
	return workflows.flatMap(({ file, workflow }) =>
		workflow.nodes
			.filter((node) => node.type === TRIGGER_TYPE)
			.map((node) => ({
				workflowId: workflow.id,
				workflowName: workflow.name,
				file,
				node: node.name,
				path: node.parameters.path ?? defaultPath,
				credentialId: node.credentials?.infusionsoftCrmOAuth2Api?.id,
			})),
	);
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

module.exports = {
	ROOT,
	PACKAGE,
	NODE_TYPE,
	TRIGGER_TYPE,
	PROVISIONING_WORKFLOW_ID,
	LEGACY_LINK_WORKFLOW_ID,
	REPROVISIONING_WORKFLOW_ID,
	MIGRATION_WORKFLOW_ID,
	EVENTS_WORKFLOW_ID,
	HEALTH_WORKFLOW_ID,
	EXAMPLES_DIR,
	ensureDevDependencies,
	build,
	pack,
	triggerDefaultPath,
	exampleWorkflows,
	exampleTriggers,
	jsonFiles,
	hashFiles,
};

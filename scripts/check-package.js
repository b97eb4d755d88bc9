#!/usr/bin/env node
/*
 * The package that gets published, checked from a fresh clone (no dist/, as `git clone` leaves it):
 *
 * 1. `npm pack --dry-run` and `npm publish --dry-run` build first (the prepack script), or fail:
 *    never a package without dist/. The tarball holds every node and credential listed in
 *    package.json's n8n section, and the icons they name.
 * 2. The release workflow publishes with a provenance statement (n8n verifies nothing else):
 *    `npm publish --provenance` in a job allowed `id-token: write`, on a version tag.
 * 3. n8n's own CLI (`n8n-node build`, @n8n/node-cli) builds the same dist/ from the same sources,
 *    file for file and byte for byte (tsconfig.tsbuildinfo aside, which is not packed), besides
 *    the lazy-loading metadata our build adds with n8n-core's n8n-generate-metadata (dist/known,
 *    dist/types, dist/methods), which n8n's loader reads so that no node file is required at start.
 *
 *   npm run check:package      # exits 1 when a check fails
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ROOT, stageClone, stagePackageSources, listFiles } = require('./lib/stage');

let failed = 0;
let passed = 0;
function check(name, ok, detail = '') {
	if (ok) passed++;
	else failed++;
	console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${ok || !detail ? '' : `\n     ${detail}`}`);
}

function npm(args, cwd) {
	const r = spawnSync('npm', args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
	return { ok: r.status === 0, stdout: r.stdout, stderr: r.stderr };
}

/** The files of the tarball npm would make, from `npm <pack|publish> --dry-run --json`. */
function packedFiles(stdout) {
	const json = JSON.parse(stdout.slice(stdout.search(/^[[{]$/m)));
	const info = Array.isArray(json) ? json[0] : (Object.values(json)[0] ?? json);
	return (info.files ?? []).map((f) => f.path);
}

function checkTarball(command, clone, pkg) {
	const run = npm([command, '--dry-run', '--json', '--loglevel=error'], clone);
	const built = fs.existsSync(path.join(clone, 'dist'));
	if (!run.ok) {
		// Refusing is allowed; a silent empty package is not.
		check(`${command} on a fresh clone refuses loudly`, /\S/.test(run.stderr), run.stderr);
		return;
	}
	const files = packedFiles(run.stdout);
	check(`${command} on a fresh clone builds dist/ first`, built, 'no dist/ after the command');
	const listed = [...pkg.n8n.nodes, ...pkg.n8n.credentials];
	const missing = listed.filter((f) => !files.includes(f));
	check(
		`${command}: the tarball holds the ${listed.length} nodes and credentials of package.json's n8n section`,
		missing.length === 0,
		`missing: ${missing.join(', ')}`,
	);
	// Icons are named in the compiled code (`icon: 'file:…svg'`), relative to the file.
	const iconless = listed.filter((file) => {
		const source = fs.readFileSync(path.join(clone, file), 'utf8');
		const icons = [...source.matchAll(/file:([\w./-]+\.(?:svg|png))/g)].map((m) =>
			path.posix.join(path.posix.dirname(file), m[1]),
		);
		return icons.length === 0 || icons.some((icon) => !files.includes(icon));
	});
	check(
		`${command}: every node's and credential's icons are in the tarball`,
		iconless.length === 0,
		iconless.join(', '),
	);
}

/** What n8n-core's n8n-generate-metadata adds to our build, as n8n's own nodes ship it: lazy loading. */
const LAZY_LOADING_METADATA = [
	'known/credentials.json',
	'known/nodes.json',
	'methods/defined.json',
	'methods/referenced.json',
	'types/credentials.json',
	'types/nodes.json',
];

function compareBuilds(ours, theirs) {
	const skip = (f) => f.endsWith('.tsbuildinfo');
	const a = listFiles(ours).filter((f) => !skip(f));
	const b = listFiles(theirs).filter((f) => !skip(f));
	const onlyOurs = a.filter((f) => !b.includes(f) && !LAZY_LOADING_METADATA.includes(f));
	const onlyTheirs = b.filter((f) => !a.includes(f));
	const metadata = LAZY_LOADING_METADATA.filter((f) => a.includes(f) && !b.includes(f));
	check(
		`n8n-node build makes the same ${b.length} files as npm run build, which adds only n8n's lazy-loading metadata (${metadata.length} of ${LAZY_LOADING_METADATA.length})`,
		onlyOurs.length === 0 &&
			onlyTheirs.length === 0 &&
			metadata.length === LAZY_LOADING_METADATA.length,
		`only ours: ${onlyOurs.join(', ') || '-'}; only n8n-node build's: ${onlyTheirs.join(', ') || '-'}; metadata: ${metadata.join(', ') || '-'}`,
	);
	const differing = a.filter(
		(f) =>
			b.includes(f) &&
			!fs.readFileSync(path.join(ours, f)).equals(fs.readFileSync(path.join(theirs, f))),
	);
	check('... byte for byte', differing.length === 0, `differ: ${differing.join(', ')}`);
}

function checkReleaseWorkflow() {
	const file = path.join(ROOT, '.github', 'workflows', 'release.yml');
	const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
	check('.github/workflows/release.yml exists', text !== '');
	check(
		'release.yml publishes with provenance under id-token: write, on a tag',
		/^\s*id-token:\s*write\b/m.test(text) &&
			/npm publish --provenance --access public/.test(text) &&
			/^\s*tags:/m.test(text),
	);
}

checkReleaseWorkflow();
const clone = stageClone('clone');
let sources;
try {
	const pkg = JSON.parse(fs.readFileSync(path.join(clone, 'package.json'), 'utf8'));
	check('a fresh clone has no dist/', !fs.existsSync(path.join(clone, 'dist')));
	checkTarball('pack', clone, pkg);
	fs.rmSync(path.join(clone, 'dist'), { recursive: true, force: true });
	checkTarball('publish', clone, pkg);

	sources = stagePackageSources('n8n-build');
	const build = spawnSync('npx', ['--no-install', 'n8n-node', 'build'], {
		cwd: sources,
		encoding: 'utf8',
		env: { ...process.env, CI: 'true' },
	});
	check('n8n-node build succeeds', build.status === 0, `${build.stdout}${build.stderr}`);
	if (build.status === 0 && fs.existsSync(path.join(clone, 'dist')))
		compareBuilds(path.join(clone, 'dist'), path.join(sources, 'dist'));
} finally {
	fs.rmSync(clone, { recursive: true, force: true });
	if (sources) fs.rmSync(sources, { recursive: true, force: true });
}

console.log(`\ncheck:package: ${passed} passed, ${failed} failed`);
if (failed) process.exitCode = 1;

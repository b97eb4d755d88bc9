'use strict';
/*
 * Copies of the repository for the package checks: the sources n8n's CLI sees, or a clone as
 * `git clone` would make it (tracked and new, not ignored, files: no dist/, no node_modules).
 * Both get a node_modules symlink to this repository's, so the dev tools run in them.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..', '..');

/** What `n8n-node` builds and lints: the files tsconfig.json compiles, and the configs. */
const PACKAGE_SOURCES = [
	'package.json',
	'tsconfig.json',
	'eslint.config.mjs',
	'credentials',
	'lib',
	'nodes',
];

function tempDir(label) {
	return fs.mkdtempSync(path.join(os.tmpdir(), `n8n-infusionsoft-${label}-`));
}

function linkNodeModules(dir) {
	fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
}

/** A folder holding only the package's sources (no tests, no docs, no dist/). */
function stagePackageSources(label) {
	const dir = tempDir(label);
	for (const entry of PACKAGE_SOURCES)
		fs.cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true });
	linkNodeModules(dir);
	return dir;
}

/** A folder with what a fresh clone of the working tree holds. */
function stageClone(label) {
	const dir = tempDir(label);
	const files = execFileSync(
		'git',
		['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
		{ cwd: ROOT, encoding: 'utf8' },
	)
		.split('\0')
		.filter((f) => f && fs.existsSync(path.join(ROOT, f)));
	for (const file of files) {
		fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
		fs.copyFileSync(path.join(ROOT, file), path.join(dir, file));
	}
	linkNodeModules(dir);
	return dir;
}

/** Every file under `dir`, relative, sorted. */
function listFiles(dir) {
	return fs
		.readdirSync(dir, { recursive: true, withFileTypes: true })
		.filter((e) => e.isFile())
		.map((e) => path.relative(dir, path.join(e.parentPath ?? e.path, e.name)))
		.sort();
}

module.exports = { ROOT, stagePackageSources, stageClone, listFiles };

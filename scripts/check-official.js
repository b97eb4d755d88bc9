#!/usr/bin/env node
/*
 * n8n's official checks for community packages, offline.
 *
 *   npm run build && npm run check:official
 *
 * 1. n8n's community package scanner (@n8n/scan-community-package): its lint step, the
 *    exported analyzePackage, with the file patterns the scanner itself uses, on
 *      - the unpacked `npm pack` tarball (compiled .js + package.json: what gets published), and
 *      - the sources (package.json + {nodes,credentials}/**: what the scanner fetches through
 *        the package's npm provenance).
 *    The provenance step needs a published package and is not run here.
 * 2. The verification rules the scanner does not lint, checked on the tarball:
 *      no runtime dependencies, MIT licence with a LICENSE file, the `n8n` section's files exist
 *      and export the class n8n loads, icons and codex files ship, no file system / environment
 *      / process / timer access and no require of anything but n8n-workflow and crypto in the
 *      shipped JavaScript, user-facing strings in Latin script (an English heuristic).
 *
 * Builds nothing itself: run `npm run build` first (it checks that dist/ is not older than the
 * sources). Exits 1 when a check fails; warnings are printed but do not fail.
 */
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const { pathToFileURL } = require('url');
const ts = require('typescript');

const ROOT = path.resolve(__dirname, '..');

/* ------------------------------------------------------------------------------------------
 * Shipped JavaScript: what a verified community node may not touch.
 * ---------------------------------------------------------------------------------------- */

/** Modules the shipped code may require, besides relative files inside the package. */
const ALLOWED_MODULES = new Set(['n8n-workflow', 'crypto', 'node:crypto']);

/** Free identifiers the shipped code may not reference, and why. */
const FORBIDDEN_GLOBALS = {
	process: 'process access (environment, exit, ...)',
	global: 'global object (reaches process and timers)',
	globalThis: 'global object (reaches process and timers)',
	setTimeout: 'timer',
	setInterval: 'timer',
	setImmediate: 'timer',
	eval: 'dynamic code',
	Function: 'dynamic code',
	Deno: 'runtime access',
	Bun: 'runtime access',
	__dirname: 'file system path',
	__filename: 'file system path',
};

/** Property names that mean environment access, whatever the object. */
const FORBIDDEN_PROPERTIES = { env: 'environment access' };

function isNameOnly(node) {
	const parent = node.parent;
	if (!parent) return false;
	// obj.name, { name: v }, class members, labels: not references to a variable
	if (ts.isPropertyAccessExpression(parent) && parent.name === node) return true;
	if (ts.isPropertyAssignment(parent) && parent.name === node) return true;
	if (
		(ts.isMethodDeclaration(parent) ||
			ts.isPropertyDeclaration(parent) ||
			ts.isGetAccessorDeclaration(parent) ||
			ts.isSetAccessorDeclaration(parent)) &&
		parent.name === node
	)
		return true;
	if (ts.isLabeledStatement(parent) || ts.isBreakOrContinueStatement(parent)) return true;
	if (ts.isBindingElement(parent) && parent.propertyName === node) return true;
	return false;
}

function resolveRelative(fromFile, spec, packageDir) {
	const base = path.resolve(path.dirname(fromFile), spec);
	const candidates = [base, `${base}.js`, `${base}.json`, path.join(base, 'index.js')];
	const found = candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile());
	if (!found) return { ok: false, why: `relative require '${spec}' does not resolve to a file` };
	const rel = path.relative(packageDir, found);
	if (rel.startsWith('..') || path.isAbsolute(rel)) {
		return { ok: false, why: `relative require '${spec}' leaves the package` };
	}
	return { ok: true };
}

/**
 * Scans one shipped JavaScript file; returns [{ line, rule, text }].
 * Works on the AST, so words in strings and property names ("process", "env") are fine.
 */
function scanJavaScript(source, filePath, packageDir) {
	const sf = ts.createSourceFile(filePath, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
	const findings = [];
	const add = (node, rule, text) => {
		const { line } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
		findings.push({ line: line + 1, rule, text });
	};
	const checkModule = (node, spec) => {
		if (spec === undefined) return add(node, 'require', 'require/import of a computed module name');
		if (spec.startsWith('./') || spec.startsWith('../')) {
			const r = resolveRelative(filePath, spec, packageDir);
			if (!r.ok) add(node, 'require', r.why);
			return;
		}
		if (!ALLOWED_MODULES.has(spec)) {
			add(node, 'require', `require('${spec}'): only n8n-workflow and crypto may be required`);
		}
	};
	const literal = (arg) =>
		arg && (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg))
			? arg.text
			: undefined;

	const visit = (node) => {
		if (ts.isIdentifier(node) && !isNameOnly(node)) {
			const name = node.text;
			if (Object.prototype.hasOwnProperty.call(FORBIDDEN_GLOBALS, name)) {
				add(node, name, `${name}: ${FORBIDDEN_GLOBALS[name]}`);
			}
		}
		if (ts.isPropertyAccessExpression(node)) {
			const name = node.name.text;
			if (Object.prototype.hasOwnProperty.call(FORBIDDEN_PROPERTIES, name)) {
				add(node, name, `.${name}: ${FORBIDDEN_PROPERTIES[name]}`);
			}
		}
		if (ts.isElementAccessExpression(node)) {
			const name = literal(node.argumentExpression);
			if (name !== undefined && Object.prototype.hasOwnProperty.call(FORBIDDEN_PROPERTIES, name)) {
				add(node, name, `['${name}']: ${FORBIDDEN_PROPERTIES[name]}`);
			}
			if (name !== undefined && Object.prototype.hasOwnProperty.call(FORBIDDEN_GLOBALS, name)) {
				add(node, name, `['${name}']: ${FORBIDDEN_GLOBALS[name]}`);
			}
		}
		if (ts.isCallExpression(node)) {
			if (node.expression.kind === ts.SyntaxKind.ImportKeyword) {
				checkModule(node, literal(node.arguments[0]));
			} else if (ts.isIdentifier(node.expression) && node.expression.text === 'require') {
				checkModule(node, literal(node.arguments[0]));
			}
		} else if (ts.isIdentifier(node) && node.text === 'require' && !isNameOnly(node)) {
			const p = node.parent;
			if (!(ts.isCallExpression(p) && p.expression === node)) {
				add(node, 'require', 'require used other than as a direct call');
			}
		}
		if (ts.isImportDeclaration(node) || (ts.isExportDeclaration(node) && node.moduleSpecifier)) {
			checkModule(node, literal(node.moduleSpecifier));
		}
		ts.forEachChild(node, visit);
	};
	visit(sf);
	return findings;
}

function listFiles(dir, filter = () => true, base = dir) {
	const out = [];
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) {
			if (entry.name === 'node_modules') continue;
			out.push(...listFiles(full, filter, base));
		} else if (filter(full)) {
			out.push(path.relative(base, full).split(path.sep).join('/'));
		}
	}
	return out.sort();
}

/** Scans every .js file of a package directory (node_modules excluded). */
function scanPackageJavaScript(packageDir) {
	const files = listFiles(
		packageDir,
		(f) => f.endsWith('.js') || f.endsWith('.cjs') || f.endsWith('.mjs'),
	);
	const findings = [];
	for (const rel of files) {
		const full = path.join(packageDir, rel);
		for (const f of scanJavaScript(fs.readFileSync(full, 'utf8'), full, packageDir)) {
			findings.push({ file: rel, ...f });
		}
	}
	return { files, findings };
}

/* ------------------------------------------------------------------------------------------
 * package.json, licence and the n8n section.
 * ---------------------------------------------------------------------------------------- */

const MIT_TEXT = [
	/^\s*MIT License/i,
	/Permission is hereby granted, free of charge, to any person obtaining a copy/,
	/THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND/,
];

/** Checks on the published package.json and the tarball's file list; returns [{ ok, what, why }]. */
function checkPackageManifest(pkg, packageDir, tarFiles) {
	const results = [];
	const r = (ok, what, why) => results.push({ ok, what, why });
	const has = (p) => tarFiles.includes(p.replace(/^\.\//, ''));

	const deps = Object.keys(pkg.dependencies || {});
	r(
		deps.length === 0,
		'no runtime dependencies',
		deps.length ? `dependencies: ${deps.join(', ')}` : '',
	);
	for (const field of ['optionalDependencies', 'bundleDependencies', 'bundledDependencies']) {
		const v = pkg[field];
		const n = Array.isArray(v)
			? v.length
			: v && typeof v === 'object'
				? Object.keys(v).length
				: v
					? 1
					: 0;
		if (n) r(false, `no ${field}`, `${field} would ship code with the package`);
	}

	r(
		pkg.license === 'MIT',
		'licence is MIT',
		`package.json license is ${JSON.stringify(pkg.license)}`,
	);
	const licenseFile = tarFiles.find((f) => /^licen[cs]e(\.(md|txt))?$/i.test(f));
	if (!licenseFile) {
		r(false, 'LICENSE file in the tarball', 'no LICENSE file at the package root');
	} else {
		const text = fs.readFileSync(path.join(packageDir, licenseFile), 'utf8');
		const missing = MIT_TEXT.filter((re) => !re.test(text));
		r(
			missing.length === 0,
			`${licenseFile} is the MIT licence`,
			missing.length ? 'does not read as the MIT licence text' : '',
		);
	}

	const n8n = pkg.n8n || {};
	r(
		n8n.n8nNodesApiVersion === 1,
		'n8n.n8nNodesApiVersion is 1',
		`is ${JSON.stringify(n8n.n8nNodesApiVersion)}`,
	);
	const nodes = Array.isArray(n8n.nodes) ? n8n.nodes : [];
	const credentials = Array.isArray(n8n.credentials) ? n8n.credentials : [];
	r(nodes.length > 0, 'n8n.nodes lists at least one node', 'n8n.nodes is empty');
	for (const file of [...nodes, ...credentials]) {
		r(
			has(file),
			`${file} is in the tarball`,
			'listed in package.json "n8n" but not packed (build first? "files"?)',
		);
	}
	return results;
}

/**
 * Loads the n8n section's files the way n8n does (require the file, take the export named after
 * the file, instantiate it) and checks what n8n then reads from disk next to them.
 * `peerDir` is a node_modules folder that holds n8n-workflow (n8n provides it at run time).
 */
function checkLoadable(pkg, packageDir, tarFiles, sourceRoot) {
	const results = [];
	const r = (ok, what, why) => results.push({ ok, what, why });
	const strings = [];
	const n8n = pkg.n8n || {};
	const load = (file, suffix) => {
		const full = path.join(packageDir, file);
		const className = path.basename(file).replace(suffix, '');
		try {
			const mod = require(full);
			if (typeof mod[className] !== 'function') {
				r(
					false,
					`${file} exports class ${className}`,
					`exports: ${Object.keys(mod).join(', ') || 'nothing'}`,
				);
				return undefined;
			}
			return new mod[className]();
		} catch (error) {
			r(false, `${file} loads`, error.message.split('\n')[0]);
			return undefined;
		}
	};
	const iconFiles = (icon) => {
		if (!icon) return [];
		const list = typeof icon === 'string' ? [icon] : [icon.light, icon.dark];
		return list
			.filter((i) => typeof i === 'string' && i.startsWith('file:'))
			.map((i) => i.slice(5));
	};

	for (const file of n8n.nodes || []) {
		if (!fs.existsSync(path.join(packageDir, file))) continue;
		const node = load(file, /\.node\.js$/);
		if (!node) continue;
		const d = node.description || {};
		r(
			typeof d.name === 'string' && typeof d.displayName === 'string',
			`${file} loads (${d.displayName})`,
			'no description.name/displayName',
		);
		for (const icon of iconFiles(d.icon)) {
			const rel = path.posix.join(path.posix.dirname(file), icon);
			r(
				tarFiles.includes(rel),
				`icon ${rel} is in the tarball`,
				'referenced by the node but not packed',
			);
		}
		// n8n reads the codex (categories, aliases, documentation links) from <file>on: X.node.js -> X.node.json
		const codex = `${file}on`;
		const base = path.basename(file, '.js');
		const sourceCodex = listFiles(
			path.join(sourceRoot, 'nodes'),
			(f) => path.basename(f) === `${base}.json`,
		);
		if (sourceCodex.length || tarFiles.includes(codex)) {
			r(
				tarFiles.includes(codex),
				`codex ${codex} is in the tarball`,
				`nodes/${sourceCodex[0]} is not packed next to the node, so n8n shows no categories, aliases or documentation links (tsconfig "include" needs "nodes/**/*.json", or copy it in the build)`,
			);
		}
		collectStrings(d, strings, file);
	}
	for (const file of n8n.credentials || []) {
		if (!fs.existsSync(path.join(packageDir, file))) continue;
		const cred = load(file, /\.credentials\.js$/);
		if (!cred) continue;
		r(
			typeof cred.name === 'string' && typeof cred.displayName === 'string',
			`${file} loads (${cred.displayName})`,
			'no name/displayName',
		);
		for (const icon of iconFiles(cred.icon)) {
			const rel = path.posix.join(path.posix.dirname(file), icon);
			r(
				tarFiles.includes(rel),
				`icon ${rel} is in the tarball`,
				'referenced by the credential but not packed',
			);
		}
		collectStrings({ displayName: cred.displayName, properties: cred.properties }, strings, file);
	}
	return { results, strings };
}

/** The user-facing text of a description: what the editor shows. */
const TEXT_KEYS = new Set([
	'displayName',
	'description',
	'placeholder',
	'hint',
	'action',
	'subtitle',
	'notice',
	'title',
]);

function collectStrings(value, out, file, key = '') {
	if (typeof value === 'string') {
		if (TEXT_KEYS.has(key) && !value.startsWith('=')) out.push({ file, key, text: value });
	} else if (Array.isArray(value)) {
		for (const v of value)
			collectStrings(v, out, file, key === 'options' || key === 'values' ? '' : key);
	} else if (value && typeof value === 'object') {
		for (const [k, v] of Object.entries(value)) {
			// option entries show their `name`
			if (k === 'name' && typeof v === 'string' && 'value' in value)
				out.push({ file, key: 'name', text: v });
			collectStrings(v, out, file, k);
		}
	}
}

/** English heuristic: every letter is a Latin-script letter. A human still reads the text. */
function nonLatin(strings) {
	return strings.filter((s) =>
		[...s.text].some((ch) => /\p{L}/u.test(ch) && !/\p{Script=Latin}/u.test(ch)),
	);
}

/* ------------------------------------------------------------------------------------------
 * Build freshness, pack, scanner.
 * ---------------------------------------------------------------------------------------- */

function checkBuildFresh(root) {
	const results = [];
	const sources = [
		...listFiles(path.join(root, 'lib'), (f) => f.endsWith('.ts')).map((f) => `lib/${f}`),
		...listFiles(path.join(root, 'nodes'), (f) => f.endsWith('.ts')).map((f) => `nodes/${f}`),
		...listFiles(path.join(root, 'credentials'), (f) => f.endsWith('.ts')).map(
			(f) => `credentials/${f}`,
		),
	];
	const missing = [];
	const older = [];
	for (const src of sources) {
		const out = path.join(root, 'dist', src.replace(/\.ts$/, '.js'));
		if (!fs.existsSync(out)) missing.push(src);
		else if (fs.statSync(out).mtimeMs < fs.statSync(path.join(root, src)).mtimeMs) older.push(src);
	}
	const few = (list) => `${list.slice(0, 5).join(', ')}${list.length > 5 ? ', ...' : ''}`;
	results.push({
		ok: missing.length === 0,
		what: `dist/ has the output of every source (${sources.length} files)`,
		why: `not built: ${few(missing)}; run npm run build`,
	});
	// tsc --incremental does not rewrite unchanged output, so an older file is only a hint.
	if (older.length)
		results.push({
			ok: 'warn',
			what: `dist/ may be stale: older than its source: ${few(older)}`,
			why: 'run npm run build if these changed since',
		});
	return results;
}

function packInto(root, dir) {
	// The build is checked above; --ignore-scripts packs it as it is (prepack would build again).
	const out = execFileSync(
		'npm',
		['pack', '--json', '--ignore-scripts', '--pack-destination', dir],
		{
			cwd: root,
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'pipe'],
		},
	);
	const info = JSON.parse(out.slice(out.search(/^\[$/m)))[0];
	const tarball = path.join(dir, info.filename);
	const packageDir = path.join(dir, 'package');
	fs.mkdirSync(packageDir);
	execFileSync('tar', ['-xzf', tarball, '-C', packageDir, '--strip-components=1']);
	return { info, tarball, packageDir };
}

/** Imports the scanner; it makes a temp dir on import, so point that into ours (removed at the end). */
async function loadScanner(tmpDir) {
	const entry = require.resolve('@n8n/scan-community-package/scanner/scanner.mjs', {
		paths: [ROOT],
	});
	const saved = process.env.TMPDIR;
	process.env.TMPDIR = tmpDir;
	try {
		return await import(pathToFileURL(entry).href);
	} finally {
		if (saved === undefined) delete process.env.TMPDIR;
		else process.env.TMPDIR = saved;
	}
}

/**
 * The scanner's analyzePackage (the pass/fail it gives: errors only), plus the same lint run
 * through its exported config to list warnings, which analyzePackage does not report.
 */
async function runScanner(scanner, dir, patterns) {
	const result = await scanner.analyzePackage(dir, patterns);
	const { ESLint } = require(require.resolve('eslint', { paths: [ROOT] }));
	const glob = require(require.resolve('fast-glob', { paths: [ROOT] }));
	const files = glob.sync(patterns, {
		cwd: dir,
		absolute: true,
		ignore: ['node_modules/**', '**/package-lock.json'],
	});
	const eslint = new ESLint({
		cwd: dir,
		allowInlineConfig: false,
		overrideConfigFile: true,
		overrideConfig: await scanner.buildScanConfig(),
	});
	const lint = files.length ? await eslint.lintFiles(files) : [];
	const messages = [];
	for (const f of lint) {
		for (const m of f.messages) {
			messages.push({
				file: path.relative(dir, f.filePath),
				line: m.line,
				severity: m.severity,
				rule: m.ruleId,
				text: m.message,
			});
		}
	}
	return { result, files: files.length, messages };
}

/* ------------------------------------------------------------------------------------------
 * Report.
 * ---------------------------------------------------------------------------------------- */

async function main() {
	const started = Date.now();
	const pkgSource = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
	const lines = [];
	let failed = 0;
	let warned = 0;
	const pass = (what) => lines.push(`  PASS  ${what}`);
	const fail = (what, why) => {
		failed++;
		lines.push(`  FAIL  ${what}${why ? `\n          ${why}` : ''}`);
	};
	const warn = (what, why) => {
		warned++;
		lines.push(`  WARN  ${what}${why ? `\n          ${why}` : ''}`);
	};
	const section = (title) => lines.push('', title);
	const report = (rs) =>
		rs.forEach((x) =>
			x.ok === 'warn' ? warn(x.what, x.why) : x.ok ? pass(x.what) : fail(x.what, x.why),
		);
	const flush = () => {
		process.stdout.write(`${lines.join('\n')}\n`);
		lines.length = 0;
	};

	lines.push(`n8n official checks for ${pkgSource.name}@${pkgSource.version}`);

	section('Build');
	if (!fs.existsSync(path.join(ROOT, 'dist'))) {
		fail('dist/ exists', 'run npm run build first');
		flush();
		return 1;
	}
	report(checkBuildFresh(ROOT));
	flush();

	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'check-official-'));
	try {
		section('Tarball (npm pack)');
		const { info, packageDir } = packInto(ROOT, tmp);
		const tarFiles = listFiles(packageDir);
		pass(
			`packed ${info.filename}: ${info.entryCount} files, ${(info.size / 1024).toFixed(1)} kB packed, ${(info.unpackedSize / 1024).toFixed(1)} kB unpacked`,
		);
		const extras = tarFiles.filter((f) =>
			/\.tsbuildinfo$|(^|\/)\.env|(^|\/)node_modules\/|\.test\.[jt]s$/.test(f),
		);
		if (extras.length)
			warn(
				`files that need not ship: ${extras.join(', ')}`,
				'build output n8n never reads; add a "!dist/**/*.tsbuildinfo" entry to "files" or move tsBuildInfoFile out of dist/',
			);
		flush();

		section(
			"n8n's community package scanner: analyzePackage (lint step; provenance needs a published package)",
		);
		const scanner = await loadScanner(tmp);
		const scanPkg = require(
			require.resolve('@n8n/scan-community-package/package.json', { paths: [ROOT] }),
		);
		const legs = [
			['the unpacked tarball', packageDir, ['**/*.js', 'package.json']],
			['the sources', ROOT, scanner.SOURCE_FILE_PATTERNS],
		];
		for (const [label, dir, patterns] of legs) {
			const { result, files, messages } = await runScanner(scanner, dir, patterns);
			const errors = messages.filter((m) => m.severity === 2);
			const warnings = messages.filter((m) => m.severity === 1);
			const what = `scanner ${scanPkg.version} on ${label} (${patterns.join(', ')}): ${files} files, ${errors.length} errors, ${warnings.length} warnings`;
			if (result.passed && errors.length === 0) pass(what);
			else fail(what, `${result.message || ''}${result.details ? `\n${result.details}` : ''}`);
			for (const w of warnings) {
				warn(
					`${label}: ${w.file}:${w.line} ${w.rule}`,
					`${w.text} (the scanner lints without inline eslint-disable comments; warnings do not fail it)`,
				);
			}
			flush();
		}

		section('Rules the scanner does not lint (on the tarball)');
		const pkg = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
		report(checkPackageManifest(pkg, packageDir, tarFiles));

		// n8n provides n8n-workflow to community packages at run time; do the same for loading.
		const peer = require.resolve('n8n-workflow/package.json', { paths: [ROOT] });
		fs.mkdirSync(path.join(packageDir, 'node_modules'), { recursive: true });
		fs.symlinkSync(
			path.dirname(peer),
			path.join(packageDir, 'node_modules', 'n8n-workflow'),
			'dir',
		);
		const { results, strings } = checkLoadable(pkg, packageDir, tarFiles, ROOT);
		report(results);

		const { files, findings } = scanPackageJavaScript(packageDir);
		if (findings.length === 0) {
			pass(
				`shipped JavaScript (${files.length} files): no process/env, fs, child_process, timers, eval; requires only n8n-workflow, crypto and its own files`,
			);
		} else {
			fail(
				`shipped JavaScript (${files.length} files): ${findings.length} forbidden uses`,
				findings.map((f) => `${f.file}:${f.line} ${f.text}`).join('\n          '),
			);
		}

		const bad = nonLatin(strings);
		if (bad.length === 0)
			pass(
				`English (heuristic): ${strings.length} user-facing strings of the nodes and credentials are Latin script`,
			);
		else
			fail(
				`English (heuristic): ${bad.length} strings with non-Latin letters`,
				bad.map((s) => `${s.file} ${s.key}: ${s.text}`).join('\n          '),
			);
	} finally {
		fs.rmSync(tmp, { recursive: true, force: true });
	}

	lines.push(
		'',
		`${failed ? 'FAILED' : 'PASSED'}: ${failed} failed, ${warned} warnings (${((Date.now() - started) / 1000).toFixed(1)} s)`,
	);
	flush();
	return failed ? 1 : 0;
}

module.exports = {
	scanJavaScript,
	scanPackageJavaScript,
	checkPackageManifest,
	checkLoadable,
	nonLatin,
	collectStrings,
	ALLOWED_MODULES,
};

if (require.main === module) {
	main().then(
		(code) => process.exit(code),
		(error) => {
			console.error(error);
			process.exit(2);
		},
	);
}

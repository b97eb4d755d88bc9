/**
 * scripts/check-official.js must be able to fail: plant shipped files that break the
 * verification rules the scanner does not lint, and check each is caught (and that the
 * look-alikes a string or property name produces are not).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const check = require('../../scripts/check-official.js') as {
	scanJavaScript(
		source: string,
		filePath: string,
		packageDir: string,
	): Array<{ line: number; rule: string; text: string }>;
	scanPackageJavaScript(dir: string): {
		files: string[];
		findings: Array<{ file: string; line: number; rule: string }>;
	};
	checkPackageManifest(
		pkg: object,
		dir: string,
		files: string[],
	): Array<{ ok: boolean | 'warn'; what: string; why: string }>;
	nonLatin(strings: Array<{ file: string; key: string; text: string }>): unknown[];
	collectStrings(
		value: unknown,
		out: Array<{ file: string; key: string; text: string }>,
		file: string,
	): void;
};

let dir: string;
const file = (rel: string, text: string) => {
	const full = path.join(dir, rel);
	fs.mkdirSync(path.dirname(full), { recursive: true });
	fs.writeFileSync(full, text);
	return full;
};
const scan = (source: string) =>
	check.scanJavaScript(source, path.join(dir, 'dist', 'x.js'), dir).map((f) => f.rule);

beforeAll(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'check-official-test-'));
	file('dist/helper.js', 'exports.x = 1;\n');
	file('dist/sub/index.js', 'exports.y = 2;\n');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('shipped JavaScript scan', () => {
	it.each([
		['process.env', 'const k = process.env.API_KEY;', ['process', 'env']],
		['process alone', 'process.exit(1);', ['process']],
		['env through another object', 'const e = globalThis.process.env;', ['globalThis', 'env']],
		['element access', "const e = proc['env'];", ['env']],
		['fs', "const fs = require('fs');", ['require']],
		['node:fs', "const fs = require('node:fs');", ['require']],
		['fs/promises', "const fs = require('fs/promises');", ['require']],
		['child_process', "require('child_process').execSync('id');", ['require']],
		['http', "const h = require('http');", ['require']],
		['computed require', 'const m = require(name);', ['require']],
		['aliased require', 'const r = require; r("fs");', ['require']],
		['dynamic import', "import('fs').then(() => 0);", ['require']],
		['esm import', "import fs from 'fs';", ['require']],
		['setTimeout', 'setTimeout(() => 0, 10);', ['setTimeout']],
		['setInterval', 'setInterval(() => 0, 10);', ['setInterval']],
		['setImmediate', 'setImmediate(() => 0);', ['setImmediate']],
		['eval', "eval('1');", ['eval']],
		['Function', "new Function('return this')();", ['Function']],
		['__dirname', 'const d = __dirname;', ['__dirname']],
		['missing relative file', "require('./nope');", ['require']],
		['relative path out of the package', "require('../../outside');", ['require']],
	])('finds %s', (_name, source, rules) => {
		expect(scan(source).sort()).toEqual([...rules].sort());
	});

	it('passes what the built nodes legitimately do', () => {
		const source = [
			'"use strict";',
			"const n8n_workflow_1 = require('n8n-workflow');",
			"const crypto_1 = require('crypto');",
			"const c2 = require('node:crypto');",
			"const h = require('./helper');",
			"const s = require('./sub');",
			"const description = { displayName: 'Process the env', description: 'setTimeout, process, fs and require(\"fs\") in text' };",
			'const o = { process: 1, env: 2, setTimeout: 3 };',
			'o.process = o.setTimeout;',
			'class A { process() { return this.env; } }',
		].join('\n');
		// `this.env` is a property named env: still flagged, on purpose (env access by any path)
		expect(scan(source)).toEqual(['env']);
		expect(scan(source.replace('return this.env;', 'return 1;'))).toEqual([]);
	});

	it('reports file and line across a package directory, skipping node_modules', () => {
		file('dist/bad.js', "exports.a = 1;\nconst cp = require('child_process');\n");
		file('node_modules/n8n-workflow/index.js', 'process.env.X;');
		const { files, findings } = check.scanPackageJavaScript(dir);
		expect(files).not.toContain('node_modules/n8n-workflow/index.js');
		expect(findings).toEqual([
			expect.objectContaining({ file: 'dist/bad.js', line: 2, rule: 'require' }),
		]);
	});
});

describe('package.json and tarball rules', () => {
	const mit =
		'MIT License\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\nTHE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND\n';
	const good = {
		license: 'MIT',
		n8n: { n8nNodesApiVersion: 1, nodes: ['dist/helper.js'], credentials: ['dist/sub/index.js'] },
	};
	const failures = (pkg: object, files: string[]) =>
		check
			.checkPackageManifest(pkg, dir, files)
			.filter((r) => r.ok !== true)
			.map((r) => r.what);

	beforeAll(() => file('LICENSE', mit));

	it('passes a clean package', () => {
		expect(failures(good, ['LICENSE', 'dist/helper.js', 'dist/sub/index.js'])).toEqual([]);
	});

	it('fails runtime dependencies, bundled dependencies, a non-MIT licence, no LICENSE and unpacked n8n files', () => {
		const bad = {
			...good,
			license: 'ISC',
			dependencies: { axios: '1.0.0' },
			bundleDependencies: ['axios'],
			n8n: { ...good.n8n, nodes: ['dist/helper.js', 'dist/Missing.node.js'] },
		};
		expect(failures(bad, ['dist/helper.js', 'dist/sub/index.js'])).toEqual([
			'no runtime dependencies',
			'no bundleDependencies',
			'licence is MIT',
			'LICENSE file in the tarball',
			'dist/Missing.node.js is in the tarball',
		]);
	});

	it('fails a LICENSE that is not the MIT text', () => {
		file('LICENCE.md', 'All rights reserved.\n');
		expect(failures(good, ['LICENCE.md', 'dist/helper.js', 'dist/sub/index.js'])).toEqual([
			'LICENCE.md is the MIT licence',
		]);
	});
});

describe('English heuristic', () => {
	it('finds non-Latin text in displayed strings only', () => {
		const out: Array<{ file: string; key: string; text: string }> = [];
		check.collectStrings(
			{
				displayName: 'Café → Résumé',
				properties: [
					{ displayName: 'Имя', name: 'name', description: 'ok', default: '日本' },
					{ displayName: 'Mode', name: 'mode', options: [{ name: '模式', value: 'a' }] },
				],
			},
			out,
			'x.js',
		);
		expect(check.nonLatin(out)).toEqual([
			{ file: 'x.js', key: 'displayName', text: 'Имя' },
			{ file: 'x.js', key: 'name', text: '模式' },
		]);
	});
});

/**
 * The direction of imports in the package: nodes and credentials share code through lib/ only.
 *
 *   lib/                  imports nothing from nodes/ or credentials/
 *   credentials/<file>    imports lib/ only (never nodes/)
 *   nodes/<Node>/         imports lib/ and its own folder (never another node's folder, never credentials/;
 *                         a node file may extend another node's class from its .node file: an alias)
 */
import { describe, expect, it } from '@jest/globals';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');
const SHIPPED = ['lib', 'nodes', 'credentials'];

/** Every relative module a source names: import/export ... from, import(), require(), jest.mock() aside. */
function relativeSpecifiers(source: string): string[] {
	const found: string[] = [];
	const patterns = [
		/\bfrom\s+['"](\.{1,2}\/[^'"]*)['"]/g,
		/\bimport\s*\(\s*['"](\.{1,2}\/[^'"]*)['"]/g,
		/\brequire\s*\(\s*['"](\.{1,2}\/[^'"]*)['"]/g,
		/\bimport\s+['"](\.{1,2}\/[^'"]*)['"]/g,
	];
	for (const pattern of patterns)
		for (const match of source.matchAll(pattern)) found.push(match[1]);
	return found;
}

/** Where a repository path belongs: `lib`, `credentials`, or `nodes/<Node>`; undefined elsewhere. */
function areaOf(file: string): string | undefined {
	const [top, second] = file.split('/');
	if (top === 'lib' || top === 'credentials') return top;
	if (top === 'nodes' && second) return `nodes/${second}`;
	return undefined;
}

/** Why `file` may not import `target` (both repository paths), or undefined when it may. */
function violation(file: string, target: string): string | undefined {
	const from = areaOf(file);
	const to = areaOf(target);
	if (!from) return undefined;
	if (to === undefined) return `it leaves the shipped folders (${SHIPPED.join(', ')})`;
	if (from === 'lib' && to !== 'lib') return 'lib/ may not import from nodes/ or credentials/';
	if (from === 'credentials' && to.startsWith('nodes/'))
		return 'a credential may not import from nodes/: move what it needs to lib/';
	if (from.startsWith('nodes/') && to === 'credentials')
		return 'a node may not import a credential: share through lib/';
	// One exception: a node type that is another under a second name (n8n's node creator pairs a
	// node only with "<node>Trigger") extends that node's class, from its .node file and nothing else.
	const alias = file.endsWith('.node.ts') && /\/[A-Za-z]+\.node$/.test(target);
	if (from.startsWith('nodes/') && to.startsWith('nodes/') && to !== from && !alias)
		return `a node may not import another node's folder (${to}): move what both use to lib/`;
	return undefined;
}

/** Every violation in `files` (repository path → source). */
function violations(files: Map<string, string>): string[] {
	const out: string[] = [];
	for (const [file, source] of files) {
		for (const spec of relativeSpecifiers(source)) {
			const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
			const why = violation(file, target);
			if (why) out.push(`${file} imports '${spec}': ${why}`);
		}
	}
	return out;
}

function shippedSources(): Map<string, string> {
	const files = new Map<string, string>();
	const walk = (dir: string) => {
		for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
			const rel = `${dir}/${entry.name}`;
			if (entry.isDirectory()) walk(rel);
			else if (entry.name.endsWith('.ts'))
				files.set(rel, fs.readFileSync(path.join(ROOT, rel), 'utf8'));
		}
	};
	SHIPPED.forEach(walk);
	return files;
}

describe('package layout', () => {
	it('nodes and credentials share code through lib/ only, and lib/ imports from neither', () => {
		const files = shippedSources();
		expect(files.size).toBeGreaterThan(50);
		expect(violations(files)).toEqual([]);
	});

	it('names every kind of wrong import', () => {
		const files = new Map([
			['lib/platform/a.ts', "import { x } from '../../nodes/InfusionsoftCrm/actions/types';"],
			[
				'lib/security/b.ts',
				"import type { Y } from '../../credentials/CloudElementsApi.credentials';",
			],
			[
				'credentials/C.credentials.ts',
				"import { z } from '../nodes/InfusionsoftCrm/helpers/ceql';",
			],
			[
				'nodes/Trigger/D.node.ts',
				"import { w } from '../InfusionsoftCrm/helpers/ceql';\nexport { v } from '../../credentials/C.credentials';",
			],
			['nodes/InfusionsoftCrm/actions/e.ts', "const f = require('../../../../outside');"],
			[
				'nodes/Alias/Alias.node.ts',
				"import { Events } from '../Events/Events.node';\nimport { h } from '../Events/helpers';",
			],
			['nodes/Alias/notANode.ts', "import { Events } from '../Events/Events.node';"],
			[
				'nodes/InfusionsoftCrm/actions/ok.ts',
				"import { a } from '../../../lib/platform/cloudElements';\nimport { b } from '../helpers/ceql';",
			],
		]);
		expect(violations(files)).toEqual([
			expect.stringContaining('lib/platform/a.ts imports'),
			expect.stringContaining('lib/security/b.ts imports'),
			expect.stringContaining('credentials/C.credentials.ts imports'),
			expect.stringContaining("another node's folder (nodes/InfusionsoftCrm)"),
			expect.stringContaining('a node may not import a credential'),
			expect.stringContaining('it leaves the shipped folders'),
			expect.stringContaining(
				"Alias.node.ts imports '../Events/helpers': a node may not import another node's folder (nodes/Events)",
			),
			expect.stringContaining(
				"notANode.ts imports '../Events/Events.node': a node may not import another node's folder (nodes/Events)",
			),
		]);
	});
});

/**
 * The documentation's links resolve: every relative link in the repository's Markdown points at a
 * file or folder that exists, and every `#anchor` at a heading of its target (GitHub's rules).
 * The shipped code links to README headings too (documentation URLs, "see … in the README"):
 * those headings must exist, or the editor's help leads nowhere.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'fs';
import { dirname, join, relative, resolve } from 'path';

const ROOT = resolve(__dirname, '..');
const SKIP = new Set(['node_modules', 'dist', '.git', '.cache', 'coverage', 'runtime']);
const REPOSITORY_URL = 'https://github.com/n8n-nodes-infusionsoft-crm/n8n-nodes-infusionsoft-crm';

function walk(dir: string, keep: (file: string) => boolean): string[] {
	if (!existsSync(dir)) return [];
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		if (SKIP.has(entry.name)) return [];
		const path = join(dir, entry.name);
		if (entry.isDirectory()) return walk(path, keep);
		return keep(path) ? [path] : [];
	});
}

/** Fenced code blocks and inline code spans hold examples, not links. */
function withoutCode(markdown: string): string {
	return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`+[^`\n]*`+/g, '');
}

/** GitHub's heading anchor: the rendered text, lower-cased, punctuation dropped (not '-' or '_'), spaces to '-'. */
function anchorOf(heading: string): string {
	const text = heading
		.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
		.replace(/[`*]/g, '')
		.trim()
		.toLowerCase();
	return text.replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '').replace(/ /g, '-');
}

const anchorCache = new Map<string, Set<string>>();

/** The anchors of a Markdown file's headings; a repeated heading gets -1, -2, … as on GitHub. */
function anchorsOf(file: string): Set<string> {
	const cached = anchorCache.get(file);
	if (cached) return cached;
	const anchors = new Set<string>();
	const body = readFileSync(file, 'utf8').replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
	for (const [, heading] of body.matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
		const base = anchorOf(heading);
		let anchor = base;
		for (let n = 1; anchors.has(anchor); n++) anchor = `${base}-${n}`;
		anchors.add(anchor);
	}
	anchorCache.set(file, anchors);
	return anchors;
}

/** Why a link from `file` does not resolve, or undefined when it does. */
function brokenLink(file: string, target: string): string | undefined {
	if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return undefined;
	const [pathPart, anchor] = target.split('#', 2) as [string, string | undefined];
	const path = decodeURIComponent(pathPart);
	const resolved = path === '' ? file : resolve(dirname(file), path);
	if (!existsSync(resolved)) return `${relative(ROOT, resolved)} does not exist`;
	if (anchor === undefined || anchor === '') return undefined;
	if (statSync(resolved).isDirectory() || !resolved.endsWith('.md'))
		return `#${anchor} points into ${relative(ROOT, resolved)}, which has no headings`;
	return anchorsOf(resolved).has(anchor)
		? undefined
		: `${relative(ROOT, resolved)} has no heading #${anchor}`;
}

function linksOf(markdown: string): string[] {
	const text = withoutCode(markdown);
	return [...text.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map(
		(match) => match[1],
	);
}

const markdownFiles = walk(ROOT, (path) => path.endsWith('.md'));
const README = join(ROOT, 'README.md');

describe('documentation links', () => {
	it('finds the documents to check', () => {
		const names = markdownFiles.map((file) => relative(ROOT, file));
		expect(names).toEqual(
			expect.arrayContaining([
				'README.md',
				'ARCHITECTURE.md',
				'bench/README.md',
				'docs/platform-assumptions.md',
				'docs/scale.md',
			]),
		);
	});

	it.each(markdownFiles.map((file) => [relative(ROOT, file), file]))(
		'%s: every relative link and #anchor resolves',
		(_name, file) => {
			const broken = linksOf(readFileSync(file, 'utf8'))
				.map((target) => ({ target, problem: brokenLink(file, target) }))
				.filter((link) => link.problem !== undefined)
				.map((link) => `${link.target}: ${link.problem}`);
			expect(broken).toEqual([]);
		},
	);

	it('the README headings the shipped code links to exist', () => {
		const sources = ['nodes', 'credentials', 'lib'].flatMap((dir) =>
			walk(join(ROOT, dir), (path) => /\.(ts|json)$/.test(path)),
		);
		const anchors = anchorsOf(README);
		const missing: string[] = [];
		for (const source of sources) {
			const text = readFileSync(source, 'utf8');
			for (const [, anchor] of text.matchAll(
				new RegExp(`${REPOSITORY_URL.replace(/[.]/g, '\\.')}#([\\w-]+)`, 'g'),
			)) {
				if (anchor !== 'readme' && !anchors.has(anchor))
					missing.push(`${relative(ROOT, source)}: #${anchor}`);
			}
			for (const [, heading] of text.matchAll(/see "([^"]+)" in the (?:package )?README/g)) {
				if (!anchors.has(anchorOf(heading)))
					missing.push(`${relative(ROOT, source)}: "${heading}"`);
			}
		}
		expect(sources.length).toBeGreaterThan(0);
		expect(missing).toEqual([]);
	});

	it('anchors follow GitHub’s rules', () => {
		expect(anchorOf('Events: hear from every customer’s Keap')).toBe(
			'events-hear-from-every-customers-keap',
		);
		expect(anchorOf('OAuth → Get OAuth URL')).toBe('oauth--get-oauth-url');
		expect(anchorOf('Which element?')).toBe('which-element');
		expect(anchorOf('Using a connection: Contact, Task, Custom API Call, Test Connection')).toBe(
			'using-a-connection-contact-task-custom-api-call-test-connection',
		);
		expect(anchorOf('`sendOnce` and [the door](x.md)')).toBe('sendonce-and-the-door');
	});
});

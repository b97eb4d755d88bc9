#!/usr/bin/env node
'use strict';
/**
 * Where the time goes, from V8 CPU profiles (`.cpuprofile`, e.g. `bench/hub.js --profile-dir`):
 *
 *   node bench/lib/cpuprofile.js <file.cpuprofile>... [--top 25]
 *
 * Prints, summed over the files: self time by where the code lives (our built node in dist/,
 * n8n-core, n8n-workflow, axios, Node.js internals, garbage collection, ...), self time in our
 * node by file, and the functions with the most inclusive time (each sample counted once per
 * function, recursion included once). Async continuations have short stacks: the inclusive
 * time of a function is what runs synchronously under it.
 */
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../..');

function where(frame) {
	const { url, functionName } = frame;
	if (!url) {
		if (functionName === '(garbage collector)') return 'garbage collection';
		if (functionName === '(idle)') return 'idle (waiting for the stand-in)';
		if (functionName === '(program)') return 'V8 / native (program)';
		if (functionName === '(root)') return 'root';
		return 'V8 builtins without a script (JSON, RegExp, ...)';
	}
	if (url.startsWith('node:')) return 'Node.js internals (http, net, streams, ...)';
	const file = url.replace(/^file:\/\//, '');
	const modules = file.lastIndexOf('/node_modules/');
	if (modules !== -1) {
		const rest = file.slice(modules + '/node_modules/'.length).split('/');
		const pkg = rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
		return pkg;
	}
	if (
		file.includes('/dist/nodes/') ||
		file.includes('/dist/credentials/') ||
		file.includes('/dist/lib/')
	)
		return 'our node (dist/)';
	if (file.includes('/bench/')) return 'bench harness (bench/)';
	if (file.includes('/e2e/')) return 'bench harness (e2e/lib/)';
	return path.relative(ROOT, file) || file;
}

function ourFile(frame) {
	const file = frame.url.replace(/^file:\/\//, '');
	const at = file.indexOf('/dist/');
	return at === -1 ? undefined : file.slice(at + 1);
}

function summarize(files, top) {
	const self = new Map();
	const ours = new Map();
	const inclusive = new Map();
	let total = 0;
	const add = (map, key, ms) => map.set(key, (map.get(key) ?? 0) + ms);
	for (const file of files) {
		const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
		const byId = new Map(profile.nodes.map((n) => [n.id, n]));
		const parent = new Map();
		for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
		for (let i = 0; i < profile.samples.length; i++) {
			const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000; // a sample's time runs until the next one
			const node = byId.get(profile.samples[i]);
			const frame = node.callFrame;
			total += ms;
			add(self, where(frame), ms);
			const mine = ourFile(frame);
			if (mine && where(frame) === 'our node (dist/)')
				add(ours, `${mine} ${frame.functionName || '(anonymous)'}`, ms);
			const seen = new Set();
			for (let id = node.id; id !== undefined; id = parent.get(id)) {
				const f = byId.get(id).callFrame;
				if (!f.url) continue;
				const key = `${f.functionName || '(anonymous)'} ${path.basename(f.url)}:${f.lineNumber + 1} [${where(f)}]`;
				if (seen.has(key)) continue;
				seen.add(key);
				add(inclusive, key, ms);
			}
		}
	}
	const rows = (map, n) =>
		[...map.entries()]
			.sort((a, b) => b[1] - a[1])
			.slice(0, n)
			.map(
				([key, ms]) =>
					`  ${ms.toFixed(1).padStart(9)} ms  ${((100 * ms) / total).toFixed(1).padStart(5)} %  ${key}`,
			);
	return [
		`${files.length} profile(s), ${total.toFixed(0)} ms sampled`,
		'',
		'Self time by where the code lives:',
		...rows(self, 40),
		'',
		'Self time in our node, by file and function:',
		...rows(ours, top),
		'',
		'Inclusive time (synchronous, each function once per sample):',
		...rows(inclusive, top),
	].join('\n');
}

if (require.main === module) {
	const args = process.argv.slice(2);
	const at = args.indexOf('--top');
	const top = at === -1 ? 25 : Number(args.splice(at, 2)[1]);
	if (args.length === 0) {
		console.error('Usage: node bench/lib/cpuprofile.js <file.cpuprofile>... [--top 25]');
		process.exit(2);
	}
	console.log(summarize(args, top));
}

module.exports = { summarize };

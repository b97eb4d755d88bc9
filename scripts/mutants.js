#!/usr/bin/env node
'use strict';
/**
 * Ten deliberate bugs, each put into the source in turn, and the test suite run against it: a
 * suite that still passes with a bug in missed it. Shows that a change to the tests (or the
 * house) lost no coverage: run it before and after, and compare.
 *
 *   node scripts/mutants.js            every bug, `npx jest` (the whole suite) each
 *   node scripts/mutants.js 3 7        only bugs 3 and 7
 *   MUTANTS_JEST="test/faults" node scripts/mutants.js   a narrower run (quicker, weaker)
 *
 * Each bug is a text replacement that must match exactly once (so a moved or reworded source
 * fails loudly instead of testing nothing); the file is restored afterwards, also on Ctrl-C.
 * Prints one line per bug and ends with "N passed, N failed" (a caught bug passes).
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');

const BUGS = [
	{
		name: 'a secret left unredacted: the router outputs rows without the redactor',
		file: 'nodes/InfusionsoftCrm/actions/router.ts',
		from: 'json: shape(redactor.json(json)),',
		to: 'json: shape(json),',
	},
	{
		name: 'a create retried: sendOnce no longer marks its call unsafe to repeat',
		file: 'lib/platform/cloudElements.ts',
		from: 'this.request<IDataObject>({ ...req, unsafeToRepeat: true })',
		to: 'this.request<IDataObject>({ ...req, unsafeToRepeat: false })',
	},
	{
		name: 'a 3xx followed: the HTTP helper may follow redirects',
		file: 'lib/platform/cloudElements.ts',
		from: 'disableFollowRedirect: true,',
		to: 'disableFollowRedirect: false,',
	},
	{
		name: 'pairing off by one',
		file: 'nodes/InfusionsoftCrm/actions/router.ts',
		from: 'json: shape(redactor.json(json)),\n\t\t\t\tpairedItem: { item: itemIndex },',
		to: 'json: shape(redactor.json(json)),\n\t\t\t\tpairedItem: { item: itemIndex + 1 },',
	},
	{
		name: 'Continue On Fail ignored',
		file: 'nodes/InfusionsoftCrm/actions/router.ts',
		from: 'if (this.continueOnFail()) return [errorItem(failure, itemIndex)];',
		to: 'if (this.continueOnFail() && itemIndex < 0) return [errorItem(failure, itemIndex)];',
	},
	{
		name: 'a proxy’s 404 read as the platform’s “not found”',
		file: 'lib/platform/platformAnswer.ts',
		from: "return typeof requestId === 'string' && requestId.trim() !== '' && typeof message === 'string';",
		to: 'return true;',
	},
	{
		name: 'a hub call may leave /hubs/crm (the URL check says yes to anything)',
		file: 'lib/platform/request.ts',
		from: 'export function hubUrlProblem(apiRoot: string, url: string): string | undefined {',
		to: 'export function hubUrlProblem(apiRoot: string, url: string): string | undefined {\n\tif (apiRoot) return undefined;',
	},
	{
		name: 'an instance token handed to an AI agent (tool runs not recognised)',
		file: 'nodes/InfusionsoftCrm/helpers/toolOutput.ts',
		from: "return ctx.getNode().type.endsWith('Tool') || ctx.isToolExecution?.() === true;",
		to: "return ctx.getNode().type.endsWith('NotATool') && ctx.isToolExecution?.() === true;",
	},
	{
		name: 'a forged notification signature accepted (any signature of the right length)',
		file: 'nodes/InfusionsoftCrmEventsTrigger/notification.ts',
		from: "return given.length === expected.length && timingSafeEqual(given, expected) ? 'valid' : 'invalid';",
		to: "return given.length === expected.length || timingSafeEqual(given, expected) ? 'valid' : 'invalid';",
	},
	{
		name: 'an expired signed state accepted',
		file: 'lib/security/state.ts',
		from: 'if (now > payload.e) {',
		to: 'if (now > payload.e && now < 0) {',
	},
];

function runJest() {
	const args = [
		'jest',
		'--silent',
		'--bail',
		...(process.env.MUTANTS_JEST ? process.env.MUTANTS_JEST.split(/\s+/) : []),
	];
	const started = Date.now();
	const result = spawnSync('npx', args, {
		cwd: root,
		encoding: 'utf8',
		maxBuffer: 64 * 1024 * 1024,
	});
	const output = `${result.stdout}\n${result.stderr}`;
	const failed = [...output.matchAll(/^\s*● (.+)$/gm)]
		.map((m) => m[1])
		.filter((t) => !t.startsWith('Console'));
	return { status: result.status, failed, seconds: Math.round((Date.now() - started) / 1000) };
}

function main() {
	const wanted = process.argv.slice(2).map(Number);
	const chosen = BUGS.map((bug, i) => ({ ...bug, number: i + 1 })).filter(
		(bug) => wanted.length === 0 || wanted.includes(bug.number),
	);
	let caught = 0;
	let missed = 0;
	for (const bug of chosen) {
		const file = path.join(root, bug.file);
		const original = fs.readFileSync(file, 'utf8');
		const count = original.split(bug.from).length - 1;
		if (count !== 1) {
			console.log(
				`FAIL ${bug.number}. ${bug.name}: the bug's text is found ${count} times in ${bug.file} (the source moved? update the bug)`,
			);
			missed++;
			continue;
		}
		const restore = () => fs.writeFileSync(file, original);
		process.once('SIGINT', () => {
			restore();
			process.exit(130);
		});
		fs.writeFileSync(file, original.replace(bug.from, bug.to));
		let outcome;
		try {
			outcome = runJest();
		} finally {
			restore();
		}
		if (outcome.status !== 0) {
			caught++;
			console.log(
				`ok   ${bug.number}. ${bug.name}: caught in ${outcome.seconds} s by ${outcome.failed[0] ?? `jest's exit ${outcome.status}`}`,
			);
		} else {
			missed++;
			console.log(
				`FAIL ${bug.number}. ${bug.name}: every test still passes (${outcome.seconds} s)`,
			);
		}
	}
	console.log(`${caught} passed, ${missed} failed`);
	process.exitCode = missed > 0 ? 1 : 0;
}

main();

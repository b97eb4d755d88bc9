'use strict';
/**
 * The node's own steps of Contact → Get Many, timed alone on N records (10,000 by default),
 * from the built code in dist/: no HTTP, no engine. A companion to bench/hub.js, to put
 * numbers on what its CPU profile shows (`node bench/lib/cpuprofile.js`):
 *
 *   node bench/hub-parts.js [--contacts 10000] [--runs 7]
 *
 * - parsing the pages: the transport's `JSON.parse` with a reviver that drops `__proto__`
 *   keys, against a plain `JSON.parse` (what the fetch loop does);
 * - the common fields: `withCommonFields` (`{ ...common, ...record }`), against the same
 *   object built with `Object.assign` (for scale only: `Object.assign` would call a
 *   `__proto__` setter where a spread defines a property);
 * - redaction: the deep copy of every output with every string checked (`Redactor.json`),
 *   with the secrets of this operation (the account's two, the instance token).
 *
 * Medians of the runs after 3 warm-ups, per N records. Nothing here is compared with a target.
 */
const path = require('node:path');

const { EXAMPLE } = require('../sandbox');
const { median, round } = require('./lib/stats');

const DIST = path.join(__dirname, '../dist');
const { Redactor } = require(path.join(DIST, 'lib/security/redact.js'));
const { CONTACT_SHAPES, withCommonFields } = require(
	path.join(DIST, 'nodes/InfusionsoftCrm/helpers/contacts.js'),
);

function records(n) {
	const now = new Date().toISOString();
	return Array.from({ length: n }, (_, i) => ({
		id: i + 1,
		given_name: `First${i + 1}`,
		family_name: `Last${i % 97}`,
		email_addresses: [{ email: `contact${i + 1}@example.com`, field: 'EMAIL1' }],
		phone_numbers:
			i % 2 ? [] : [{ number: `+1 555 01${String(i % 100).padStart(2, '0')}`, field: 'PHONE1' }],
		company: i % 3 ? null : { company_name: `Company ${i % 50}` },
		tag_ids: [],
		date_created: now,
		last_updated: now,
	}));
}

function time(runs, task) {
	for (let w = 0; w < 3; w++) task();
	const samples = [];
	for (let r = 0; r < runs; r++) {
		const started = process.hrtime.bigint();
		task();
		samples.push(Number(process.hrtime.bigint() - started) / 1e6);
	}
	return round(median(samples), 1);
}

function parts({ contacts = 10_000, runs = 7 } = {}) {
	const all = records(contacts);
	const pages = [];
	for (let i = 0; i < all.length; i += 200) pages.push(JSON.stringify(all.slice(i, i + 200)));
	const shape = CONTACT_SHAPES.infusionsoftrest;
	// A token as the stand-in issues them (one it gave in a run).
	const token = 'j45/SbS+0snm/xj3Pn4Nml/6HUZIcTEmVel1IrFSB2s0';
	const redactor = new Redactor([EXAMPLE.userSecret, EXAMPLE.organizationSecret]).with([token]);
	const reviver = (key, value) => (key === '__proto__' ? undefined : value);
	// The records as the node has them: parsed from the pages by the transport.
	const parsed = pages.flatMap((p) => JSON.parse(p, reviver));
	const outputs = parsed.map((r) => withCommonFields(shape, r));
	return {
		contacts,
		runs,
		parseWithReviverMs: time(runs, () => pages.map((p) => JSON.parse(p, reviver))),
		parsePlainMs: time(runs, () => pages.map((p) => JSON.parse(p))),
		withCommonFieldsMs: time(runs, () => parsed.map((r) => withCommonFields(shape, r))),
		objectAssignMs: time(runs, () => parsed.map((r) => Object.assign(shape.fromElement(r), r))),
		redactJsonMs: time(runs, () => outputs.map((o) => redactor.json(o))),
	};
}

module.exports = { parts };

if (require.main === module) {
	const args = process.argv.slice(2);
	const option = (name, fallback) =>
		args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback;
	const p = parts({ contacts: option('--contacts', 10_000), runs: option('--runs', 7) });
	console.log(`The node's own steps on ${p.contacts} contacts (medians of ${p.runs} runs, ms):`);
	console.log(
		`  parse the pages: JSON.parse with the __proto__ reviver ${p.parseWithReviverMs}, plain JSON.parse ${p.parsePlainMs}`,
	);
	console.log(
		`  common fields: withCommonFields (two spreads) ${p.withCommonFieldsMs}, the same with Object.assign ${p.objectAssignMs}`,
	);
	console.log(`  redaction: Redactor.json of every output (3 secrets) ${p.redactJsonMs}`);
}

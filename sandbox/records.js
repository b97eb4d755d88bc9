// @ts-check
'use strict';

/**
 * The CRM hub's records: what each element's objects look like, how a written body is checked
 * and stored, and where the records live (per instance, per object, in the sandbox's state).
 *
 *   infusionsoftrest  Keap REST v1 names: contacts, tasks, tags, opportunities and the stages of
 *                     opportunity/stage_pipeline (read-only), companies, notes, users
 *                     (read-only), products, orders, emails, files (ids from 1 per instance and
 *                     object); contacts also carry the account's custom fields
 *                     (`custom_fields: [{ id, content }]`)
 *   infusionsoftcrm   XML-RPC names: contacts only (Id, FirstName, ...); unknown fields are stored
 *
 * Every check throws a ShapeError naming the field; the hub answers it as a 400, seeding as a
 * TypeError.
 */

const { isObject } = require('./routing');
const { parseIsoDate } = require('./ceql');

/** @typedef {Record<string, unknown>} HubRecord */
/** @typedef {import('./state').State} State */
/**
 * One object's records of one instance, in id order, and the tombstones of the deleted ones
 * (id -> the record as it was and the ISO date of its deletion; the newest 10,000), which the
 * event poller (events.js) reads for DELETED events.
 * @typedef {{ nextId: number, byId: Map<number, HubRecord>, deleted: Map<number, Tombstone> }} Table
 */
/** @typedef {{ record: HubRecord, date: string }} Tombstone */

const MAX_TOMBSTONES = 10000;

class ShapeError extends Error {}

/**
 * How a body is being written: a create or a patch through the hub (read-only fields refused,
 * the object's own rule applied), or a seed (read-only dates and tag_ids accepted, no rule).
 * @typedef {'create' | 'patch' | 'seed'} Mode
 */

/**
 * @typedef {object} FieldSpec
 * @property {string} name
 * @property {string} type  metadata type: number, string, boolean, date, array, object
 * @property {boolean} [readOnly]
 * @property {(value: unknown, name: string, mode: Mode) => unknown} check  the value to store, or throws
 * @property {unknown} empty  what a create or seed that leaves the field out stores
 * @property {{ vendorPath: string, type: string, filterable?: boolean }[]} [nested]  metadata of the fields inside
 * @property {boolean} [required]  metadata `vendorRequired`: a create must give it
 * @property {boolean} [filterable]  metadata `filterable`: Keap filters a list by it (CEQL)
 * @property {boolean} [unlisted]  left out of the metadata (custom_fields: each custom field is listed instead)
 * @property {(stored: unknown, value: unknown) => unknown} [merge]  how a patch combines the stored value and the new one (else it replaces)
 * @property {Shown} [shown]  which answers carry the field ('always' when left out)
 */

/**
 * One of the account's custom fields of an object (Keap REST contacts), added through the
 * control API (`addCustomFields`). A record holds its value as Keap v1 does, in
 * `custom_fields: [{ id, content }]`; the metadata lists it as `custom_fields.<id>`, with its
 * label as `vendorDisplayName` and `custom: true`.
 * @typedef {{ id: number, label: string, type: 'string' | 'number' | 'boolean' | 'date' }} CustomFieldDef
 */

/**
 * Which answers carry a field, as Keap's: 'always'; 'one' (a record's own answers: get, create,
 * patch; not lists, as an email's content); 'asked' (get only, when `optional_properties` names
 * it, as a file's content); 'never' (kept for CEQL only).
 * @typedef {'always' | 'one' | 'asked' | 'never'} Shown
 */

/**
 * @typedef {object} ObjectSpec
 * @property {string} name  'contacts'
 * @property {string} singular  'contact'
 * @property {string} idField
 * @property {string | undefined} createdField
 * @property {string | undefined} updatedField
 * @property {boolean} strict  unknown fields refused (Keap REST), else accepted and stored
 * @property {FieldSpec[]} fields
 * @property {Map<string, FieldSpec>} fieldMap
 * @property {Record<string, string>} virtualColumns  CEQL column -> path ('email' -> 'email_addresses.email')
 * @property {boolean} dateColumns  CEQL `since` / `until` (on updatedField)
 * @property {Set<string>} paths  every path a CEQL column may name (dots between levels)
 * @property {(record: HubRecord) => string | undefined} [rule]  the create/patch rule; a message when broken
 * @property {boolean} oneRoutes  /{object}/{id} routes (GET, PATCH, DELETE)
 * @property {boolean} customFields  the account may add custom fields to it (addCustomFields)
 * @property {(body: Record<string, unknown>) => Record<string, unknown>} [fromWritten]  a create
 *   body that is not the record's shape (a file upload), checked and turned into stored fields
 * @property {boolean} writable  POST /{object} (false: read through the hub, written by seeds only)
 * @property {Record<string, string>} searchColumns  CEQL column -> the path `=` searches in (Keap's
 *   search_term: `search_term = 'x'` is `opportunity_title LIKE '%x%'`)
 * @property {boolean} patchable  PATCH /{object}/{id} exists (Keap REST v1 has none for orders)
 * @property {string} [sinceField]  what CEQL `since` / `until` compare (default: updatedField)
 * @property {(record: HubRecord, tableOf: (object: string) => Table) => void} [onWrite]
 *   after a create or patch passed its rule: checks what the record refers to and fills in what
 *   the hub derives (throws a ShapeError, answered as a 400)
 */

// Field checks

/** @param {string} name @param {string} expected */
const wrong = (name, expected) => new ShapeError(`${name} must be ${expected}`);

/** @param {unknown} value @param {string} name */
function text(value, name) {
	if (value === null || typeof value === 'string') return value;
	throw wrong(name, 'a string or null');
}

/** Required on create and patch (a non-empty string); in a seed a string or null. @param {unknown} value @param {string} name @param {Mode} mode */
function filledText(value, name, mode) {
	if (mode === 'seed') return text(value, name);
	if (typeof value === 'string' && value.trim() !== '') return value;
	throw wrong(name, 'a non-empty string');
}

/** @param {unknown} value @param {string} name */
function boolean(value, name) {
	if (typeof value === 'boolean') return value;
	throw wrong(name, 'true or false');
}

/** @param {unknown} value @param {string} name */
function isoDateOrNull(value, name) {
	if (value === null) return null;
	if (parseIsoDate(value) !== undefined) return value;
	throw wrong(name, "an ISO 8601 date (e.g. '2018-03-19T06:30:04.000Z') or null");
}

/** A record's own date: read-only, but a seed may set it. @param {unknown} value @param {string} name */
function isoDate(value, name) {
	if (parseIsoDate(value) !== undefined) return value;
	throw wrong(name, "an ISO 8601 date (e.g. '2018-03-19T06:30:04.000Z')");
}

/** @param {unknown} value */
const positiveInteger = (value) => Number.isInteger(value) && /** @type {number} */ (value) > 0;

/** @param {unknown} value @param {string} name */
function positiveId(value, name) {
	if (positiveInteger(value)) return value;
	throw wrong(name, 'an id (a positive integer)');
}

/** Keap's base64 content; null for none. @param {unknown} value @param {string} name */
function base64OrNull(value, name) {
	if (value === null) return null;
	if (typeof value === 'string' && isBase64(value)) return value;
	throw wrong(name, 'base64 text or null');
}

/** @param {unknown} value */
const isBase64 = (value) =>
	typeof value === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(value) && value.length % 4 === 0;

/** @param {readonly string[]} values */
const oneOf = (values) => (/** @type {unknown} */ value, /** @type {string} */ name) => {
	if (value === null || (typeof value === 'string' && values.includes(value))) return value;
	throw wrong(name, `one of ${values.join(', ')} or null`);
};

/** @param {unknown} value @param {string} name */
function idList(value, name) {
	if (Array.isArray(value) && value.every(positiveInteger)) return [...new Set(value)];
	throw wrong(name, 'an array of ids (positive integers)');
}

/**
 * Keap's email_addresses / phone_numbers: [{ <key>, field }], field EMAIL1.. / PHONE1.. (by
 * position when left out, each at most once); null is the empty list.
 * @param {string} key  'email' or 'number'
 * @param {string} prefix  'EMAIL' or 'PHONE'
 * @param {number} max
 */
function slotList(key, prefix, max) {
	const slots = Array.from({ length: max }, (_, i) => `${prefix}${i + 1}`);
	return (/** @type {unknown} */ value, /** @type {string} */ name) => {
		if (value === null) return [];
		if (!Array.isArray(value)) throw wrong(name, `an array of { ${key}, field }`);
		if (value.length > max)
			throw new ShapeError(`${name} takes at most ${max} entries (${slots.join(', ')})`);
		const used = new Set();
		return value.map((entry, i) => {
			const at = `${name}[${i}]`;
			if (!isObject(entry)) throw wrong(at, `an object { ${key}, field }`);
			const unknown = Object.keys(entry).find((k) => k !== key && k !== 'field');
			if (unknown !== undefined) throw new ShapeError(`Unknown field '${at}.${unknown}'`);
			const item = entry[key];
			if (typeof item !== 'string' || item.trim() === '')
				throw wrong(`${at}.${key}`, 'a non-empty string');
			const field = entry.field ?? slots.find((slot) => !used.has(slot));
			if (typeof field !== 'string' || !slots.includes(field))
				throw wrong(`${at}.field`, `one of ${slots.join(', ')}`);
			if (used.has(field)) throw new ShapeError(`${at}.field: ${field} is given twice`);
			used.add(field);
			return { [key]: item, field };
		});
	};
}

/** @param {unknown} value @param {string} name */
function company(value, name) {
	if (value === null) return null;
	if (!isObject(value)) throw wrong(name, 'an object { company_name } or null');
	const unknown = Object.keys(value).find((k) => k !== 'company_name');
	if (unknown !== undefined) throw new ShapeError(`Unknown field '${name}.${unknown}'`);
	return { company_name: text(value.company_name ?? null, `${name}.company_name`) };
}

/** An object { id } naming another record (its existence is the hub's check) or null. @param {string} what */
const refTo = (what) => (/** @type {unknown} */ value, /** @type {string} */ name) => {
	if (value === null) return null;
	if (
		!isObject(value) ||
		!positiveInteger(value.id) ||
		Object.keys(value).some((k) => k !== 'id')
	) {
		throw wrong(name, `an object { id } (${what}) or null`);
	}
	return { id: value.id };
};

const contactRef = refTo('a contact id');

/** @param {unknown} value @param {string} name */
function numberOrNull(value, name) {
	if (value === null || (typeof value === 'number' && Number.isFinite(value))) return value;
	throw wrong(name, 'a number or null');
}

/** Any JSON data, copied (what the account's settings hold, e.g. a stage's details). @param {unknown} value @param {string} name */
const anyJson = (value, name) => copyJson(value, name);

/** @param {unknown} value @param {string} name */
function idOrNull(value, name) {
	return value === null ? null : positiveId(value, name);
}

/**
 * A nested object of text fields (Keap's address, phone_number), or null.
 * @param {string[]} keys
 */
function textObject(keys) {
	return (/** @type {unknown} */ value, /** @type {string} */ name) => {
		if (value === null) return null;
		if (!isObject(value)) throw wrong(name, `an object { ${keys.join(', ')} } or null`);
		const unknown = Object.keys(value).find((k) => !keys.includes(k));
		if (unknown !== undefined) throw new ShapeError(`Unknown field '${name}.${unknown}'`);
		return Object.fromEntries(keys.map((k) => [k, text(value[k] ?? null, `${name}.${k}`)]));
	};
}

/** @param {unknown} value @param {string} name */
function amount(value, name) {
	if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
	throw wrong(name, 'a number of 0 or more');
}

/** @param {readonly string[]} values */
const requiredOneOf = (values) => (/** @type {unknown} */ value, /** @type {string} */ name) => {
	if (typeof value === 'string' && values.includes(value)) return value;
	throw wrong(name, `one of ${values.join(', ')}`);
};

/** @param {unknown} value @param {string} name */
function textList(value, name) {
	if (value === null) return [];
	if (Array.isArray(value) && value.every((v) => typeof v === 'string' && v.trim() !== ''))
		return [...value];
	throw wrong(name, 'an array of non-empty strings');
}

/**
 * Keap REST v1's CreateOrder order_items: [{ product_id, quantity, price?, description? }],
 * at least one (a seed may leave it empty).
 * @param {unknown} value @param {string} name @param {Mode} mode
 */
function orderItems(value, name, mode) {
	if (!Array.isArray(value))
		throw wrong(name, 'an array of { product_id, quantity, price, description }');
	if (value.length === 0 && mode !== 'seed')
		throw new ShapeError(`${name} needs at least one item`);
	return value.map((entry, i) => {
		const at = `${name}[${i}]`;
		if (!isObject(entry)) throw wrong(at, 'an object { product_id, quantity, price, description }');
		const allowed = ['product_id', 'quantity', 'price', 'description'];
		const unknown = Object.keys(entry).find((k) => !allowed.includes(k));
		if (unknown !== undefined) throw new ShapeError(`Unknown field '${at}.${unknown}'`);
		/** @type {HubRecord} */
		const item = {
			product_id: positiveId(entry.product_id, `${at}.product_id`),
			quantity: positiveId(entry.quantity, `${at}.quantity`),
		};
		if (entry.price !== undefined && entry.price !== null)
			item.price = amount(entry.price, `${at}.price`);
		if (entry.description !== undefined)
			item.description = text(entry.description, `${at}.description`);
		return item;
	});
}

const ADDRESS_FIELDS = [
	'first_name',
	'middle_name',
	'last_name',
	'company',
	'line1',
	'line2',
	'locality',
	'region',
	'zip_code',
	'zip_four',
	'country_code',
	'phone',
];

/** @param {unknown} value @param {string} name */
function address(value, name) {
	if (value === null) return null;
	if (!isObject(value)) throw wrong(name, `an object { ${ADDRESS_FIELDS.join(', ')} } or null`);
	/** @type {HubRecord} */
	const copy = {};
	for (const key of Object.keys(value)) {
		if (!ADDRESS_FIELDS.includes(key)) throw new ShapeError(`Unknown field '${name}.${key}'`);
		copy[key] = text(value[key], `${name}.${key}`);
	}
	return copy;
}

/**
 * Keap v1's `custom_fields: [{ id, content }]` (content a string, number, boolean or null); which
 * ids the account has, and their types, the hub checks (checkCustomFields). null is the empty list.
 * @param {unknown} value @param {string} name
 */
function customFieldValues(value, name) {
	if (value === null) return [];
	if (!Array.isArray(value)) throw wrong(name, 'an array of { id, content }');
	return value.map((entry, i) => {
		const at = `${name}[${i}]`;
		if (!isObject(entry)) throw wrong(at, 'an object { id, content }');
		const unknown = Object.keys(entry).find((k) => k !== 'id' && k !== 'content');
		if (unknown !== undefined) throw new ShapeError(`Unknown field '${at}.${unknown}'`);
		if (!positiveInteger(entry.id))
			throw wrong(`${at}.id`, 'a custom field id (a positive integer)');
		const content = entry.content ?? null;
		if (content !== null && !['string', 'number', 'boolean'].includes(typeof content))
			throw wrong(`${at}.content`, 'a string, number, boolean or null');
		return { id: entry.id, content };
	});
}

/** A patch's custom fields change the ones it names and keep the others. @param {unknown} stored @param {unknown} value */
function mergeCustomFields(stored, value) {
	const merged = new Map((Array.isArray(stored) ? stored : []).map((entry) => [entry.id, entry]));
	for (const entry of /** @type {{ id: number }[]} */ (value)) merged.set(entry.id, entry);
	return [...merged.values()];
}

/** Read-only fields a seed may set. @param {(value: unknown, name: string) => unknown} check @returns {FieldSpec['check']} */
const seedOnly = (check) => (value, name, mode) => {
	if (mode !== 'seed') throw new ShapeError(`${name} is read-only`);
	return check(value, name);
};

/** The id: always assigned by the sandbox. @type {FieldSpec['check']} */
const assignedId = (_value, name, mode) => {
	throw new ShapeError(
		mode === 'seed'
			? `${name} is assigned by the sandbox (ids start at 1 per instance and object)`
			: `${name} is read-only`,
	);
};

/** @param {Partial<FieldSpec> & { name: string, type: string }} field @returns {FieldSpec} */
const field = (field) => ({ check: (value) => value, empty: null, ...field });

/** Plain text fields, in this order. @param {...string} names @returns {FieldSpec[]} */
const textFields = (...names) => names.map((name) => field({ name, type: 'string', check: text }));

/** @param {string} name @returns {FieldSpec} */
const idField = (name) => field({ name, type: 'number', readOnly: true, check: assignedId });
/** @param {string} name @returns {FieldSpec} */
const dateField = (name) => field({ name, type: 'date', readOnly: true, check: seedOnly(isoDate) });

/** A record's contact as Keap REST names it on notes, emails and orders: given on create, filtered by. */
const contactIdField = () =>
	field({
		name: 'contact_id',
		type: 'number',
		check: positiveId,
		required: true,
		filterable: true,
	});

/** @typedef {Omit<ObjectSpec, 'fieldMap' | 'paths' | 'virtualColumns' | 'searchColumns' | 'dateColumns' | 'oneRoutes' | 'writable' | 'patchable' | 'customFields'> & Partial<ObjectSpec>} SpecInput */

/** @param {SpecInput} spec @returns {ObjectSpec} */
function objectSpec(spec) {
	const fieldMap = new Map(spec.fields.map((f) => [f.name, f]));
	const paths = new Set(
		spec.fields.flatMap((f) => [
			f.name,
			...(f.nested ?? []).map((n) => n.vendorPath.replace(/\[\*\]/g, '')),
		]),
	);
	return {
		virtualColumns: {},
		searchColumns: {},
		dateColumns: false,
		oneRoutes: true,
		writable: true,
		customFields: false,
		...spec,
		patchable: spec.patchable ?? true,
		fieldMap,
		paths,
	};
}

/**
 * An object of Keap REST: ID `id`, strict; `stamps` names its created and updated dates when Keap keeps them.
 * @param {Omit<SpecInput, 'idField' | 'createdField' | 'updatedField' | 'strict'> & { stamps?: [string, string] }} spec
 * @returns {ObjectSpec}
 */
function restSpec({ stamps, ...spec }) {
	return objectSpec({
		idField: 'id',
		createdField: stamps?.[0],
		updatedField: stamps?.[1],
		strict: true,
		...spec,
	});
}

/**
 * A list that Keap's settings fill and the API only reads (no record routes, no writes).
 * @param {string} name @param {string} singular @param {FieldSpec[]} fields @returns {ObjectSpec}
 */
function readOnlyList(name, singular, fields) {
	return restSpec({
		name,
		singular,
		fields: [idField('id'), ...fields],
		oneRoutes: false,
		writable: false,
	});
}

// The objects

const REST_CONTACTS = restSpec({
	name: 'contacts',
	singular: 'contact',
	stamps: ['date_created', 'last_updated'],
	fields: [
		idField('id'),
		field({ name: 'given_name', type: 'string', check: text, filterable: true }),
		field({ name: 'family_name', type: 'string', check: text, filterable: true }),
		field({
			name: 'email_addresses',
			type: 'array',
			check: slotList('email', 'EMAIL', 3),
			empty: [],
			nested: [
				{ vendorPath: 'email_addresses[*].email', type: 'string', filterable: true },
				{ vendorPath: 'email_addresses[*].field', type: 'string' },
			],
		}),
		field({
			name: 'phone_numbers',
			type: 'array',
			check: slotList('number', 'PHONE', 5),
			empty: [],
			nested: [
				{ vendorPath: 'phone_numbers[*].number', type: 'string' },
				{ vendorPath: 'phone_numbers[*].field', type: 'string' },
			],
		}),
		field({
			name: 'company',
			type: 'object',
			check: company,
			nested: [{ vendorPath: 'company.company_name', type: 'string' }],
		}),
		field({ name: 'tag_ids', type: 'array', readOnly: true, check: seedOnly(idList), empty: [] }),
		field({
			name: 'custom_fields',
			type: 'array',
			check: customFieldValues,
			empty: [],
			unlisted: true,
			merge: mergeCustomFields,
		}),
		dateField('date_created'),
		dateField('last_updated'),
	],
	customFields: true,
	virtualColumns: {
		email: 'email_addresses.email',
		phone: 'phone_numbers.number',
		company_name: 'company.company_name',
	},
	dateColumns: true,
	rule: (record) => {
		const named = [record.given_name, record.family_name].some(
			(v) => typeof v === 'string' && v.trim() !== '',
		);
		const emailed = Array.isArray(record.email_addresses) && record.email_addresses.length > 0;
		return named || emailed ? undefined : 'A contact needs a name or an email address';
	},
});

const REST_TASKS = restSpec({
	name: 'tasks',
	singular: 'task',
	stamps: ['date_created', 'last_updated'],
	fields: [
		idField('id'),
		field({ name: 'title', type: 'string', check: filledText, required: true }),
		field({ name: 'description', type: 'string', check: text }),
		field({ name: 'due_date', type: 'date', check: isoDateOrNull }),
		field({ name: 'completed', type: 'boolean', check: boolean, empty: false, filterable: true }),
		field({
			name: 'contact',
			type: 'object',
			check: contactRef,
			nested: [{ vendorPath: 'contact.id', type: 'number', filterable: true }],
		}),
		dateField('date_created'),
		dateField('last_updated'),
	],
	dateColumns: true,
	rule: (record) =>
		typeof record.title === 'string' && record.title.trim() !== ''
			? undefined
			: 'A task needs a title',
});

const REST_TAGS = restSpec({
	name: 'tags',
	singular: 'tag',
	fields: [
		idField('id'),
		field({ name: 'name', type: 'string', check: filledText, required: true, filterable: true }),
		field({ name: 'description', type: 'string', check: text }),
		field({
			name: 'category',
			type: 'object',
			check: refTo('a tag category id'),
			nested: [{ vendorPath: 'category.id', type: 'number' }],
		}),
	],
	virtualColumns: { category: 'category.id' },
	rule: (record) =>
		typeof record.name === 'string' && record.name.trim() !== '' ? undefined : 'A tag needs a name',
	oneRoutes: false,
});

const REST_OPPORTUNITIES = restSpec({
	name: 'opportunities',
	singular: 'opportunity',
	stamps: ['date_created', 'last_updated'],
	fields: [
		idField('id'),
		field({ name: 'opportunity_title', type: 'string', check: filledText, required: true }),
		field({
			name: 'contact',
			type: 'object',
			check: contactRef,
			required: true,
			nested: [{ vendorPath: 'contact.id', type: 'number' }],
		}),
		field({
			name: 'stage',
			type: 'object',
			check: refTo('a stage id of opportunity/stage_pipeline'),
			required: true,
			nested: [{ vendorPath: 'stage.id', type: 'number', filterable: true }],
		}),
		field({
			name: 'user',
			type: 'object',
			check: refTo('a user id'),
			nested: [{ vendorPath: 'user.id', type: 'number', filterable: true }],
		}),
		field({ name: 'projected_revenue_low', type: 'number', check: numberOrNull }),
		field({ name: 'projected_revenue_high', type: 'number', check: numberOrNull }),
		field({ name: 'estimated_close_date', type: 'date', check: isoDateOrNull }),
		field({ name: 'next_action_date', type: 'date', check: isoDateOrNull }),
		...textFields('next_action_notes', 'opportunity_notes'),
		dateField('date_created'),
		dateField('last_updated'),
	],
	virtualColumns: { stage_id: 'stage.id', user_id: 'user.id', contact_id: 'contact.id' },
	searchColumns: { search_term: 'opportunity_title' },
	rule: (record) => {
		if (typeof record.opportunity_title !== 'string' || record.opportunity_title.trim() === '')
			return 'An opportunity needs an opportunity_title';
		if (!isObject(record.contact)) return 'An opportunity needs a contact { id }';
		if (!isObject(record.stage)) return 'An opportunity needs a stage { id }';
		return undefined;
	},
});

/** The stages of the account's opportunity pipeline: Keap's settings fill it; the API only reads it. */
const REST_STAGES = readOnlyList('opportunity/stage_pipeline', 'stage', [
	field({ name: 'name', type: 'string', check: filledText }),
	field({ name: 'details', type: 'object', check: anyJson }),
]);

/** Keap's record of a sent email: its content is base64, in the email's own answers only. */
const REST_EMAILS = restSpec({
	name: 'emails',
	singular: 'email',
	fields: [
		idField('id'),
		contactIdField(),
		field({ name: 'subject', type: 'string', check: text }),
		field({ name: 'sent_to_address', type: 'string', check: text, required: true }),
		...textFields(
			'sent_to_cc_addresses',
			'sent_to_bcc_addresses',
			'sent_from_address',
			'sent_from_reply_address',
			'headers',
		),
		field({ name: 'html_content', type: 'string', check: base64OrNull, shown: 'one' }),
		field({ name: 'plain_content', type: 'string', check: base64OrNull, shown: 'one' }),
		field({ name: 'sent_date', type: 'date', check: isoDateOrNull }),
		field({ name: 'received_date', type: 'date', check: isoDateOrNull }),
		field({ name: 'opened_date', type: 'date', check: isoDateOrNull }),
		field({ name: 'clicked_date', type: 'date', check: isoDateOrNull }),
		field({
			name: 'original_provider',
			type: 'string',
			check: oneOf(['UNKNOWN', 'INFUSIONSOFT', 'MICROSOFT', 'GOOGLE']),
		}),
		...textFields('original_provider_id', 'provider_source_id'),
	],
	virtualColumns: { email: 'sent_to_address' },
	rule: (record) =>
		record.contact_id === null
			? 'An email needs a contact_id'
			: typeof record.sent_to_address === 'string' && record.sent_to_address.trim() !== ''
				? undefined
				: 'An email needs a sent_to_address',
});

/** Keap's largest file. */
const MAX_FILE_BYTES = 10 * 1024 * 1024;
const FILE_ASSOCIATIONS = ['CONTACT', 'USER', 'COMPANY'];
const UPLOAD_FIELDS = ['file_name', 'file_data', 'is_public', 'file_association', 'contact_id'];

/**
 * POST /files { file_name, file_data (base64), is_public, file_association, contact_id } as the
 * stored file (Keap's descriptor, its content and the stand-in's `permission` for CEQL).
 * @param {Record<string, unknown>} body @returns {Record<string, unknown>}
 */
function fileFromUpload(body) {
	const unknown = Object.keys(body).find((key) => !UPLOAD_FIELDS.includes(key));
	if (unknown !== undefined)
		throw new ShapeError(
			`Unknown field '${unknown}': a file upload takes ${UPLOAD_FIELDS.join(', ')}`,
		);
	const name = body.file_name;
	if (typeof name !== 'string' || name.trim() === '')
		throw wrong('file_name', 'a non-empty string');
	if (!isBase64(body.file_data)) throw wrong('file_data', 'base64 text');
	const size = Buffer.byteLength(/** @type {string} */ (body.file_data), 'base64');
	if (size > MAX_FILE_BYTES)
		throw new ShapeError(`file_data: a file takes at most 10 MB, not ${size} bytes`);
	const association = body.file_association;
	if (typeof association !== 'string' || !FILE_ASSOCIATIONS.includes(association))
		throw wrong('file_association', `one of ${FILE_ASSOCIATIONS.join(', ')}`);
	if (typeof body.is_public !== 'boolean') throw wrong('is_public', 'true or false');
	const contactId = body.contact_id ?? null;
	if (association === 'CONTACT' && !positiveInteger(contactId))
		throw new ShapeError('contact_id: a file associated with a contact needs its id');
	if (association !== 'CONTACT' && contactId !== null)
		throw new ShapeError(`contact_id: a ${association} file has no contact`);
	return {
		file_name: name,
		file_data: body.file_data,
		file_size: size,
		contact_id: contactId,
		category: 'Documents',
		file_box_type: association === 'COMPANY' ? 'Application' : 'Attachment',
		public: body.is_public,
		permission: association === 'COMPANY' ? 'COMPANY' : 'USER',
	};
}

/** Keap's files: the list describes them, a get gives the content when asked. */
const REST_FILES = restSpec({
	name: 'files',
	singular: 'file',
	stamps: ['date_created', 'last_updated'],
	fields: [
		idField('id'),
		field({
			name: 'file_name',
			type: 'string',
			check: filledText,
			required: true,
			filterable: true,
		}),
		field({ name: 'file_data', type: 'string', check: base64OrNull, shown: 'asked' }),
		field({ name: 'file_size', type: 'number', readOnly: true, check: seedOnly(positiveId) }),
		field({
			name: 'contact_id',
			type: 'number',
			check: (v, n) => (v === null ? null : positiveId(v, n)),
			filterable: true,
		}),
		field({ name: 'category', type: 'string', check: text }),
		field({ name: 'file_box_type', type: 'string', check: text, filterable: true }),
		field({ name: 'public', type: 'boolean', check: boolean, empty: false }),
		field({
			name: 'permission',
			type: 'string',
			check: oneOf(['USER', 'COMPANY']),
			empty: 'USER',
			shown: 'never',
		}),
		dateField('date_created'),
		dateField('last_updated'),
	],
	virtualColumns: { name: 'file_name', type: 'file_box_type' },
	fromWritten: fileFromUpload,
	rule: (record) =>
		typeof record.file_name === 'string' && record.file_name.trim() !== ''
			? undefined
			: 'A file needs a file_name',
});

const ADDRESS_KEYS = [
	'line1',
	'line2',
	'locality',
	'region',
	'zip_code',
	'zip_four',
	'country_code',
];
const PHONE_KEYS = ['number', 'extension', 'type'];

/** Keap REST v1's company (the element's public material lists no companies: v1 names assumed). */
const REST_COMPANIES = restSpec({
	name: 'companies',
	singular: 'company',
	fields: [
		idField('id'),
		field({
			name: 'company_name',
			type: 'string',
			check: filledText,
			required: true,
			filterable: true,
		}),
		field({ name: 'email_address', type: 'string', check: text }),
		field({
			name: 'phone_number',
			type: 'object',
			check: textObject(PHONE_KEYS),
			nested: PHONE_KEYS.map((k) => ({ vendorPath: `phone_number.${k}`, type: 'string' })),
		}),
		...textFields('website', 'notes'),
		field({
			name: 'address',
			type: 'object',
			check: textObject(ADDRESS_KEYS),
			nested: ADDRESS_KEYS.map((k) => ({ vendorPath: `address.${k}`, type: 'string' })),
		}),
	],
	rule: (record) =>
		typeof record.company_name === 'string' && record.company_name.trim() !== ''
			? undefined
			: 'A company needs a company_name',
});

const NOTE_TYPES = Object.freeze([
	'Appointment',
	'Call',
	'Email',
	'Fax',
	'Letter',
	'Meeting',
	'Other',
	'Task',
]);

/** Keap REST v1's note on a contact; its contact (and user, when given) must exist. */
const REST_NOTES = restSpec({
	name: 'notes',
	singular: 'note',
	stamps: ['date_created', 'last_updated'],
	fields: [
		idField('id'),
		contactIdField(),
		field({ name: 'title', type: 'string', check: text, required: true }),
		field({ name: 'body', type: 'string', check: text }),
		field({ name: 'type', type: 'string', check: oneOf(NOTE_TYPES) }),
		field({ name: 'user_id', type: 'number', check: idOrNull, filterable: true }),
		dateField('date_created'),
		dateField('last_updated'),
	],
	dateColumns: true,
	rule: (record) => {
		if (!positiveInteger(record.contact_id)) return 'A note needs a contact_id';
		return typeof record.title === 'string' && record.title.trim() !== ''
			? undefined
			: 'A note needs a title';
	},
});

/** Keap's users: listed through the hub (GET /users), made in Keap itself (seeds here). */
const REST_USERS = readOnlyList('users', 'user', [
	...textFields('given_name', 'family_name', 'email_address'),
]);

const REST_PRODUCTS = restSpec({
	name: 'products',
	singular: 'product',
	fields: [
		idField('id'),
		field({ name: 'product_name', type: 'string', check: filledText, required: true }),
		field({ name: 'product_price', type: 'number', check: amount, empty: 0 }),
		...textFields('product_desc', 'product_short_desc', 'sku'),
		field({ name: 'active', type: 'boolean', check: boolean, empty: true, filterable: true }),
		field({ name: 'subscription_only', type: 'boolean', check: boolean, empty: false }),
	],
	rule: (record) =>
		typeof record.product_name === 'string' && record.product_name.trim() !== ''
			? undefined
			: 'A product needs a product_name',
});

/** Cents, so that 3 × 19.99 is 59.97 and not 59.970000000000006. @param {number} value */
const money = (value) => Math.round(value * 100) / 100;

/**
 * Create only (Keap REST v1 has no PATCH /orders/{id}). The contact and every item's product
 * must exist; an item without a price takes its product's; `total` is the sum of the items.
 */
const REST_ORDERS = restSpec({
	name: 'orders',
	singular: 'order',
	stamps: ['creation_date', 'modification_date'],
	fields: [
		idField('id'),
		contactIdField(),
		field({ name: 'order_title', type: 'string', check: filledText, required: true }),
		field({
			name: 'order_type',
			type: 'string',
			check: requiredOneOf(['Online', 'Offline']),
			required: true,
		}),
		field({ name: 'order_date', type: 'date', check: isoDate, required: true }),
		field({
			name: 'order_items',
			type: 'array',
			check: orderItems,
			empty: [],
			nested: [
				{ vendorPath: 'order_items[*].product_id', type: 'number' },
				{ vendorPath: 'order_items[*].quantity', type: 'number' },
				{ vendorPath: 'order_items[*].price', type: 'number' },
				{ vendorPath: 'order_items[*].description', type: 'string' },
			],
		}),
		field({ name: 'promo_codes', type: 'array', check: textList, empty: [] }),
		field({
			name: 'shipping_address',
			type: 'object',
			check: address,
			nested: ADDRESS_FIELDS.map((key) => ({
				vendorPath: `shipping_address.${key}`,
				type: 'string',
			})),
		}),
		field({ name: 'total', type: 'number', readOnly: true, check: seedOnly(amount), empty: 0 }),
		field({
			name: 'paid',
			type: 'boolean',
			readOnly: true,
			check: seedOnly(boolean),
			empty: false,
		}),
		dateField('creation_date'),
		dateField('modification_date'),
	],
	virtualColumns: { product_id: 'order_items.product_id' },
	dateColumns: true,
	sinceField: 'order_date',
	patchable: false,
	rule: (record) => {
		for (const name of ['contact_id', 'order_title', 'order_type', 'order_date'])
			if (record[name] === null || record[name] === undefined) return `An order needs ${name}`;
		return undefined;
	},
	onWrite: (record, tableOf) => {
		const contactId = /** @type {number} */ (record.contact_id);
		if (!tableOf('contacts').byId.has(contactId))
			throw new ShapeError(`contact_id: no contact found with id ${contactId}`);
		const products = tableOf('products');
		let total = 0;
		/** @type {HubRecord[]} */ (record.order_items).forEach((item, i) => {
			const product = products.byId.get(/** @type {number} */ (item.product_id));
			if (!product)
				throw new ShapeError(
					`order_items[${i}].product_id: no product found with id ${String(item.product_id)}`,
				);
			item.price ??= product.product_price;
			total += /** @type {number} */ (item.quantity) * /** @type {number} */ (item.price);
		});
		record.total = money(total);
	},
});

const LEGACY_CONTACTS = objectSpec({
	name: 'contacts',
	singular: 'contact',
	idField: 'Id',
	createdField: 'DateCreated',
	updatedField: 'LastUpdated',
	strict: false,
	fields: [
		idField('Id'),
		field({ name: 'FirstName', type: 'string', check: text }),
		field({ name: 'LastName', type: 'string', check: text }),
		field({ name: 'Email', type: 'string', check: text }),
		field({ name: 'Phone1', type: 'string', check: text }),
		field({ name: 'Company', type: 'string', check: text }),
		dateField('DateCreated'),
		dateField('LastUpdated'),
	].map((f) => ({ ...f, filterable: true })), // XML-RPC's query takes any field
	rule: (record) =>
		[record.FirstName, record.LastName, record.Email].some(
			(v) => typeof v === 'string' && v.trim() !== '',
		)
			? undefined
			: 'A contact needs a name or an email address',
});

/** Element key -> its objects, in the order GET /hubs/crm/objects lists them. @type {Readonly<Record<string, readonly ObjectSpec[]>>} */
const HUB_OBJECTS = Object.freeze({
	infusionsoftrest: Object.freeze([
		REST_CONTACTS,
		REST_TASKS,
		REST_TAGS,
		REST_OPPORTUNITIES,
		REST_STAGES,
		REST_COMPANIES,
		REST_NOTES,
		REST_USERS,
		REST_PRODUCTS,
		REST_ORDERS,
		REST_EMAILS,
		REST_FILES,
	]),
	infusionsoftcrm: Object.freeze([LEGACY_CONTACTS]),
});

/** @param {string} elementKey @returns {readonly ObjectSpec[]} */
function objectsOf(elementKey) {
	return HUB_OBJECTS[elementKey] ?? [];
}

/** @param {string} elementKey @param {string} name */
function findObject(elementKey, name) {
	return objectsOf(elementKey).find((spec) => spec.name === name);
}

/**
 * GET /hubs/crm/objects/{name}/metadata: each field's `vendorPath` and `type`, with
 * `vendorReadOnly`, `vendorRequired` and `filterable` when true, then the account's custom fields.
 * @param {ObjectSpec} spec @param {readonly CustomFieldDef[]} [customFields]
 */
function metadataOf(spec, customFields = []) {
	/** @param {{ readOnly?: boolean, required?: boolean, filterable?: boolean }} f */
	const flags = (f) => ({
		...(f.readOnly ? { vendorReadOnly: true } : {}),
		...(f.required ? { vendorRequired: true } : {}),
		...(f.filterable ? { filterable: true } : {}),
	});
	return {
		fields: [
			...spec.fields
				.filter((f) => !f.unlisted && f.shown !== 'never')
				.flatMap((f) => [
					{ vendorPath: f.name, type: f.type, ...flags(f) },
					...(f.nested ?? []).map(({ filterable, ...n }) => ({
						...n,
						...flags({ readOnly: f.readOnly, filterable }),
					})),
				]),
			...customFields.map((c) => ({
				vendorPath: `custom_fields.${c.id}`,
				type: c.type,
				vendorDisplayName: c.label,
				custom: true,
			})),
		],
	};
}

// Custom fields: state.customFields is Map<instance id, Map<object name, CustomFieldDef[]>>

const CUSTOM_FIELD_TYPES = ['string', 'number', 'boolean', 'date'];

/** @param {State} state @param {number} instanceId @param {string} object @returns {readonly CustomFieldDef[]} */
function customFieldsOf(state, instanceId, object) {
	return state.customFields.get(instanceId)?.get(object) ?? [];
}

/**
 * sb.addCustomFields and POST /__sandbox/instances/:id/customFields/:object: the account gets
 * custom fields on an object that takes them (ids from 1 per instance and object). Returns
 * the fields added.
 * @param {State} state @param {number} instanceId @param {string} object @param {unknown} fields
 * @returns {CustomFieldDef[]}
 */
function addCustomFields(state, instanceId, object, fields) {
	const spec = requireObject(state, instanceId, object);
	if (!spec.customFields) throw new TypeError(`${object} take no custom fields`);
	if (!Array.isArray(fields)) throw new TypeError('fields must be an array of { label, type }');
	const defs = fields.map((input, i) => {
		if (!isObject(input) || typeof input.label !== 'string' || input.label.trim() === '')
			throw new TypeError(`fields[${i}] must be { label, type } with a label`);
		const type = input.type ?? 'string';
		if (typeof type !== 'string' || !CUSTOM_FIELD_TYPES.includes(type))
			throw new TypeError(`fields[${i}].type must be one of ${CUSTOM_FIELD_TYPES.join(', ')}`);
		return { label: input.label, type: /** @type {CustomFieldDef['type']} */ (type) };
	});
	let objects = state.customFields.get(instanceId);
	if (!objects) {
		objects = new Map();
		state.customFields.set(instanceId, objects);
	}
	const list = objects.get(object) ?? [];
	const added = defs.map((def, i) => ({ id: list.length + i + 1, ...def }));
	objects.set(object, [...list, ...added]);
	return added.map((def) => ({ ...def }));
}

/**
 * A written record's custom fields: each id one of the account's, each content of its type (a
 * date an ISO date). A message when not.
 * @param {readonly CustomFieldDef[]} defs @param {HubRecord} record @returns {string | undefined}
 */
function customFieldProblem(defs, record) {
	if (!Array.isArray(record.custom_fields)) return undefined;
	for (const entry of record.custom_fields) {
		const def = defs.find((d) => d.id === entry.id);
		if (!def) return `custom_fields: no custom field with id ${entry.id}`;
		const { content } = entry;
		if (content === null) continue;
		const fits =
			def.type === 'date' ? parseIsoDate(content) !== undefined : typeof content === def.type;
		if (!fits) return `custom_fields: ${def.label} (id ${def.id}) takes a ${def.type}`;
	}
	return undefined;
}

/**
 * A record as an answer carries it: `where` is 'list', 'one' or the fields `optional_properties`
 * asked for (a get). The stored record itself when the object hides nothing.
 * @param {ObjectSpec} spec @param {HubRecord} record @param {'list' | 'one' | string[]} where
 * @returns {HubRecord}
 */
function shownRecord(spec, record, where) {
	const hidden = spec.fields.filter((f) => {
		const shown = f.shown ?? 'always';
		if (shown === 'always') return false;
		if (shown === 'one') return where === 'list';
		if (shown === 'asked') return !Array.isArray(where) || !where.includes(f.name);
		return true;
	});
	if (hidden.length === 0) return record;
	const copy = { ...record };
	for (const f of hidden) delete copy[f.name];
	return copy;
}

// Writing

/**
 * A new record from a body (create, seed) or a stored record with a body merged in (patch),
 * never sharing an object with the body. Fields are checked; unknown ones refused on a strict
 * object, kept (copied) otherwise; the object's rule is applied on create and patch. The fields
 * come in the object's order (id first), extra ones after; the id and the dates are insert()'s.
 * @param {ObjectSpec} spec @param {Record<string, unknown>} body @param {Mode} mode @param {HubRecord} [stored]
 * @returns {HubRecord}
 */
function buildRecord(spec, body, mode, stored) {
	/** @type {HubRecord} */
	const record = stored ? { ...stored } : {};
	if (!stored) for (const f of spec.fields) record[f.name] = Array.isArray(f.empty) ? [] : f.empty;
	for (const key of Object.keys(body)) {
		const f = spec.fieldMap.get(key);
		if (f) {
			const value = f.check(body[key], key, mode);
			record[key] = stored && f.merge ? f.merge(stored[key], value) : value;
		} else if (spec.strict)
			throw new ShapeError(`Unknown field '${key}': ${spec.name} have no such field`);
		else record[key] = copyJson(body[key], key);
	}
	if (mode !== 'seed' && spec.rule) {
		const broken = spec.rule(record);
		if (broken) throw new ShapeError(broken);
	}
	return record;
}

/**
 * A deep copy of JSON data (much cheaper than structuredClone for many small records); anything
 * else (a Date, a Map, a function, undefined in a list) is refused.
 * @param {unknown} value @param {string} name @returns {unknown}
 */
function copyJson(value, name) {
	if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (Array.isArray(value)) return value.map((item, i) => copyJson(item, `${name}[${i}]`));
	if (
		typeof value === 'object' &&
		(Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null)
	) {
		/** @type {Record<string, unknown>} */
		const copy = {};
		for (const key of Object.keys(value)) {
			const item = /** @type {Record<string, unknown>} */ (value)[key];
			if (item !== undefined) copy[key] = copyJson(item, `${name}.${key}`);
		}
		return copy;
	}
	throw wrong(name, 'JSON data (strings, finite numbers, booleans, null, arrays, plain objects)');
}

// Storage: state.records is Map<instance id, Map<object name, Table>>

/** @param {State} state @param {number} instanceId @param {string} object @returns {Table} */
function tableOf(state, instanceId, object) {
	let objects = state.records.get(instanceId);
	if (!objects) {
		objects = new Map();
		state.records.set(instanceId, objects);
	}
	let table = objects.get(object);
	if (!table) {
		table = { nextId: 1, byId: new Map(), deleted: new Map() };
		objects.set(object, table);
	}
	return table;
}

/**
 * Stores a record from buildRecord (it becomes the stored object): assigns the next id and sets
 * the dates (a seed's own dates are kept; last-updated defaults to the created date).
 * @param {ObjectSpec} spec @param {Table} table @param {HubRecord} record @param {string} now
 * @returns {HubRecord} the stored record
 */
function insert(spec, table, record, now) {
	const id = table.nextId++;
	record[spec.idField] = id;
	if (spec.createdField) record[spec.createdField] ??= now;
	if (spec.updatedField)
		record[spec.updatedField] ??=
			(spec.createdField ? record[spec.createdField] : undefined) ?? now;
	table.byId.set(id, record);
	return record;
}

/**
 * Deletes a stored record and leaves its tombstone. @param {Table} table @param {number} id @param {string} now
 */
function remove(table, id, now) {
	const record = table.byId.get(id);
	if (!record) return;
	table.byId.delete(id);
	table.deleted.set(id, { record, date: now });
	if (table.deleted.size > MAX_TOMBSTONES)
		table.deleted.delete(/** @type {number} */ (table.deleted.keys().next().value));
}

/**
 * sb.seedRecords and POST /__sandbox/instances/:id/records/:object: checks the instance, the
 * object and each record's shape (field types; no "needs a name" rule, no tag or contact
 * lookups), then stores them all or none. Returns copies of the stored records.
 * @param {State} state @param {number} instanceId @param {string} object @param {unknown} records
 * @returns {HubRecord[]}
 */
function seedRecords(state, instanceId, object, records) {
	const spec = requireObject(state, instanceId, object);
	if (!Array.isArray(records)) throw new TypeError('records must be an array of objects');
	const built = records.map((input, i) => {
		if (!isObject(input)) throw new TypeError(`records[${i}] must be an object`);
		try {
			return buildRecord(spec, input, 'seed');
		} catch (error) {
			if (error instanceof ShapeError) throw new TypeError(`records[${i}]: ${error.message}`);
			throw error;
		}
	});
	const table = tableOf(state, instanceId, object);
	const now = new Date().toISOString();
	return built.map((record) => copyRecord(insert(spec, table, record, now)));
}

/** @param {HubRecord} record @returns {HubRecord} */
const copyRecord = (record) => /** @type {HubRecord} */ (copyJson(record, 'record'));

/** sb.records: copies of the stored records, in id order. @param {State} state @param {number} instanceId @param {string} object */
function listRecords(state, instanceId, object) {
	requireObject(state, instanceId, object);
	const table = state.records.get(instanceId)?.get(object);
	return table ? [...table.byId.values()].map(copyRecord) : [];
}

/** @param {State} state @param {number} instanceId @param {string} object @returns {ObjectSpec} */
function requireObject(state, instanceId, object) {
	const instance = state.instances.get(instanceId);
	if (!instance) throw new TypeError(`No instance with id ${instanceId}`);
	const spec = findObject(instance.element.key, object);
	if (!spec) {
		const names = objectsOf(instance.element.key).map((s) => s.name);
		throw new TypeError(
			`No object ${object} for ${instance.element.key} (its objects: ${names.join(', ') || 'none'})`,
		);
	}
	return spec;
}

module.exports = {
	ShapeError,
	HUB_OBJECTS,
	objectsOf,
	findObject,
	metadataOf,
	customFieldsOf,
	addCustomFields,
	customFieldProblem,
	shownRecord,
	buildRecord,
	tableOf,
	insert,
	remove,
	seedRecords,
	listRecords,
};

// @ts-check
'use strict';

/**
 * The CRM hub's records: what each element's objects look like, how a written body is checked
 * and stored, and where the records live (per instance, per object, in the sandbox's state).
 *
 *   infusionsoftrest  Keap REST v1 names: contacts, tasks, tags, opportunities and the stages of
 *                     opportunity/stage_pipeline (ids from 1 per instance and object)
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
 * @property {{ vendorPath: string, type: string }[]} [nested]  metadata of the fields inside
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
 * @property {boolean} writable  POST /{object} (false: a list only the account's settings fill, seeded in tests)
 * @property {Record<string, string>} searchColumns  CEQL column -> the path `=` searches in (Keap's
 *   search_term: `search_term = 'x'` is `opportunity_title LIKE '%x%'`)
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

/** @param {string} name @returns {FieldSpec} */
const idField = (name) => field({ name, type: 'number', readOnly: true, check: assignedId });
/** @param {string} name @returns {FieldSpec} */
const dateField = (name) => field({ name, type: 'date', readOnly: true, check: seedOnly(isoDate) });

/** @param {Omit<ObjectSpec, 'fieldMap' | 'paths' | 'virtualColumns' | 'searchColumns' | 'dateColumns' | 'oneRoutes' | 'writable'> & Partial<ObjectSpec>} spec @returns {ObjectSpec} */
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
		...spec,
		fieldMap,
		paths,
	};
}

// The objects

const REST_CONTACTS = objectSpec({
	name: 'contacts',
	singular: 'contact',
	idField: 'id',
	createdField: 'date_created',
	updatedField: 'last_updated',
	strict: true,
	fields: [
		idField('id'),
		field({ name: 'given_name', type: 'string', check: text }),
		field({ name: 'family_name', type: 'string', check: text }),
		field({
			name: 'email_addresses',
			type: 'array',
			check: slotList('email', 'EMAIL', 3),
			empty: [],
			nested: [
				{ vendorPath: 'email_addresses[*].email', type: 'string' },
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
		dateField('date_created'),
		dateField('last_updated'),
	],
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

const REST_TASKS = objectSpec({
	name: 'tasks',
	singular: 'task',
	idField: 'id',
	createdField: 'date_created',
	updatedField: 'last_updated',
	strict: true,
	fields: [
		idField('id'),
		field({ name: 'title', type: 'string', check: filledText }),
		field({ name: 'description', type: 'string', check: text }),
		field({ name: 'due_date', type: 'date', check: isoDateOrNull }),
		field({ name: 'completed', type: 'boolean', check: boolean, empty: false }),
		field({
			name: 'contact',
			type: 'object',
			check: contactRef,
			nested: [{ vendorPath: 'contact.id', type: 'number' }],
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

const REST_TAGS = objectSpec({
	name: 'tags',
	singular: 'tag',
	idField: 'id',
	createdField: undefined,
	updatedField: undefined,
	strict: true,
	fields: [
		idField('id'),
		field({ name: 'name', type: 'string', check: filledText }),
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

const REST_OPPORTUNITIES = objectSpec({
	name: 'opportunities',
	singular: 'opportunity',
	idField: 'id',
	createdField: 'date_created',
	updatedField: 'last_updated',
	strict: true,
	fields: [
		idField('id'),
		field({ name: 'opportunity_title', type: 'string', check: filledText }),
		field({
			name: 'contact',
			type: 'object',
			check: contactRef,
			nested: [{ vendorPath: 'contact.id', type: 'number' }],
		}),
		field({
			name: 'stage',
			type: 'object',
			check: refTo('a stage id of opportunity/stage_pipeline'),
			nested: [{ vendorPath: 'stage.id', type: 'number' }],
		}),
		field({
			name: 'user',
			type: 'object',
			check: refTo('a user id'),
			nested: [{ vendorPath: 'user.id', type: 'number' }],
		}),
		field({ name: 'projected_revenue_low', type: 'number', check: numberOrNull }),
		field({ name: 'projected_revenue_high', type: 'number', check: numberOrNull }),
		field({ name: 'estimated_close_date', type: 'date', check: isoDateOrNull }),
		field({ name: 'next_action_date', type: 'date', check: isoDateOrNull }),
		field({ name: 'next_action_notes', type: 'string', check: text }),
		field({ name: 'opportunity_notes', type: 'string', check: text }),
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
const REST_STAGES = objectSpec({
	name: 'opportunity/stage_pipeline',
	singular: 'stage',
	idField: 'id',
	createdField: undefined,
	updatedField: undefined,
	strict: true,
	fields: [
		idField('id'),
		field({ name: 'name', type: 'string', check: filledText }),
		field({ name: 'details', type: 'object', check: anyJson }),
	],
	oneRoutes: false,
	writable: false,
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
	],
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

/** GET /hubs/crm/objects/{name}/metadata. @param {ObjectSpec} spec */
function metadataOf(spec) {
	return {
		fields: spec.fields.flatMap((f) => [
			{ vendorPath: f.name, type: f.type, ...(f.readOnly ? { vendorReadOnly: true } : {}) },
			...(f.nested ?? []).map((n) => ({ ...n, ...(f.readOnly ? { vendorReadOnly: true } : {}) })),
		]),
	};
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
		if (f) record[key] = f.check(body[key], key, mode);
		else if (spec.strict)
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
	buildRecord,
	tableOf,
	insert,
	remove,
	seedRecords,
	listRecords,
};

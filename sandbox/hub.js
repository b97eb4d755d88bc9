// @ts-check
'use strict';

/**
 * The CRM hub under the API root: /hubs/crm/... with `Authorization: User .., Organization ..,
 * Element <instance token>`. The platform (platform.js) authenticates and finds the instance;
 * this module answers for it, with the records of that instance (records.js) in its element's
 * own shape:
 *
 *   both elements     ping, objects, objects/{name}/metadata (with the account's custom
 *                     fields), contacts (list with CEQL and paging, create, get, patch, delete)
 *   infusionsoftrest  contacts/{id}/tags (list, add, remove), PUT contacts (create or update by
 *                     email), tags (list, create), tasks, opportunities,
 *                     opportunity/stage_pipeline (list only), companies, notes, users (list only), products, orders (no PATCH: Keap
 *                     REST v1 has none), emails (POST records one; its content
 *                     only in its own answers), emails/queue (sends: records one email per
 *                     contact), files (POST uploads base64 file_data; GET one gives it back only
 *                     with optional_properties=file_data; lists never), oauth/connect/userinfo,
 *                     account/profile
 *
 * Anything else under /hubs/crm is 404 "No resource <x> for <element key>".
 */

const {
	HttpError,
	jsonReply,
	errorReply,
	route,
	dispatch,
	requireJsonObject,
	firstValue,
	isObject,
} = require('./routing');
const ceql = require('./ceql');
const {
	ShapeError,
	objectsOf,
	findObject,
	metadataOf,
	customFieldsOf,
	customFieldProblem,
	shownRecord,
	buildRecord,
	tableOf,
	insert,
	remove,
} = require('./records');

/** @typedef {import('./routing').Ctx} Ctx */
/** @typedef {import('./state').Account} Account */
/** @typedef {import('./index').SandboxInstance} SandboxInstance */
/** @typedef {import('./consent').Reply} Reply */
/** @typedef {import('./records').ObjectSpec} ObjectSpec */
/** @typedef {import('./records').HubRecord} HubRecord */
/** @typedef {import('./records').Table} Table */
/** @typedef {Ctx & { account: Account, instance: SandboxInstance }} HubCtx  a hub call of a live, enabled instance */
/**
 * @template C
 * @typedef {import('./routing').Handler<C>} Handler
 */
/**
 * @template C
 * @typedef {import('./routing').Route<C>} Route
 */

const HUB_ROOT = '/hubs/crm';
const NEXT_PAGE_HEADER = 'elements-next-page-token';
const TOTAL_COUNT_HEADER = 'elements-total-count';
const RETURNED_COUNT_HEADER = 'elements-returned-count';
const DEFAULT_PAGE_SIZE = 200;
const MAX_PAGE_SIZE = 500;

/** @param {string} elementKey @returns {Route<HubCtx>[]} */
function hubRoutes(elementKey) {
	/** @type {Route<HubCtx>[]} */
	const routes = [
		route(`${HUB_ROOT}/ping`, { GET: ping }),
		route(`${HUB_ROOT}/objects`, { GET: listObjects }),
		route(`${HUB_ROOT}/objects/:name/metadata`, { GET: objectMetadata }),
	];
	// Before the objects' routes: /emails/queue is no email id.
	if (elementKey === 'infusionsoftrest') {
		routes.push(
			route(`${HUB_ROOT}/contacts/:id/tags`, { GET: listContactTags, POST: addContactTags }),
			route(`${HUB_ROOT}/contacts/:id/tags/:tagId`, { DELETE: removeContactTag }),
			route(`${HUB_ROOT}/emails/queue`, { POST: sendEmail }),
			route(`${HUB_ROOT}/oauth/connect/userinfo`, { GET: userInfo }),
			route(`${HUB_ROOT}/account/profile`, { GET: accountProfile }),
		);
	}
	for (const spec of objectsOf(elementKey)) {
		routes.push(
			route(`${HUB_ROOT}/${spec.name}`, {
				GET: (ctx) => listRecords(ctx, spec),
				...(spec.writable ? { POST: (ctx) => createRecord(ctx, spec) } : {}),
				...(spec.name === 'contacts' && elementKey === 'infusionsoftrest'
					? { PUT: (ctx) => upsertContact(ctx, spec) }
					: {}),
			}),
		);
		if (spec.oneRoutes) {
			routes.push(
				route(`${HUB_ROOT}/${spec.name}/:id`, {
					GET: (ctx, { id }) =>
						jsonReply(200, shownRecord(spec, findRecord(ctx, spec, id), askedFields(ctx))),
					...(spec.patchable && {
						/** @type {Handler<HubCtx>} */
						PATCH: (ctx, { id }) => patchRecord(ctx, spec, id),
					}),
					DELETE: (ctx, { id }) => deleteRecord(ctx, spec, id),
				}),
			);
		}
	}
	return routes;
}

/** Built once per element (an instance planted with another element gets the common routes). */
const ROUTES = new Map(['infusionsoftrest', 'infusionsoftcrm'].map((key) => [key, hubRoutes(key)]));

/**
 * A hub call of a live, enabled instance (the platform checked the token, `disabled` and `valid`).
 * @param {HubCtx} ctx @param {string} apiPath  e.g. '/hubs/crm/contacts/3' @returns {Reply}
 */
function answerHub(ctx, apiPath) {
	const key = ctx.instance.element.key;
	const routes = ROUTES.get(key) ?? hubRoutes(key);
	const trimmed = apiPath.replace(/\/+$/, '');
	if (trimmed.startsWith(`${HUB_ROOT}/`) && !routes.some((r) => r.pattern.test(trimmed))) {
		return errorReply(404, `No resource ${trimmed.slice(HUB_ROOT.length + 1)} for ${key}`);
	}
	return dispatch(routes, ctx, apiPath);
}

// Discovery and cheap calls

/** @type {Handler<HubCtx>} */
function ping(ctx) {
	const { instance } = ctx;
	return jsonReply(200, {
		endpoint: instance.element.key,
		instanceId: instance.id,
		dateTime: new Date().toISOString(),
	});
}

/** @type {Handler<HubCtx>} */
function listObjects(ctx) {
	return jsonReply(
		200,
		objectsOf(ctx.instance.element.key).map((spec) => spec.name),
	);
}

/** @type {Handler<HubCtx>} */
function objectMetadata(ctx, { name }) {
	const spec = findObject(ctx.instance.element.key, name);
	if (!spec) throw new HttpError(404, `No object ${name} for ${ctx.instance.element.key}`);
	return jsonReply(200, metadataOf(spec, customFieldsOf(ctx.state, ctx.instance.id, spec.name)));
}

/** Keap's "who is connected" call: fixed values per instance. @type {Handler<HubCtx>} */
function userInfo(ctx) {
	const { id } = ctx.instance;
	return jsonReply(200, {
		sub: String(id),
		email: `owner.${id}@example.com`,
		given_name: 'Sandbox',
		family_name: `Owner ${id}`,
		global_user_id: 900000000 + id,
	});
}

/** @type {Handler<HubCtx>} */
function accountProfile(ctx) {
	const { id } = ctx.instance;
	return jsonReply(200, {
		name: `Sandbox account ${id}`,
		email: `account.${id}@example.com`,
		phone: '+1 480-555-0100',
		website: 'https://example.com',
		time_zone: 'America/Phoenix',
		currency_code: 'USD',
		language_tag: 'en-US',
		business_type: 'Other',
		address: {
			line1: '1260 S Spectrum Blvd',
			locality: 'Chandler',
			region: 'Arizona',
			zip_code: '85286',
			country_code: 'USA',
		},
	});
}

// Records

/** @param {HubCtx} ctx @param {ObjectSpec} spec @returns {Table} */
const tableFor = (ctx, spec) => tableOf(ctx.state, ctx.instance.id, spec.name);

/** @param {HubCtx} ctx @param {ObjectSpec} spec @param {string} id @returns {HubRecord} */
function findRecord(ctx, spec, id) {
	if (!/^\d+$/.test(id))
		throw new HttpError(400, `Invalid ${spec.singular} id '${id}': expected a number`);
	const record = tableFor(ctx, spec).byId.get(Number(id));
	if (!record) throw new HttpError(404, `No ${spec.singular} found with id ${id}`);
	return record;
}

/**
 * GET /hubs/crm/{object}: `where` (CEQL), `pageSize` (default 200, at most 500), `nextPage`.
 * Ordered by id. 404 when nothing is on the page, also the empty page after a full last page
 * (the platform's quirk: a full page always gets a next-page token).
 * @param {HubCtx} ctx @param {ObjectSpec} spec
 */
function listRecords(ctx, spec) {
	const pageSize = readPageSize(firstValue(ctx.query.pageSize));
	const after = readPageToken(firstValue(ctx.query.nextPage), spec.name);
	const table = tableFor(ctx, spec);
	const matches = whereFilter(spec, table, firstValue(ctx.query.where));
	const { idField } = spec;
	/** @type {HubRecord[]} */
	const page = [];
	let total = 0;
	for (const record of table.byId.values()) {
		if (!matches(record)) continue;
		total += 1;
		if (page.length < pageSize && /** @type {number} */ (record[idField]) > after)
			page.push(record);
	}
	if (page.length === 0) throw new HttpError(404, `No ${spec.name} found`);
	/** @type {Record<string, string>} */
	const headers = {
		[TOTAL_COUNT_HEADER]: String(total),
		[RETURNED_COUNT_HEADER]: String(page.length),
	};
	if (page.length === pageSize)
		headers[NEXT_PAGE_HEADER] = pageToken(
			spec.name,
			/** @type {number} */ (page[page.length - 1][idField]),
		);
	return jsonReply(
		200,
		page.map((record) => shownRecord(spec, record, 'list')),
		headers,
	);
}

/** @param {HubCtx} ctx @param {ObjectSpec} spec */
function createRecord(ctx, spec) {
	const body = requireJsonObject(ctx);
	const { fromWritten } = spec;
	const record = fromWritten
		? build(
				spec,
				shaped(() => fromWritten(body)),
				'seed',
			)
		: build(spec, body, 'create');
	checkReferences(ctx, spec, record);
	onWrite(ctx, spec, record);
	const stored = insert(spec, tableFor(ctx, spec), record, new Date().toISOString());
	return jsonReply(200, shownRecord(spec, stored, 'one'));
}

/** GET one's `optional_properties` (comma-separated field names). @param {HubCtx} ctx @returns {string[]} */
function askedFields(ctx) {
	const asked = firstValue(ctx.query.optional_properties);
	return asked ? asked.split(',').map((name) => name.trim()) : [];
}

/** Merges the body's fields (lists replace), then last_updated. @param {HubCtx} ctx @param {ObjectSpec} spec @param {string} id */
function patchRecord(ctx, spec, id) {
	const stored = findRecord(ctx, spec, id);
	const merged = build(spec, requireJsonObject(ctx), 'patch', stored);
	checkReferences(ctx, spec, merged);
	onWrite(ctx, spec, merged);
	return jsonReply(200, shownRecord(spec, replace(ctx, spec, merged), 'one'));
}

/** Deletes, leaving a tombstone for the event poller. @param {HubCtx} ctx @param {ObjectSpec} spec @param {string} id */
function deleteRecord(ctx, spec, id) {
	const record = findRecord(ctx, spec, id);
	remove(
		tableFor(ctx, spec),
		/** @type {number} */ (record[spec.idField]),
		new Date().toISOString(),
	);
	return jsonReply(200, {});
}

/** Stores a changed record with a new last-updated date. @param {HubCtx} ctx @param {ObjectSpec} spec @param {HubRecord} record */
function replace(ctx, spec, record) {
	const updated = { ...record }; // keeps the field order
	if (spec.updatedField) updated[spec.updatedField] = new Date().toISOString();
	tableFor(ctx, spec).byId.set(/** @type {number} */ (record[spec.idField]), updated);
	return updated;
}

/** @param {ObjectSpec} spec @param {Record<string, unknown>} body @param {import('./records').Mode} mode @param {HubRecord} [stored] */
function build(spec, body, mode, stored) {
	return shaped(() => buildRecord(spec, body, mode, stored));
}

/** A ShapeError as the hub's 400. @template T @param {() => T} make @returns {T} */
function shaped(make) {
	try {
		return make();
	} catch (error) {
		if (error instanceof ShapeError) throw new HttpError(400, error.message);
		throw error;
	}
}

/**
 * A task's, note's, email's, file's or opportunity's contact, a note's user and an opportunity's
 * stage must exist (at the time it is written); a contact's custom fields must be the account's,
 * each with content of its type.
 * @param {HubCtx} ctx @param {ObjectSpec} spec @param {HubRecord} record
 */
function checkReferences(ctx, spec, record) {
	if (spec.customFields) {
		const problem = customFieldProblem(
			customFieldsOf(ctx.state, ctx.instance.id, spec.name),
			record,
		);
		if (problem) throw new HttpError(400, problem);
	}
	/** @type {Array<[string, string, unknown]>} field, object, id */
	const refs = [
		[
			'contact.id',
			'contacts',
			spec.fieldMap.has('contact') && isObject(record.contact) ? record.contact.id : undefined,
		],
		['contact_id', 'contacts', spec.fieldMap.has('contact_id') ? record.contact_id : undefined],
		['user_id', 'users', spec.name === 'notes' ? record.user_id : undefined],
		[
			'stage.id',
			'opportunity/stage_pipeline',
			spec.fieldMap.has('stage') && isObject(record.stage) ? record.stage.id : undefined,
		],
	];
	for (const [name, object, id] of refs) {
		if (id === undefined || id === null) continue;
		if (!tableOf(ctx.state, ctx.instance.id, object).byId.has(/** @type {number} */ (id))) {
			const singular = findObject(ctx.instance.element.key, object)?.singular ?? object;
			throw new HttpError(400, `${name}: no ${singular} found with id ${id}`);
		}
	}
}

const DUPLICATE_OPTIONS = ['Email', 'EmailAndName'];

/**
 * PUT /hubs/crm/contacts (Keap REST v1's create or update): `duplicate_option` Email finds the
 * oldest contact with one of the body's emails, EmailAndName also with the same given_name and
 * family_name; found, the body is merged in as by PATCH (200), else a contact is created (201).
 * @param {HubCtx} ctx @param {ObjectSpec} spec
 */
function upsertContact(ctx, spec) {
	const { duplicate_option: option, ...body } = requireJsonObject(ctx);
	if (typeof option !== 'string' || !DUPLICATE_OPTIONS.includes(option))
		throw new HttpError(400, `duplicate_option must be one of ${DUPLICATE_OPTIONS.join(', ')}`);
	const given = build(spec, body, 'create');
	const emails = /** @type {Array<{ email: string }>} */ (given.email_addresses).map((e) =>
		e.email.toLowerCase(),
	);
	if (emails.length === 0)
		throw new HttpError(400, `duplicate_option ${option} needs email_addresses`);
	if (option === 'EmailAndName' && (!given.given_name || !given.family_name))
		throw new HttpError(400, 'duplicate_option EmailAndName needs given_name and family_name');
	const same = (/** @type {HubRecord} */ record) =>
		/** @type {Array<{ email: string }>} */ (record.email_addresses).some((e) =>
			emails.includes(e.email.toLowerCase()),
		) &&
		(option === 'Email' ||
			(record.given_name === given.given_name && record.family_name === given.family_name));
	const found = [...tableFor(ctx, spec).byId.values()].find(same);
	if (!found)
		return jsonReply(201, insert(spec, tableFor(ctx, spec), given, new Date().toISOString()));
	return jsonReply(200, replace(ctx, spec, build(spec, body, 'patch', found)));
}

// Sending email (infusionsoftrest)

const SEND_FIELDS = [
	'contacts',
	'user_id',
	'subject',
	'html_content',
	'plain_content',
	'address_field',
	'attachments',
];

/**
 * POST /hubs/crm/emails/queue { contacts, user_id, subject, html_content / plain_content
 * (base64), address_field }: each contact gets the email at its address in that field (EMAIL1
 * when left out), recorded in its history; 202 with no body, as Keap answers a send.
 * @type {Handler<HubCtx>}
 */
function sendEmail(ctx) {
	const body = requireJsonObject(ctx);
	const unknown = Object.keys(body).find((key) => !SEND_FIELDS.includes(key));
	if (unknown !== undefined)
		throw new HttpError(400, `Unknown field '${unknown}': send ${SEND_FIELDS.join(', ')}`);
	const { contacts: ids, user_id: userId, subject, address_field: field = 'EMAIL1' } = body;
	if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => Number.isInteger(id) && id > 0))
		throw new HttpError(400, 'contacts must be a non-empty array of contact ids');
	if (!Number.isInteger(userId) || /** @type {number} */ (userId) < 1)
		throw new HttpError(400, 'user_id must be a user id (a positive integer)');
	if (typeof subject !== 'string' || subject.trim() === '')
		throw new HttpError(400, 'subject must be a non-empty string');
	if (body.html_content === undefined && body.plain_content === undefined)
		throw new HttpError(400, 'An email needs html_content or plain_content');
	if (!['EMAIL1', 'EMAIL2', 'EMAIL3'].includes(/** @type {string} */ (field)))
		throw new HttpError(400, 'address_field must be one of EMAIL1, EMAIL2, EMAIL3');
	if (
		body.attachments !== undefined &&
		!(Array.isArray(body.attachments) && body.attachments.length === 0)
	)
		throw new HttpError(400, 'attachments are not supported by the sandbox');
	const contacts = tableOf(ctx.state, ctx.instance.id, 'contacts');
	const addresses = ids.map((id) => {
		const contact = contacts.byId.get(id);
		if (!contact) throw new HttpError(400, `contacts: no contact found with id ${id}`);
		const entry = /** @type {{ email: string, field: string }[]} */ (contact.email_addresses).find(
			(e) => e.field === field,
		);
		if (!entry) throw new HttpError(400, `contacts: contact ${id} has no ${field} address`);
		return entry.email;
	});
	const emails = /** @type {ObjectSpec} */ (findObject('infusionsoftrest', 'emails'));
	const table = tableFor(ctx, emails);
	const now = new Date().toISOString();
	const built = ids.map((id, i) =>
		build(
			emails,
			{
				contact_id: id,
				subject,
				sent_to_address: addresses[i],
				sent_from_address: `owner.${ctx.instance.id}@example.com`,
				html_content: body.html_content ?? null,
				plain_content: body.plain_content ?? null,
				sent_date: now,
				original_provider: 'INFUSIONSOFT',
			},
			'create',
		),
	);
	for (const record of built) insert(emails, table, record, now);
	return { status: 202, headers: {}, body: '' };
}

/** The object's own references and derived fields (an order's products and total). @param {HubCtx} ctx @param {ObjectSpec} spec @param {HubRecord} record */
function onWrite(ctx, spec, record) {
	if (!spec.onWrite) return;
	try {
		spec.onWrite(record, (object) => tableOf(ctx.state, ctx.instance.id, object));
	} catch (error) {
		if (error instanceof ShapeError) throw new HttpError(400, error.message);
		throw error;
	}
}

// Tags of a contact (infusionsoftrest)

/**
 * When each tag was applied: contact id -> { [tag id]: ISO date }, kept beside the records (not
 * an object of the hub). A tag without a date (seeded on the contact) counts as applied when the
 * contact was created.
 * @param {HubCtx} ctx
 */
const appliedDates = (ctx) => tableOf(ctx.state, ctx.instance.id, '#contact tags applied').byId;

/**
 * GET /hubs/crm/contacts/{id}/tags: Keap's [{ tag: { id, name, category }, date_applied }], in
 * the order applied; paged like the lists (`pageSize`, `nextPage`), 404 when the contact has none.
 * @type {Handler<HubCtx>}
 */
function listContactTags(ctx, { id }) {
	const contacts = /** @type {ObjectSpec} */ (findObject('infusionsoftrest', 'contacts'));
	const contact = findRecord(ctx, contacts, id);
	const pageSize = readPageSize(firstValue(ctx.query.pageSize));
	const after = readPageToken(firstValue(ctx.query.nextPage), `contacts/${id}/tags`);
	const tags = tableOf(ctx.state, ctx.instance.id, 'tags').byId;
	const dates = appliedDates(ctx).get(Number(id)) ?? {};
	const tagIds = /** @type {number[]} */ (contact.tag_ids);
	const applied = tagIds.slice(after, after + pageSize).map((tagId) => {
		const tag = tags.get(tagId);
		return {
			tag: { id: tagId, name: tag?.name ?? null, category: tag?.category ?? null },
			date_applied: dates[tagId] ?? contact.date_created,
		};
	});
	if (applied.length === 0) throw new HttpError(404, `No tags found for contact ${id}`);
	/** @type {Record<string, string>} */
	const headers = {
		[TOTAL_COUNT_HEADER]: String(tagIds.length),
		[RETURNED_COUNT_HEADER]: String(applied.length),
	};
	if (applied.length === pageSize)
		headers[NEXT_PAGE_HEADER] = pageToken(`contacts/${id}/tags`, after + pageSize);
	return jsonReply(200, applied, headers);
}

/** POST /hubs/crm/contacts/{id}/tags { tagIds: [..] }: adds (a tag already there is a no-op). @type {Handler<HubCtx>} */
function addContactTags(ctx, { id }) {
	const contacts = /** @type {ObjectSpec} */ (findObject('infusionsoftrest', 'contacts'));
	const contact = findRecord(ctx, contacts, id);
	const body = requireJsonObject(ctx);
	const unknown = Object.keys(body).find((key) => key !== 'tagIds');
	if (unknown !== undefined)
		throw new HttpError(400, `Unknown field '${unknown}': send { tagIds: [..] }`);
	const { tagIds } = body;
	if (
		!Array.isArray(tagIds) ||
		tagIds.length === 0 ||
		!tagIds.every((t) => Number.isInteger(t) && t > 0)
	) {
		throw new HttpError(400, 'tagIds must be a non-empty array of tag ids');
	}
	const tags = tableOf(ctx.state, ctx.instance.id, 'tags');
	const missing = tagIds.find((t) => !tags.byId.has(t));
	if (missing !== undefined) throw new HttpError(400, `tagIds: no tag found with id ${missing}`);
	const current = /** @type {number[]} */ (contact.tag_ids);
	const added = tagIds.filter((t, i) => !current.includes(t) && tagIds.indexOf(t) === i);
	if (added.length === 0) return jsonReply(200, { tag_ids: current });
	const now = new Date().toISOString();
	const dates = appliedDates(ctx);
	dates.set(Number(id), {
		...dates.get(Number(id)),
		...Object.fromEntries(added.map((t) => [t, now])),
	});
	const stored = replace(ctx, contacts, { ...contact, tag_ids: [...current, ...added] });
	return jsonReply(200, { tag_ids: stored.tag_ids });
}

/** DELETE /hubs/crm/contacts/{id}/tags/{tagId}: removes (a tag not on the contact is a no-op). @type {Handler<HubCtx>} */
function removeContactTag(ctx, { id, tagId }) {
	const contacts = /** @type {ObjectSpec} */ (findObject('infusionsoftrest', 'contacts'));
	const contact = findRecord(ctx, contacts, id);
	if (!/^\d+$/.test(tagId))
		throw new HttpError(400, `Invalid tag id '${tagId}': expected a number`);
	if (!tableOf(ctx.state, ctx.instance.id, 'tags').byId.has(Number(tagId)))
		throw new HttpError(404, `No tag found with id ${tagId}`);
	const current = /** @type {number[]} */ (contact.tag_ids);
	if (!current.includes(Number(tagId))) return jsonReply(200, { tag_ids: current });
	const dates = appliedDates(ctx).get(Number(id));
	if (dates) delete dates[tagId];
	const stored = replace(ctx, contacts, {
		...contact,
		tag_ids: current.filter((t) => t !== Number(tagId)),
	});
	return jsonReply(200, { tag_ids: stored.tag_ids });
}

// Lists: CEQL, page size, page tokens

/** @param {string} message */
const badWhere = (message) => new HttpError(400, `Invalid where clause: ${message}`);

/**
 * The `where` clause as a predicate. Columns: the object's fields (dotted paths into nested
 * ones, in backticks), on infusionsoftrest the virtual `email`, `phone`, `company_name` (contacts)
 * and `since` / `until` (last_updated >= / <= the date; only `=` with an ISO date), and on a
 * lenient element (infusionsoftcrm) any field a stored record has. Unknown: 400 naming it.
 * @param {ObjectSpec} spec @param {Table} table @param {string | undefined} where
 * @returns {(record: HubRecord) => boolean}
 */
function whereFilter(spec, table, where) {
	if (where === undefined || where.trim() === '') return () => true;
	/** @type {import('./ceql').Node} */
	let tree;
	try {
		tree = ceql.parse(where);
	} catch (error) {
		if (error instanceof ceql.CeqlError) throw badWhere(error.message);
		throw error;
	}
	tree = ceql.mapLeaves(tree, (leaf) => {
		const searched = spec.searchColumns[leaf.column];
		if (searched !== undefined) {
			if (leaf.type !== 'cmp' || leaf.op !== '=' || typeof leaf.value !== 'string')
				throw badWhere(`${leaf.column} takes = and a quoted text, e.g. ${leaf.column}='deal'`);
			return { type: 'like', column: searched, pattern: `%${leaf.value}%` };
		}
		if (!spec.dateColumns || (leaf.column !== 'since' && leaf.column !== 'until')) return leaf;
		if (leaf.type !== 'cmp' || leaf.op !== '=' || ceql.parseIsoDate(leaf.value) === undefined) {
			throw badWhere(
				`${leaf.column} takes = and an ISO date, e.g. ${leaf.column}='2018-03-19T06:30:04.000Z'`,
			);
		}
		return {
			type: 'cmp',
			column: /** @type {string} */ (spec.sinceField ?? spec.updatedField),
			op: leaf.column === 'since' ? '>=' : '<=',
			value: leaf.value,
		};
	});
	/** @type {Map<string, (record: HubRecord) => unknown[]>} */
	const readers = new Map();
	for (const column of ceql.columnsOf(tree))
		if (!readers.has(column)) readers.set(column, columnReader(spec, table, column));
	return ceql.compile(tree, (record, column) =>
		/** @type {(record: HubRecord) => unknown[]} */ (readers.get(column))(record),
	);
}

/** @param {ObjectSpec} spec @param {Table} table @param {string} column @returns {(record: HubRecord) => unknown[]} */
function columnReader(spec, table, column) {
	const path = spec.virtualColumns[column] ?? column;
	const segments = path.split('.');
	const known =
		spec.paths.has(path) ||
		(!spec.strict &&
			(spec.fieldMap.has(segments[0]) ||
				[...table.byId.values()].some((record) => segments[0] in record)));
	if (!known) throw badWhere(`unknown column '${column}' for ${spec.name}`);
	return (record) => valuesAt(record, segments);
}

/**
 * The values at a path; lists on the way are walked into (any of their items). Missing and
 * null values are left out, so [] means NULL.
 * @param {HubRecord} record @param {string[]} segments @returns {unknown[]}
 */
function valuesAt(record, segments) {
	/** @type {unknown[]} */
	let current = [record];
	for (const segment of segments) {
		/** @type {unknown[]} */
		const next = [];
		for (const value of current) {
			if (!isObject(value)) continue;
			const child = value[segment];
			if (Array.isArray(child)) next.push(...child);
			else next.push(child);
		}
		current = next;
	}
	return current.filter((value) => value !== undefined && value !== null);
}

/** @param {string | undefined} value */
function readPageSize(value) {
	if (value === undefined || value === '') return DEFAULT_PAGE_SIZE;
	if (!/^\d+$/.test(value) || Number(value) < 1)
		throw new HttpError(400, `Invalid pageSize '${value}': expected a positive integer`);
	if (Number(value) > MAX_PAGE_SIZE)
		throw new HttpError(400, `Invalid pageSize '${value}': the maximum is ${MAX_PAGE_SIZE}`);
	return Number(value);
}

/** Opaque to clients: base64 JSON of the object and the last id of the page. @param {string} object @param {number} after */
function pageToken(object, after) {
	return Buffer.from(JSON.stringify({ object, after, v: 1 })).toString('base64');
}

/** @param {string | undefined} token @param {string} object @returns {number} the id the page starts after */
function readPageToken(token, object) {
	if (token === undefined || token === '') return 0;
	try {
		const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
		if (isObject(parsed) && parsed.object === object && Number.isInteger(parsed.after))
			return /** @type {number} */ (parsed.after);
	} catch {
		// fall through
	}
	throw new HttpError(400, `Invalid nextPage token '${token}'`);
}

module.exports = { answerHub, HUB_ROOT };

#!/usr/bin/env node
'use strict';
/**
 * The e2e suite for the CRM RESOURCES beyond contacts and tasks, per flavor (run by e2e/run.js
 * after hub.js; also alone: `node e2e/resources.js [n8n-2] [n8n-1]`, which builds and packs
 * first). Its own n8n user folder and stand-in:
 *
 * - the packed tarball installed as n8n installs a community package, the example credentials
 *   imported (pointed at this run's stand-in); a Keap REST and a legacy customer connected in the
 *   stand-in through its platform API; Keap users, products, pipeline stages, contact custom
 *   fields and a legacy contact seeded through its control API;
 * - `n8n execute` of one workflow per resource (Manual Trigger → our node, version 2, the Instance
 *   From List), its main operations in a chain: Company, Contact → Create or Update, Note (with a
 *   User), Email, File (a text file made in the workflow by Convert to File, uploaded, downloaded
 *   back and read by Extract From File), Product, Order (items of the seeded products), Tag
 *   (with Contact → Add Tags → Get Tags), Opportunity (Move to Stage), Record (contacts with custom
 *   fields; the legacy instance's contacts); every Keap-REST-only resource refused by name on the
 *   legacy instance before any hub call; outputs and the stand-in's records checked, and no
 *   instance token (nor account secret) in anything the CLI printed, while every hub call carried it;
 * - a server: the dropdowns as the editor loads them (POST /rest/dynamic-node-parameters/options
 *   with the node's loadOptionsMethod and the Instance chosen): users, products (legacy refused),
 *   stages, tags, Record's objects; Record's Fields through .../resource-mapper-fields, custom
 *   fields included.
 */
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const n8n = require('./lib/n8n');
const demo = require('./lib/demo');
const rest = require('./lib/rest');
const { exampleCredentials } = require('./lib/credentials');
const { connect, control, seed, stored, hubCalls, tokenOnlyInHeaders } = require('./lib/customers');
const { fromList, lineWorkflow, execute, out, one } = require('./lib/cliWorkflows');
const { installCheck, startServerCheck, serverLogCheck, closeSuite } = require('./lib/suiteSteps');
const { startSandbox } = require('../sandbox');

const once = { executeOnce: true };
const keepGoing = { executeOnce: true, onError: 'continueRegularOutput' };
const FILE_TEXT = 'Signed contract, page 1 of 1: Ada Lovelace ✓';

/* ------------------------------------------------------------------------------------------
 * One workflow per resource: [id, check title, steps(ctx), check(ctx, run, calls)]
 * IDs stay at most 16 characters (n8n 1.x saves static data only for those).
 * ---------------------------------------------------------------------------------------- */

const contactStep = (instance, name, email) => [
	'Create contact',
	{
		resource: 'contact',
		operation: 'create',
		instance,
		fields: { firstName: name.split(' ')[0], lastName: name.split(' ')[1], email },
	},
];
const firstId = (node) => `={{ $('${node}').first().json.id }}`;
/**
 * The resource mapper's schema for the fields a Record workflow maps, as getRecordFields gives it
 * (the server check compares): a custom field is `custom_fields.<id>`, its type n8n's.
 */
const recordSchema = (customFields) =>
	[
		{ id: 'given_name', displayName: 'given_name', type: 'string' },
		{ id: 'family_name', displayName: 'family_name', type: 'string' },
		...customFields.map((field) => ({
			id: `custom_fields.${field.id}`,
			displayName: `${field.label} (custom field)`,
			type: field.type === 'date' ? 'dateTime' : field.type,
		})),
	].map((field) => ({
		...field,
		required: false,
		defaultMatch: false,
		canBeUsedToMatch: false,
		display: true,
	}));
const subset = (record, keys) => Object.fromEntries(keys.map((k) => [k, record[k]]));

const RESOURCES = [
	{
		id: 'resCompany',
		title: 'Company: Create → Get → Update → Get Many (by name) → Delete',
		steps: ({ acme }) => {
			const instance = fromList(acme);
			return [
				[
					'Create company',
					{
						resource: 'company',
						operation: 'create',
						instance,
						companyName: 'Initech',
						additionalFields: {
							email: 'info@initech.example',
							city: 'Austin',
							countryCode: 'USA',
							website: 'https://initech.example',
						},
					},
				],
				[
					'Get company',
					{ resource: 'company', operation: 'get', instance, companyId: '={{ $json.id }}' },
				],
				[
					'Update company',
					{
						resource: 'company',
						operation: 'update',
						instance,
						companyId: '={{ $json.id }}',
						updateFields: { companyName: 'Initech Ltd', phone: '+1 512 555 0100' },
					},
				],
				[
					'Get Many companies',
					{
						resource: 'company',
						operation: 'getAll',
						instance,
						returnAll: true,
						filters: { companyName: 'Initech Ltd' },
					},
					once,
				],
				[
					'Delete company',
					{
						resource: 'company',
						operation: 'delete',
						instance,
						companyId: firstId('Create company'),
					},
					once,
				],
			];
		},
		check: async ({ sb, acme }, run) => {
			const created = one(run, 'Create company');
			assert.equal(typeof created.id, 'number');
			assert.equal(created.company_name, 'Initech');
			assert.equal(created.email_address, 'info@initech.example');
			assert.deepEqual(subset(created.address, ['locality', 'country_code']), {
				locality: 'Austin',
				country_code: 'USA',
			});
			assert.equal(one(run, 'Get company').id, created.id);
			const updated = one(run, 'Update company');
			assert.equal(updated.company_name, 'Initech Ltd');
			assert.equal(updated.phone_number?.number, '+1 512 555 0100');
			assert.deepEqual(
				out(run, 'Get Many companies').map((c) => c.id),
				[created.id],
			);
			assert.deepEqual(await stored(sb, acme, 'companies'), [], 'deleted in the stand-in');
			return `company ${created.id}: Initech → Initech Ltd, found by name, deleted`;
		},
	},
	{
		id: 'resUpsert',
		title: 'Contact → Create or Update: a new email creates, the same email again updates',
		steps: ({ acme }) => {
			const instance = fromList(acme);
			return [
				[
					'Create or Update (new)',
					{
						resource: 'contact',
						operation: 'upsert',
						instance,
						email: 'ada@upsert.example',
						fields: { firstName: 'Ada', lastName: 'Lovelace' },
					},
				],
				[
					'Create or Update (again)',
					{
						resource: 'contact',
						operation: 'upsert',
						instance,
						email: '={{ $json.email }}',
						matchBy: 'Email',
						fields: { phone: '+44 20 1234', companyName: 'Engines' },
					},
				],
			];
		},
		check: async ({ sb, acme }, run) => {
			const first = one(run, 'Create or Update (new)');
			const second = one(run, 'Create or Update (again)');
			assert.equal(typeof first.id, 'number');
			assert.equal(second.id, first.id, 'the same contact');
			assert.deepEqual(subset(second, ['firstName', 'lastName', 'email', 'phone', 'companyName']), {
				firstName: 'Ada',
				lastName: 'Lovelace',
				email: 'ada@upsert.example',
				phone: '+44 20 1234',
				companyName: 'Engines',
			});
			const mine = (await stored(sb, acme, 'contacts')).filter((c) =>
				c.email_addresses?.some((e) => e.email === 'ada@upsert.example'),
			);
			assert.equal(mine.length, 1, 'one contact with that email in the stand-in');
			return `contact ${first.id} created, then updated (phone, company)`;
		},
	},
	{
		id: 'resNote',
		title: 'Note: Create (with a User) → Get → Update → Get Many (by contact) → Delete',
		steps: ({ acme, users }) => {
			const instance = fromList(acme);
			return [
				contactStep(instance, 'Nora Notes', 'nora@notes.example'),
				[
					'Create note',
					{
						resource: 'note',
						operation: 'create',
						instance,
						contactId: '={{ $json.id }}',
						title: 'Called about the renewal',
						additionalFields: {
							body: 'Wants 10 seats',
							type: 'Call',
							userId: String(users[0].id),
						},
					},
				],
				['Get note', { resource: 'note', operation: 'get', instance, noteId: '={{ $json.id }}' }],
				[
					'Update note',
					{
						resource: 'note',
						operation: 'update',
						instance,
						noteId: '={{ $json.id }}',
						updateFields: { title: 'Renewal agreed', userId: String(users[1].id) },
					},
				],
				[
					'Get Many notes',
					{
						resource: 'note',
						operation: 'getAll',
						instance,
						returnAll: true,
						filters: { contactId: firstId('Create contact') },
					},
					once,
				],
				[
					'Delete note',
					{ resource: 'note', operation: 'delete', instance, noteId: firstId('Create note') },
					once,
				],
			];
		},
		check: async ({ sb, acme, users }, run) => {
			const contact = one(run, 'Create contact');
			const note = one(run, 'Create note');
			assert.deepEqual(subset(note, ['contact_id', 'title', 'body', 'type', 'user_id']), {
				contact_id: contact.id,
				title: 'Called about the renewal',
				body: 'Wants 10 seats',
				type: 'Call',
				user_id: users[0].id,
			});
			assert.equal(one(run, 'Get note').id, note.id);
			const updated = one(run, 'Update note');
			assert.deepEqual(subset(updated, ['id', 'title', 'body', 'user_id']), {
				id: note.id,
				title: 'Renewal agreed',
				body: 'Wants 10 seats',
				user_id: users[1].id,
			});
			assert.deepEqual(
				out(run, 'Get Many notes').map((n) => n.id),
				[note.id],
			);
			assert.deepEqual(await stored(sb, acme, 'notes'), [], 'deleted in the stand-in');
			return `note ${note.id} on contact ${contact.id}, user ${users[0].id} → ${users[1].id}, deleted`;
		},
	},
	{
		id: 'resEmail',
		title: 'Email: Send (through a Keap user) → Record (sent outside Keap) → Get Many (by contact)',
		steps: ({ acme, users }) => {
			const instance = fromList(acme);
			return [
				contactStep(instance, 'Grace Hopper', 'grace@mail.example'),
				[
					'Send email',
					{
						resource: 'email',
						operation: 'send',
						instance,
						contactIds: '={{ $json.id }}',
						userId: String(users[0].id),
						subject: 'Welcome aboard',
						htmlContent: '<p>Hello Grace</p>',
						plainContent: 'Hello Grace',
					},
				],
				[
					'Record email',
					{
						resource: 'email',
						operation: 'record',
						instance,
						contactId: firstId('Create contact'),
						sentTo: 'grace@mail.example',
						sentFrom: 'sales@acme.example',
						subject: 'Your quote',
						additionalFields: {
							plainContent: 'The quote you asked for',
							sentDate: '2026-12-01T10:00:00.000Z',
						},
					},
				],
				[
					'Get Many emails',
					{
						resource: 'email',
						operation: 'getAll',
						instance,
						returnAll: true,
						filters: { contactId: firstId('Create contact') },
					},
					once,
				],
			];
		},
		check: async ({ sb, acme, users }, run, from) => {
			const contact = one(run, 'Create contact');
			assert.deepEqual(one(run, 'Send email'), {
				sent: true,
				contacts: [contact.id],
				userId: users[0].id,
				subject: 'Welcome aboard',
				addressField: 'EMAIL1',
			});
			const recorded = one(run, 'Record email');
			assert.deepEqual(
				subset(recorded, ['contact_id', 'sent_to_address', 'sent_from_address', 'subject']),
				{
					contact_id: contact.id,
					sent_to_address: 'grace@mail.example',
					sent_from_address: 'sales@acme.example',
					subject: 'Your quote',
				},
			);
			const listed = out(run, 'Get Many emails');
			assert.deepEqual(listed.map((e) => e.subject).sort(), ['Welcome aboard', 'Your quote']);
			const send = hubCalls(sb, from).find((r) => r.path.endsWith('/emails/queue'));
			assert.equal(send.method, 'POST');
			assert.equal(send.body.user_id, users[0].id);
			assert.equal((await stored(sb, acme, 'emails')).length, 2);
			return `sent as user ${users[0].id} and recorded for contact ${contact.id}; Get Many: ${listed.length}`;
		},
	},
	{
		id: 'resFile',
		title:
			'File: a text file made in the workflow (Convert to File) → Upload → Download → its text read back (Extract From File) → Get Many → Delete',
		steps: ({ acme }) => {
			const instance = fromList(acme);
			return [
				contactStep(instance, 'Fiona Files', 'fiona@files.example'),
				{
					name: 'Contract text',
					type: 'n8n-nodes-base.set',
					typeVersion: 3.4,
					parameters: {
						assignments: {
							assignments: [{ id: 't1', name: 'text', value: FILE_TEXT, type: 'string' }],
						},
						options: {},
					},
				},
				{
					name: 'Convert to File',
					type: 'n8n-nodes-base.convertToFile',
					typeVersion: 1.1,
					parameters: {
						operation: 'toText',
						sourceProperty: 'text',
						binaryPropertyName: 'data',
						options: { fileName: 'contract.txt' },
					},
				},
				[
					'Upload file',
					{
						resource: 'file',
						operation: 'upload',
						instance,
						binaryPropertyName: 'data',
						association: 'contact',
						contactId: firstId('Create contact'),
					},
				],
				[
					'Download file',
					{
						resource: 'file',
						operation: 'download',
						instance,
						fileId: '={{ $json.id }}',
						binaryPropertyName: 'downloaded',
					},
				],
				{
					name: 'Read downloaded text',
					type: 'n8n-nodes-base.extractFromFile',
					typeVersion: 1.1,
					parameters: {
						operation: 'text',
						binaryPropertyName: 'downloaded',
						destinationKey: 'text',
						options: {},
					},
				},
				[
					'Get Many files',
					{
						resource: 'file',
						operation: 'getAll',
						instance,
						returnAll: true,
						filters: { contactId: firstId('Create contact') },
					},
					once,
				],
				[
					'Delete file',
					{ resource: 'file', operation: 'delete', instance, fileId: firstId('Upload file') },
					once,
				],
			];
		},
		check: async ({ sb, acme }, run, from) => {
			const contact = one(run, 'Create contact');
			const uploaded = one(run, 'Upload file');
			assert.equal(typeof uploaded.id, 'number');
			assert.equal(uploaded.file_name, 'contract.txt');
			assert.equal(uploaded.file_data, undefined, 'no content in the JSON');
			const upload = hubCalls(sb, from).find(
				(r) => r.method === 'POST' && r.path.endsWith('/files'),
			);
			assert.equal(Buffer.from(upload.body.file_data, 'base64').toString('utf8'), FILE_TEXT);
			assert.equal(upload.body.contact_id, contact.id);
			const [downloaded] = run.data.resultData.runData['Download file'][0].data.main[0];
			assert.equal(downloaded.json.id, uploaded.id);
			assert.equal(downloaded.binary.downloaded.fileName, 'contract.txt');
			assert.equal(one(run, 'Read downloaded text').text, FILE_TEXT, 'the same text came back');
			assert.deepEqual(
				out(run, 'Get Many files').map((f) => f.id),
				[uploaded.id],
			);
			assert.deepEqual(await stored(sb, acme, 'files'), [], 'deleted in the stand-in');
			return `file ${uploaded.id} (${Buffer.byteLength(FILE_TEXT)} bytes) uploaded to contact ${contact.id}, downloaded back byte for byte, deleted`;
		},
	},
	{
		id: 'resProduct',
		title: 'Product: Create → Get → Update → Get Many (active) → Delete',
		steps: ({ acme }) => {
			const instance = fromList(acme);
			return [
				[
					'Create product',
					{
						resource: 'product',
						operation: 'create',
						instance,
						name: 'Widget',
						additionalFields: { sku: 'WID-1', price: 19.99, shortDescription: 'A widget' },
					},
				],
				[
					'Get product',
					{ resource: 'product', operation: 'get', instance, productId: '={{ $json.id }}' },
				],
				[
					'Update product',
					{
						resource: 'product',
						operation: 'update',
						instance,
						productId: '={{ $json.id }}',
						updateFields: { name: 'Widget Pro', price: 24.5 },
					},
				],
				[
					'Get Many products',
					{
						resource: 'product',
						operation: 'getAll',
						instance,
						returnAll: true,
						filters: { active: true },
					},
					once,
				],
				[
					'Delete product',
					{
						resource: 'product',
						operation: 'delete',
						instance,
						productId: firstId('Create product'),
					},
					once,
				],
			];
		},
		check: async ({ sb, acme, products }, run) => {
			const created = one(run, 'Create product');
			assert.deepEqual(subset(created, ['product_name', 'sku', 'product_price', 'active']), {
				product_name: 'Widget',
				sku: 'WID-1',
				product_price: 19.99,
				active: true,
			});
			assert.equal(one(run, 'Get product').id, created.id);
			const updated = one(run, 'Update product');
			assert.deepEqual(subset(updated, ['id', 'product_name', 'sku', 'product_price']), {
				id: created.id,
				product_name: 'Widget Pro',
				sku: 'WID-1',
				product_price: 24.5,
			});
			assert.deepEqual(
				out(run, 'Get Many products')
					.map((p) => p.id)
					.sort((a, b) => a - b),
				[...products.map((p) => p.id), created.id].sort((a, b) => a - b),
			);
			const left = (await stored(sb, acme, 'products')).map((p) => p.id);
			assert.ok(!left.includes(created.id), 'deleted in the stand-in');
			return `product ${created.id}: Widget 19.99 → Widget Pro 24.5, listed with the ${products.length} seeded, deleted`;
		},
	},
	{
		id: 'resOrder',
		title: 'Order: Create with two items (seeded products) → Get → Get Many (by contact) → Delete',
		steps: ({ acme, products }) => {
			const instance = fromList(acme);
			return [
				contactStep(instance, 'Otto Orders', 'otto@orders.example'),
				[
					'Create order',
					{
						resource: 'order',
						operation: 'create',
						instance,
						contactId: '={{ $json.id }}',
						orderTitle: 'First order',
						orderType: 'Online',
						items: {
							item: [
								{ productId: String(products[0].id), quantity: 2 },
								{ productId: String(products[1].id), quantity: 1, price: '5' },
							],
						},
						additionalFields: { promoCodes: 'WELCOME' },
					},
				],
				[
					'Get order',
					{ resource: 'order', operation: 'get', instance, orderId: '={{ $json.id }}' },
				],
				[
					'Get Many orders',
					{
						resource: 'order',
						operation: 'getAll',
						instance,
						returnAll: true,
						filters: { contactId: firstId('Create contact') },
					},
					once,
				],
				[
					'Delete order',
					{ resource: 'order', operation: 'delete', instance, orderId: firstId('Create order') },
					once,
				],
			];
		},
		check: async ({ sb, acme, products }, run, from) => {
			const contact = one(run, 'Create contact');
			const order = one(run, 'Create order');
			assert.equal(typeof order.id, 'number');
			assert.equal(order.order_title, 'First order');
			assert.equal(order.total, 2 * products[0].product_price + 5, 'the items’ sum');
			const sent = hubCalls(sb, from).find(
				(r) => r.method === 'POST' && r.path.endsWith('/orders'),
			);
			assert.deepEqual(sent.body.order_items, [
				{ product_id: products[0].id, quantity: 2 },
				{ product_id: products[1].id, quantity: 1, price: 5 },
			]);
			assert.equal(sent.body.contact_id, contact.id);
			assert.deepEqual(sent.body.promo_codes, ['WELCOME']);
			assert.equal(one(run, 'Get order').id, order.id);
			assert.deepEqual(
				out(run, 'Get Many orders').map((o) => o.id),
				[order.id],
			);
			assert.deepEqual(await stored(sb, acme, 'orders'), [], 'deleted in the stand-in');
			return `order ${order.id} for contact ${contact.id}, total ${order.total}, deleted`;
		},
	},
	{
		id: 'resTag',
		title: 'Tag: Create → Get Many (by name); Contact → Add Tags (the new tag) → Get Tags',
		steps: ({ acme }) => {
			const instance = fromList(acme);
			return [
				[
					'Create tag',
					{
						resource: 'tag',
						operation: 'create',
						instance,
						name: 'Webinar 2026',
						additionalFields: { description: 'Came to the webinar' },
					},
				],
				[
					'Get Many tags',
					{
						resource: 'tag',
						operation: 'getAll',
						instance,
						returnAll: true,
						filters: { name: 'Webinar 2026' },
					},
					once,
				],
				contactStep(instance, 'Tina Tags', 'tina@tags.example'),
				[
					'Add tags',
					{
						resource: 'contact',
						operation: 'addTags',
						instance,
						contactId: '={{ $json.id }}',
						tagIds: "={{ [$('Create tag').first().json.id] }}",
					},
				],
				[
					'Get Tags',
					{
						resource: 'contact',
						operation: 'getTags',
						instance,
						contactId: firstId('Create contact'),
						returnAll: true,
					},
				],
			];
		},
		check: async ({ sb, acme }, run) => {
			const tag = one(run, 'Create tag');
			assert.equal(typeof tag.id, 'number');
			assert.equal(tag.name, 'Webinar 2026');
			assert.deepEqual(
				out(run, 'Get Many tags').map((t) => t.id),
				[tag.id],
			);
			const contact = one(run, 'Create contact');
			assert.deepEqual(one(run, 'Add tags').tag_ids, [tag.id]);
			const applied = out(run, 'Get Tags');
			assert.deepEqual(
				applied.map((t) => t.id ?? t.tag?.id),
				[tag.id],
				JSON.stringify(applied),
			);
			const stored_ = (await stored(sb, acme, 'contacts')).find((c) => c.id === contact.id);
			assert.deepEqual(stored_.tag_ids, [tag.id]);
			return `tag ${tag.id} made, found by name, applied to contact ${contact.id}, listed by Get Tags`;
		},
	},
	{
		id: 'resOpportunity',
		title:
			'Opportunity: Create (seeded stage, a user) → Get → Update → Move to Stage → Get Many (by stage) → Delete',
		steps: ({ acme, stages, users }) => {
			const instance = fromList(acme);
			return [
				contactStep(instance, 'Olive Opps', 'olive@opps.example'),
				[
					'Create opportunity',
					{
						resource: 'opportunity',
						operation: 'create',
						instance,
						title: 'Big deal',
						contactId: '={{ $json.id }}',
						stageId: String(stages[0].id),
						additionalFields: { projectedRevenueHigh: 5000, userId: String(users[0].id) },
					},
				],
				[
					'Get opportunity',
					{
						resource: 'opportunity',
						operation: 'get',
						instance,
						opportunityId: '={{ $json.id }}',
					},
				],
				[
					'Update opportunity',
					{
						resource: 'opportunity',
						operation: 'update',
						instance,
						opportunityId: '={{ $json.id }}',
						updateFields: { title: 'Bigger deal', notes: 'Budget confirmed' },
					},
				],
				[
					'Move to Stage',
					{
						resource: 'opportunity',
						operation: 'moveToStage',
						instance,
						opportunityId: '={{ $json.id }}',
						stageId: String(stages[1].id),
					},
				],
				[
					'Get Many opportunities',
					{
						resource: 'opportunity',
						operation: 'getAll',
						instance,
						returnAll: true,
						filters: { stageId: String(stages[1].id) },
					},
					once,
				],
				[
					'Delete opportunity',
					{
						resource: 'opportunity',
						operation: 'delete',
						instance,
						opportunityId: firstId('Create opportunity'),
					},
					once,
				],
			];
		},
		check: async ({ sb, acme, stages, users }, run) => {
			const contact = one(run, 'Create contact');
			const created = one(run, 'Create opportunity');
			assert.deepEqual(
				{
					title: created.opportunity_title,
					contact: created.contact?.id,
					stage: created.stage?.id,
					user: created.user?.id,
					high: created.projected_revenue_high,
				},
				{
					title: 'Big deal',
					contact: contact.id,
					stage: stages[0].id,
					user: users[0].id,
					high: 5000,
				},
			);
			assert.equal(one(run, 'Get opportunity').id, created.id);
			const updated = one(run, 'Update opportunity');
			assert.equal(updated.opportunity_title, 'Bigger deal');
			assert.equal(updated.opportunity_notes, 'Budget confirmed');
			assert.equal(one(run, 'Move to Stage').stage?.id, stages[1].id);
			assert.deepEqual(
				out(run, 'Get Many opportunities').map((o) => o.id),
				[created.id],
			);
			assert.deepEqual(await stored(sb, acme, 'opportunities'), [], 'deleted in the stand-in');
			return `opportunity ${created.id}: ${stages[0].name} → ${stages[1].name}, found by stage, deleted`;
		},
	},
	{
		id: 'resRecord',
		title:
			'Record (Any Object): contacts with two custom fields: Create → Get → Update (one custom field) → Get Many (a condition) → Delete; Get Many of the legacy instance’s contacts',
		steps: ({ acme, globex, customFields }) => {
			const instance = fromList(acme);
			const [size, level] = customFields;
			const columns = (value) => ({
				mappingMode: 'defineBelow',
				value,
				matchingColumns: [],
				schema: recordSchema(customFields).filter((field) => field.id in value),
			});
			return [
				[
					'Create record',
					{
						resource: 'record',
						operation: 'create',
						instance,
						object: 'contacts',
						columns: columns({
							given_name: 'Rita',
							family_name: 'Records',
							[`custom_fields.${size.id}`]: 42,
							[`custom_fields.${level.id}`]: 'Gold',
						}),
					},
				],
				[
					'Get record',
					{
						resource: 'record',
						operation: 'get',
						instance,
						object: 'contacts',
						recordId: '={{ $json.id }}',
					},
				],
				[
					'Update record',
					{
						resource: 'record',
						operation: 'update',
						instance,
						object: 'contacts',
						recordId: '={{ $json.id }}',
						columns: columns({ [`custom_fields.${size.id}`]: 43 }),
					},
				],
				[
					'Get Many records',
					{
						resource: 'record',
						operation: 'getAll',
						instance,
						object: 'contacts',
						returnAll: true,
						filters: {
							conditions: [{ field: 'family_name', operator: 'equals', value: 'Records' }],
						},
					},
					once,
				],
				[
					'Get Many legacy records',
					{
						resource: 'record',
						operation: 'getAll',
						instance: fromList(globex),
						object: 'contacts',
						returnAll: true,
						filters: {
							conditions: [{ field: 'LastName', operator: 'equals', value: 'Legacy' }],
						},
					},
					once,
				],
				[
					'Delete record',
					{
						resource: 'record',
						operation: 'delete',
						instance,
						object: 'contacts',
						recordId: firstId('Create record'),
					},
					once,
				],
			];
		},
		check: async ({ sb, acme, customFields, legacyContact }, run) => {
			const [size, level] = customFields;
			const custom = (record) =>
				Object.fromEntries((record.custom_fields ?? []).map((f) => [f.id, f.content]));
			const created = one(run, 'Create record');
			assert.equal(typeof created.id, 'number');
			assert.deepEqual(subset(created, ['given_name', 'family_name']), {
				given_name: 'Rita',
				family_name: 'Records',
			});
			assert.deepEqual(custom(created), { [size.id]: 42, [level.id]: 'Gold' });
			assert.deepEqual(custom(one(run, 'Get record')), { [size.id]: 42, [level.id]: 'Gold' });
			const updated = one(run, 'Update record');
			assert.deepEqual(
				custom(updated),
				{ [size.id]: 43, [level.id]: 'Gold' },
				'one custom field changed, the other kept',
			);
			assert.deepEqual(
				out(run, 'Get Many records').map((r) => r.id),
				[created.id],
			);
			assert.deepEqual(
				out(run, 'Get Many legacy records').map((r) => r.Id),
				[legacyContact.Id],
			);
			const left = (await stored(sb, acme, 'contacts')).map((c) => c.id);
			assert.ok(!left.includes(created.id), 'deleted in the stand-in');
			return `contact ${created.id} with ${size.label} 42 → 43 and ${level.label} Gold kept, found by family_name, deleted; legacy contact ${legacyContact.Id} found by LastName`;
		},
	},
];

/** Every new resource on the legacy instance: refused by name, before any hub call. */
const LEGACY = {
	id: 'resLegacy',
	// [node name, what its refusal names, parameters]
	refused: [
		['Company', /compan/i, { resource: 'company', operation: 'create', companyName: 'Globex' }],
		[
			'Create or Update',
			/create or update/i,
			{ resource: 'contact', operation: 'upsert', email: 'hank@globex.example' },
		],
		['Note', /note/i, { resource: 'note', operation: 'getAll', returnAll: true }],
		[
			'Email',
			/email/i,
			{
				resource: 'email',
				operation: 'send',
				contactIds: '1',
				userId: '1',
				subject: 'Hi',
				plainContent: 'Hi',
			},
		],
		['File', /file/i, { resource: 'file', operation: 'getAll', returnAll: true }],
		['Product', /product/i, { resource: 'product', operation: 'getAll', returnAll: true }],
		['Order', /order/i, { resource: 'order', operation: 'get', orderId: '1' }],
		['Tag', /tag/i, { resource: 'tag', operation: 'getAll', returnAll: true }],
		[
			'Get Tags',
			/tag/i,
			{ resource: 'contact', operation: 'getTags', contactId: '1', returnAll: true },
		],
		[
			'Opportunity',
			/opportunit/i,
			{ resource: 'opportunity', operation: 'get', opportunityId: '1' },
		],
	],
};

function legacyWorkflow(ceRef, globex) {
	return lineWorkflow(
		LEGACY.id,
		'Resources e2e: legacy refusals',
		ceRef,
		LEGACY.refused.map(([name, , parameters]) => [
			name,
			{ ...parameters, instance: fromList(globex) },
			keepGoing,
		]),
	);
}

/* ------------------------------------------------------------------------------------------
 * The suite
 * ---------------------------------------------------------------------------------------- */

/**
 * @param {string} flavor 'n8n-2' | 'n8n-1'
 * @param {{ tarball: string }} pkg  the packed package
 * @param {import('./lib/report').Report} report
 */
async function resourcesSuite(flavor, pkg, report) {
	const group = `${flavor} resources`;
	const check = (name, fn, opts) => report.check(group, name, fn, opts);
	const work = fs.mkdtempSync(path.join(os.tmpdir(), `e2e-resources-${flavor}-`));
	const folder = n8n.makeUserFolder(path.join(work, 'user'));
	const sb = await startSandbox({ port: 0 });
	const port = await n8n.getFreePort();
	const base = `http://127.0.0.1:${port}`;
	const credentials = exampleCredentials({ apiRoot: sb.apiRoot, n8nUrl: base });
	const ce = credentials.find((c) => c.type === 'cloudElementsApi');
	const ceRef = { id: ce.id, name: ce.name };
	const ctx = { sb };

	try {
		await installCheck(check, {
			flavor,
			folder,
			pkg,
			credentials,
			title:
				'install the packed tarball, import the example credentials (pointed at this stand-in)',
		});

		await check(
			'a Keap REST and a legacy customer connected in the stand-in, Keap users, products, pipeline stages, contact custom fields and a legacy contact seeded',
			async () => {
				ctx.acme = await connect(sb, 'infusionsoftrest', 'Acme', ['resources-e2e']);
				ctx.globex = await connect(sb, 'infusionsoftcrm', 'Globex', ['resources-e2e']);
				ctx.users = await seed(sb, ctx.acme, 'users', [
					{ given_name: 'Sam', family_name: 'Sales', email_address: 'sam@acme.example' },
					{ given_name: 'Olga', family_name: 'Owner', email_address: 'olga@acme.example' },
				]);
				ctx.products = await seed(sb, ctx.acme, 'products', [
					{ product_name: 'Gadget', sku: 'GAD-1', product_price: 10 },
					{ product_name: 'Gizmo', product_price: 7.5 },
				]);
				ctx.customFields = (
					await control(sb, `/instances/${ctx.acme.id}/customFields/contacts`, [
						{ label: 'Shoe size', type: 'number' },
						{ label: 'Membership', type: 'string' },
					])
				).fields;
				[ctx.legacyContact] = await seed(sb, ctx.globex, 'contacts', [
					{ FirstName: 'Lee', LastName: 'Legacy', Email: 'lee@globex.example' },
				]);
				ctx.stages = await seed(sb, ctx.acme, 'opportunity/stage_pipeline', [
					{ name: 'Qualified' },
					{ name: 'Won' },
				]);
				return `Acme #${ctx.acme.id} (Keap REST), Globex #${ctx.globex.id} (legacy), users ${ctx.users.map((u) => u.id).join(', ')}, products ${ctx.products.map((p) => p.id).join(', ')}, stages ${ctx.stages.map((st) => st.id).join(', ')}, contact custom fields ${ctx.customFields.map((f) => `${f.id} ${f.label}`).join(', ')}`;
			},
			{ fatal: true },
		);

		await check(
			'import:workflow: one workflow per resource and the legacy refusals',
			async () => {
				const list = [
					...RESOURCES.map((r) =>
						lineWorkflow(r.id, `Resources e2e: ${r.title}`, ceRef, r.steps(ctx)),
					),
					legacyWorkflow(ceRef, ctx.globex),
				];
				const file = path.join(work, 'workflows.json');
				fs.writeFileSync(file, JSON.stringify(list, null, 2));
				await n8n.importWorkflow(flavor, folder, file);
				return list.map((w) => w.id).join(', ');
			},
			{ fatal: true },
		);

		for (const resource of RESOURCES)
			await check(resource.title, async () => {
				const from = sb.requests.length;
				const { run, printed } = await execute(flavor, folder, resource.id);
				const said = await resource.check(ctx, run, from);
				const calls = tokenOnlyInHeaders(sb, from, printed, [ctx.acme, ctx.globex]);
				return `${said}; ${calls} hub calls, no token printed`;
			});

		const refusedNames = LEGACY.refused.map(([name]) => name).join(', ');
		await check(`legacy instance: ${refusedNames} refused by name, no hub call`, async () => {
			const from = sb.requests.length;
			const { run, printed } = await execute(flavor, folder, LEGACY.id);
			for (const [name, named] of LEGACY.refused) {
				const { error } = one(run, name);
				assert.match(
					String(error),
					new RegExp(`Keap REST instances only; instance ${ctx.globex.id} is Infusionsoft`),
					`${name}: refused for its element`,
				);
				assert.match(String(error), named, `${name}: the refusal names what was refused`);
			}
			assert.deepEqual(hubCalls(sb, from), [], 'no hub call');
			assert.ok(!printed.includes(ctx.globex.token), 'no token printed');
			return one(run, 'Company').error;
		});

		await startServerCheck(check, flavor, folder, port, ctx);
		const headers = ctx.session.headers;

		/** POST /rest/dynamic-node-parameters/<kind> as the editor sends it, the Instance chosen. */
		const dynamic = (kind, { path: at, methodName, parameters, instance = ctx.acme, ...extra }) =>
			rest.rest(base, `/dynamic-node-parameters/${kind}`, {
				method: 'POST',
				headers,
				allowFailure: true,
				body: {
					nodeTypeAndVersion: { name: demo.NODE_TYPE, version: 2 },
					path: at,
					methodName,
					currentNodeParameters: {
						...parameters,
						instance: { __rl: true, mode: 'list', value: String(instance.id) },
					},
					credentials: { cloudElementsApi: ceRef },
					...extra,
				},
			});

		/** A dropdown's options as the editor loads them: { status, data, json }. */
		const options = (methodName, at, parameters, instance) =>
			dynamic('options', { path: at, methodName, parameters, instance });
		/** The dropdown refuses the legacy instance by name, its token nowhere in the answer. */
		const refusedOnLegacy = async (methodName, at, parameters, what) => {
			const res = await options(methodName, at, parameters, ctx.globex);
			assert.notEqual(res.status, 200, `${methodName} on a legacy instance is refused`);
			const said = JSON.stringify(res.json);
			assert.match(
				said,
				new RegExp(`Keap REST instances only; instance ${ctx.globex.id} is Infusionsoft`),
			);
			assert.match(said, what, 'the refusal names what was refused');
			assert.ok(!said.includes(ctx.globex.token), 'no token in the answer');
			return `legacy: ${res.status}`;
		};

		await check(
			'the User dropdown of a note as the editor loads it (POST /rest/dynamic-node-parameters/options, getUsers): the Keap users of the chosen instance',
			async () => {
				const from = sb.requests.length;
				const res = await options(
					'getUsers',
					'parameters.additionalFields.userId',
					{
						resource: 'note',
						operation: 'create',
						contactId: '',
						title: '',
						additionalFields: { userId: '' },
					},
					ctx.acme,
				);
				assert.equal(res.status, 200, JSON.stringify(res.json));
				assert.deepEqual(res.data, [
					{ name: 'Olga Owner (olga@acme.example)', value: String(ctx.users[1].id) },
					{ name: 'Sam Sales (sam@acme.example)', value: String(ctx.users[0].id) },
				]);
				const calls = hubCalls(sb, from);
				assert.deepEqual(
					calls.map((r) => `${r.method} ${r.path}`),
					['GET /elements/api-v2/hubs/crm/users'],
				);
				tokenOnlyInHeaders(sb, from, JSON.stringify(res.json), [ctx.acme]);
				return res.data.map((o) => o.name).join(', ');
			},
		);

		await check(
			'the Product dropdown of an order item (getProducts): the products of the chosen instance; a legacy instance refused by name',
			async () => {
				const at = 'parameters.items.item[0].productId';
				const parameters = {
					resource: 'order',
					operation: 'create',
					contactId: '',
					orderTitle: '',
					orderType: 'Online',
					items: { item: [{ productId: '', quantity: 1 }] },
					additionalFields: {},
				};
				const res = await options('getProducts', at, parameters, ctx.acme);
				assert.equal(res.status, 200, JSON.stringify(res.json));
				const [gadget, gizmo] = ctx.products;
				assert.deepEqual(res.data, [
					{ name: `Gadget · GAD-1 (#${gadget.id})`, value: String(gadget.id) },
					{ name: `Gizmo (#${gizmo.id})`, value: String(gizmo.id) },
				]);
				const legacy = await refusedOnLegacy('getProducts', at, parameters, /product/i);
				return `${res.data.map((o) => o.name).join(', ')}; ${legacy}`;
			},
		);

		await check(
			'the Stage dropdown of an opportunity (getStages) and the tag picker of Add Tags (getTags): the chosen instance’s pipeline and tags',
			async () => {
				const from = sb.requests.length;
				const stages = await options(
					'getStages',
					'parameters.stageId',
					{
						resource: 'opportunity',
						operation: 'create',
						title: '',
						contactId: '',
						stageId: '',
						additionalFields: {},
					},
					ctx.acme,
				);
				assert.equal(stages.status, 200, JSON.stringify(stages.json));
				assert.deepEqual(
					stages.data,
					ctx.stages
						.map((st) => ({ name: st.name, value: String(st.id) }))
						.sort((a, b) => a.name.localeCompare(b.name)),
				);
				const tags = await options(
					'getTags',
					'parameters.tagIds',
					{ resource: 'contact', operation: 'addTags', contactId: '', tagIds: [] },
					ctx.acme,
				);
				assert.equal(tags.status, 200, JSON.stringify(tags.json));
				const kept = (await stored(sb, ctx.acme, 'tags')).map((t) => ({
					name: t.name,
					value: String(t.id),
				}));
				assert.deepEqual(
					tags.data,
					kept.sort((a, b) => a.name.localeCompare(b.name)),
				);
				assert.ok(
					tags.data.some((t) => t.name === 'Webinar 2026'),
					'the tag the workflow made',
				);
				tokenOnlyInHeaders(sb, from, JSON.stringify([stages.json, tags.json]), [ctx.acme]);
				return `stages: ${stages.data.map((o) => o.name).join(', ')}; tags: ${tags.data.map((o) => o.name).join(', ')}`;
			},
		);

		await check(
			'Record: the Object dropdown (getRecordObjects) of both elements, and the Fields resource mapper (POST /rest/dynamic-node-parameters/resource-mapper-fields, getRecordFields) of contacts with the custom fields',
			async () => {
				const from = sb.requests.length;
				const record = (operation) => ({
					resource: 'record',
					operation,
					object: 'contacts',
					...(operation === 'update' && { recordId: '' }),
					columns: { mappingMode: 'defineBelow', value: null },
				});
				const objects = await options(
					'getRecordObjects',
					'parameters.object',
					record('create'),
					ctx.acme,
				);
				assert.equal(objects.status, 200, JSON.stringify(objects.json));
				const names = objects.data.map((o) => o.value);
				for (const name of [
					'contacts',
					'companies',
					'notes',
					'products',
					'orders',
					'opportunities',
				])
					assert.ok(names.includes(name), `${name} is an Object of Keap REST`);
				assert.ok(
					names.every((name) => /^[A-Za-z0-9_]+$/.test(name)),
					'only plain names (opportunity/stage_pipeline left out)',
				);
				const legacy = await options(
					'getRecordObjects',
					'parameters.object',
					record('create'),
					ctx.globex,
				);
				assert.deepEqual(legacy.data, [{ name: 'contacts', value: 'contacts' }]);

				const mapper = async (operation) => {
					const res = await dynamic('resource-mapper-fields', {
						path: 'parameters.columns',
						methodName: 'getRecordFields',
						parameters: record(operation),
					});
					assert.equal(res.status, 200, JSON.stringify(res.json));
					return res.data.fields;
				};
				const creating = await mapper('create');
				const custom = creating.filter((f) => f.id.startsWith('custom_fields.'));
				assert.deepEqual(
					custom,
					recordSchema(ctx.customFields).filter((f) => f.id.startsWith('custom_fields.')),
					'the custom fields, as the Record workflow mapped them',
				);
				for (const field of recordSchema([]))
					assert.deepEqual(
						subset(
							creating.find((f) => f.id === field.id),
							['id', 'type'],
						),
						{ id: field.id, type: field.type },
					);
				assert.ok(!creating.some((f) => f.id === 'id'), 'read-only fields are not offered');
				const updating = await mapper('update');
				assert.ok(
					updating.every((f) => !f.required),
					'nothing required on Update',
				);
				assert.deepEqual(
					updating.map((f) => f.id),
					creating.map((f) => f.id),
				);
				tokenOnlyInHeaders(sb, from, JSON.stringify([objects.json, legacy.json, creating]), [
					ctx.acme,
					ctx.globex,
				]);
				return `objects: ${names.join(', ')} (legacy: contacts); fields: ${creating.length}, custom: ${custom.map((f) => `${f.displayName} ${f.type}`).join(', ')}`;
			},
		);

		await serverLogCheck(check, ctx.server);
	} catch (error) {
		if (!error.reported) throw error;
	} finally {
		await closeSuite({ flavor, server: ctx.server, sb, work, report, group });
	}
}

module.exports = { resourcesSuite };

/** Alone: node e2e/resources.js [n8n-2] [n8n-1] (builds and packs first; the runtimes must be installed). */
if (require.main === module) require('./lib/standalone').runStandalone('resources', resourcesSuite);

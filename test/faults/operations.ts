/**
 * Every operation of the node, as the fault suite drives it: parameters (fed from the items
 * by expressions, as a workflow would), how to prepare the stand-in for N items, which calls a
 * fault can hit, and what a correct result for item i is.
 */
import { expect } from '@jest/globals';
import type { IDataObject } from 'n8n-workflow';

import { mintState } from '../../lib/security/state';
import type { Sandbox } from '../../sandbox';
import { issueCode, seedInstance, SENTINEL } from './support';

export interface Prepared {
	items: IDataObject[];
	/** Per-item secrets the node is handed (authorization codes). */
	secrets: string[];
	/**
	 * Asserts that `rows` (the output of item i) is the correct result. `state`: also check
	 * the stand-in's instances (false when a fault answered in the platform's place).
	 */
	check(rows: IDataObject[], i: number, state: boolean): void;
	/** Instance tokens the run uses: never to be seen anywhere either. */
	tokens?: string[];
}

export interface Target {
	label: string;
	method: string;
	path: string | RegExp;
	/** A hub call: it carries the instance token (an echoing fault repeats it). */
	carriesToken?: boolean;
	/**
	 * Sent once (`sendOnce`): it creates something or spends a code, so after a lost answer it is
	 * looked up or reported as unknown, never sent again blindly. Every other call is safe to repeat.
	 */
	sentOnce?: boolean;
}

/** An operation that outputs a list (none, one or many rows per item): a 404 of its list call is an empty list. */
export const returnsList = (op: { name: string }) =>
	op.name.endsWith('/getAll') || op.name === 'contact/getTags';

export interface OperationSpec {
	name: string;
	/** Reads the Infusionsoft app credential (client secret, Encrypted Key); other operations never see them. */
	usesApp: boolean;
	parameters: IDataObject;
	/** The calls the operation makes, in order; faults are aimed at each in turn. */
	targets: Target[];
	prepare(sb: Sandbox, n: number, run: string): Promise<Prepared>;
	/** Item JSON that must be rejected before any request, and the field the error must name (any case). */
	badInputs: Array<{ label: string; item: IDataObject; names: string }>;
}

/** A state as Get OAuth URL signs it for the sentinel app. */
export function signedState(
	context: string,
	{ clientSecret = SENTINEL.clientSecret, now = Date.now() } = {},
): string {
	return mintState({ clientId: SENTINEL.clientId, clientSecret, context, now }).state;
}

const LIST = /^\/instances$/;
const ONE = /^\/instances\/\d+$/;
const ENABLED = /^\/instances\/\d+\/enabled$/;

const one = (rows: IDataObject[]) => {
	expect(rows).toHaveLength(1);
	return rows[0];
};

/** Instance names are made unique per run, so that concurrent tests never meet. */
async function seedMany(
	sb: Sandbox,
	n: number,
	prefix: string,
	tags?: string[],
	element?: 'infusionsoftcrm' | 'infusionsoftrest',
) {
	const ids: number[] = [];
	for (let i = 0; i < n; i++) ids.push(await seedInstance(sb, `${prefix} ${i}`, tags, element));
	return ids;
}

const instanceIdInputs = [
	{ label: 'an empty Instance ID', item: { id: '' }, names: 'Instance ID' },
	{ label: 'a path as Instance ID', item: { id: '12/../../elements' }, names: 'Instance ID' },
	{ label: 'a list as Instance ID', item: { id: [12345] }, names: 'Instance ID' },
	{ label: 'a negative Instance ID', item: { id: -5 }, names: 'Instance ID' },
];

const INSTANCE = /^\/instances\/\d+$/;
const lookup: Target = {
	label: 'GET /instances/{id} (the instance and its token)',
	method: 'GET',
	path: INSTANCE,
};
const hubTarget = (
	method: string,
	label: string,
	path: RegExp,
	{ sentOnce = false } = {},
): Target => ({
	label: `${method} ${label}`,
	method,
	path,
	carriesToken: true,
	...(sentOnce ? { sentOnce } : {}),
});
const CONTACTS = /^\/hubs\/crm\/contacts$/;
const CONTACT = /^\/hubs\/crm\/contacts\/\d+$/;
const TASKS = /^\/hubs\/crm\/tasks$/;
const TASK = /^\/hubs\/crm\/tasks\/\d+$/;
const EMAILS = /^\/hubs\/crm\/emails$/;
const FILES = /^\/hubs\/crm\/files$/;
const FILE = /^\/hubs\/crm\/files\/\d+$/;
const COMPANIES = /^\/hubs\/crm\/companies$/;
const COMPANY = /^\/hubs\/crm\/companies\/\d+$/;
const NOTES = /^\/hubs\/crm\/notes$/;
const NOTE = /^\/hubs\/crm\/notes\/\d+$/;

/** One Keap REST instance per item (so a fault on one look-up hits one item), with records. */
async function connectedCustomers(
	sb: Sandbox,
	n: number,
	run: string,
	seed?: (instanceId: number, i: number) => IDataObject[],
) {
	const customers: Array<{ instanceId: number; token: string; records: IDataObject[] }> = [];
	for (let i = 0; i < n; i++) {
		const instanceId = await seedInstance(sb, `${run} customer ${i}`, ['hub'], 'infusionsoftrest');
		const records = seed ? (seed(instanceId, i) as IDataObject[]) : [];
		customers.push({ instanceId, token: sb.instances.get(instanceId)!.token, records });
	}
	sb.requests.length = 0;
	return customers;
}

const seedContact = (sb: Sandbox, run: string) => (instanceId: number, i: number) =>
	sb.seedRecords(instanceId, 'contacts', [
		{
			given_name: `${run}-${i}`,
			email_addresses: [{ email: `${run}-${i}@example.com`, field: 'EMAIL1' }],
		},
	]) as unknown as IDataObject[];

const byIdLocator = { __rl: true, mode: 'id', value: '={{ $json.instanceId }}' };

/** An ID or path that a URL parser resolves out of /hubs/crm: `%2e%2e%2f` is `../` to it. */
const CLIMB = '%2e%2e%2f%2e%2e%2f%2e%2e%2finstances';

/**
 * Every hub operation that puts an item's value into its path is fed one that would climb out of
 * /hubs/crm (to the account's /instances, with the instance token): refused by the field's name
 * before anything is sent. The hub client's own check (test/lib/platform/hubPath.test.ts)
 * stands behind every field reader.
 */
function climbingOut(parameters: IDataObject): OperationSpec['badInputs'] {
	const refs = JSON.stringify(parameters);
	const field =
		parameters.resource === 'customApiCall'
			? 'Path'
			: refs.includes('$json.contactId')
				? 'Contact ID'
				: refs.includes('$json.taskId')
					? 'Task ID'
					: refs.includes('$json.companyId')
						? 'Company ID'
						: refs.includes('$json.noteId')
							? 'Note ID'
							: refs.includes('$json.opportunityId')
								? 'Opportunity ID'
								: refs.includes('$json.recordId')
									? 'Record ID'
									: undefined;
	if (!field) return [];
	const valid = { tagId: 1, lastName: 'x' };
	return [
		{
			label: `a ${field} that climbs out of /hubs/crm`,
			item: {
				...valid,
				contactId: CLIMB,
				taskId: CLIMB,
				companyId: CLIMB,
				noteId: CLIMB,
				opportunityId: CLIMB,
				recordId: CLIMB,
			},
			names: field,
		},
	];
}

function hubOperation(
	name: string,
	parameters: IDataObject,
	targets: Target[],
	seed:
		| ((sb: Sandbox, run: string) => (instanceId: number, i: number) => IDataObject[])
		| undefined,
	item: (
		customer: { instanceId: number; records: IDataObject[] },
		i: number,
		run: string,
	) => IDataObject,
	check: (
		sb: Sandbox,
		customer: { instanceId: number; records: IDataObject[] },
		row: IDataObject[],
		i: number,
		state: boolean,
		run: string,
	) => void,
	badInputs: OperationSpec['badInputs'] = [],
): OperationSpec {
	return {
		name,
		usesApp: false,
		parameters: { instance: byIdLocator, ...parameters },
		targets: [lookup, ...targets],
		prepare: async (sb, n, run) => {
			const customers = await connectedCustomers(sb, n, run, seed?.(sb, run));
			return {
				items: customers.map((customer, i) => ({
					instanceId: customer.instanceId,
					...item(customer, i, run),
				})),
				secrets: [],
				tokens: customers.map((customer) => customer.token),
				check: (rows, i, state) => check(sb, customers[i], rows, i, state, run),
			};
		},
		badInputs: [
			...climbingOut(parameters),
			{
				label: 'an Instance ID that is a path',
				// Every other field valid, so that the Instance is what is refused.
				item: {
					instanceId: '12/../../elements',
					contactId: 1,
					taskId: 1,
					recordId: 1,
					companyId: 1,
					noteId: 1,
					companyName: 'c',
					city: 'c',
					type: 'Other',
					tagId: 1,
					title: 't',
					email: 'a@example.com',
					lastName: 'x',
					name: 'n',
					opportunityId: 1,
					stageId: 1,
					productId: 1,
					orderId: 1,
					quantity: 1,
					fileId: 1,
					$binary: { data: { base64: 'AA==', fileName: 'x.bin' } },
				},
				names: 'Instance',
			},
			...badInputs,
		],
	};
}

const recordId = (customer: { records: IDataObject[] }) => customer.records[0].id as number;

/** Record (Any Object) on contacts: the Fields as the editor saves them (its schema and values). */
const recordColumns = (value: IDataObject) => ({
	mappingMode: 'defineBelow',
	value,
	matchingColumns: [],
	schema: ['given_name', 'family_name', 'email_addresses'].map((id) => ({
		id,
		displayName: id,
		type: id === 'email_addresses' ? 'array' : 'string',
		required: false,
		defaultMatch: false,
		display: true,
	})),
	attemptToConvertTypes: false,
	convertFieldsToString: false,
});
const RECORD = { resource: 'record', object: '={{ $json.object || "contacts" }}' };
const recordObjectInput = {
	label: 'an Object that is a path',
	item: { object: 'contacts/../../instances', recordId: 1, email: 'a@example.com', name: 'x' },
	names: 'Object',
};
const METADATA = /^\/hubs\/crm\/objects\/contacts\/metadata$/;

const RECORD_OPERATIONS: OperationSpec[] = [
	hubOperation(
		'record/create',
		{
			...RECORD,
			operation: 'create',
			columns: recordColumns({
				given_name: 'Fault',
				email_addresses: '={{ [{ email: $json.email }] }}',
			}),
		},
		[hubTarget('POST', '/hubs/crm/contacts', CONTACTS, { sentOnce: true })],
		undefined,
		(_c, i, run) => ({ email: `${run}-record-${i}@example.com` }),
		(sb, customer, rows, i, state, run) => {
			expect(one(rows)).toMatchObject({
				given_name: 'Fault',
				email_addresses: [{ email: `${run}-record-${i}@example.com`, field: 'EMAIL1' }],
			});
			if (state) expect(sb.records(customer.instanceId, 'contacts')).toHaveLength(1);
		},
		[recordObjectInput],
	),
	hubOperation(
		'record/get',
		{ ...RECORD, operation: 'get', recordId: '={{ $json.recordId }}' },
		[hubTarget('GET', '/hubs/crm/contacts/{id}', CONTACT)],
		seedContact,
		(customer) => ({ recordId: recordId(customer) }),
		(_sb, customer, rows) => expect(one(rows)).toMatchObject({ id: recordId(customer) }),
		[
			{ label: 'a Record ID of words', item: { recordId: 'abc' }, names: 'Record ID' },
			recordObjectInput,
		],
	),
	hubOperation(
		'record/getAll',
		{
			...RECORD,
			operation: 'getAll',
			returnAll: true,
			filters: {
				conditions: [{ field: 'given_name', operator: 'equals', value: '={{ $json.name }}' }],
			},
		},
		[
			hubTarget('GET', '/hubs/crm/objects/contacts/metadata', METADATA),
			hubTarget('GET', '/hubs/crm/contacts', CONTACTS),
		],
		seedContact,
		(customer) => ({ name: customer.records[0].given_name as string }),
		(_sb, customer, rows) => expect(rows.map((r) => r.id)).toEqual([recordId(customer)]),
		[recordObjectInput],
	),
	hubOperation(
		'record/update',
		{
			...RECORD,
			operation: 'update',
			recordId: '={{ $json.recordId }}',
			columns: recordColumns({ family_name: '={{ $json.lastName }}' }),
		},
		[hubTarget('PATCH', '/hubs/crm/contacts/{id}', CONTACT)],
		seedContact,
		(customer, i, run) => ({ recordId: recordId(customer), lastName: `${run}-record-${i}` }),
		(sb, customer, rows, i, state, run) => {
			expect(one(rows)).toMatchObject({
				id: recordId(customer),
				family_name: `${run}-record-${i}`,
			});
			if (state)
				expect(sb.records(customer.instanceId, 'contacts')[0]).toMatchObject({
					family_name: `${run}-record-${i}`,
				});
		},
		[
			{
				label: 'a Record ID that is a list',
				item: { recordId: [1], lastName: 'x' },
				names: 'Record ID',
			},
		],
	),
	hubOperation(
		'record/delete',
		{ ...RECORD, operation: 'delete', recordId: '={{ $json.recordId }}' },
		[hubTarget('DELETE', '/hubs/crm/contacts/{id}', CONTACT)],
		seedContact,
		(customer) => ({ recordId: recordId(customer) }),
		(sb, customer, rows, _i, state) => {
			expect(one(rows)).toMatchObject({ id: recordId(customer), deleted: true });
			if (state) expect(sb.records(customer.instanceId, 'contacts')).toEqual([]);
		},
		[recordObjectInput],
	),
];

const PRODUCTS = /^\/hubs\/crm\/products$/;
const PRODUCT = /^\/hubs\/crm\/products\/\d+$/;
const ORDERS = /^\/hubs\/crm\/orders$/;
const ORDER = /^\/hubs\/crm\/orders\/\d+$/;

const seedProduct = (sb: Sandbox, run: string) => (instanceId: number, i: number) =>
	sb.seedRecords(instanceId, 'products', [
		{ product_name: `${run} product ${i}`, product_price: 10, sku: `${run}-${i}` },
	]) as unknown as IDataObject[];

/** A contact and a product (10.00) per customer, and with `order` an order of 2 of it. */
const seedShop =
	(order: boolean) =>
	(sb: Sandbox, run: string) =>
	(instanceId: number, i: number): IDataObject[] => {
		sb.seedRecords(instanceId, 'contacts', [{ given_name: `${run}-${i}` }]);
		const products = seedProduct(sb, run)(instanceId, i);
		if (!order) return products;
		return sb.seedRecords(instanceId, 'orders', [
			{
				contact_id: 1,
				order_title: `${run} order ${i}`,
				order_type: 'Online',
				order_date: '2026-11-02T10:00:00.000Z',
				order_items: [{ product_id: 1, quantity: 2, price: 10 }],
				total: 20,
			},
		]) as unknown as IDataObject[];
	};

const climbing = (field: string, key: string) => ({
	label: `a ${field} that climbs out of /hubs/crm`,
	item: { [key]: CLIMB },
	names: field,
});

/** Product and E-commerce Order (Keap REST). */
function productAndOrderOperations(): OperationSpec[] {
	return [
		hubOperation(
			'product/create',
			{
				resource: 'product',
				operation: 'create',
				name: '={{ $json.title }}',
				additionalFields: { sku: '={{ $json.sku }}', price: 12.5 },
			},
			[hubTarget('POST', '/hubs/crm/products', PRODUCTS, { sentOnce: true })],
			undefined,
			(_c, i, run) => ({ title: `${run} product ${i}`, sku: `${run}-new-${i}` }),
			(sb, customer, rows, i, state, run) => {
				expect(one(rows)).toMatchObject({
					product_name: `${run} product ${i}`,
					sku: `${run}-new-${i}`,
					product_price: 12.5,
				});
				if (state) expect(sb.records(customer.instanceId, 'products')).toHaveLength(1);
			},
			[
				{ label: 'an empty Name', item: { title: ' ' }, names: 'Name' },
				{ label: 'a SKU that is an object', item: { title: 'x', sku: { a: 1 } }, names: 'SKU' },
			],
		),
		...(['get', 'update', 'delete'] as const).map((operation) =>
			hubOperation(
				`product/${operation}`,
				{
					resource: 'product',
					operation,
					productId: '={{ $json.productId }}',
					...(operation === 'update' ? { updateFields: { price: 15, active: false } } : {}),
				},
				[
					hubTarget(
						operation === 'get' ? 'GET' : operation === 'update' ? 'PATCH' : 'DELETE',
						'/hubs/crm/products/{id}',
						PRODUCT,
					),
				],
				seedProduct,
				(customer) => ({ productId: recordId(customer) }),
				(sb, customer, rows, _i, state) => {
					const row = one(rows);
					expect(row.id).toBe(recordId(customer));
					if (operation === 'update')
						expect(row).toMatchObject({ product_price: 15, active: false });
					if (operation === 'delete') expect(row.deleted).toBe(true);
					if (state && operation === 'delete')
						expect(sb.records(customer.instanceId, 'products')).toEqual([]);
				},
				[
					{ label: 'a Product ID of words', item: { productId: 'gold' }, names: 'Product ID' },
					climbing('Product ID', 'productId'),
				],
			),
		),
		hubOperation(
			'product/getAll',
			{ resource: 'product', operation: 'getAll', returnAll: true, filters: { active: true } },
			[hubTarget('GET', '/hubs/crm/products', PRODUCTS)],
			seedProduct,
			() => ({}),
			(_sb, customer, rows) => expect(rows.map((r) => r.id)).toEqual([recordId(customer)]),
		),
		hubOperation(
			'order/create',
			{
				resource: 'order',
				operation: 'create',
				contactId: '={{ $json.contactId }}',
				orderTitle: '={{ $json.title }}',
				orderType: 'Online',
				items: {
					item: [{ productId: '={{ $json.productId }}', quantity: '={{ $json.quantity }}' }],
				},
				additionalFields: { orderDate: '2026-11-02T10:00:00Z' },
			},
			[hubTarget('POST', '/hubs/crm/orders', ORDERS, { sentOnce: true })],
			seedShop(false),
			(customer, i, run) => ({
				contactId: 1,
				productId: recordId(customer),
				quantity: 3,
				title: `${run} order ${i}`,
			}),
			(sb, customer, rows, i, state, run) => {
				expect(one(rows)).toMatchObject({
					order_title: `${run} order ${i}`,
					contact_id: 1,
					order_items: [{ product_id: recordId(customer), quantity: 3, price: 10 }],
					total: 30,
				});
				if (state) expect(sb.records(customer.instanceId, 'orders')).toHaveLength(1);
			},
			[
				{
					label: 'a Quantity of 0',
					item: { contactId: 1, title: 't', productId: 1, quantity: 0 },
					names: 'Items, row 1: Quantity',
				},
				{
					label: 'a Product ID of words',
					item: { contactId: 1, title: 't', productId: 'gold', quantity: 1 },
					names: 'Items, row 1: Product ID',
				},
				{
					label: 'an empty Order Title',
					item: { contactId: 1, title: '', productId: 1, quantity: 1 },
					names: 'Order Title',
				},
			],
		),
		...(['get', 'delete'] as const).map((operation) =>
			hubOperation(
				`order/${operation}`,
				{ resource: 'order', operation, orderId: '={{ $json.orderId }}' },
				[hubTarget(operation === 'get' ? 'GET' : 'DELETE', '/hubs/crm/orders/{id}', ORDER)],
				seedShop(true),
				(customer) => ({ orderId: recordId(customer) }),
				(sb, customer, rows, i, state, run) => {
					const row = one(rows);
					expect(row.id).toBe(recordId(customer));
					if (operation === 'get')
						expect(row).toMatchObject({ order_title: `${run} order ${i}`, total: 20 });
					if (state && operation === 'delete')
						expect(sb.records(customer.instanceId, 'orders')).toEqual([]);
				},
				[
					{ label: 'an Order ID that is a list', item: { orderId: [1] }, names: 'Order ID' },
					climbing('Order ID', 'orderId'),
				],
			),
		),
		hubOperation(
			'order/getAll',
			{
				resource: 'order',
				operation: 'getAll',
				returnAll: true,
				filters: { contactId: '={{ $json.contactId }}', paid: false },
			},
			[hubTarget('GET', '/hubs/crm/orders', ORDERS)],
			seedShop(true),
			() => ({ contactId: 1 }),
			(_sb, customer, rows) => expect(rows.map((r) => r.id)).toEqual([recordId(customer)]),
		),
	];
}

const TAGS = /^\/hubs\/crm\/tags$/;
const OPPORTUNITIES = /^\/hubs\/crm\/opportunities$/;
const OPPORTUNITY = /^\/hubs\/crm\/opportunities\/\d+$/;

const TAG_OPERATIONS: OperationSpec[] = [
	hubOperation(
		'tag/create',
		{
			resource: 'tag',
			operation: 'create',
			name: '={{ $json.name }}',
			additionalFields: { categoryId: '={{ $json.categoryId }}' },
		},
		[hubTarget('POST', '/hubs/crm/tags', TAGS, { sentOnce: true })],
		undefined,
		(_c, i, run) => ({ name: `${run} tag ${i}` }),
		(sb, customer, rows, i, state, run) => {
			expect(one(rows)).toMatchObject({ name: `${run} tag ${i}`, category: null });
			if (state) expect(sb.records(customer.instanceId, 'tags')).toHaveLength(1);
		},
		[
			{ label: 'an empty Name', item: { name: ' ' }, names: 'Name' },
			{
				label: 'a Category ID of words',
				item: { name: 'x', categoryId: 'vip' },
				names: 'Category ID',
			},
		],
	),
	hubOperation(
		'tag/getAll',
		{
			resource: 'tag',
			operation: 'getAll',
			returnAll: true,
			filters: { name: '={{ $json.name }}' },
		},
		[hubTarget('GET', '/hubs/crm/tags', TAGS)],
		(sb, run) => (instanceId, i) =>
			sb.seedRecords(instanceId, 'tags', [
				{ name: `${run} tag ${i}` },
				{ name: 'other' },
			]) as unknown as IDataObject[],
		(_c, i, run) => ({ name: `${run} tag ${i}` }),
		(_sb, customer, rows) => expect(rows.map((r) => r.id)).toEqual([recordId(customer)]),
		[{ label: 'a Name that is a list', item: { name: ['x'] }, names: 'Name' }],
	),
	hubOperation(
		'contact/getTags',
		{
			resource: 'contact',
			operation: 'getTags',
			contactId: '={{ $json.contactId }}',
			returnAll: true,
		},
		[hubTarget('GET', '/hubs/crm/contacts/{id}/tags', /^\/hubs\/crm\/contacts\/\d+\/tags$/)],
		(sb, run) => (instanceId, i) => {
			const [tag] = sb.seedRecords(instanceId, 'tags', [
				{ name: `${run} tag ${i}` },
			]) as unknown as IDataObject[];
			return sb.seedRecords(instanceId, 'contacts', [
				{ given_name: 'Tagged', tag_ids: [tag.id as number] },
			]) as unknown as IDataObject[];
		},
		(customer) => ({ contactId: recordId(customer) }),
		(_sb, _customer, rows, i, _state, run) =>
			expect(one(rows)).toEqual({
				tag: { id: 1, name: `${run} tag ${i}`, category: null },
				date_applied: expect.any(String),
			}),
		[{ label: 'a Contact ID that is a list', item: { contactId: [1] }, names: 'Contact ID' }],
	),
];

/** A pipeline of two stages and a contact; with `opportunity`, an opportunity in stage 1 (records[0]). */
const seedPipeline =
	(opportunity: boolean) => (sb: Sandbox, run: string) => (instanceId: number, i: number) => {
		sb.seedRecords(instanceId, 'opportunity/stage_pipeline', [{ name: 'New' }, { name: 'Won' }]);
		const contacts = sb.seedRecords(instanceId, 'contacts', [
			{ given_name: `${run}-${i}` },
		]) as unknown as IDataObject[];
		if (!opportunity) return contacts;
		return sb.seedRecords(instanceId, 'opportunities', [
			{ opportunity_title: `${run} deal ${i}`, contact: { id: 1 }, stage: { id: 1 } },
		]) as unknown as IDataObject[];
	};

const OPPORTUNITY_OPERATIONS: OperationSpec[] = [
	hubOperation(
		'opportunity/create',
		{
			resource: 'opportunity',
			operation: 'create',
			title: '={{ $json.title }}',
			contactId: '={{ $json.contactId }}',
			stageId: '={{ $json.stageId }}',
		},
		[hubTarget('POST', '/hubs/crm/opportunities', OPPORTUNITIES, { sentOnce: true })],
		seedPipeline(false),
		(customer, i, run) => ({
			title: `${run} deal ${i}`,
			contactId: recordId(customer),
			stageId: 1,
		}),
		(sb, customer, rows, i, state, run) => {
			expect(one(rows)).toMatchObject({
				opportunity_title: `${run} deal ${i}`,
				contact: { id: recordId(customer) },
				stage: { id: 1 },
			});
			if (state) expect(sb.records(customer.instanceId, 'opportunities')).toHaveLength(1);
		},
		[
			{ label: 'an empty title', item: { title: ' ', contactId: 1, stageId: 1 }, names: 'Title' },
			{
				label: 'a Contact ID of words',
				item: { title: 't', contactId: 'Ann', stageId: 1 },
				names: 'Contact ID',
			},
			{
				label: 'a Stage of words',
				item: { title: 't', contactId: 1, stageId: 'New' },
				names: 'Stage',
			},
		],
	),
	...(['get', 'update', 'moveToStage', 'delete'] as const).map((operation) =>
		hubOperation(
			`opportunity/${operation}`,
			{
				resource: 'opportunity',
				operation,
				opportunityId: '={{ $json.opportunityId }}',
				...(operation === 'update' ? { updateFields: { projectedRevenueHigh: 500 } } : {}),
				...(operation === 'moveToStage' ? { stageId: '={{ $json.stageId }}' } : {}),
			},
			[
				hubTarget(
					operation === 'get' ? 'GET' : operation === 'delete' ? 'DELETE' : 'PATCH',
					'/hubs/crm/opportunities/{id}',
					OPPORTUNITY,
				),
			],
			seedPipeline(true),
			(customer) => ({ opportunityId: recordId(customer), stageId: 2 }),
			(sb, customer, rows, _i, state) => {
				const row = one(rows);
				expect(row.id).toBe(recordId(customer));
				if (operation === 'update') expect(row.projected_revenue_high).toBe(500);
				if (operation === 'moveToStage') expect(row.stage).toEqual({ id: 2 });
				if (state && operation === 'delete')
					expect(sb.records(customer.instanceId, 'opportunities')).toEqual([]);
			},
			[
				{
					label: 'an Opportunity ID that is an object',
					item: { opportunityId: { id: 1 }, stageId: 2 },
					names: 'Opportunity ID',
				},
				...(operation === 'moveToStage'
					? [
							{
								label: 'a Stage of words',
								item: { opportunityId: 1, stageId: 'Won' },
								names: 'Stage',
							},
						]
					: []),
			],
		),
	),
	hubOperation(
		'opportunity/getAll',
		{
			resource: 'opportunity',
			operation: 'getAll',
			returnAll: true,
			filters: { stageId: '={{ $json.stageId }}', searchTerm: '={{ $json.term }}' },
		},
		[hubTarget('GET', '/hubs/crm/opportunities', OPPORTUNITIES)],
		seedPipeline(true),
		(_c, i, run) => ({ stageId: 1, term: `${run} deal ${i}` }),
		(_sb, customer, rows) => expect(rows.map((r) => r.id)).toEqual([recordId(customer)]),
		[{ label: 'a Stage filter of words', item: { stageId: 'New', term: 'x' }, names: 'Stage' }],
	),
];

const HUB_OPERATIONS: OperationSpec[] = [
	hubOperation(
		'contact/create',
		{
			resource: 'contact',
			operation: 'create',
			fields: { email: '={{ $json.email }}', firstName: 'Fault' },
		},
		[hubTarget('POST', '/hubs/crm/contacts', CONTACTS, { sentOnce: true })],
		undefined,
		(_c, i, run) => ({ email: `${run}-new-${i}@example.com` }),
		(sb, customer, rows, i, state, run) => {
			expect(one(rows)).toMatchObject({ email: `${run}-new-${i}@example.com`, firstName: 'Fault' });
			if (state) expect(sb.records(customer.instanceId, 'contacts')).toHaveLength(1);
		},
		[{ label: 'an Email that is not one', item: { email: 'not-an-email' }, names: 'Email' }],
	),
	hubOperation(
		'contact/get',
		{ resource: 'contact', operation: 'get', contactId: '={{ $json.contactId }}' },
		[hubTarget('GET', '/hubs/crm/contacts/{id}', CONTACT)],
		seedContact,
		(customer) => ({ contactId: recordId(customer) }),
		(_sb, customer, rows) =>
			expect(one(rows)).toMatchObject({
				id: recordId(customer),
				email: expect.stringContaining('@example.com'),
			}),
		[{ label: 'a Contact ID that is a list', item: { contactId: [1] }, names: 'Contact ID' }],
	),
	hubOperation(
		'contact/getAll',
		{ resource: 'contact', operation: 'getAll', returnAll: true },
		[hubTarget('GET', '/hubs/crm/contacts', CONTACTS)],
		seedContact,
		() => ({}),
		(_sb, customer, rows) => expect(rows.map((r) => r.id)).toEqual([recordId(customer)]),
	),
	hubOperation(
		'contact/update',
		{
			resource: 'contact',
			operation: 'update',
			contactId: '={{ $json.contactId }}',
			updateFields: { lastName: '={{ $json.lastName }}' },
		},
		[hubTarget('PATCH', '/hubs/crm/contacts/{id}', CONTACT)],
		seedContact,
		(customer, i, run) => ({ contactId: recordId(customer), lastName: `${run}-renamed-${i}` }),
		(sb, customer, rows, i, state, run) => {
			expect(one(rows)).toMatchObject({ id: recordId(customer), lastName: `${run}-renamed-${i}` });
			if (state)
				expect(sb.records(customer.instanceId, 'contacts')[0]).toMatchObject({
					family_name: `${run}-renamed-${i}`,
				});
		},
		[
			{
				label: 'a Contact ID of words',
				item: { contactId: 'abc', lastName: 'x' },
				names: 'Contact ID',
			},
		],
	),
	hubOperation(
		'contact/delete',
		{ resource: 'contact', operation: 'delete', contactId: '={{ $json.contactId }}' },
		[hubTarget('DELETE', '/hubs/crm/contacts/{id}', CONTACT)],
		seedContact,
		(customer) => ({ contactId: recordId(customer) }),
		(sb, customer, rows, _i, state) => {
			expect(one(rows)).toMatchObject({ id: recordId(customer), deleted: true });
			if (state) expect(sb.records(customer.instanceId, 'contacts')).toEqual([]);
		},
	),
	...(['addTags', 'removeTags'] as const).map((operation) =>
		hubOperation(
			`contact/${operation}`,
			{
				resource: 'contact',
				operation,
				contactId: '={{ $json.contactId }}',
				tagIds: '={{ $json.tagId }}',
			},
			[
				hubTarget(
					operation === 'addTags' ? 'POST' : 'DELETE',
					'/hubs/crm/contacts/{id}/tags…',
					/^\/hubs\/crm\/contacts\/\d+\/tags/,
				),
			],
			(sb) => (instanceId) => {
				const [tag] = sb.seedRecords(instanceId, 'tags', [
					{ name: 'VIP' },
				]) as unknown as IDataObject[];
				return sb.seedRecords(instanceId, 'contacts', [
					{ given_name: 'Tagged', tag_ids: operation === 'removeTags' ? [tag.id as number] : [] },
				]) as unknown as IDataObject[];
			},
			(customer) => ({ contactId: recordId(customer), tagId: 1 }),
			(sb, customer, rows, _i, state) => {
				expect(one(rows)).toEqual({
					id: recordId(customer),
					tag_ids: operation === 'addTags' ? [1] : [],
				});
				if (state)
					expect(sb.records(customer.instanceId, 'contacts')[0].tag_ids).toEqual(
						operation === 'addTags' ? [1] : [],
					);
			},
			[
				{
					label: 'Tag IDs of words',
					item: { contactId: 1, tagId: 'vip' },
					names: 'Tag Names or IDs',
				},
			],
		),
	),
	hubOperation(
		'task/create',
		{ resource: 'task', operation: 'create', title: '={{ $json.title }}' },
		[hubTarget('POST', '/hubs/crm/tasks', TASKS, { sentOnce: true })],
		undefined,
		(_c, i, run) => ({ title: `${run} task ${i}` }),
		(sb, customer, rows, i, state, run) => {
			expect(one(rows)).toMatchObject({ title: `${run} task ${i}`, completed: false });
			if (state) expect(sb.records(customer.instanceId, 'tasks')).toHaveLength(1);
		},
		[{ label: 'an empty title', item: { title: ' ' }, names: 'Title' }],
	),
	...(['get', 'update', 'delete'] as const).map((operation) =>
		hubOperation(
			`task/${operation}`,
			{
				resource: 'task',
				operation,
				taskId: '={{ $json.taskId }}',
				...(operation === 'update' ? { updateFields: { completed: true } } : {}),
			},
			[
				hubTarget(
					operation === 'get' ? 'GET' : operation === 'update' ? 'PATCH' : 'DELETE',
					'/hubs/crm/tasks/{id}',
					TASK,
				),
			],
			(sb, run) => (instanceId, i) =>
				sb.seedRecords(instanceId, 'tasks', [
					{ title: `${run} task ${i}` },
				]) as unknown as IDataObject[],
			(customer) => ({ taskId: recordId(customer) }),
			(sb, customer, rows, _i, state) => {
				const row = one(rows);
				expect(row.id).toBe(recordId(customer));
				if (operation === 'update') expect(row.completed).toBe(true);
				if (state && operation === 'delete')
					expect(sb.records(customer.instanceId, 'tasks')).toEqual([]);
			},
			[{ label: 'a Task ID that is an object', item: { taskId: { id: 1 } }, names: 'Task ID' }],
		),
	),
	hubOperation(
		'task/getAll',
		{ resource: 'task', operation: 'getAll', returnAll: true, where: 'completed = false' },
		[hubTarget('GET', '/hubs/crm/tasks', TASKS)],
		(sb, run) => (instanceId, i) =>
			sb.seedRecords(instanceId, 'tasks', [
				{ title: `${run} task ${i}` },
			]) as unknown as IDataObject[],
		() => ({}),
		(_sb, customer, rows) => expect(rows.map((r) => r.id)).toEqual([recordId(customer)]),
	),
	...productAndOrderOperations(),
	hubOperation(
		'email/record',
		{
			resource: 'email',
			operation: 'record',
			contactId: '={{ $json.contactId }}',
			sentTo: '={{ $json.email }}',
			sentFrom: 'sales@example.com',
			subject: '={{ $json.title }}',
			additionalFields: { plainContent: 'Hello' },
		},
		[hubTarget('POST', '/hubs/crm/emails', EMAILS, { sentOnce: true })],
		seedContact,
		(customer, i, run) => ({
			contactId: recordId(customer),
			email: `${run}-${i}@example.com`,
			title: `${run} email ${i}`,
		}),
		(sb, customer, rows, i, state, run) => {
			expect(one(rows)).toMatchObject({
				contact_id: recordId(customer),
				subject: `${run} email ${i}`,
				plain_content: Buffer.from('Hello').toString('base64'),
			});
			if (state) expect(sb.records(customer.instanceId, 'emails')).toHaveLength(1);
		},
		[
			{
				label: 'a Sent To Address that is not one',
				item: { contactId: 1, email: 'nobody', title: 't' },
				names: 'Sent To Address',
			},
		],
	),
	hubOperation(
		'email/getAll',
		{
			resource: 'email',
			operation: 'getAll',
			returnAll: true,
			filters: { contactId: '={{ $json.contactId }}' },
		},
		[hubTarget('GET', '/hubs/crm/emails', EMAILS)],
		(sb, run) => (instanceId, i) =>
			sb.seedRecords(instanceId, 'emails', [
				{ contact_id: 1, sent_to_address: `${run}-${i}@example.com`, subject: 'Seen' },
				{ contact_id: 2, sent_to_address: `${run}-${i}-other@example.com`, subject: 'Other' },
			]) as unknown as IDataObject[],
		() => ({ contactId: 1 }),
		(_sb, customer, rows) => expect(rows.map((r) => r.id)).toEqual([recordId(customer)]),
	),
	hubOperation(
		'email/send',
		{
			resource: 'email',
			operation: 'send',
			contactIds: '={{ $json.contactId }}',
			userId: '1',
			subject: '={{ $json.title }}',
			htmlContent: '<p>News</p>',
		},
		[
			hubTarget('POST', '/hubs/crm/emails/queue', /^\/hubs\/crm\/emails\/queue$/, {
				sentOnce: true,
			}),
		],
		seedContact,
		(customer, i, run) => ({ contactId: recordId(customer), title: `${run} news ${i}` }),
		(sb, customer, rows, i, state, run) => {
			expect(one(rows)).toEqual({
				sent: true,
				contacts: [recordId(customer)],
				userId: 1,
				subject: `${run} news ${i}`,
				addressField: 'EMAIL1',
			});
			if (state)
				expect(sb.records(customer.instanceId, 'emails')).toEqual([
					expect.objectContaining({ subject: `${run} news ${i}`, contact_id: recordId(customer) }),
				]);
		},
		[
			{
				label: 'Contact IDs of words',
				item: { contactId: 'ann, bob', title: 't' },
				names: 'Contact IDs',
			},
		],
	),
	hubOperation(
		'file/upload',
		{
			resource: 'file',
			operation: 'upload',
			association: 'contact',
			contactId: '={{ $json.contactId }}',
		},
		[hubTarget('POST', '/hubs/crm/files', FILES, { sentOnce: true })],
		seedContact,
		(customer, i, run) => ({
			contactId: recordId(customer),
			$binary: {
				data: {
					base64: Buffer.from(`${run} file ${i}`).toString('base64'),
					fileName: `${run}-${i}.txt`,
				},
			},
		}),
		(sb, customer, rows, i, state, run) => {
			const row = one(rows);
			expect(row).toMatchObject({ file_name: `${run}-${i}.txt`, contact_id: recordId(customer) });
			expect(row).not.toHaveProperty('file_data');
			if (state) expect(sb.records(customer.instanceId, 'files')).toHaveLength(1);
		},
		[
			{
				label: 'an item without the binary property',
				item: { contactId: 1 },
				names: 'Input Binary Field',
			},
		],
	),
	...(['download', 'delete'] as const).map((operation) =>
		hubOperation(
			`file/${operation}`,
			{ resource: 'file', operation, fileId: '={{ $json.fileId }}' },
			[hubTarget(operation === 'download' ? 'GET' : 'DELETE', '/hubs/crm/files/{id}', FILE)],
			(sb, run) => (instanceId, i) =>
				sb.seedRecords(instanceId, 'files', [
					{
						file_name: `${run}-${i}.txt`,
						file_data: Buffer.from(`${run} file ${i}`).toString('base64'),
						file_size: `${run} file ${i}`.length,
					},
				]) as unknown as IDataObject[],
			(customer) => ({ fileId: recordId(customer) }),
			(sb, customer, rows, i, state, run) => {
				const row = one(rows);
				expect(row.id).toBe(recordId(customer));
				expect(row).not.toHaveProperty('file_data');
				if (operation === 'download') expect(row.file_name).toBe(`${run}-${i}.txt`);
				if (state && operation === 'delete')
					expect(sb.records(customer.instanceId, 'files')).toEqual([]);
			},
			[
				{
					label: 'a File ID that climbs out of /hubs/crm',
					item: { fileId: CLIMB },
					names: 'File ID',
				},
				{ label: 'a File ID that is a list', item: { fileId: [1] }, names: 'File ID' },
			],
		),
	),
	hubOperation(
		'file/getAll',
		{
			resource: 'file',
			operation: 'getAll',
			returnAll: true,
			filters: { name: '={{ $json.fileName }}' },
		},
		[hubTarget('GET', '/hubs/crm/files', FILES)],
		(sb, run) => (instanceId, i) =>
			sb.seedRecords(instanceId, 'files', [
				{ file_name: `${run}-${i}.txt`, file_data: 'AA==', file_size: 1 },
				{ file_name: `${run}-${i}-other.txt`, file_data: 'AA==', file_size: 1 },
			]) as unknown as IDataObject[],
		(_customer, i, run) => ({ fileName: `${run}-${i}.txt` }),
		(_sb, customer, rows) => {
			expect(rows.map((r) => r.id)).toEqual([recordId(customer)]);
			expect(rows[0]).not.toHaveProperty('file_data');
		},
		[{ label: 'a Name that is a list', item: { fileName: ['a.txt'] }, names: 'Name' }],
	),
	hubOperation(
		'customApiCall/request',
		{
			resource: 'customApiCall',
			operation: 'request',
			method: 'GET',
			path: '={{ "/contacts/" + $json.contactId }}',
		},
		[hubTarget('GET', '/hubs/crm/contacts/{id}', CONTACT)],
		seedContact,
		(customer) => ({ contactId: recordId(customer) }),
		(_sb, customer, rows) => expect(one(rows)).toMatchObject({ id: recordId(customer) }),
		[
			{
				label: 'a Path that leaves the hub',
				item: { contactId: '../../instances' },
				names: 'Path',
			},
		],
	),
	hubOperation(
		'instance/testConnection',
		{ resource: 'instance', operation: 'testConnection' },
		[
			hubTarget(
				'GET',
				'/hubs/crm/oauth/connect/userinfo',
				/^\/hubs\/crm\/oauth\/connect\/userinfo$/,
			),
		],
		undefined,
		() => ({}),
		(_sb, customer, rows, _i, state) => {
			const row = one(rows);
			expect(row.instanceId).toBe(customer.instanceId);
			// A fault answered in the platform's place may make it any status; its answer is always one.
			if (state) expect(row).toMatchObject({ ok: true, status: 'ok' });
			else expect(['ok', 'needs-reauthentication', 'disabled', 'deleted']).toContain(row.status);
		},
	),
	...TAG_OPERATIONS,
	...OPPORTUNITY_OPERATIONS,
	...RECORD_OPERATIONS,
];

const seedCompany = (sb: Sandbox, run: string) => (instanceId: number, i: number) =>
	sb.seedRecords(instanceId, 'companies', [
		{ company_name: `${run} company ${i}`, address: { line1: '1 Main St', locality: 'Old Town' } },
	]) as unknown as IDataObject[];

/** A contact with one note; the note is the customer's record. */
const seedNote = (sb: Sandbox, run: string) => (instanceId: number, i: number) => {
	const [contact] = sb.seedRecords(instanceId, 'contacts', [{ given_name: `${run}-${i}` }]);
	return sb.seedRecords(instanceId, 'notes', [
		{ contact_id: contact.id, title: `${run} note ${i}` },
	]) as unknown as IDataObject[];
};

/** Contact → Create or Update, companies and notes (issue 19). */
const KEAP_RECORD_OPERATIONS: OperationSpec[] = [
	hubOperation(
		'contact/upsert',
		{
			resource: 'contact',
			operation: 'upsert',
			email: '={{ $json.email }}',
			fields: { lastName: '={{ $json.lastName }}' },
		},
		// An upsert by email is idempotent: a lost answer is simply asked again.
		[hubTarget('PUT', '/hubs/crm/contacts', CONTACTS)],
		seedContact,
		(_c, i, run) => ({ email: `${run}-${i}@example.com`, lastName: `${run}-upserted-${i}` }),
		(sb, customer, rows, i, state, run) => {
			expect(one(rows)).toMatchObject({ id: recordId(customer), lastName: `${run}-upserted-${i}` });
			if (state) {
				const stored = sb.records(customer.instanceId, 'contacts');
				expect(stored).toHaveLength(1);
				expect(stored[0]).toMatchObject({ family_name: `${run}-upserted-${i}` });
			}
		},
		[
			{ label: 'an Email that is not one', item: { email: 'not-an-email' }, names: 'Email' },
			{ label: 'an empty Email', item: { email: ' ' }, names: 'Email' },
		],
	),
	hubOperation(
		'company/create',
		{ resource: 'company', operation: 'create', companyName: '={{ $json.companyName }}' },
		[hubTarget('POST', '/hubs/crm/companies', COMPANIES, { sentOnce: true })],
		undefined,
		(_c, i, run) => ({ companyName: `${run} company ${i}` }),
		(sb, customer, rows, i, state, run) => {
			expect(one(rows)).toMatchObject({ company_name: `${run} company ${i}` });
			if (state) expect(sb.records(customer.instanceId, 'companies')).toHaveLength(1);
		},
		[
			{ label: 'an empty Company Name', item: { companyName: ' ' }, names: 'Company Name' },
			{
				label: 'a Company Name that is a list',
				item: { companyName: ['a'] },
				names: 'Company Name',
			},
		],
	),
	...(['get', 'delete'] as const).map((operation) =>
		hubOperation(
			`company/${operation}`,
			{ resource: 'company', operation, companyId: '={{ $json.companyId }}' },
			[hubTarget(operation === 'get' ? 'GET' : 'DELETE', '/hubs/crm/companies/{id}', COMPANY)],
			seedCompany,
			(customer) => ({ companyId: recordId(customer) }),
			(sb, customer, rows, i, state, run) => {
				const row = one(rows);
				expect(row.id).toBe(recordId(customer));
				if (operation === 'get') expect(row.company_name).toBe(`${run} company ${i}`);
				if (state && operation === 'delete')
					expect(sb.records(customer.instanceId, 'companies')).toEqual([]);
			},
			[{ label: 'a Company ID of words', item: { companyId: 'acme' }, names: 'Company ID' }],
		),
	),
	hubOperation(
		'company/update',
		{
			resource: 'company',
			operation: 'update',
			companyId: '={{ $json.companyId }}',
			updateFields: { city: '={{ $json.city }}' },
		},
		// An address line is merged into the stored address: read first, then patched.
		[
			hubTarget('GET', '/hubs/crm/companies/{id}', COMPANY),
			hubTarget('PATCH', '/hubs/crm/companies/{id}', COMPANY),
		],
		seedCompany,
		(customer, i, run) => ({ companyId: recordId(customer), city: `${run} city ${i}` }),
		(sb, customer, rows, i, state, run) => {
			const address = { line1: '1 Main St', locality: `${run} city ${i}` };
			expect(one(rows)).toMatchObject({ id: recordId(customer), address });
			if (state) expect(sb.records(customer.instanceId, 'companies')[0]).toMatchObject({ address });
		},
		[{ label: 'a City that is an object', item: { companyId: 1, city: { a: 1 } }, names: 'City' }],
	),
	hubOperation(
		'company/getAll',
		{
			resource: 'company',
			operation: 'getAll',
			returnAll: true,
			filters: { companyName: '={{ $json.companyName }}' },
		},
		[hubTarget('GET', '/hubs/crm/companies', COMPANIES)],
		seedCompany,
		(_c, i, run) => ({ companyName: `${run} company ${i}` }),
		(_sb, customer, rows) => expect(rows.map((r) => r.id)).toEqual([recordId(customer)]),
		[
			{
				label: 'a Company Name filter that is an object',
				item: { companyName: { name: 'x' } },
				names: 'Company Name',
			},
		],
	),
	hubOperation(
		'note/create',
		{
			resource: 'note',
			operation: 'create',
			contactId: '={{ $json.contactId }}',
			title: '={{ $json.title }}',
			additionalFields: { type: 'Call' },
		},
		[hubTarget('POST', '/hubs/crm/notes', NOTES, { sentOnce: true })],
		seedContact,
		(customer, i, run) => ({ contactId: recordId(customer), title: `${run} note ${i}` }),
		(sb, customer, rows, i, state, run) => {
			expect(one(rows)).toMatchObject({
				contact_id: recordId(customer),
				title: `${run} note ${i}`,
				type: 'Call',
			});
			if (state) expect(sb.records(customer.instanceId, 'notes')).toHaveLength(1);
		},
		[
			{ label: 'an empty Title', item: { contactId: 1, title: '' }, names: 'Title' },
			{
				label: 'a Contact ID of words',
				item: { contactId: 'ann', title: 't' },
				names: 'Contact ID',
			},
		],
	),
	...(['get', 'update', 'delete'] as const).map((operation) =>
		hubOperation(
			`note/${operation}`,
			{
				resource: 'note',
				operation,
				noteId: '={{ $json.noteId }}',
				...(operation === 'update' ? { updateFields: { type: '={{ $json.type }}' } } : {}),
			},
			[
				hubTarget(
					operation === 'get' ? 'GET' : operation === 'update' ? 'PATCH' : 'DELETE',
					'/hubs/crm/notes/{id}',
					NOTE,
				),
			],
			seedNote,
			(customer) => ({ noteId: recordId(customer), type: 'Meeting' }),
			(sb, customer, rows, i, state, run) => {
				const row = one(rows);
				expect(row.id).toBe(recordId(customer));
				if (operation !== 'delete') expect(row.title).toBe(`${run} note ${i}`);
				if (operation === 'update') expect(row.type).toBe('Meeting');
				if (state && operation === 'delete')
					expect(sb.records(customer.instanceId, 'notes')).toEqual([]);
			},
			[
				{ label: 'a Note ID that is a list', item: { noteId: [1] }, names: 'Note ID' },
				...(operation === 'update'
					? [{ label: 'a Type Keap lacks', item: { noteId: 1, type: 'Chat' }, names: 'Type' }]
					: []),
			],
		),
	),
	hubOperation(
		'note/getAll',
		{
			resource: 'note',
			operation: 'getAll',
			returnAll: true,
			filters: { contactId: '={{ $json.contactId }}' },
		},
		[hubTarget('GET', '/hubs/crm/notes', NOTES)],
		seedNote,
		(customer) => ({ contactId: customer.records[0].contact_id }),
		(_sb, customer, rows) => expect(rows.map((r) => r.id)).toEqual([recordId(customer)]),
		[{ label: 'a Contact ID filter of words', item: { contactId: 'ann' }, names: 'Contact ID' }],
	),
];

export const OPERATIONS: OperationSpec[] = [
	{
		name: 'oauth/getOAuthUrl',
		usesApp: true,
		parameters: { resource: 'oauth', operation: 'getOAuthUrl', state: '={{ $json.state }}' },
		targets: [
			{ label: 'POST oauth/url', method: 'POST', path: '/elements/infusionsoftcrm/oauth/url' },
		],
		prepare: async (_sb, n, run) => {
			const items = Array.from({ length: n }, (_, i) => ({ state: `${run}-${i}` }));
			return {
				items,
				secrets: [],
				check: (rows, i) => {
					const row = one(rows);
					expect(typeof row.oauthUrl).toBe('string');
					const url = new URL(row.oauthUrl as string);
					expect(url.searchParams.get('client_id')).toBe(SENTINEL.clientId);
					expect(url.searchParams.get('state')).toBe(`${run}-${i}`);
					expect(row.state).toBe(`${run}-${i}`);
				},
			};
		},
		badInputs: [
			{ label: 'a State that is an object', item: { state: { a: 1 } }, names: 'State' },
			{ label: 'a State that is a list', item: { state: ['x'] }, names: 'State' },
		],
	},
	{
		name: 'oauth/getOAuthUrl (signed state)',
		usesApp: true,
		parameters: { resource: 'oauth', operation: 'getOAuthUrl', context: '={{ $json.context }}' },
		targets: [
			{ label: 'POST oauth/url', method: 'POST', path: '/elements/infusionsoftcrm/oauth/url' },
		],
		prepare: async (_sb, n, run) => ({
			items: Array.from({ length: n }, (_, i) => ({ context: `${run}-${i}` })),
			secrets: [],
			check: (rows, i) => {
				const row = one(rows);
				expect(row.state).toMatch(/^n8nis1\./);
				expect(row.context).toBe(`${run}-${i}`);
				expect(new URL(row.oauthUrl as string).searchParams.get('state')).toBe(row.state);
			},
		}),
		badInputs: [
			{
				label: 'a Context longer than 1 KB',
				item: { context: 'x'.repeat(2000) },
				names: 'context',
			},
		],
	},
	{
		name: 'oauth/parseCallback',
		usesApp: true,
		parameters: { resource: 'oauth', operation: 'parseCallback', callback: '={{ $json.query }}' },
		// No platform call: network faults cannot reach it; its failure paths are its input.
		targets: [],
		prepare: async (_sb, n, run) => {
			const items = Array.from({ length: n }, (_, i) => ({
				query: { code: `code-${run}-${i}`, state: signedState(`${run}-${i}`) },
			}));
			return {
				items,
				// The code is what Parse Callback is for: it is in its output by design.
				secrets: [],
				check: (rows, i) =>
					expect(one(rows)).toMatchObject({ code: `code-${run}-${i}`, context: `${run}-${i}` }),
			};
		},
		badInputs: [
			{ label: 'a callback that is a number', item: { query: 42 }, names: 'callback' },
			{ label: 'a callback that is a list', item: { query: [SENTINEL.code] }, names: 'callback' },
			{
				label: 'a callback without a code',
				item: { query: { state: signedState('x') } },
				names: 'callback',
			},
			{
				label: 'a callback with a forged state',
				item: { query: { code: SENTINEL.code, state: 'n8nis1.e30.AAAA' } },
				names: 'callback',
			},
			{
				label: 'a callback whose state another secret signed',
				item: {
					query: {
						code: SENTINEL.code,
						state: signedState('x', { clientSecret: 'SntlOTHER/secret+==' }),
					},
				},
				names: 'callback',
			},
			{
				label: 'an expired callback',
				item: {
					query: { code: SENTINEL.code, state: signedState('x', { now: Date.now() - 3_600_000 }) },
				},
				names: 'callback',
			},
			{
				label: 'a denied callback that also has a code',
				item: {
					query: {
						error: 'access_denied',
						error_description: 'The user said no',
						code: SENTINEL.code,
						state: signedState('x'),
					},
				},
				names: 'callback',
			},
			{
				label: 'a callback URL with two codes',
				item: {
					query: `https://n8n.example/cb?code=${encodeURIComponent(SENTINEL.code)}&code=b&state=${signedState('x')}`,
				},
				names: 'callback',
			},
		],
	},
	...(['reuse', 'create'] as const).map(
		(onExisting): OperationSpec => ({
			name: `instance/create (onExisting ${onExisting}, new name)`,
			usesApp: true,
			parameters: {
				resource: 'instance',
				operation: 'create',
				code: '={{ $json.code }}',
				name: '={{ $json.name }}',
				tags: 'faults',
				onExisting,
			},
			targets: [
				{ label: 'GET /instances (look-up)', method: 'GET', path: LIST },
				{ label: 'POST /instances', method: 'POST', path: LIST, sentOnce: true },
			],
			prepare: async (sb, n, run) => {
				const items = Array.from({ length: n }, (_, i) => ({
					code: issueCode(sb),
					name: `${run} new ${i}`,
				}));
				return {
					items,
					secrets: items.map((item) => item.code),
					check: (rows, i, state) => {
						const row = one(rows);
						expect(row.action).toBe('created');
						expect(row.name).toBe(`${run} new ${i}`);
						expect(typeof row.id).toBe('number');
						if (state) {
							const named = [...sb.instances.values()].filter((x) => x.name === `${run} new ${i}`);
							expect(named.map((x) => x.id)).toEqual([row.id]);
						}
					},
				};
			},
			badInputs: [
				{ label: 'an empty code', item: { code: '', name: 'x' }, names: 'Authorization Code' },
				{
					label: 'a code that is an object',
					item: { code: { code: SENTINEL.code }, name: 'x' },
					names: 'Authorization Code',
				},
				{
					label: 'an empty name',
					item: { code: SENTINEL.code, name: '   ' },
					names: 'Instance Name',
				},
				{
					label: 'a name that is a list',
					item: { code: SENTINEL.code, name: ['a', 'b'] },
					names: 'Instance Name',
				},
			],
		}),
	),
	{
		name: 'instance/create (onExisting reauthenticate, existing name)',
		usesApp: true,
		parameters: {
			resource: 'instance',
			operation: 'create',
			code: '={{ $json.code }}',
			name: '={{ $json.name }}',
			onExisting: 'reauthenticate',
		},
		targets: [
			{ label: 'GET /instances (look-up)', method: 'GET', path: LIST },
			{ label: 'PUT /instances/{id}', method: 'PUT', path: ONE, sentOnce: true },
		],
		prepare: async (sb, n, run) => {
			const ids = await seedMany(sb, n, `${run} existing`, ['keep', 'me']);
			const tokens = ids.map((id) => sb.instances.get(id)!.token);
			const items = ids.map((_, i) => ({ code: issueCode(sb), name: `${run} existing ${i}` }));
			return {
				items,
				secrets: items.map((item) => item.code),
				check: (rows, i, state) => {
					const row = one(rows);
					expect(row).toMatchObject({
						action: 'reauthenticated',
						id: ids[i],
						name: `${run} existing ${i}`,
					});
					if (state) {
						const stored = sb.instances.get(ids[i])!;
						expect(stored.token).not.toBe(tokens[i]);
						expect(stored.tags).toEqual(['keep', 'me']);
						expect([...sb.instances.values()].filter((x) => x.name === stored.name)).toHaveLength(
							1,
						);
					}
				},
			};
		},
		badInputs: [
			{ label: 'an empty code', item: { code: ' ', name: 'x' }, names: 'Authorization Code' },
		],
	},
	{
		name: 'oauth/getOAuthUrl (Keap REST, signed state)',
		usesApp: true,
		parameters: {
			resource: 'oauth',
			operation: 'getOAuthUrl',
			element: '={{ $json.element ?? "infusionsoftrest" }}',
			context: '={{ $json.context }}',
		},
		targets: [
			{ label: 'POST oauth/url', method: 'POST', path: '/elements/infusionsoftrest/oauth/url' },
		],
		prepare: async (_sb, n, run) => ({
			items: Array.from({ length: n }, (_, i) => ({ context: `${run}-${i}` })),
			secrets: [],
			check: (rows, i) => {
				const row = one(rows);
				expect(row).toMatchObject({ element: 'infusionsoftrest', context: `${run}-${i}` });
				expect(new URL(row.oauthUrl as string).searchParams.get('state')).toBe(row.state);
			},
		}),
		badInputs: [
			{
				label: 'an Element that is not a Keap element',
				item: { context: 'x', element: 'hubspotcrm' },
				names: 'Element',
			},
			{
				label: 'an Element that is a list',
				item: { context: 'x', element: ['infusionsoftrest'] },
				names: 'Element',
			},
		],
	},
	{
		name: 'instance/create (Keap REST, onExisting reuse, new name)',
		usesApp: true,
		parameters: {
			resource: 'instance',
			operation: 'create',
			element: 'infusionsoftrest',
			code: '={{ $json.code }}',
			name: '={{ $json.name }}',
			tags: 'faults',
		},
		targets: [
			{ label: 'GET /instances (look-up)', method: 'GET', path: LIST },
			{ label: 'POST /instances', method: 'POST', path: LIST, sentOnce: true },
		],
		prepare: async (sb, n, run) => {
			// A legacy instance of each name too: the look-up must not take it for this element's.
			for (let i = 0; i < n; i++) await seedInstance(sb, `${run} rest ${i}`);
			const items = Array.from({ length: n }, (_, i) => ({
				code: issueCode(sb),
				name: `${run} rest ${i}`,
			}));
			return {
				items,
				secrets: items.map((item) => item.code),
				check: (rows, i, state) => {
					const row = one(rows);
					expect(row).toMatchObject({
						action: 'created',
						name: `${run} rest ${i}`,
						element: { key: 'infusionsoftrest' },
					});
					if (state) {
						const named = [...sb.instances.values()].filter(
							(x) => x.name === `${run} rest ${i}` && x.element.key === 'infusionsoftrest',
						);
						expect(named.map((x) => x.id)).toEqual([row.id]);
						expect(Object.keys(named[0].configuration).sort()).toEqual([
							'oauth.api.key',
							'oauth.api.secret',
							'oauth.callback.url',
						]);
					}
				},
			};
		},
		badInputs: [
			{ label: 'an empty code', item: { code: '', name: 'x' }, names: 'Authorization Code' },
		],
	},
	{
		name: 'instance/create (Keap REST, Send Events on, signed)',
		usesApp: true,
		parameters: {
			resource: 'instance',
			operation: 'create',
			element: 'infusionsoftrest',
			code: '={{ $json.code }}',
			name: '={{ $json.name }}',
			sendEvents: true,
			eventsCallbackUrl: '={{ $json.hook }}',
			eventResources: ['contacts', 'tasks'],
		},
		targets: [
			{ label: 'GET /instances (look-up)', method: 'GET', path: LIST },
			{ label: 'POST /instances', method: 'POST', path: LIST, sentOnce: true },
		],
		prepare: async (sb, n, run) => {
			const items = Array.from({ length: n }, (_, i) => ({
				code: issueCode(sb),
				name: `${run} events ${i}`,
				hook: `https://n8n.sentinel.example/webhook/${i}/events`,
			}));
			return {
				items,
				secrets: items.map((item) => item.code),
				check: (rows, i, state) => {
					const row = one(rows);
					expect(row).toMatchObject({ action: 'created', name: `${run} events ${i}` });
					if (state) {
						const configuration = sb.instances.get(row.id as number)!.configuration;
						expect(configuration).toMatchObject({
							'event.notification.enabled': 'true',
							'event.notification.callback.url': items[i].hook,
							'event.notification.signature.key': SENTINEL.eventSignatureKey,
						});
					}
				},
			};
		},
		badInputs: [
			{
				label: 'a callback URL that is not http(s)',
				item: { code: SENTINEL.code, name: 'x', hook: 'javascript:alert(1)' },
				names: 'Events Callback URL',
			},
			{
				label: 'an empty callback URL',
				item: { code: SENTINEL.code, name: 'x', hook: '' },
				names: 'Events Callback URL',
			},
		],
	},
	{
		name: 'instance/configureEvents (on, signed)',
		usesApp: false,
		parameters: {
			resource: 'instance',
			operation: 'configureEvents',
			instanceId: '={{ $json.id }}',
			eventsCallbackUrl: '={{ $json.hook }}',
			eventsInterval: '={{ $json.minutes }}',
		},
		targets: [
			{ label: 'GET /instances/{id}', method: 'GET', path: ONE },
			{ label: 'PATCH /instances/{id}', method: 'PATCH', path: ONE },
		],
		prepare: async (sb, n, run) => {
			const ids = await seedMany(sb, n, `${run} configure`, ['keep'], 'infusionsoftrest');
			const items = ids.map((id, i) => ({
				id,
				hook: `https://n8n.sentinel.example/webhook/${i}/events`,
				minutes: 1 + i,
			}));
			return {
				items,
				secrets: [],
				check: (rows, i, state) => {
					expect(one(rows)).toMatchObject({
						id: ids[i],
						events: {
							enabled: true,
							callbackUrl: items[i].hook,
							intervalMinutes: 1 + i,
							signed: true,
						},
					});
					if (state)
						expect(
							sb.instances.get(ids[i])!.configuration['event.notification.signature.key'],
						).toBe(SENTINEL.eventSignatureKey);
				},
			};
		},
		badInputs: [
			...instanceIdInputs.map((input) => ({
				...input,
				item: { ...input.item, hook: 'https://n8n.sentinel.example/webhook/x', minutes: 5 },
			})),
			{
				label: 'a zero interval',
				item: { id: 12345, hook: 'https://n8n.sentinel.example/webhook/x', minutes: 0 },
				names: 'Poll Every (Minutes)',
			},
			{
				label: 'a text interval',
				item: { id: 12345, hook: 'https://n8n.sentinel.example/webhook/x', minutes: 'soon' },
				names: 'Poll Every (Minutes)',
			},
		],
	},
	{
		name: 'instance/reauthenticate (Keap REST)',
		usesApp: true,
		parameters: {
			resource: 'instance',
			operation: 'reauthenticate',
			element: 'infusionsoftrest',
			instanceId: '={{ $json.id }}',
			code: '={{ $json.code }}',
		},
		targets: [
			{ label: 'GET /instances/{id}', method: 'GET', path: ONE },
			{ label: 'PUT /instances/{id}', method: 'PUT', path: ONE, sentOnce: true },
		],
		prepare: async (sb, n, run) => {
			const ids = await seedMany(sb, n, `${run} rest reauth`, ['keep'], 'infusionsoftrest');
			const tokens = ids.map((id) => sb.instances.get(id)!.token);
			const items = ids.map((id) => ({ id, code: issueCode(sb) }));
			return {
				items,
				secrets: items.map((item) => item.code),
				check: (rows, i, state) => {
					expect(one(rows)).toMatchObject({
						action: 'reauthenticated',
						id: ids[i],
						element: { key: 'infusionsoftrest' },
					});
					if (state) expect(sb.instances.get(ids[i])!.token).not.toBe(tokens[i]);
				},
			};
		},
		badInputs: [
			{
				label: 'a code that is a list',
				item: { id: 12345, code: [SENTINEL.code] },
				names: 'Authorization Code',
			},
		],
	},
	{
		name: 'instance/get',
		usesApp: false,
		parameters: { resource: 'instance', operation: 'get', instanceId: '={{ $json.id }}' },
		targets: [{ label: 'GET /instances/{id}', method: 'GET', path: ONE }],
		prepare: async (sb, n, run) => {
			const ids = await seedMany(sb, n, `${run} get`);
			return {
				items: ids.map((id) => ({ id })),
				secrets: [],
				check: (rows, i) =>
					expect(one(rows)).toMatchObject({ id: ids[i], name: `${run} get ${i}` }),
			};
		},
		badInputs: instanceIdInputs,
	},
	{
		name: 'instance/getAll',
		usesApp: false,
		parameters: {
			resource: 'instance',
			operation: 'getAll',
			returnAll: true,
			filters: { searchText: '={{ $json.search }}' },
		},
		targets: [{ label: 'GET /instances', method: 'GET', path: LIST }],
		prepare: async (sb, n, run) => {
			const ids = await seedMany(sb, n, `${run} list`);
			return {
				items: ids.map((_, i) => ({ search: `${run} list ${i}` })),
				secrets: [],
				check: (rows, i) => expect(rows.map((r) => r.id)).toEqual([ids[i]]),
			};
		},
		badInputs: [
			{
				label: 'a Search Text that is an object',
				item: { search: { a: 1 } },
				names: 'Search Text',
			},
			{ label: 'a Search Text that is a list', item: { search: [1, 2] }, names: 'Search Text' },
		],
	},
	{
		name: 'instance/update',
		usesApp: false,
		parameters: {
			resource: 'instance',
			operation: 'update',
			instanceId: '={{ $json.id }}',
			updateFields: { name: '={{ $json.newName }}' },
		},
		targets: [{ label: 'PATCH /instances/{id}', method: 'PATCH', path: ONE }],
		prepare: async (sb, n, run) => {
			const ids = await seedMany(sb, n, `${run} update`);
			return {
				items: ids.map((id, i) => ({ id, newName: `${run} renamed ${i}` })),
				secrets: [],
				check: (rows, i, state) => {
					expect(one(rows)).toMatchObject({ id: ids[i], name: `${run} renamed ${i}` });
					if (state) expect(sb.instances.get(ids[i])!.name).toBe(`${run} renamed ${i}`);
				},
			};
		},
		badInputs: [
			...instanceIdInputs.map((input) => ({ ...input, item: { ...input.item, newName: 'n' } })),
			{ label: 'an empty new name', item: { id: 12345, newName: '' }, names: 'Name' },
			{
				label: 'a new name that is an object',
				item: { id: 12345, newName: { x: 1 } },
				names: 'Name',
			},
		],
	},
	{
		name: 'instance/reauthenticate',
		usesApp: true,
		parameters: {
			resource: 'instance',
			operation: 'reauthenticate',
			instanceId: '={{ $json.id }}',
			code: '={{ $json.code }}',
		},
		targets: [
			{ label: 'GET /instances/{id}', method: 'GET', path: ONE },
			{ label: 'PUT /instances/{id}', method: 'PUT', path: ONE, sentOnce: true },
		],
		prepare: async (sb, n, run) => {
			const ids = await seedMany(sb, n, `${run} reauth`, ['keep', 'me']);
			const tokens = ids.map((id) => sb.instances.get(id)!.token);
			const items = ids.map((id) => ({ id, code: issueCode(sb) }));
			return {
				items,
				secrets: items.map((item) => item.code),
				check: (rows, i, state) => {
					expect(one(rows)).toMatchObject({
						action: 'reauthenticated',
						id: ids[i],
						name: `${run} reauth ${i}`,
						tags: ['keep', 'me'],
					});
					if (state) {
						const stored = sb.instances.get(ids[i])!;
						expect(stored.token).not.toBe(tokens[i]);
						expect(stored.tags).toEqual(['keep', 'me']);
						expect(stored.name).toBe(`${run} reauth ${i}`);
					}
				},
			};
		},
		badInputs: [
			...instanceIdInputs.map((input) => ({
				...input,
				item: { ...input.item, code: SENTINEL.code },
			})),
			{ label: 'an empty code', item: { id: 12345, code: '' }, names: 'Authorization Code' },
			{
				label: 'a code that is a list',
				item: { id: 12345, code: [SENTINEL.code] },
				names: 'Authorization Code',
			},
		],
	},
	{
		name: 'instance/delete',
		usesApp: false,
		parameters: { resource: 'instance', operation: 'delete', instanceId: '={{ $json.id }}' },
		targets: [{ label: 'DELETE /instances/{id}', method: 'DELETE', path: ONE }],
		prepare: async (sb, n, run) => {
			const ids = await seedMany(sb, n, `${run} delete`);
			return {
				items: ids.map((id) => ({ id })),
				secrets: [],
				check: (rows, i, state) => {
					expect(one(rows)).toMatchObject({ id: ids[i], deleted: true });
					if (state) expect(sb.instances.has(ids[i])).toBe(false);
				},
			};
		},
		badInputs: instanceIdInputs,
	},
	...(['enable', 'disable'] as const).map(
		(operation): OperationSpec => ({
			name: `instance/${operation}`,
			usesApp: false,
			parameters: { resource: 'instance', operation, instanceId: '={{ $json.id }}' },
			targets: [
				{
					label: `${operation === 'enable' ? 'PUT' : 'DELETE'} /instances/{id}/enabled`,
					method: operation === 'enable' ? 'PUT' : 'DELETE',
					path: ENABLED,
				},
			],
			prepare: async (sb, n, run) => {
				const ids = await seedMany(sb, n, `${run} ${operation}`);
				for (const id of ids) sb.instances.get(id)!.disabled = operation === 'enable';
				return {
					items: ids.map((id) => ({ id })),
					secrets: [],
					check: (rows, i, state) => {
						expect(one(rows)).toMatchObject({ id: ids[i], disabled: operation === 'disable' });
						if (state) expect(sb.instances.get(ids[i])!.disabled).toBe(operation === 'disable');
					},
				};
			},
			badInputs: instanceIdInputs,
		}),
	),
	...HUB_OPERATIONS,
	...KEAP_RECORD_OPERATIONS,
];

/**
 * E-commerce Order (Keap REST) through n8n's engine against the stand-in's CRM hub: Create with
 * items (checked by row before any call), Get, Get Many with filters, Delete, a lost create
 * reported as unknown, the legacy element refused, Continue On Fail.
 */
import type { IDataObject } from 'n8n-workflow';

import { expectNoSecrets, legacyRefusal } from '../support/infusionsoftRun';
import { EXAMPLE } from '../../sandbox';
import { hubTestKit, type Element } from '../support/hubCustomer';

describe('E-commerce Order (Keap REST) through an instance', () => {
	const kit = hubTestKit();
	const { run, byId, hubCalls } = kit;
	const connect = (element: Element = 'infusionsoftrest') => kit.connect(element, 'Shop');

	/** A customer with a contact and two products (Gold 19.99, Mug 7). */
	async function shop() {
		const customer = await connect();
		kit.sb.seedRecords(customer.id, 'contacts', [{ given_name: 'Ann' }]);
		kit.sb.seedRecords(customer.id, 'products', [
			{ product_name: 'Gold', product_price: 19.99 },
			{ product_name: 'Mug', product_price: 7 },
		]);
		return customer;
	}

	const createOrder = (instance: IDataObject, overrides: IDataObject = {}) => ({
		resource: 'order',
		operation: 'create',
		instance,
		contactId: '1',
		orderTitle: 'Web order 1001',
		orderType: 'Online',
		items: {
			item: [
				{ productId: '1', quantity: 3 },
				{ productId: '2', quantity: 1, price: '5.50', description: 'Discounted' },
			],
		},
		...overrides,
	});

	it('Create with items, the total from the stand-in; Get, Get Many by contact, paid and date; Delete', async () => {
		const { id, token } = await shop();
		const instance = byId(id);
		const created = await run(
			createOrder(instance, {
				orderType: 'Offline',
				additionalFields: {
					orderDate: '2026-11-02T10:00:00Z',
					promoCodes: 'SPRING, FREESHIP',
					shippingAddress: {
						address: {
							line1: '1 Main St',
							locality: 'Chandler',
							region: 'Arizona',
							countryCode: 'USA',
						},
					},
				},
			}),
		);
		expect(created.error).toBeUndefined();
		expect(created.items[0].json).toMatchObject({
			id: 1,
			contact_id: 1,
			order_title: 'Web order 1001',
			order_type: 'Offline',
			order_date: '2026-11-02T10:00:00.000Z',
			order_items: [
				{ product_id: 1, quantity: 3, price: 19.99 },
				{ product_id: 2, quantity: 1, price: 5.5, description: 'Discounted' },
			],
			promo_codes: ['SPRING', 'FREESHIP'],
			shipping_address: {
				line1: '1 Main St',
				locality: 'Chandler',
				region: 'Arizona',
				country_code: 'USA',
			},
			total: 65.47,
			paid: false,
		});
		const posted = hubCalls().find((r) => r.method === 'POST');
		expect(posted?.headers.authorization).toBe(
			`User ${EXAMPLE.userSecret}, Organization ${EXAMPLE.organizationSecret}, Element ${token}`,
		);
		expectNoSecrets(created, [token]);

		const got = await run({ resource: 'order', operation: 'get', instance, orderId: '1' });
		expect(got.items[0].json).toEqual(created.items[0].json);

		kit.sb.seedRecords(id, 'contacts', [{ given_name: 'Bob' }]);
		kit.sb.seedRecords(id, 'orders', [
			{
				contact_id: 2,
				order_title: 'Old paid order',
				order_type: 'Online',
				order_date: '2026-01-05T00:00:00.000Z',
				order_items: [{ product_id: 2, quantity: 1 }],
				total: 7,
				paid: true,
			},
		]);
		const list = async (filters: IDataObject) =>
			(
				await run({ resource: 'order', operation: 'getAll', instance, returnAll: true, filters })
			).items.map((i) => i.json.id);
		expect(await list({})).toEqual([1, 2]);
		expect(await list({ contactId: '1' })).toEqual([1]);
		expect(await list({ paid: true })).toEqual([2]);
		expect(await list({ productId: '1' })).toEqual([1]);
		expect(await list({ productId: 2, paid: true })).toEqual([2]);
		expect(await list({ paid: false, contactId: 2 })).toEqual([]);
		expect(await list({ since: '2026-06-01T00:00:00Z' })).toEqual([1]);
		expect(await list({ until: '2026-06-01T00:00:00Z' })).toEqual([2]);
		const badFilter = await run({
			resource: 'order',
			operation: 'getAll',
			instance,
			filters: { contactId: 'Ann' },
		});
		expect(badFilter.error?.message).toBe('Filters → Contact ID must be a whole number [item 0]');

		const deleted = await run({ resource: 'order', operation: 'delete', instance, orderId: '1' });
		expect(deleted.items[0].json).toEqual({ id: 1, deleted: true, alreadyDeleted: false });
		expect(kit.sb.records(id, 'orders').map((o) => o.id)).toEqual([2]);
		const missing = await run({ resource: 'order', operation: 'get', instance, orderId: '1' });
		expect(missing.error?.description).toContain(
			`No order 1 in the Keap account of instance ${id}: check the Order ID.`,
		);
	});

	it('items are checked before any call: the error names the row, the field and the item', async () => {
		const { id } = await shop();
		const cases: Array<[IDataObject, string]> = [
			[{ items: {} }, 'Items is empty: an order needs at least one item [item 0]'],
			[{ items: { item: [] } }, 'Items is empty: an order needs at least one item [item 0]'],
			[
				{
					items: {
						item: [
							{ productId: '1', quantity: 1 },
							{ productId: '2', quantity: 0 },
						],
					},
				},
				'Items, row 2: Quantity must be a whole number of 1 or more [item 0]',
			],
			[
				{ items: { item: [{ productId: '1', quantity: 1.5 }] } },
				'Items, row 1: Quantity must be a whole number of 1 or more [item 0]',
			],
			[
				{ items: { item: [{ productId: '1', quantity: '={{ "0x10" }}' }] } },
				'Items, row 1: Quantity must be a whole number of 1 or more [item 0]',
			],
			[
				{ items: { item: [{ productId: 'Gold', quantity: 1 }] } },
				'Items, row 1: Product ID must be a whole number [item 0]',
			],
			[
				{ items: { item: [{ productId: '={{ $json.none }}', quantity: 1 }] } },
				'Items, row 1: Product is empty [item 0]',
			],
			[
				{ items: { item: [{ productId: '1', quantity: 1, price: 'free' }] } },
				'Items, row 1: Price must be a number of 0 or more, e.g. 19.99 [item 0]',
			],
			[{ contactId: 'Ann' }, 'Contact ID must be a whole number [item 0]'],
			[{ orderTitle: ' ' }, 'Order Title is empty [item 0]'],
			[{ orderType: 'Mail' }, 'Order Type must be Online or Offline [item 0]'],
			[
				{ additionalFields: { orderDate: 'next week' } },
				'Additional Fields → Order Date is not a date [item 0]',
			],
		];
		for (const [overrides, message] of cases) {
			const refused = await run(createOrder(byId(id), overrides));
			expect([overrides, refused.error?.message]).toEqual([overrides, message]);
		}
		expect(hubCalls()).toHaveLength(0);
		expect(kit.sb.records(id, 'orders')).toEqual([]);
	});

	it('a product that does not exist is the platform’s 400, in its words', async () => {
		const { id } = await shop();
		const refused = await run(
			createOrder(byId(id), { items: { item: [{ productId: '9', quantity: 1 }] } }),
		);
		expect(refused.error?.message).toContain(
			'order_items[0].product_id: no product found with id 9',
		);
		expect(kit.sb.records(id, 'orders')).toEqual([]);
	});

	it('a create whose answer is lost is reported as unknown and never sent again', async () => {
		const { id } = await shop();
		kit.sb.fail({ method: 'POST', path: '/hubs/crm/orders', drop: 'after' });
		const lost = await run(createOrder(byId(id)));
		expect(lost.error?.description).toContain('The order may or may not have been created');
		expect(hubCalls().filter((r) => r.method === 'POST')).toHaveLength(1);
		expect(kit.sb.records(id, 'orders')).toHaveLength(1);
	});

	it('a legacy instance is refused by name before any hub call', async () => {
		const legacy = await connect('infusionsoftcrm');
		for (const parameters of [
			createOrder(byId(legacy.id)),
			{ resource: 'order', operation: 'get', instance: byId(legacy.id), orderId: '1' },
			{ resource: 'order', operation: 'getAll', instance: byId(legacy.id) },
			{ resource: 'order', operation: 'delete', instance: byId(legacy.id), orderId: '1' },
		]) {
			const refused = await run(parameters);
			expect(refused.error?.message).toBe(
				legacyRefusal('order', String(parameters.operation), legacy.id),
			);
		}
		expect(hubCalls()).toHaveLength(0);
	});

	it('Continue On Fail with items from expressions: a bad row fails its item alone, paired and in order', async () => {
		const { id } = await shop();
		const result = await run(
			createOrder(byId(id), {
				orderTitle: '={{ $json.title }}',
				items: {
					item: [{ productId: '={{ $json.productId }}', quantity: '={{ $json.quantity }}' }],
				},
			}),
			[
				{ title: 'A', productId: 1, quantity: 2 },
				{ title: 'B', productId: 1, quantity: -1 },
				{ title: 'C', productId: 9, quantity: 1 },
				{ title: 'D', productId: '2', quantity: '3' },
			],
			true,
		);
		expect(result.items.map((i) => i.json.order_title ?? i.json.error)).toEqual([
			'A',
			'Items, row 1: Quantity must be a whole number of 1 or more [item 1]',
			expect.stringContaining('no product found with id 9'),
			'D',
		]);
		expect(result.items.map((i) => i.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
		expect(kit.sb.records(id, 'orders').map((o) => [o.order_title, o.total])).toEqual([
			['A', 39.98],
			['D', 21],
		]);
	});
});

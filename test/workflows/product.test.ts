/**
 * Product (Keap REST) through n8n's engine against the stand-in's CRM hub: every operation, the
 * record in Keap REST v1's names, a lost create looked up by SKU, the legacy element refused,
 * Continue On Fail.
 */
import type { IDataObject } from 'n8n-workflow';

import { expectNoSecrets, legacyRefusal } from '../support/infusionsoftRun';
import { EXAMPLE } from '../../sandbox';
import { hubTestKit, type Element } from '../support/hubCustomer';

describe('Product (Keap REST) through an instance', () => {
	const kit = hubTestKit();
	const { run, byId, hubCalls } = kit;
	const connect = (element: Element = 'infusionsoftrest') => kit.connect(element, 'Shop');

	it('Create, Get, Get Many (active or not), Update and Delete, in Keap REST v1’s names', async () => {
		const { id, token } = await connect();
		const instance = byId(id);
		const created = await run({
			resource: 'product',
			operation: 'create',
			instance,
			name: 'Gold membership',
			additionalFields: {
				price: 19.99,
				description: 'A year of gold',
				shortDescription: 'Gold',
				sku: 'GOLD-1',
				subscriptionOnly: true,
			},
		});
		expect(created.error).toBeUndefined();
		expect(created.items[0].json).toEqual({
			id: 1,
			product_name: 'Gold membership',
			product_price: 19.99,
			product_desc: 'A year of gold',
			product_short_desc: 'Gold',
			sku: 'GOLD-1',
			active: true,
			subscription_only: true,
		});
		expect(kit.sb.records(id, 'products')).toEqual([created.items[0].json]);
		expect(hubCalls()[0].headers.authorization).toBe(
			`User ${EXAMPLE.userSecret}, Organization ${EXAMPLE.organizationSecret}, Element ${token}`,
		);
		expectNoSecrets(created, [token]);

		await run({
			resource: 'product',
			operation: 'create',
			instance,
			name: 'Old plan',
			additionalFields: { active: false },
		});
		const got = await run({ resource: 'product', operation: 'get', instance, productId: '1' });
		expect(got.items[0].json).toMatchObject({ id: 1, sku: 'GOLD-1' });

		const list = (filters: IDataObject) =>
			run({ resource: 'product', operation: 'getAll', instance, returnAll: true, filters });
		expect((await list({})).items.map((i) => i.json.id)).toEqual([1, 2]);
		expect((await list({ active: true })).items.map((i) => i.json.id)).toEqual([1]);
		expect((await list({ active: false })).items.map((i) => i.json.id)).toEqual([2]);
		const limited = await run({ resource: 'product', operation: 'getAll', instance, limit: 1 });
		expect(limited.items.map((i) => i.json.id)).toEqual([1]);

		const updated = await run({
			resource: 'product',
			operation: 'update',
			instance,
			productId: '1',
			updateFields: { price: 24.5, active: false },
		});
		expect(updated.items[0].json).toMatchObject({ id: 1, product_price: 24.5, active: false });
		expect(kit.sb.records(id, 'products')[0]).toMatchObject({ product_price: 24.5, active: false });
		const nothing = await run({
			resource: 'product',
			operation: 'update',
			instance,
			productId: '1',
		});
		expect(nothing.error?.message).toBe('Nothing to update [item 0]');

		const deleted = await run({
			resource: 'product',
			operation: 'delete',
			instance,
			productId: '2',
		});
		expect(deleted.items[0].json).toEqual({ id: 2, deleted: true, alreadyDeleted: false });
		const again = await run({ resource: 'product', operation: 'delete', instance, productId: '2' });
		expect(again.items[0].json).toEqual({ id: 2, deleted: true, alreadyDeleted: true });
		const missing = await run({ resource: 'product', operation: 'get', instance, productId: '2' });
		expect(missing.error?.description).toContain(
			`No product 2 in the Keap account of instance ${id}: check the Product ID.`,
		);
	});

	it('a create whose answer is lost is looked up by SKU; without a SKU it is reported as unknown; never sent twice', async () => {
		const { id } = await connect();
		kit.sb.fail({ method: 'POST', path: '/hubs/crm/products', drop: 'after' });
		const created = await run({
			resource: 'product',
			operation: 'create',
			instance: byId(id),
			name: 'Once',
			additionalFields: { sku: "O'NCE-1" },
		});
		expect(created.error).toBeUndefined();
		expect(created.items[0].json).toMatchObject({ id: 1, product_name: 'Once', sku: "O'NCE-1" });
		expect(hubCalls().filter((r) => r.method === 'POST')).toHaveLength(1);
		expect(kit.sb.records(id, 'products')).toHaveLength(1);

		kit.sb.requests.length = 0;
		kit.sb.fail({ method: 'POST', path: '/hubs/crm/products', drop: 'after' });
		const noSku = await run({
			resource: 'product',
			operation: 'create',
			instance: byId(id),
			name: 'No SKU',
		});
		expect(noSku.error?.description).toContain('may or may not have been created');
		expect(hubCalls().filter((r) => r.method === 'POST')).toHaveLength(1);
		expect(kit.sb.records(id, 'products')).toHaveLength(2);
	});

	it('a legacy instance is refused by name before any hub call', async () => {
		const legacy = await connect('infusionsoftcrm');
		for (const parameters of [
			{ operation: 'create', name: 'X' },
			{ operation: 'get', productId: '1' },
			{ operation: 'getAll' },
			{ operation: 'update', productId: '1', updateFields: { price: 1 } },
			{ operation: 'delete', productId: '1' },
		]) {
			const refused = await run({ resource: 'product', instance: byId(legacy.id), ...parameters });
			expect(refused.error?.message).toBe(
				legacyRefusal('product', parameters.operation, legacy.id),
			);
		}
		expect(hubCalls()).toHaveLength(0);
	});

	it('Continue On Fail: a bad item is refused by field and item, the others are created, paired and in order', async () => {
		const { id } = await connect();
		const items = [
			{ name: 'A', price: 1 },
			{ name: ' ', price: 2 },
			{ name: 'C', price: 'cheap' },
			{ name: 'D', price: 4 },
		];
		const result = await run(
			{
				resource: 'product',
				operation: 'create',
				instance: byId(id),
				name: '={{ $json.name }}',
				additionalFields: { price: '={{ $json.price }}' },
			},
			items,
			true,
		);
		expect(result.items.map((i) => i.json.product_name ?? i.json.error)).toEqual([
			'A',
			'Name is empty [item 1]',
			'Fields → Price must be a number of 0 or more [item 2]',
			'D',
		]);
		expect(result.items.map((i) => i.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
		expect(kit.sb.records(id, 'products').map((p) => p.product_name)).toEqual(['A', 'D']);
	});
});

/**
 * Order → Create's Product dropdown, as the editor loads it: the node's registered
 * `loadOptions.getProducts`, called by the harness on n8n-core's real LoadOptionsContext, whose
 * HTTP helper really reaches the stand-in platform.
 */
import type { IDataObject } from 'n8n-workflow';

import { EXAMPLE, startSandbox, type Sandbox } from '../../../../sandbox';
import { loadOptions } from '../../../harness';
import { editorRequest } from '../../../support/infusionsoftRun';

describe('the Product dropdown of Order → Create', () => {
	let sb: Sandbox;
	/** The Product list of an Order → Create item, the Instance field holding `instance`. */
	const products = (instance: unknown) =>
		loadOptions(
			editorRequest(sb, { resource: 'order', operation: 'create', instance }, 'productId'),
		);

	beforeAll(async () => {
		sb = await startSandbox();
	});
	afterAll(async () => sb.close());
	beforeEach(() => sb.reset());

	/** An instance, connected through the platform API as the node connects one. */
	async function connect(
		name: string,
		element: 'infusionsoftrest' | 'infusionsoftcrm' = 'infusionsoftrest',
	): Promise<{ id: number; token: string }> {
		const response = await fetch(`${sb.apiRoot}/instances`, {
			method: 'POST',
			headers: {
				Authorization: `User ${EXAMPLE.userSecret}, Organization ${EXAMPLE.organizationSecret}`,
				'Content-Type': 'application/json',
			},
			body: JSON.stringify({
				element: { key: element },
				providerData: {
					code: sb.issueCode({ clientId: EXAMPLE.clientId, callbackUrl: EXAMPLE.callbackUrl }),
				},
				configuration: {
					'oauth.callback.url': EXAMPLE.callbackUrl,
					'oauth.api.key': EXAMPLE.clientId,
					'oauth.api.secret': EXAMPLE.clientSecret,
					...(element === 'infusionsoftcrm' && {
						'infusionsoft.server': EXAMPLE.server,
						'infusionsoft.private.key': EXAMPLE.encryptedKey,
					}),
				},
				name,
			}),
		});
		expect(response.status).toBe(200);
		return (await response.json()) as { id: number; token: string };
	}

	async function instanceWithProducts(name: string, products: IDataObject[]) {
		const instance = await connect(name);
		sb.seedRecords(instance.id, 'products', products);
		return instance;
	}

	it('lists the chosen instance’s products (and no other’s), by name, with SKU and ID, through its token', async () => {
		const shop = await instanceWithProducts('Shop', [
			{ product_name: 'Mug', product_price: 7 },
			{ product_name: 'Gold membership', product_price: 19.99, sku: 'GOLD-1' },
		]);
		await instanceWithProducts('Other shop', [{ product_name: 'Not theirs' }]);
		sb.requests.length = 0;
		const options = await products({ __rl: true, mode: 'list', value: String(shop.id) });
		expect(options).toEqual([
			{ name: 'Gold membership · GOLD-1 (#2)', value: '2' },
			{ name: 'Mug (#1)', value: '1' },
		]);
		const hubCall = sb.requests.find((r) => r.path.includes('/hubs/crm/products'));
		expect(hubCall?.headers.authorization).toBe(
			`User ${EXAMPLE.userSecret}, Organization ${EXAMPLE.organizationSecret}, Element ${shop.token}`,
		);
		const byId = await products({ mode: 'id', value: ` ${shop.id} ` });
		expect(byId.map((option) => option.value)).toEqual(['2', '1']);
	});

	it('an instance without products gives an empty list', async () => {
		const empty = await connect('Empty');
		expect(await products({ mode: 'list', value: String(empty.id) })).toEqual([]);
	});

	it('a legacy instance is refused by name, not shown as an empty list', async () => {
		const legacy = await connect('Old', 'infusionsoftcrm');
		sb.requests.length = 0;
		await expect(products({ mode: 'id', value: String(legacy.id) })).rejects.toThrow(
			`"Product list" works through Keap REST instances only; instance ${legacy.id} is Infusionsoft CRM (legacy, needs the Encrypted Key)`,
		);
		expect(sb.requests.filter((r) => r.path.includes('/hubs/crm/'))).toEqual([]);
	});

	it('asks for an instance first when none is chosen, or it is given by token or an expression', async () => {
		for (const instance of [
			{ mode: 'list', value: '' },
			{ mode: 'elementAuth', value: 'some-token' },
			{ mode: 'id', value: '={{ $json.id }}' },
		]) {
			await expect(products(instance)).rejects.toThrow(
				'Choose an instance first (From List or By ID) to load this list',
			);
		}
		expect(sb.requests).toEqual([]);
	});
});

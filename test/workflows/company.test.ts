/**
 * Companies (Keap REST) through n8n's engine against the stand-in's CRM hub: the five
 * operations in Keap's names, the token kept out of sight, the legacy element refused, Continue
 * On Fail, and a create whose answer is lost reported as unknown, never sent twice.
 */
import { expectNoSecrets } from '../support/infusionsoftRun';
import { hubTestKit, type Element } from '../support/hubCustomer';

describe('companies through a Keap REST instance', () => {
	const kit = hubTestKit();
	const { run, byId, hubCalls } = kit;
	const connect = (element: Element) => kit.connect(element, element);

	it('Create, Get, Update, Get Many by name and Delete, in Keap REST v1’s names', async () => {
		const { id, token } = await connect('infusionsoftrest');
		const instance = byId(id);
		const created = await run({
			resource: 'company',
			operation: 'create',
			instance,
			companyName: 'Acme',
			additionalFields: {
				email: 'info@acme.example',
				phone: '+1 480 555 0100',
				website: 'https://acme.example',
				street: '1 Main St',
				city: 'Chandler',
				countryCode: 'USA',
			},
		});
		expect(created.error).toBeUndefined();
		expect(created.items[0].json).toMatchObject({
			company_name: 'Acme',
			email_address: 'info@acme.example',
			phone_number: { number: '+1 480 555 0100' },
			website: 'https://acme.example',
			address: { line1: '1 Main St', locality: 'Chandler', country_code: 'USA' },
		});
		expect(kit.sb.records(id, 'companies')).toHaveLength(1);
		expect(hubCalls()[0]).toMatchObject({
			method: 'POST',
			path: '/elements/api-v2/hubs/crm/companies',
			body: {
				company_name: 'Acme',
				email_address: 'info@acme.example',
				phone_number: { number: '+1 480 555 0100' },
				website: 'https://acme.example',
				address: { line1: '1 Main St', locality: 'Chandler', country_code: 'USA' },
			},
		});
		expect(hubCalls()[0].headers.authorization).toContain(`Element ${token}`);
		expectNoSecrets(created, [token]);
		const companyId = String(created.items[0].json.id);

		const got = await run({ resource: 'company', operation: 'get', instance, companyId });
		expect(got.items[0].json).toMatchObject({ id: Number(companyId), company_name: 'Acme' });

		const updated = await run({
			resource: 'company',
			operation: 'update',
			instance,
			companyId,
			updateFields: { notes: 'Key account', region: 'Arizona' },
		});
		expect(updated.items[0].json).toMatchObject({
			notes: 'Key account',
			address: { line1: '1 Main St', locality: 'Chandler', region: 'Arizona' },
		});

		kit.sb.seedRecords(id, 'companies', [
			{ company_name: 'Other' },
			{ company_name: "O'Brien & Co" },
		]);
		const named = await run({
			resource: 'company',
			operation: 'getAll',
			instance,
			returnAll: true,
			filters: { companyName: "O'Brien & Co" },
		});
		expect(named.items.map((i) => i.json.company_name)).toEqual(["O'Brien & Co"]);
		const limited = await run({ resource: 'company', operation: 'getAll', instance, limit: 2 });
		expect(limited.items).toHaveLength(2);
		const none = await run({
			resource: 'company',
			operation: 'getAll',
			instance,
			returnAll: true,
			filters: { where: "website = 'https://none.example'" },
		});
		expect(none.error).toBeUndefined();
		expect(none.items).toEqual([]);

		const deleted = await run({ resource: 'company', operation: 'delete', instance, companyId });
		expect(deleted.items[0].json).toEqual({
			id: Number(companyId),
			deleted: true,
			alreadyDeleted: false,
		});
		const again = await run({ resource: 'company', operation: 'delete', instance, companyId });
		expect(again.items[0].json).toMatchObject({ alreadyDeleted: true });
		const missing = await run({ resource: 'company', operation: 'get', instance, companyId });
		expect(missing.error?.description).toContain('check the Company ID');
	});

	it('a legacy instance is refused by name before any hub call', async () => {
		const legacy = await connect('infusionsoftcrm');
		const refused = await run({
			resource: 'company',
			operation: 'create',
			instance: byId(legacy.id),
			companyName: 'Acme',
		});
		expect(refused.error?.message).toContain(
			`"Create a company" works through Keap REST instances only; instance ${legacy.id} is`,
		);
		expect(hubCalls()).toHaveLength(0);
	});

	it('Continue On Fail: a bad item among good ones fails alone, before any call of its own, paired and in order', async () => {
		const { id } = await connect('infusionsoftrest');
		const result = await run(
			{
				resource: 'company',
				operation: 'create',
				instance: byId(id),
				companyName: '={{ $json.name }}',
				additionalFields: { email: '={{ $json.email }}' },
			},
			[
				{ name: 'First', email: 'a@first.example' },
				{ name: 'Second', email: 'not an email' },
				{ name: ' ', email: 'c@third.example' },
				{ name: 'Fourth', email: 'd@fourth.example' },
			],
			true,
		);
		expect(result.items.map((i) => i.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
		expect(result.items[0].json.company_name).toBe('First');
		expect(result.items[1].json.error).toBe('Fields → Email is not an email address [item 1]');
		expect(result.items[2].json.error).toBe('Company Name is empty [item 2]');
		expect(result.items[3].json.company_name).toBe('Fourth');
		expect(kit.sb.records(id, 'companies').map((c) => c.company_name)).toEqual(['First', 'Fourth']);
	});

	it('a create whose answer is lost is reported as unknown, never sent twice', async () => {
		const { id } = await connect('infusionsoftrest');
		kit.sb.fail({ method: 'POST', path: '/hubs/crm/companies', drop: 'after' });
		const created = await run({
			resource: 'company',
			operation: 'create',
			instance: byId(id),
			companyName: 'Once',
		});
		expect(created.error?.description).toContain('may or may not have been created');
		expect(kit.sb.records(id, 'companies')).toHaveLength(1);
		expect(hubCalls().filter((r) => r.method === 'POST')).toHaveLength(1);
	});
});

/**
 * Contact → Create or Update (Keap REST) through n8n's engine against the stand-in's CRM hub:
 * PUT /contacts with Keap's duplicate_option, by email or by email and name; an answer lost is
 * simply asked again (a second PUT finds the contact the first made); the legacy element refused.
 */
import type { IDataObject } from 'n8n-workflow';

import { expectNoSecrets } from '../support/infusionsoftRun';
import { hubTestKit, type Element } from '../support/hubCustomer';

describe('contact Create or Update through a Keap REST instance', () => {
	const kit = hubTestKit();
	const { run, byId, hubCalls } = kit;
	const connect = (element: Element) => kit.connect(element, element);
	const upsert = (id: number, extra: IDataObject) => ({
		resource: 'contact',
		operation: 'upsert',
		instance: byId(id),
		...extra,
	});

	it('by Email: creates the contact once, then updates the one with that email', async () => {
		const { id, token } = await connect('infusionsoftrest');
		const first = await run(
			upsert(id, {
				email: 'ada@example.com',
				fields: { firstName: 'Ada', companyName: 'Engines' },
			}),
		);
		expect(first.error).toBeUndefined();
		expect(first.items[0].json).toMatchObject({
			id: 1,
			email: 'ada@example.com',
			firstName: 'Ada',
			companyName: 'Engines',
			given_name: 'Ada',
		});
		expect(hubCalls()[0]).toMatchObject({
			method: 'PUT',
			path: '/elements/api-v2/hubs/crm/contacts',
			body: {
				given_name: 'Ada',
				email_addresses: [{ email: 'ada@example.com', field: 'EMAIL1' }],
				company: { company_name: 'Engines' },
				duplicate_option: 'Email',
			},
		});
		expect(hubCalls()[0].headers.authorization).toContain(`Element ${token}`);
		expectNoSecrets(first, [token]);

		const second = await run(
			upsert(id, {
				email: 'ada@example.com',
				fields: { lastName: 'Lovelace' },
				additionalJson: '{"job_title": "Analyst"}',
			}),
		);
		expect(second.error?.message).toContain("'job_title'");
		const third = await run(
			upsert(id, { email: 'ADA@example.com', fields: { lastName: 'Lovelace' } }),
		);
		expect(third.items[0].json).toMatchObject({ id: 1, firstName: 'Ada', lastName: 'Lovelace' });
		expect(kit.sb.records(id, 'contacts')).toHaveLength(1);
	});

	it('by Email and Name: the same email with another name is another contact; both names are required', async () => {
		const { id } = await connect('infusionsoftrest');
		const byName = (firstName: string) =>
			upsert(id, {
				email: 'lee@example.com',
				matchBy: 'EmailAndName',
				fields: { firstName, lastName: 'Lee' },
			});
		await run(byName('Ann'));
		await run(byName('Bob'));
		const ann = await run(byName('Ann'));
		expect(ann.items[0].json).toMatchObject({ id: 1, firstName: 'Ann' });
		expect(kit.sb.records(id, 'contacts').map((c) => c.given_name)).toEqual(['Ann', 'Bob']);
		expect(hubCalls().map((r) => (r.body as IDataObject).duplicate_option)).toEqual([
			'EmailAndName',
			'EmailAndName',
			'EmailAndName',
		]);

		kit.sb.requests.length = 0;
		const noLast = await run(
			upsert(id, { email: 'lee@example.com', matchBy: 'EmailAndName', fields: { firstName: 'A' } }),
		);
		expect(noLast.error?.message).toBe(
			'Match By Email and Name needs a First Name and a Last Name under Fields [item 0]',
		);
		expect(hubCalls()).toHaveLength(0);
	});

	it('an answer lost after Keap acted is asked again: the second PUT updates what the first made', async () => {
		const { id } = await connect('infusionsoftrest');
		kit.sb.fail({ method: 'PUT', path: '/hubs/crm/contacts', drop: 'after' });
		const result = await run(upsert(id, { email: 'once@example.com', fields: { firstName: 'O' } }));
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ id: 1, email: 'once@example.com' });
		expect(hubCalls().filter((r) => r.method === 'PUT')).toHaveLength(2);
		expect(kit.sb.records(id, 'contacts')).toHaveLength(1);
	});

	it('Continue On Fail: a bad email fails alone, before any call of its own, paired and in order; the legacy element is refused', async () => {
		const { id } = await connect('infusionsoftrest');
		const result = await run(
			upsert(id, { email: '={{ $json.email }}', fields: { firstName: 'X' } }),
			[{ email: 'a@example.com' }, { email: 'nope' }, { email: '' }, { email: 'a@example.com' }],
			true,
		);
		expect(result.items.map((i) => i.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
		expect(result.items[0].json).toMatchObject({ id: 1 });
		expect(result.items[1].json.error).toBe('Email is not an email address [item 1]');
		expect(result.items[2].json.error).toBe('Email is empty [item 2]');
		expect(result.items[3].json).toMatchObject({ id: 1 });
		expect(hubCalls().filter((r) => r.method === 'PUT')).toHaveLength(2);

		const legacy = await connect('infusionsoftcrm');
		const refused = await run(upsert(legacy.id, { email: 'a@example.com' }));
		expect(refused.error?.message).toContain(
			`"Create or update a contact" works through Keap REST instances only; instance ${legacy.id} is`,
		);
		expect(hubCalls()).toHaveLength(0);
	});
});

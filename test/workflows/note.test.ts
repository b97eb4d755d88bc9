/**
 * Notes on contacts (Keap REST) through n8n's engine against the stand-in's CRM hub: the five
 * operations in Keap's names, the token kept out of sight, the legacy element refused, Continue
 * On Fail, and a create whose answer is lost reported as unknown, never sent twice.
 */
import type { IDataObject } from 'n8n-workflow';

import { loadOptions } from '../harness';
import { editorRequest, expectNoSecrets } from '../support/infusionsoftRun';
import { hubTestKit, type Element } from '../support/hubCustomer';

describe('notes through a Keap REST instance', () => {
	const kit = hubTestKit();
	const { run, byId, hubCalls } = kit;
	const connect = (element: Element) => kit.connect(element, element);

	it('Create on a contact, Get, Update, Get Many of one contact and Delete, in Keap REST v1’s names', async () => {
		const { id, token } = await connect('infusionsoftrest');
		const instance = byId(id);
		const [ann, bob] = kit.sb.seedRecords(id, 'contacts', [
			{ given_name: 'Ann' },
			{ given_name: 'Bob' },
		]);
		const [user] = kit.sb.seedRecords(id, 'users', [{ given_name: 'Sam' }]);
		const created = await run({
			resource: 'note',
			operation: 'create',
			instance,
			contactId: String(ann.id),
			title: 'Called',
			additionalFields: { body: 'Left a message', type: 'Call', userId: String(user.id) },
		});
		expect(created.error).toBeUndefined();
		expect(created.items[0].json).toMatchObject({
			contact_id: ann.id,
			title: 'Called',
			body: 'Left a message',
			type: 'Call',
			user_id: user.id,
		});
		expect(hubCalls()[0]).toMatchObject({
			method: 'POST',
			path: '/elements/api-v2/hubs/crm/notes',
			body: {
				contact_id: ann.id,
				title: 'Called',
				body: 'Left a message',
				type: 'Call',
				user_id: user.id,
			},
		});
		expect(hubCalls()[0].headers.authorization).toContain(`Element ${token}`);
		expectNoSecrets(created, [token]);
		const noteId = String(created.items[0].json.id);

		const got = await run({ resource: 'note', operation: 'get', instance, noteId });
		expect(got.items[0].json).toMatchObject({ id: Number(noteId), title: 'Called' });
		const updated = await run({
			resource: 'note',
			operation: 'update',
			instance,
			noteId,
			updateFields: { type: 'Meeting', body: 'Met instead' },
		});
		expect(updated.items[0].json).toMatchObject({ type: 'Meeting', body: 'Met instead' });
		expect(kit.sb.records(id, 'notes')[0]).toMatchObject({ type: 'Meeting', title: 'Called' });

		kit.sb.seedRecords(id, 'notes', [
			{ contact_id: bob.id, title: 'Bob 1' },
			{ contact_id: bob.id, title: 'Bob 2' },
		]);
		const bobs = await run({
			resource: 'note',
			operation: 'getAll',
			instance,
			returnAll: true,
			filters: { contactId: String(bob.id) },
		});
		expect(bobs.items.map((i) => i.json.title)).toEqual(['Bob 1', 'Bob 2']);
		const limited = await run({ resource: 'note', operation: 'getAll', instance, limit: 1 });
		expect(limited.items.map((i) => i.json.title)).toEqual(['Called']);
		const calls = await run({
			resource: 'note',
			operation: 'getAll',
			instance,
			returnAll: true,
			filters: { contactId: String(bob.id), where: "type = 'Call'" },
		});
		expect(calls.items).toEqual([]);

		const deleted = await run({ resource: 'note', operation: 'delete', instance, noteId });
		expect(deleted.items[0].json).toEqual({
			id: Number(noteId),
			deleted: true,
			alreadyDeleted: false,
		});
		const missing = await run({ resource: 'note', operation: 'get', instance, noteId });
		expect(missing.error?.description).toContain('check the Note ID');
	});

	it('a legacy instance is refused by name before any hub call', async () => {
		const legacy = await connect('infusionsoftcrm');
		const refused = await run({
			resource: 'note',
			operation: 'getAll',
			instance: byId(legacy.id),
		});
		expect(refused.error?.message).toContain(
			`"Get many notes" works through Keap REST instances only; instance ${legacy.id} is`,
		);
		expect(hubCalls()).toHaveLength(0);
	});

	it('Continue On Fail: bad items fail alone, before any call of their own, paired and in order; a missing contact is the platform’s 400', async () => {
		const { id } = await connect('infusionsoftrest');
		const [ann] = kit.sb.seedRecords(id, 'contacts', [{ given_name: 'Ann' }]);
		const result = await run(
			{
				resource: 'note',
				operation: 'create',
				instance: byId(id),
				contactId: '={{ $json.contactId }}',
				title: '={{ $json.title }}',
				additionalFields: { type: '={{ $json.type }}' },
			},
			[
				{ contactId: ann.id, title: 'One', type: 'Email' },
				{ contactId: 'Ann', title: 'Two', type: 'Email' },
				{ contactId: ann.id, title: 'Three', type: 'Chat' },
				{ contactId: 999, title: 'Four', type: 'Other' },
				{ contactId: ann.id, title: 'Five', type: 'letter' },
			],
			true,
		);
		expect(result.items.map((i) => i.pairedItem)).toEqual(
			[0, 1, 2, 3, 4].map((item) => ({ item })),
		);
		expect(result.items[0].json).toMatchObject({ title: 'One', type: 'Email' });
		expect(result.items[1].json.error).toBe('Contact ID must be a whole number [item 1]');
		expect(result.items[2].json.error).toMatch(/^Fields → Type must be one of Appointment, /);
		expect(JSON.stringify(result.items[3].json)).toContain('no contact found with id 999');
		expect(result.items[4].json).toMatchObject({ title: 'Five', type: 'Letter' });
		expect(kit.sb.records(id, 'notes').map((n) => n.title)).toEqual(['One', 'Five']);
		expect(
			hubCalls()
				.filter((r) => r.method === 'POST')
				.map((r) => (r.body as IDataObject).title),
		).toEqual(['One', 'Four', 'Five']);
	});

	it('a create whose answer is lost is reported as unknown, never sent twice', async () => {
		const { id } = await connect('infusionsoftrest');
		const [ann] = kit.sb.seedRecords(id, 'contacts', [{ given_name: 'Ann' }]);
		kit.sb.fail({ method: 'POST', path: '/hubs/crm/notes', drop: 'after' });
		const created = await run({
			resource: 'note',
			operation: 'create',
			instance: byId(id),
			contactId: String(ann.id),
			title: 'Once',
		});
		expect(created.error?.description).toContain('may or may not have been created');
		expect(created.error?.description).toContain(`notes of contact ${ann.id}`);
		expect(kit.sb.records(id, 'notes')).toHaveLength(1);
		expect(hubCalls().filter((r) => r.method === 'POST')).toHaveLength(1);
	});

	describe('the User dropdown', () => {
		const users = (instance: unknown) =>
			loadOptions(
				editorRequest(
					kit.sb,
					{ resource: 'note', operation: 'create', instance, contactId: '1' },
					'userId',
				),
			);

		it('lists the Keap users of the instance chosen in the Instance field, by name, with their IDs', async () => {
			const { id, token } = await connect('infusionsoftrest');
			kit.sb.seedRecords(id, 'users', [
				{ given_name: 'Sam', family_name: 'Stone', email_address: 'sam@example.com' },
				{ given_name: 'Ada', family_name: null, email_address: null },
				{ given_name: null, family_name: null, email_address: 'ops@example.com' },
			]);
			const options = await users({ __rl: true, mode: 'list', value: String(id) });
			expect(options).toEqual([
				{ name: 'Ada', value: '2' },
				{ name: 'ops@example.com', value: '3' },
				{ name: 'Sam Stone (sam@example.com)', value: '1' },
			]);
			expect(hubCalls().map((r) => [r.method, r.path])).toEqual([
				['GET', '/elements/api-v2/hubs/crm/users'],
			]);
			expect(hubCalls()[0].headers.authorization).toContain(`Element ${token}`);
			expect(JSON.stringify(options)).not.toContain(token);
		});

		it('asks for an instance first when none is chosen (or one is given by token); none answers an empty list', async () => {
			await expect(users({ __rl: true, mode: 'list', value: '' })).rejects.toThrow(
				'Choose an instance first (From List or By ID) to load this list',
			);
			await expect(users({ __rl: true, mode: 'elementAuth', value: 'tok' })).rejects.toThrow(
				'Choose an instance first',
			);
			const { id } = await connect('infusionsoftrest');
			expect(await users({ __rl: true, mode: 'id', value: String(id) })).toEqual([]);
		});
	});
});

/**
 * Tags through a Keap REST instance: Tag → Get Many and Create, Contact → Get Tags, and Add /
 * Remove Tags with the tags picked from the dropdown's list or given as saved text, through
 * n8n's engine against the stand-in's CRM hub.
 */
import { expectNoSecrets, legacyRefusal } from '../support/infusionsoftRun';
import { hubTestKit } from '../support/hubCustomer';

describe('tags through the CRM hub', () => {
	const kit = hubTestKit();
	const { run, byId, hubCalls } = kit;
	const { connect } = kit;

	it('Create stores the tag in Keap’s names; Get Many lists them, by name and by category', async () => {
		const { id, token } = await connect('infusionsoftrest');
		const instance = byId(id);
		const created = await run({
			resource: 'tag',
			operation: 'create',
			instance,
			name: ' VIP ',
			additionalFields: { description: 'Our best customers', categoryId: '4' },
		});
		expect(created.error).toBeUndefined();
		expect(created.items[0].json).toEqual({
			id: 1,
			name: 'VIP',
			description: 'Our best customers',
			category: { id: 4 },
		});
		expect(kit.sb.records(id, 'tags')).toEqual([created.items[0].json]);
		expect(hubCalls()[0].headers.authorization).toContain(`Element ${token}`);
		expectNoSecrets(created, [token]);
		await run({ resource: 'tag', operation: 'create', instance, name: 'Lead' });

		const all = await run({ resource: 'tag', operation: 'getAll', instance, returnAll: true });
		expect(all.items.map((i) => i.json.name)).toEqual(['VIP', 'Lead']);
		const byName = await run({
			resource: 'tag',
			operation: 'getAll',
			instance,
			returnAll: true,
			filters: { name: 'Lead' },
		});
		expect(byName.items.map((i) => i.json.id)).toEqual([2]);
		const byCategory = await run({
			resource: 'tag',
			operation: 'getAll',
			instance,
			limit: 10,
			filters: { categoryId: 4 },
		});
		expect(byCategory.items.map((i) => i.json.name)).toEqual(['VIP']);
		const none = await run({
			resource: 'tag',
			operation: 'getAll',
			instance,
			returnAll: true,
			filters: { name: 'Nobody' },
		});
		expect(none.error).toBeUndefined();
		expect(none.items).toEqual([]);
	});

	it('a tag create whose answer is lost is looked up by name, not sent twice', async () => {
		const { id } = await connect('infusionsoftrest');
		kit.sb.fail({ method: 'POST', path: '/hubs/crm/tags', drop: 'after' });
		const created = await run({
			resource: 'tag',
			operation: 'create',
			instance: byId(id),
			name: 'Once',
		});
		expect(created.error).toBeUndefined();
		expect(created.items[0].json).toMatchObject({ id: 1, name: 'Once' });
		expect(kit.sb.records(id, 'tags')).toHaveLength(1);
		expect(hubCalls().filter((r) => r.method === 'POST')).toHaveLength(1);
	});

	it('Contact → Get Tags: one item per applied tag, as Keap gives it; none is no item; a missing contact is an error naming it', async () => {
		const { id } = await connect('infusionsoftrest');
		const instance = byId(id);
		kit.sb.seedRecords(id, 'tags', [{ name: 'VIP' }, { name: 'Lead' }]);
		kit.sb.seedRecords(id, 'contacts', [{ given_name: 'Ann', tag_ids: [2] }, { given_name: 'Bo' }]);
		await run({
			resource: 'contact',
			operation: 'addTags',
			instance,
			contactId: '1',
			tagIds: ['1'],
		});
		const tags = await run({
			resource: 'contact',
			operation: 'getTags',
			instance,
			contactId: '1',
			returnAll: true,
		});
		expect(tags.error).toBeUndefined();
		expect(tags.items.map((i) => i.json)).toEqual([
			{ tag: { id: 2, name: 'Lead', category: null }, date_applied: expect.any(String) },
			{ tag: { id: 1, name: 'VIP', category: null }, date_applied: expect.any(String) },
		]);
		const one = await run({
			resource: 'contact',
			operation: 'getTags',
			instance,
			contactId: '1',
			limit: 1,
		});
		expect(one.items).toHaveLength(1);

		const untagged = await run({
			resource: 'contact',
			operation: 'getTags',
			instance,
			contactId: '2',
			returnAll: true,
		});
		expect(untagged.error).toBeUndefined();
		expect(untagged.items).toEqual([]);

		const missing = await run(
			{ resource: 'contact', operation: 'getTags', instance, contactId: '={{ $json.contactId }}' },
			[{ contactId: 1 }, { contactId: 9 }, { contactId: 'x' }],
			true,
		);
		expect(missing.items.map((i) => i.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
		]);
		expect(missing.items[2].json.error).toContain('No contact found with id 9');
		expect(missing.items[2].json.errorDescription).toContain('check the Contact ID');
		expect(missing.items[3].json.error).toBe('Contact ID must be a whole number [item 2]');
	});

	it('Add / Remove Tags take the dropdown’s list, and the text saved before it was one ("1, 2"), alike', async () => {
		const { id } = await connect('infusionsoftrest');
		const instance = byId(id);
		kit.sb.seedRecords(id, 'tags', [{ name: 'VIP' }, { name: 'Lead' }, { name: 'Cold' }]);
		kit.sb.seedRecords(id, 'contacts', [{ given_name: 'Ann' }, { given_name: 'Bo' }]);
		const picked = await run({
			resource: 'contact',
			operation: 'addTags',
			instance,
			contactId: '1',
			tagIds: ['1', '3'],
		});
		expect(picked.items[0].json).toEqual({ id: 1, tag_ids: [1, 3] });
		const saved = await run({
			resource: 'contact',
			operation: 'addTags',
			instance,
			contactId: '2',
			tagIds: '1, 2',
		});
		expect(saved.items[0].json).toEqual({ id: 2, tag_ids: [1, 2] });
		const removed = await run({
			resource: 'contact',
			operation: 'removeTags',
			instance,
			contactId: '1',
			tagIds: ['3'],
		});
		expect(removed.items[0].json).toEqual({ id: 1, tag_ids: [1] });
		const empty = await run({
			resource: 'contact',
			operation: 'addTags',
			instance,
			contactId: '1',
			tagIds: '={{ [] }}',
		});
		expect(empty.error?.message).toBe('Tag Names or IDs is empty [item 0]');
	});

	it('the legacy element is refused by name before any hub call, by every tag operation', async () => {
		const legacy = await connect('infusionsoftcrm');
		const instance = byId(legacy.id);
		for (const parameters of [
			{ resource: 'tag', operation: 'getAll', instance },
			{ resource: 'tag', operation: 'create', instance, name: 'VIP' },
			{ resource: 'contact', operation: 'getTags', instance, contactId: '1' },
		]) {
			const refused = await run(parameters);
			expect(refused.error?.message).toBe(
				legacyRefusal(parameters.resource, parameters.operation, legacy.id),
			);
		}
		expect(hubCalls()).toHaveLength(0);
	});

	it('Continue On Fail: a bad item among good ones, paired and in order', async () => {
		const { id } = await connect('infusionsoftrest');
		const created = await run(
			{ resource: 'tag', operation: 'create', instance: byId(id), name: '={{ $json.name }}' },
			[{ name: 'A' }, { name: '' }, { name: 'C' }],
			true,
		);
		expect(created.items.map((i) => i.json.name ?? i.json.error)).toEqual([
			'A',
			'Name is empty [item 1]',
			'C',
		]);
		expect(created.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(kit.sb.records(id, 'tags').map((t) => t.name)).toEqual(['A', 'C']);
	});
});

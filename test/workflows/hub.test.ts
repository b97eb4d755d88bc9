/**
 * Using a connection: contacts (both elements), tasks (Keap REST), the Custom API Call and Test
 * Connection, through n8n's engine against the stand-in's CRM hub.
 */
import { apiCalls, expectNoSecrets } from '../support/infusionsoftRun';
import { EXAMPLE } from '../../sandbox';
import { hubTestKit, type Element } from '../support/hubCustomer';

describe('using a connection through the CRM hub', () => {
	const kit = hubTestKit();
	const { run, byId, hubCalls } = kit;
	const { connect } = kit;

	describe.each(['infusionsoftrest', 'infusionsoftcrm'] as Element[])(
		'contacts through a %s instance',
		(element) => {
			it('Create, Get, Update, Get Many and Delete, with the common fields on top of the element’s own record', async () => {
				const { id: instanceId, token } = await connect(element);
				const instance = byId(instanceId);
				const created = await run({
					resource: 'contact',
					operation: 'create',
					instance,
					fields: {
						firstName: 'Ada',
						lastName: 'Lovelace',
						email: 'ada@example.com',
						phone: '+44 1',
						companyName: 'Engines',
					},
				});
				expect(created.error).toBeUndefined();
				const contact = created.items[0].json;
				expect(contact).toMatchObject({
					firstName: 'Ada',
					lastName: 'Lovelace',
					email: 'ada@example.com',
					phone: '+44 1',
					companyName: 'Engines',
				});
				const stored = kit.sb.records(instanceId, 'contacts');
				expect(stored).toHaveLength(1);
				if (element === 'infusionsoftrest') {
					expect(stored[0]).toMatchObject({
						given_name: 'Ada',
						family_name: 'Lovelace',
						email_addresses: [{ email: 'ada@example.com', field: 'EMAIL1' }],
					});
				} else {
					expect(stored[0]).toMatchObject({
						FirstName: 'Ada',
						LastName: 'Lovelace',
						Email: 'ada@example.com',
						Phone1: '+44 1',
						Company: 'Engines',
					});
					expect(contact.Id).toBe(contact.id);
				}
				// The token goes in the header, never into what the user sees.
				expect(hubCalls()[0].headers.authorization).toBe(
					`User ${EXAMPLE.userSecret}, Organization ${EXAMPLE.organizationSecret}, Element ${token}`,
				);
				expectNoSecrets(created, [token]);

				const got = await run({
					resource: 'contact',
					operation: 'get',
					instance,
					contactId: String(contact.id),
				});
				expect(got.items[0].json).toMatchObject({ id: contact.id, email: 'ada@example.com' });

				const updated = await run({
					resource: 'contact',
					operation: 'update',
					instance,
					contactId: String(contact.id),
					updateFields: { lastName: 'King' },
				});
				expect(updated.items[0].json).toMatchObject({
					id: contact.id,
					firstName: 'Ada',
					lastName: 'King',
				});

				const list = await run({
					resource: 'contact',
					operation: 'getAll',
					instance,
					returnAll: true,
					filters: { lastName: 'King' },
				});
				expect(list.items.map((i) => i.json.id)).toEqual([contact.id]);
				const none = await run({
					resource: 'contact',
					operation: 'getAll',
					instance,
					returnAll: true,
					filters: { lastName: 'Nobody' },
				});
				expect(none.error).toBeUndefined();
				expect(none.items).toEqual([]);

				const deleted = await run({
					resource: 'contact',
					operation: 'delete',
					instance,
					contactId: String(contact.id),
				});
				expect(deleted.items[0].json).toEqual({
					id: contact.id,
					deleted: true,
					alreadyDeleted: false,
				});
				expect(kit.sb.records(instanceId, 'contacts')).toEqual([]);
			});

			it('Get Many: Return All reads every page; a Limit stops early; a raw CEQL where is ANDed with the filters', async () => {
				const { id: instanceId } = await connect(element);
				const make = (i: number) =>
					element === 'infusionsoftrest'
						? {
								given_name: `P${i}`,
								family_name: i % 2 ? 'Odd' : 'Even',
								email_addresses: [{ email: `p${i}@example.com`, field: 'EMAIL1' }],
							}
						: { FirstName: `P${i}`, LastName: i % 2 ? 'Odd' : 'Even', Email: `p${i}@example.com` };
				kit.sb.seedRecords(
					instanceId,
					'contacts',
					Array.from({ length: 450 }, (_, i) => make(i)),
				);
				const all = await run({
					resource: 'contact',
					operation: 'getAll',
					instance: byId(instanceId),
					returnAll: true,
				});
				expect(all.items).toHaveLength(450);
				expect(hubCalls().length).toBeGreaterThanOrEqual(3);
				kit.sb.requests.length = 0;
				const some = await run({
					resource: 'contact',
					operation: 'getAll',
					instance: byId(instanceId),
					limit: 5,
				});
				expect(some.items).toHaveLength(5);
				expect(hubCalls()).toHaveLength(1);
				const lastName = element === 'infusionsoftrest' ? 'family_name' : 'LastName';
				const odd = await run({
					resource: 'contact',
					operation: 'getAll',
					instance: byId(instanceId),
					returnAll: true,
					filters: { email: 'p3@example.com', where: `${lastName} = 'Odd'` },
				});
				expect(odd.items.map((i) => i.json.email)).toEqual(['p3@example.com']);
			});
		},
	);

	it('the instance is read once per execution, however many items use it', async () => {
		const { id } = await connect('infusionsoftrest');
		const items = Array.from({ length: 5 }, (_, i) => ({ email: `x${i}@example.com` }));
		const created = await run(
			{
				resource: 'contact',
				operation: 'create',
				instance: byId(id),
				fields: { email: '={{ $json.email }}' },
			},
			items,
		);
		expect(created.items).toHaveLength(5);
		expect(apiCalls(kit.sb).filter((r) => r.path.endsWith(`/instances/${id}`))).toHaveLength(1);
	});

	it('By Token finds the instance the token belongs to; From List and By ID take its ID', async () => {
		const { id, token } = await connect('infusionsoftrest');
		const viaToken = await run(
			{
				resource: 'contact',
				operation: 'create',
				instance: { __rl: true, mode: 'elementAuth', value: '={{ $json.token }}' },
				fields: { email: 'a@example.com' },
			},
			[{ token }],
		);
		expect(viaToken.error).toBeUndefined();
		expect(kit.sb.records(id, 'contacts')).toHaveLength(1);
		const fromList = await run({
			resource: 'contact',
			operation: 'getAll',
			instance: { __rl: true, mode: 'list', value: String(id) },
			returnAll: true,
		});
		expect(fromList.items).toHaveLength(1);
		expectNoSecrets(viaToken, [token]);
		const wrong = await run(
			{
				resource: 'contact',
				operation: 'getAll',
				instance: { __rl: true, mode: 'elementAuth', value: 'not-a-token' },
			},
			[{}],
			true,
		);
		expect(wrong.items[0].json.error).toBe(
			'No instance of this Cloud Elements account has the given token [item 0]',
		);
	});

	it('a dead connection says to re-authenticate that instance, by name and ID; a disabled one says to enable it', async () => {
		const { id } = await connect('infusionsoftrest', 'Acme');
		kit.sb.instances.get(id)!.valid = false;
		const dead = await run({ resource: 'contact', operation: 'getAll', instance: byId(id) });
		expect(dead.error?.message).toBe(
			`The connection of instance "Acme" (${id}) no longer works: its token was refused`,
		);
		expect(dead.error?.description).toContain(`Instance → Re-Authenticate instance ${id}`);
		expect(dead.error?.description).toContain('Get OAuth URL');
		kit.sb.instances.get(id)!.valid = true;
		kit.sb.instances.get(id)!.disabled = true;
		const off = await run({ resource: 'contact', operation: 'getAll', instance: byId(id) });
		expect(off.error?.message).toBe(`Instance "Acme" (${id}) is disabled`);
		expect(off.error?.description).toContain('Instance → Enable');
	});

	it('a contact create whose answer is lost is looked up by email, not sent twice', async () => {
		const { id } = await connect('infusionsoftrest');
		kit.sb.fail({ method: 'POST', path: '/hubs/crm/contacts', drop: 'after' });
		const created = await run({
			resource: 'contact',
			operation: 'create',
			instance: byId(id),
			fields: { email: 'once@example.com' },
		});
		expect(created.error).toBeUndefined();
		expect(created.items[0].json.email).toBe('once@example.com');
		expect(kit.sb.records(id, 'contacts')).toHaveLength(1);
		expect(hubCalls().filter((r) => r.method === 'POST')).toHaveLength(1);

		kit.sb.fail({ method: 'POST', path: '/hubs/crm/contacts', drop: 'after' });
		const noEmail = await run({
			resource: 'contact',
			operation: 'create',
			instance: byId(id),
			fields: { firstName: 'NoMail' },
		});
		expect(noEmail.error?.description).toContain('may or may not have been created');
		expect(kit.sb.records(id, 'contacts')).toHaveLength(2);
	});

	it('tags: add and remove on Keap REST; the legacy element is refused before any hub call', async () => {
		const { id } = await connect('infusionsoftrest');
		const [tag] = kit.sb.seedRecords(id, 'tags', [{ name: 'VIP' }]) as Array<{ id: number }>;
		const [contact] = kit.sb.seedRecords(id, 'contacts', [{ given_name: 'T' }]) as Array<{
			id: number;
		}>;
		const added = await run({
			resource: 'contact',
			operation: 'addTags',
			instance: byId(id),
			contactId: String(contact.id),
			tagIds: String(tag.id),
		});
		expect(added.items[0].json).toEqual({ id: contact.id, tag_ids: [tag.id] });
		const removed = await run({
			resource: 'contact',
			operation: 'removeTags',
			instance: byId(id),
			contactId: String(contact.id),
			tagIds: String(tag.id),
		});
		expect(removed.items[0].json).toEqual({ id: contact.id, tag_ids: [] });

		const legacy = await connect('infusionsoftcrm');
		const refused = await run({
			resource: 'contact',
			operation: 'addTags',
			instance: byId(legacy.id),
			contactId: '1',
			tagIds: '1',
		});
		expect(refused.error?.message).toMatch(
			new RegExp(
				`^"Add tags to a contact" works through Keap REST instances only; instance ${legacy.id} is Infusionsoft CRM`,
			),
		);
		expect(hubCalls()).toHaveLength(0);
	});

	it('tasks on Keap REST: Create, Get, Update (completed), Get Many with CEQL, Delete', async () => {
		const { id } = await connect('infusionsoftrest');
		const instance = byId(id);
		const [contact] = kit.sb.seedRecords(id, 'contacts', [{ given_name: 'Task owner' }]) as Array<{
			id: number;
		}>;
		const created = await run({
			resource: 'task',
			operation: 'create',
			instance,
			title: 'Call back',
			additionalFields: { dueDate: '2026-12-01T10:00:00Z', contactId: String(contact.id) },
		});
		expect(created.error).toBeUndefined();
		expect(created.items[0].json).toMatchObject({
			title: 'Call back',
			completed: false,
			contact: { id: contact.id },
			due_date: '2026-12-01T10:00:00.000Z',
		});
		const taskId = String(created.items[0].json.id);
		expect(
			(await run({ resource: 'task', operation: 'get', instance, taskId })).items[0].json.title,
		).toBe('Call back');
		await run({
			resource: 'task',
			operation: 'update',
			instance,
			taskId,
			updateFields: { completed: true },
		});
		const open = await run({
			resource: 'task',
			operation: 'getAll',
			instance,
			returnAll: true,
			where: 'completed = false',
		});
		expect(open.items).toEqual([]);
		const done = await run({
			resource: 'task',
			operation: 'getAll',
			instance,
			returnAll: true,
			where: 'completed = true',
		});
		expect(done.items.map((i) => String(i.json.id))).toEqual([taskId]);
		expect(
			(await run({ resource: 'task', operation: 'delete', instance, taskId })).items[0].json,
		).toMatchObject({ deleted: true });

		const legacy = await connect('infusionsoftcrm');
		const refused = await run({ resource: 'task', operation: 'getAll', instance: byId(legacy.id) });
		expect(refused.error?.message).toContain(
			'"Get many tasks" works through Keap REST instances only',
		);
		expect(hubCalls()).toHaveLength(0);
	});

	it('Custom API Call: any method and path under /hubs/crm, query and body as JSON, Return All paging', async () => {
		const { id } = await connect('infusionsoftrest');
		kit.sb.seedRecords(
			id,
			'contacts',
			Array.from({ length: 250 }, (_, i) => ({ given_name: `C${i}` })),
		);
		const all = await run({
			resource: 'customApiCall',
			operation: 'request',
			instance: byId(id),
			method: 'GET',
			path: '/contacts',
			returnAll: true,
		});
		expect(all.items).toHaveLength(250);
		const one = await run({
			resource: 'customApiCall',
			operation: 'request',
			instance: byId(id),
			method: 'GET',
			path: '/contacts',
			query: '{"where": "given_name = \'C7\'"}',
		});
		expect(one.items.map((i) => i.json.given_name)).toEqual(['C7']);
		const posted = await run({
			resource: 'customApiCall',
			operation: 'request',
			instance: byId(id),
			method: 'POST',
			path: 'tags',
			body: '{"name": "From n8n"}',
		});
		expect(posted.items[0].json).toMatchObject({ name: 'From n8n' });
		const meta = await run({
			resource: 'customApiCall',
			operation: 'request',
			instance: byId(id),
			method: 'GET',
			path: '/objects/contacts/metadata',
		});
		expect(Array.isArray(meta.items[0].json.fields)).toBe(true);
		for (const path of [
			'/hubs/crm/contacts',
			'../instances',
			'https://evil.example/x',
			'/contacts?x=1',
		]) {
			kit.sb.requests.length = 0;
			const refused = await run({
				resource: 'customApiCall',
				operation: 'request',
				instance: byId(id),
				method: 'GET',
				path,
			});
			expect([path, refused.error?.message]).toEqual([
				path,
				'Path must be a path under /hubs/crm, such as /contacts/12 [item 0]',
			]);
			expect(apiCalls(kit.sb)).toHaveLength(0);
		}
	});

	it('Test Connection answers ok, needs-reauthentication, disabled or deleted, never an error for a dead connection', async () => {
		const { id } = await connect('infusionsoftrest', 'Health');
		const legacy = await connect('infusionsoftcrm', 'Old');
		const test = async (instanceId: number) =>
			(await run({ resource: 'instance', operation: 'testConnection', instance: byId(instanceId) }))
				.items[0].json;
		expect(await test(id)).toMatchObject({
			ok: true,
			status: 'ok',
			instanceId: id,
			name: 'Health',
			element: 'infusionsoftrest',
		});
		expect(await test(legacy.id)).toMatchObject({
			ok: true,
			status: 'ok',
			element: 'infusionsoftcrm',
		});
		kit.sb.instances.get(id)!.valid = false;
		expect(await test(id)).toMatchObject({ ok: false, status: 'needs-reauthentication' });
		kit.sb.instances.get(id)!.valid = true;
		kit.sb.instances.get(id)!.disabled = true;
		expect(await test(id)).toMatchObject({ ok: false, status: 'disabled' });
		expect(await test(99999)).toMatchObject({ ok: false, status: 'deleted', instanceId: 99999 });
	});
});

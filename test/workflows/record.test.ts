/**
 * Record (Any Object): the Object list, the Fields resource mapper and the filter fields as the
 * editor loads them, then Create, Get, Get Many (filters built into CEQL), Update and Delete on
 * both elements through n8n's engine against the stand-in; and which instances an operation
 * works on (the Instance list, and the refusal before any hub call).
 */
import type { IDataObject, ResourceMapperField } from 'n8n-workflow';

import { listSearch, loadOptions, resourceMapperFields } from '../harness';
import { apiCalls, editorRequest, expectNoSecrets } from '../support/infusionsoftRun';
import { hubTestKit } from '../support/hubCustomer';

describe('Record (Any Object)', () => {
	const kit = hubTestKit();
	const { run, byId, hubCalls } = kit;
	const { connect } = kit;
	/** The Fields parameter as the editor saves it: the schema it loaded and the values typed in. */
	const columns = (schema: ResourceMapperField[], value: IDataObject) => ({
		mappingMode: 'defineBelow',
		value,
		matchingColumns: [],
		schema,
		attemptToConvertTypes: false,
		convertFieldsToString: false,
	});
	/** The editor's lists, as n8n's server loads them for a Record node with `parameters`. */
	const objectList = (parameters: IDataObject) =>
		loadOptions(
			editorRequest(kit.sb, { resource: 'record', operation: 'get', ...parameters }, 'object'),
		);
	const recordFields = (parameters: IDataObject) =>
		resourceMapperFields(editorRequest(kit.sb, { resource: 'record', ...parameters }, 'columns'));
	const filterFields = (parameters: IDataObject) =>
		loadOptions(
			editorRequest(kit.sb, { resource: 'record', operation: 'getAll', ...parameters }, 'field'),
		);

	it('the editor’s lists: the instance’s objects, the Fields with their types (custom fields in, read-only out, required on Create), the filterable fields', async () => {
		const rest = await connect('infusionsoftrest');
		kit.sb.addCustomFields(rest.id, 'contacts', [
			{ label: 'Favourite colour' },
			{ label: 'Renewal', type: 'date' },
		]);
		const instance = byId(rest.id);
		// The objects the instance lists, by name; a path such as opportunity/stage_pipeline is left out.
		expect((await objectList({ instance })).map((o) => o.value)).toEqual([
			'companies',
			'contacts',
			'emails',
			'files',
			'notes',
			'opportunities',
			'orders',
			'products',
			'tags',
			'tasks',
			'users',
		]);

		const create = await recordFields({ operation: 'create', instance, object: 'contacts' });
		const byField = Object.fromEntries(create.fields.map((f) => [f.id, f]));
		expect(Object.keys(byField)).toEqual([
			'given_name',
			'family_name',
			'email_addresses',
			'phone_numbers',
			'company',
			'custom_fields.1',
			'custom_fields.2',
		]);
		expect(byField.given_name).toMatchObject({ type: 'string', required: false, display: true });
		expect(byField.email_addresses.type).toBe('array');
		expect(byField.company.type).toBe('object');
		expect(byField['custom_fields.1']).toMatchObject({
			displayName: 'Favourite colour (custom field)',
			type: 'string',
		});
		expect(byField['custom_fields.2'].type).toBe('dateTime');

		const taskCreate = await recordFields({ operation: 'create', instance, object: 'tasks' });
		const title = taskCreate.fields.find((f) => f.id === 'title');
		expect(title).toMatchObject({ required: true, type: 'string' });
		expect(taskCreate.fields.find((f) => f.id === 'completed')?.type).toBe('boolean');
		expect(taskCreate.fields.find((f) => f.id === 'due_date')?.type).toBe('dateTime');
		const taskUpdate = await recordFields({ operation: 'update', instance, object: 'tasks' });
		expect(taskUpdate.fields.find((f) => f.id === 'title')?.required).toBe(false);

		expect((await filterFields({ instance, object: 'contacts' })).map((o) => o.value)).toEqual([
			'given_name',
			'family_name',
			'email_addresses[*].email',
		]);

		await expect(
			recordFields({ operation: 'create', instance, object: 'transactions' }),
		).rejects.toThrow(/transactions/);
		await expect(recordFields({ operation: 'create', instance, object: '' })).rejects.toThrow(
			'Choose an Object first',
		);

		const legacy = await connect('infusionsoftcrm');
		expect(await objectList({ instance: byId(legacy.id) })).toEqual([
			{ name: 'contacts', value: 'contacts' },
		]);
	});

	it('Create, Get, Get Many with a filter, Update and Delete on Keap REST contacts, a custom field included', async () => {
		const { id: instanceId, token } = await connect('infusionsoftrest');
		kit.sb.addCustomFields(instanceId, 'contacts', [
			{ label: 'Favourite colour' },
			{ label: 'Renewal', type: 'date' },
		]);
		const instance = byId(instanceId);
		const { fields: schema } = await recordFields({
			operation: 'create',
			instance,
			object: 'contacts',
		});
		kit.sb.requests.length = 0;

		const created = await run(
			{
				resource: 'record',
				operation: 'create',
				instance,
				object: 'contacts',
				columns: columns(schema, {
					given_name: '={{ $json.first }}',
					family_name: "O'Brien",
					email_addresses: '={{ [{ email: $json.email }] }}',
					'custom_fields.1': 'teal',
					'custom_fields.2': '2027-01-31T10:00:00Z',
				}),
			},
			[{ first: 'Ann', email: 'ann@example.com' }],
		);
		expect(created.error).toBeUndefined();
		const record = created.items[0].json;
		expect(record).toMatchObject({
			id: 1,
			given_name: 'Ann',
			family_name: "O'Brien",
			email_addresses: [{ email: 'ann@example.com', field: 'EMAIL1' }],
			custom_fields: [
				{ id: 1, content: 'teal' },
				{ id: 2, content: '2027-01-31T10:00:00.000Z' },
			],
		});
		expect(hubCalls().map((r) => `${r.method} ${r.path.replace(/^.*\/hubs\/crm/, '')}`)).toEqual([
			'POST /contacts',
		]);
		expect(hubCalls()[0].headers.authorization).toContain(`Element ${token}`);
		expectNoSecrets(created, [token]);
		kit.sb.seedRecords(instanceId, 'contacts', [
			{ given_name: 'Bob', family_name: 'Obrien' },
			{ given_name: 'Cy', family_name: "O'Brien-Smith" },
		]);

		const got = await run(
			{
				resource: 'record',
				operation: 'get',
				instance,
				object: 'contacts',
				recordId: '={{ $json.id }}',
			},
			[{ id: record.id }],
		);
		expect(got.items[0].json).toEqual(kit.sb.records(instanceId, 'contacts')[0]);

		kit.sb.requests.length = 0;
		const filtered = await run(
			{
				resource: 'record',
				operation: 'getAll',
				instance,
				object: 'contacts',
				returnAll: true,
				filters: {
					conditions: [
						{ field: 'family_name', operator: 'equals', value: '={{ $json.surname }}' },
						{ field: 'email_addresses[*].email', operator: 'isNotEmpty' },
					],
				},
			},
			[{ surname: "O'Brien" }],
		);
		expect(filtered.error).toBeUndefined();
		expect(filtered.items.map((i) => i.json.id)).toEqual([1]);
		const list = hubCalls().find((r) => r.path.endsWith('/hubs/crm/contacts'));
		// The quote is written twice inside quotes; the dotted path goes in backticks.
		expect(list?.query.where).toBe(
			"family_name = 'O''Brien' AND `email_addresses.email` IS NOT NULL",
		);
		const starting = await run({
			resource: 'record',
			operation: 'getAll',
			instance,
			object: 'contacts',
			returnAll: false,
			limit: 5,
			filters: { conditions: [{ field: 'family_name', operator: 'startsWith', value: "O'B" }] },
		});
		expect(starting.items.map((i) => i.json.given_name)).toEqual(['Ann', 'Cy']);

		// A value that tries to end the quote and add its own condition stays one text.
		const injected = await run({
			resource: 'record',
			operation: 'getAll',
			instance,
			object: 'contacts',
			returnAll: true,
			filters: {
				conditions: [{ field: 'given_name', operator: 'equals', value: "x' OR given_name != 'x" }],
			},
		});
		expect(injected.error).toBeUndefined();
		expect(injected.items).toEqual([]);

		const updated = await run({
			resource: 'record',
			operation: 'update',
			instance,
			object: 'contacts',
			recordId: String(record.id),
			columns: columns(schema, { family_name: 'King', 'custom_fields.1': 'navy' }),
		});
		expect(updated.items[0].json).toMatchObject({
			id: 1,
			given_name: 'Ann',
			family_name: 'King',
			custom_fields: [
				{ id: 1, content: 'navy' },
				{ id: 2, content: '2027-01-31T10:00:00.000Z' },
			],
		});

		const deleted = await run({
			resource: 'record',
			operation: 'delete',
			instance,
			object: 'contacts',
			recordId: String(record.id),
		});
		expect(deleted.items[0].json).toEqual({
			object: 'contacts',
			id: 1,
			deleted: true,
			alreadyDeleted: false,
		});
		expect(kit.sb.records(instanceId, 'contacts').map((c) => c.id)).toEqual([2, 3]);
		const again = await run({
			resource: 'record',
			operation: 'delete',
			instance,
			object: 'contacts',
			recordId: String(record.id),
		});
		expect(again.items[0].json.alreadyDeleted).toBe(true);
		// A 404 for an object the instance does not have is no deleted record.
		const noObject = await run({
			resource: 'record',
			operation: 'delete',
			instance,
			object: 'transactions',
			recordId: '1',
		});
		expect(noObject.error?.message).toBeDefined();
		expect(noObject.error?.description).toContain(
			`Instance ${instanceId} has no object "transactions": choose the Object from the list.`,
		);
	});

	it('the same on the legacy element (its own field names), fields mapped automatically from the item', async () => {
		const { id: instanceId } = await connect('infusionsoftcrm');
		const instance = byId(instanceId);
		const created = await run(
			{
				resource: 'record',
				operation: 'create',
				instance,
				object: 'contacts',
				columns: { mappingMode: 'autoMapInputData', value: null },
			},
			[
				{
					FirstName: 'Grace',
					LastName: 'Hopper',
					Email: 'grace@example.com',
					Id: 99,
					note: 'left out',
				},
			],
		);
		expect(created.error).toBeUndefined();
		const record = created.items[0].json;
		expect(record).toMatchObject({ Id: 1, FirstName: 'Grace', LastName: 'Hopper' });
		expect(kit.sb.records(instanceId, 'contacts')[0]).not.toHaveProperty('note');

		const list = await run({
			resource: 'record',
			operation: 'getAll',
			instance,
			object: 'contacts',
			returnAll: true,
			filters: {
				conditions: [
					{ field: 'Id', operator: 'gte', value: '1' },
					{ field: 'LastName', operator: 'contains', value: 'opp' },
				],
			},
		});
		expect(list.items.map((i) => i.json.Id)).toEqual([1]);
		expect(
			hubCalls().find((r) => r.path.endsWith('/hubs/crm/contacts') && r.method === 'GET')?.query
				.where,
		).toBe("Id >= 1 AND LastName LIKE '%opp%'");

		const got = await run({
			resource: 'record',
			operation: 'get',
			instance,
			object: 'contacts',
			recordId: '1',
		});
		expect(got.items[0].json).toMatchObject({ Id: 1, Email: 'grace@example.com' });
		const updated = await run({
			resource: 'record',
			operation: 'update',
			instance,
			object: 'contacts',
			recordId: '1',
			columns: columns(
				[
					{
						id: 'LastName',
						displayName: 'LastName',
						type: 'string',
						required: false,
						defaultMatch: false,
						display: true,
					},
				],
				{ LastName: 'Murray Hopper' },
			),
		});
		expect(updated.items[0].json).toMatchObject({ Id: 1, LastName: 'Murray Hopper' });
		const deleted = await run({
			resource: 'record',
			operation: 'delete',
			instance,
			object: 'contacts',
			recordId: '1',
		});
		expect(deleted.items[0].json).toMatchObject({ deleted: true, alreadyDeleted: false });
		expect(kit.sb.records(instanceId, 'contacts')).toEqual([]);
	});

	it('bad input is refused by field and item before any hub call; Continue On Fail keeps the good items, paired and in order', async () => {
		const { id: instanceId } = await connect('infusionsoftrest');
		kit.sb.seedRecords(instanceId, 'contacts', [{ given_name: 'A' }, { given_name: 'B' }]);
		const instance = byId(instanceId);
		for (const [object, message] of [
			['contacts/../../instances', /Object must be a plain name/],
			['%2e%2e', /Object must be a plain name/],
			['', /Object is empty/],
		] as const) {
			const refused = await run(
				{
					resource: 'record',
					operation: 'get',
					instance,
					object: '={{ $json.object }}',
					recordId: '1',
				},
				[{ object }],
			);
			expect(refused.error?.message).toMatch(message);
			expect(refused.error?.message).toContain('[item 0]');
		}
		expect(hubCalls()).toEqual([]);
		const mixed = await run(
			{
				resource: 'record',
				operation: 'get',
				instance,
				object: 'contacts',
				recordId: '={{ $json.id }}',
			},
			[{ id: 1 }, { id: 'x/../../instances' }, { id: 2 }],
			true,
		);
		expect(mixed.items.map((i) => [i.json.id ?? i.json.error, i.pairedItem])).toEqual([
			[1, { item: 0 }],
			[expect.stringContaining('Record ID must be a whole number'), { item: 1 }],
			[2, { item: 2 }],
		]);

		// Filters: only the metadata's filterable fields, values of the field's type.
		const notFilterable = await run({
			resource: 'record',
			operation: 'getAll',
			instance,
			object: 'contacts',
			returnAll: true,
			filters: { conditions: [{ field: 'given_name` OR 1=1 --', value: 'x' }] },
		});
		expect(notFilterable.error?.message).toContain('contacts cannot be filtered by');
		const wrongType = await run({
			resource: 'record',
			operation: 'getAll',
			instance,
			object: 'tasks',
			returnAll: true,
			filters: { conditions: [{ field: 'contact.id', value: '1 OR 1=1' }] },
		});
		expect(wrongType.error?.message).toContain('contact.id takes a number');
		expect(hubCalls().some((r) => r.query.where !== undefined)).toBe(false);

		const nothing = await run({
			resource: 'record',
			operation: 'update',
			instance,
			object: 'contacts',
			recordId: '1',
			columns: columns([], {}),
		});
		expect(nothing.error?.message).toContain('Nothing to update');
	});

	it('a create whose answer is lost is reported as unknown, never sent twice', async () => {
		const { id: instanceId } = await connect('infusionsoftrest');
		kit.sb.fail({
			method: 'POST',
			path: /\/hubs\/crm\/tasks$/,
			status: 502,
			afterProcessing: true,
			times: 5,
		});
		const lost = await run({
			resource: 'record',
			operation: 'create',
			instance: byId(instanceId),
			object: 'tasks',
			columns: columns(
				[
					{
						id: 'title',
						displayName: 'title',
						type: 'string',
						required: true,
						defaultMatch: false,
						display: true,
					},
				],
				{ title: 'Call back' },
			),
		});
		expect(lost.error?.message).toBeDefined();
		expect(JSON.stringify(lost.error)).toContain('may or may not have been created');
		expect(hubCalls().filter((r) => r.method === 'POST')).toHaveLength(1);
		expect(kit.sb.records(instanceId, 'tasks')).toHaveLength(1);
	});

	describe('which instances an operation works on', () => {
		it('the Instance list leaves out instances the chosen operation cannot use', async () => {
			const rest = await connect('infusionsoftrest', 'Acme');
			const legacy = await connect('infusionsoftcrm', 'Globex');
			const listed = async (parameters: IDataObject) =>
				(await listSearch(editorRequest(kit.sb, parameters, 'instance'))).results.map(
					(r) => r.value,
				);
			expect(await listed({ resource: 'task', operation: 'create' })).toEqual([String(rest.id)]);
			expect(await listed({ resource: 'contact', operation: 'addTags' })).toEqual([
				String(rest.id),
			]);
			expect(await listed({ resource: 'record', operation: 'getAll' })).toEqual([
				String(rest.id),
				String(legacy.id),
			]);
			expect(await listed({ resource: 'contact', operation: 'get' })).toHaveLength(2);
			// Every operation of the resources Keap REST alone has leaves the legacy instance out.
			for (const [resource, operation] of [
				['contact', 'upsert'],
				['contact', 'getTags'],
				['company', 'create'],
				['note', 'getAll'],
				['tag', 'create'],
				['opportunity', 'moveToStage'],
				['product', 'update'],
				['order', 'create'],
				['email', 'send'],
				['file', 'download'],
			]) {
				expect(await listed({ resource, operation })).toEqual([String(rest.id)]);
			}
		});

		it('a legacy instance is refused by the operation’s name before any hub call', async () => {
			const legacy = await connect('infusionsoftcrm');
			for (const operation of ['create', 'get', 'getAll', 'update', 'delete']) {
				const refused = await run({
					resource: 'task',
					operation,
					instance: byId(legacy.id),
					title: 'x',
					taskId: '1',
					updateFields: { completed: true },
				});
				expect(refused.error?.message).toMatch(
					new RegExp(
						`works through Keap REST instances only; instance ${legacy.id} is Infusionsoft CRM .*\\[item 0\\]$`,
					),
				);
				expect(refused.error?.description).toContain('Which element?');
			}
			expect(hubCalls()).toEqual([]);
			expect(apiCalls(kit.sb).map((r) => r.method)).toEqual(Array(5).fill('GET'));
		});
	});
});

/**
 * Emails of a Keap REST instance through n8n's engine against the stand-in: Record a sent email,
 * Get Many by contact or address, Send (at most once).
 */
import { expectNoSecrets } from '../support/infusionsoftRun';
import { hubTestKit, type Element } from '../support/hubCustomer';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

describe('emails through a Keap REST instance', () => {
	const kit = hubTestKit();
	const { run, hubCalls } = kit;
	const connect = (element: Element = 'infusionsoftrest') =>
		kit.connect(element, `Emails ${element}`);
	const seedContacts = (id: number) =>
		kit.sb.seedRecords(id, 'contacts', [
			{ given_name: 'Ann', email_addresses: [{ email: 'ann@example.com', field: 'EMAIL1' }] },
			{
				given_name: 'Bob',
				email_addresses: [
					{ email: 'bob@example.com', field: 'EMAIL1' },
					{ email: 'bob@work.example', field: 'EMAIL2' },
				],
			},
		]) as Array<{ id: number }>;

	it('Record stores the email in Keap’s names, its content base64-encoded by the node; Get Many filters by contact and address', async () => {
		const { id, token, instance } = await connect();
		const [ann, bob] = seedContacts(id);
		const recorded = await run(
			{
				resource: 'email',
				operation: 'record',
				instance,
				contactId: '={{ $json.contactId }}',
				sentTo: '={{ $json.to }}',
				sentFrom: 'sales@example.com',
				subject: 'Your quote',
				additionalFields: {
					htmlContent: '<p>Grüße</p>',
					plainContent: 'Grüße',
					sentDate: '2026-11-30T10:00:00Z',
					cc: 'boss@example.com, team@example.com',
				},
			},
			[
				{ contactId: ann.id, to: 'ann@example.com' },
				{ contactId: bob.id, to: 'bob@example.com' },
			],
		);
		expect(recorded.error).toBeUndefined();
		expect(recorded.items[0].json).toMatchObject({
			id: 1,
			contact_id: ann.id,
			subject: 'Your quote',
			html_content: b64('<p>Grüße</p>'),
		});
		expect(kit.sb.records(id, 'emails')[0]).toMatchObject({
			contact_id: ann.id,
			sent_to_address: 'ann@example.com',
			sent_from_address: 'sales@example.com',
			sent_to_cc_addresses: 'boss@example.com,team@example.com',
			html_content: b64('<p>Grüße</p>'),
			plain_content: b64('Grüße'),
			sent_date: '2026-11-30T10:00:00.000Z',
		});
		expectNoSecrets(recorded, [token]);

		const all = await run({ resource: 'email', operation: 'getAll', instance, returnAll: true });
		expect(all.items.map((i) => i.json.id)).toEqual([1, 2]);
		const ofBob = await run({
			resource: 'email',
			operation: 'getAll',
			instance,
			returnAll: true,
			filters: { contactId: String(bob.id) },
		});
		expect(ofBob.items.map((i) => i.json.sent_to_address)).toEqual(['bob@example.com']);
		const toAnn = await run({
			resource: 'email',
			operation: 'getAll',
			instance,
			limit: 5,
			filters: { email: 'ann@example.com' },
		});
		expect(toAnn.items.map((i) => i.json.contact_id)).toEqual([ann.id]);
		const none = await run({
			resource: 'email',
			operation: 'getAll',
			instance,
			returnAll: true,
			filters: { email: 'nobody@example.com' },
		});
		expect(none.error).toBeUndefined();
		expect(none.items).toEqual([]);
	});

	it('Send queues one email to the contacts, content base64-encoded; its answer lost, it is reported as unknown and never sent again', async () => {
		const { id, token, instance } = await connect();
		const [ann, bob] = seedContacts(id);
		const sent = await run({
			resource: 'email',
			operation: 'send',
			instance,
			contactIds: `${ann.id}, ${bob.id}`,
			userId: '7',
			subject: 'News',
			plainContent: 'Hello from n8n',
			additionalFields: { addressField: 'EMAIL1' },
		});
		expect(sent.error).toBeUndefined();
		expect(sent.items[0].json).toEqual({
			sent: true,
			contacts: [ann.id, bob.id],
			userId: 7,
			subject: 'News',
			addressField: 'EMAIL1',
		});
		expect(hubCalls().map((r) => [r.method, r.path, r.body])).toEqual([
			[
				'POST',
				'/elements/api-v2/hubs/crm/emails/queue',
				{
					contacts: [ann.id, bob.id],
					user_id: 7,
					subject: 'News',
					plain_content: b64('Hello from n8n'),
					address_field: 'EMAIL1',
				},
			],
		]);
		expect(kit.sb.records(id, 'emails').map((e) => e.sent_to_address)).toEqual([
			'ann@example.com',
			'bob@example.com',
		]);
		expectNoSecrets(sent, [token]);

		kit.sb.requests.length = 0;
		kit.sb.fail({ method: 'POST', path: '/hubs/crm/emails/queue', drop: 'after' });
		const lost = await run({
			resource: 'email',
			operation: 'send',
			instance,
			contactIds: String(bob.id),
			userId: '7',
			subject: 'Once',
			htmlContent: '<p>Once</p>',
			additionalFields: { addressField: 'EMAIL2' },
		});
		expect(lost.error?.description).toContain('may or may not have been sent');
		expect(hubCalls().filter((r) => r.method === 'POST')).toHaveLength(1);
		expect(kit.sb.records(id, 'emails').filter((e) => e.subject === 'Once')).toHaveLength(1);
	});

	it('bad input is refused by field and item before any hub call; Continue On Fail keeps the others in order; a legacy instance is refused by name', async () => {
		const { id, instance } = await connect();
		const [ann] = seedContacts(id);
		const items = [
			{ contactIds: String(ann.id), subject: 'A', plain: 'x' },
			{ contactIds: 'ann', subject: 'B', plain: 'x' },
			{ contactIds: String(ann.id), subject: 'C', plain: ' ' },
			{ contactIds: [ann.id], subject: ' ', plain: 'x' },
			{ contactIds: [ann.id], subject: 'E', plain: 'x' },
		];
		const mixed = await run(
			{
				resource: 'email',
				operation: 'send',
				instance,
				contactIds: '={{ $json.contactIds }}',
				userId: '1',
				subject: '={{ $json.subject }}',
				plainContent: '={{ $json.plain }}',
			},
			items,
			true,
		);
		expect(mixed.items.map((i) => i.json.subject ?? i.json.error)).toEqual([
			'A',
			'Contact IDs must be whole numbers, comma-separated [item 1]',
			'HTML Content and Plain Content are both empty [item 2]',
			'Subject is empty [item 3]',
			'E',
		]);
		expect(mixed.items.map((i) => i.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
		expect(hubCalls().filter((r) => r.method === 'POST')).toHaveLength(2);

		kit.sb.requests.length = 0;
		const badRecord = await run({
			resource: 'email',
			operation: 'record',
			instance,
			contactId: String(ann.id),
			sentTo: 'not-an-address',
			sentFrom: 'a@example.com',
			subject: 'x',
		});
		expect(badRecord.error?.message).toBe('Sent To Address is not an email address [item 0]');
		expect(hubCalls()).toHaveLength(0);

		const legacy = await connect('infusionsoftcrm');
		const refused = await run({
			resource: 'email',
			operation: 'send',
			instance: legacy.instance,
			contactIds: '1',
			userId: '1',
			subject: 'x',
			plainContent: 'x',
		});
		expect(refused.error?.message).toContain(
			`"Send an email" works through Keap REST instances only; instance ${legacy.id} is Infusionsoft CRM`,
		);
		expect(hubCalls()).toHaveLength(0);
	});
});

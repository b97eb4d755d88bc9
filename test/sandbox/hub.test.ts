import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startSandbox } from '../../sandbox';
import type { Sandbox, SandboxKeapContact, SandboxLegacyContact } from '../../sandbox';
import type { CallResult } from './helpers';
import { clientOf, sleep } from './helpers';

// The CRM hub (/hubs/crm/...) of the stand-in, over real HTTP.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const INVALID_AUTH = 'Invalid Organization or User secret, or invalid Element token provided.';

let sb: Sandbox;

beforeAll(async () => {
	sb = await startSandbox();
});
afterAll(() => sb.close());
beforeEach(() => sb.reset());

const { call, control, provision, hubOf } = clientOf(() => sb);

function expectError(response: CallResult, status: number, message?: string | RegExp) {
	expect(response.status).toBe(status);
	expect(response.headers.get('content-type')).toMatch(/application\/json/);
	expect(response.json.requestId).toMatch(UUID);
	expect(typeof response.json.message).toBe('string');
	if (typeof message === 'string') expect(response.json.message).toBe(message);
	else if (message) expect(response.json.message).toMatch(message);
}

const ids = (response: CallResult, field = 'id') => {
	expect(response.status).toBe(200);
	return response.json.map((record: Record<string, unknown>) => record[field]);
};

describe('hub authentication', () => {
	it('401 without an Element part; the account secrets alone are not enough', async () => {
		await provision('infusionsoftrest');
		expectError(await call('GET', '/hubs/crm/contacts', { token: null }), 401, /Element token/);
		expectError(await call('GET', '/hubs/crm/ping', { token: null }), 401, /Element token/);
		expectError(await call('GET', '/hubs/crm/no-such-thing', { token: null }), 401);
	});

	it('401 "Invalid Organization or User secret, or invalid Element token provided." for an unknown or deleted token', async () => {
		const instance = await provision('infusionsoftrest');
		expectError(await call('GET', '/hubs/crm/contacts', { token: 'nope' }), 401, INVALID_AUTH);
		expect((await call('DELETE', `/instances/${instance.id}`)).status).toBe(200);
		expectError(
			await call('GET', '/hubs/crm/contacts', { token: instance.token }),
			401,
			INVALID_AUTH,
		);
		expectError(await call('GET', '/hubs/crm/ping', { token: instance.token }), 401, INVALID_AUTH);
	});

	it("401 with the provider's invalid_token when the instance's connection is dead (valid: false)", async () => {
		const instance = await provision('infusionsoftrest');
		await control('POST', `/instances/${instance.id}/state`, { valid: false });
		for (const path of ['/hubs/crm/contacts', '/hubs/crm/ping', '/hubs/crm/objects']) {
			const response = await call('GET', path, { token: instance.token });
			expectError(response, 401);
			expect(response.json.providerMessage).toBe(
				'{"error":"invalid_token","error_description":"Invalid access token"}',
			);
		}
	});

	it('403 "The instance is disabled" on every hub path, ping included; enabled again it answers', async () => {
		const instance = await provision('infusionsoftcrm');
		await call('DELETE', `/instances/${instance.id}/enabled`);
		for (const path of ['/hubs/crm/contacts', '/hubs/crm/ping', '/hubs/crm/contacts/1']) {
			expectError(
				await call('GET', path, { token: instance.token }),
				403,
				'The instance is disabled',
			);
		}
		await call('PUT', `/instances/${instance.id}/enabled`);
		expect((await call('GET', '/hubs/crm/ping', { token: instance.token })).status).toBe(200);
	});

	it('ping still answers the element and the instance', async () => {
		const rest = await provision('infusionsoftrest');
		const response = await hubOf(rest).get('/ping');
		expect(response.status).toBe(200);
		expect(response.json).toEqual({
			endpoint: 'infusionsoftrest',
			instanceId: rest.id,
			dateTime: expect.stringMatching(ISO),
		});
	});

	it('faults match hub paths and answer before anything is checked or done', async () => {
		const instance = await provision('infusionsoftrest');
		const hub = hubOf(instance);
		sb.fail({ path: '/hubs/crm/contacts', status: 429, retryAfter: 0 });
		const limited = await call('GET', '/hubs/crm/contacts', { token: 'not-even-a-token' });
		expect(limited.status).toBe(429);
		expect(limited.headers.get('retry-after')).toBe('0');
		expectError(await hub.get('/contacts'), 404, 'No contacts found');

		sb.fail({ method: 'POST', path: '/hubs/crm/contacts', status: 503 });
		expect((await hub.post('/contacts', { given_name: 'Lost' })).status).toBe(503);
		expect(sb.records(instance.id, 'contacts')).toEqual([]);

		sb.fail({
			method: 'POST',
			path: /^\/hubs\/crm\/contacts$/,
			status: 502,
			afterProcessing: true,
		});
		expect((await hub.post('/contacts', { given_name: 'Kept' })).status).toBe(502);
		expect(
			sb.records<SandboxKeapContact>(instance.id, 'contacts').map((c) => c.given_name),
		).toEqual(['Kept']);
	});

	it('hub calls are recorded like other platform calls', async () => {
		const instance = await provision('infusionsoftrest');
		await hubOf(instance).get('/contacts?pageSize=5');
		const last = sb.requests[sb.requests.length - 1];
		expect(last.path).toBe('/elements/api-v2/hubs/crm/contacts');
		expect(last.query).toEqual({ pageSize: '5' });
	});

	it('records belong to their instance: ids start at 1 in each', async () => {
		const a = hubOf(await provision('infusionsoftrest'));
		const b = hubOf(await provision('infusionsoftrest'));
		expect((await a.post('/contacts', { given_name: 'A1' })).json.id).toBe(1);
		expect((await a.post('/contacts', { given_name: 'A2' })).json.id).toBe(2);
		expect((await b.post('/contacts', { given_name: 'B1' })).json.id).toBe(1);
		expect(ids(await b.get('/contacts'), 'given_name')).toEqual(['B1']);
		expectError(await b.get('/contacts/2'), 404, 'No contact found with id 2');
	});
});

describe('contacts on infusionsoftrest (Keap REST names)', () => {
	it('POST creates with Keap REST names; GET reads it back', async () => {
		const hub = hubOf(await provision('infusionsoftrest'));
		const created = await hub.post('/contacts', {
			given_name: 'Ann',
			family_name: 'Smith',
			email_addresses: [
				{ email: 'ann@example.com' },
				{ email: 'ann@work.example', field: 'EMAIL3' },
			],
			phone_numbers: [{ number: '+1 555 0101', field: 'PHONE1' }],
			company: { company_name: 'Acme' },
		});
		expect(created.status).toBe(200);
		expect(created.json).toEqual({
			id: 1,
			given_name: 'Ann',
			family_name: 'Smith',
			email_addresses: [
				{ email: 'ann@example.com', field: 'EMAIL1' },
				{ email: 'ann@work.example', field: 'EMAIL3' },
			],
			phone_numbers: [{ number: '+1 555 0101', field: 'PHONE1' }],
			company: { company_name: 'Acme' },
			tag_ids: [],
			custom_fields: [],
			date_created: expect.stringMatching(ISO),
			last_updated: expect.stringMatching(ISO),
		});
		expect(created.json.last_updated).toBe(created.json.date_created);
		expect((await hub.get('/contacts/1')).json).toEqual(created.json);

		const minimal = await hub.post('/contacts', {
			email_addresses: [{ email: 'only@example.com' }],
		});
		expect(minimal.json).toMatchObject({
			id: 2,
			given_name: null,
			family_name: null,
			phone_numbers: [],
			company: null,
		});
	});

	it('400 for a contact without a name or an email, an unknown field, a read-only field, a wrong type', async () => {
		const hub = hubOf(await provision('infusionsoftrest'));
		expectError(await hub.post('/contacts', {}), 400, 'A contact needs a name or an email address');
		expectError(
			await hub.post('/contacts', { given_name: '  ', email_addresses: [] }),
			400,
			'A contact needs a name or an email address',
		);
		expectError(
			await hub.post('/contacts', { given_name: 'Ann', FirstName: 'Ann' }),
			400,
			/'FirstName'/,
		);
		expectError(await hub.post('/contacts', { given_name: 'Ann', id: 7 }), 400, 'id is read-only');
		expectError(
			await hub.post('/contacts', { given_name: 'Ann', tag_ids: [1] }),
			400,
			'tag_ids is read-only',
		);
		expectError(await hub.post('/contacts', { given_name: 42 }), 400, /given_name must be/);
		expectError(
			await hub.post('/contacts', { email_addresses: [{ email: 'a@b.c', field: 'EMAIL9' }] }),
			400,
			/email_addresses\[0\]\.field/,
		);
		expectError(
			await hub.post('/contacts', { email_addresses: [{ address: 'a@b.c' }] }),
			400,
			/email_addresses\[0\]\.address/,
		);
		expectError(
			await hub.post('/contacts', { given_name: 'Ann', company: { name: 'Acme' } }),
			400,
			/company\.name/,
		);
		expect(sb.records(sb.instances.keys().next().value as number, 'contacts')).toEqual([]);
	});

	it('PATCH merges the given fields, replaces the lists, bumps last_updated', async () => {
		const hub = hubOf(await provision('infusionsoftrest'));
		const created = (
			await hub.post('/contacts', {
				given_name: 'Ann',
				family_name: 'Smith',
				email_addresses: [{ email: 'ann@example.com' }, { email: 'ann2@example.com' }],
				phone_numbers: [{ number: '555-0101' }],
			})
		).json;
		await sleep(5);
		const patched = await hub.patch('/contacts/1', {
			family_name: 'Jones',
			email_addresses: [{ email: 'new@example.com', field: 'EMAIL2' }],
		});
		expect(patched.status).toBe(200);
		expect(patched.json).toMatchObject({
			id: 1,
			given_name: 'Ann',
			family_name: 'Jones',
			email_addresses: [{ email: 'new@example.com', field: 'EMAIL2' }],
			phone_numbers: [{ number: '555-0101', field: 'PHONE1' }],
			date_created: created.date_created,
		});
		expect(Date.parse(patched.json.last_updated)).toBeGreaterThan(Date.parse(created.last_updated));
		expect((await hub.get('/contacts/1')).json).toEqual(patched.json);

		expectError(await hub.patch('/contacts/1', { nickname: 'Annie' }), 400, /'nickname'/);
		expectError(
			await hub.patch('/contacts/1', {
				given_name: null,
				family_name: null,
				email_addresses: null,
			}),
			400,
			'A contact needs a name or an email address',
		);
		expectError(
			await hub.patch('/contacts/9', { given_name: 'X' }),
			404,
			'No contact found with id 9',
		);
		expect((await hub.get('/contacts/1')).json).toEqual(patched.json);
	});

	it('DELETE answers {} then the contact is gone; 404 for a missing one, 400 for a non-numeric id', async () => {
		const hub = hubOf(await provision('infusionsoftrest'));
		await hub.post('/contacts', { given_name: 'Ann' });
		await hub.post('/contacts', { given_name: 'Bob' });
		const deleted = await hub.delete('/contacts/1');
		expect(deleted.status).toBe(200);
		expect(deleted.json).toEqual({});
		expectError(await hub.get('/contacts/1'), 404, 'No contact found with id 1');
		expectError(await hub.delete('/contacts/1'), 404, 'No contact found with id 1');
		expectError(await hub.get('/contacts/abc'), 400, "Invalid contact id 'abc': expected a number");
		expect(ids(await hub.get('/contacts'))).toEqual([2]);
		expect((await hub.post('/contacts', { given_name: 'Cara' })).json.id).toBe(3);
	});

	it('415 for a body that is not JSON; 405 with Allow for a method the route lacks', async () => {
		const instance = await provision('infusionsoftrest');
		const response = await call('POST', '/hubs/crm/contacts', {
			token: instance.token,
			body: { given_name: 'Ann' },
			headers: { 'content-type': 'text/plain' },
		});
		expectError(response, 415);
		const put = await hubOf(instance).put('/contacts/1', { given_name: 'Ann' });
		expectError(put, 405);
		expect(put.headers.get('allow')).toBe('GET, PATCH, DELETE');
	});
});

describe('contacts on infusionsoftcrm (XML-RPC names)', () => {
	it('CRUD with Id, FirstName, ..., DateCreated, LastUpdated; unknown fields are stored', async () => {
		const hub = hubOf(await provision('infusionsoftcrm'));
		const created = await hub.post('/contacts', {
			FirstName: 'Ann',
			Email: 'ann@example.com',
			_Custom: 'x',
			Nickname: ['a', 1],
		});
		expect(created.status).toBe(200);
		expect(created.json).toEqual({
			Id: 1,
			FirstName: 'Ann',
			LastName: null,
			Email: 'ann@example.com',
			Phone1: null,
			Company: null,
			DateCreated: expect.stringMatching(ISO),
			LastUpdated: created.json.DateCreated,
			_Custom: 'x',
			Nickname: ['a', 1],
		});
		await sleep(5);
		const patched = await hub.patch('/contacts/1', {
			LastName: 'Smith',
			Company: 'Acme',
			_Custom: 'y',
		});
		expect(patched.json).toMatchObject({
			Id: 1,
			FirstName: 'Ann',
			LastName: 'Smith',
			Company: 'Acme',
			_Custom: 'y',
		});
		expect(Date.parse(patched.json.LastUpdated)).toBeGreaterThan(
			Date.parse(patched.json.DateCreated),
		);
		expect((await hub.get('/contacts/1')).json).toEqual(patched.json);
		expect((await hub.delete('/contacts/1')).json).toEqual({});
		expectError(await hub.get('/contacts/1'), 404, 'No contact found with id 1');
	});

	it('400 without FirstName, LastName or Email; Id is read-only; known fields are strings', async () => {
		const hub = hubOf(await provision('infusionsoftcrm'));
		expectError(
			await hub.post('/contacts', { Phone1: '555', Custom: 1 }),
			400,
			'A contact needs a name or an email address',
		);
		expectError(await hub.post('/contacts', { FirstName: 'Ann', Id: 4 }), 400, 'Id is read-only');
		expectError(
			await hub.post('/contacts', { FirstName: 'Ann', Phone1: 5550101 }),
			400,
			/Phone1 must be/,
		);
	});

	it('has no tasks, tags, userinfo or profile: 404 "No resource <x> for infusionsoftcrm"', async () => {
		const hub = hubOf(await provision('infusionsoftcrm'));
		await hub.post('/contacts', { FirstName: 'Ann' });
		expectError(await hub.get('/tasks'), 404, 'No resource tasks for infusionsoftcrm');
		expectError(
			await hub.post('/tasks', { title: 'x' }),
			404,
			'No resource tasks for infusionsoftcrm',
		);
		expectError(await hub.get('/tasks/1'), 404, 'No resource tasks/1 for infusionsoftcrm');
		expectError(await hub.get('/tags'), 404, 'No resource tags for infusionsoftcrm');
		expectError(
			await hub.post('/contacts/1/tags', { tagIds: [1] }),
			404,
			'No resource contacts/1/tags for infusionsoftcrm',
		);
		expectError(
			await hub.get('/oauth/connect/userinfo'),
			404,
			'No resource oauth/connect/userinfo for infusionsoftcrm',
		);
		expectError(
			await hub.get('/account/profile'),
			404,
			'No resource account/profile for infusionsoftcrm',
		);
	});
});

describe('tasks (infusionsoftrest)', () => {
	it('CRUD; a task needs a title; its contact must exist', async () => {
		const hub = hubOf(await provision('infusionsoftrest'));
		await hub.post('/contacts', { given_name: 'Ann' });
		expectError(await hub.post('/tasks', { description: 'no title' }), 400, /title/);
		expectError(await hub.post('/tasks', { title: '' }), 400, /title/);
		expectError(await hub.post('/tasks', { title: 'Call', contact: { id: 9 } }), 400, /contact.*9/);
		expectError(await hub.post('/tasks', { title: 'Call', due_date: 'tomorrow' }), 400, /due_date/);
		expectError(await hub.post('/tasks', { title: 'Call', priority: 1 }), 400, /'priority'/);

		const created = await hub.post('/tasks', {
			title: 'Call Ann',
			due_date: '2030-01-02T09:00:00.000Z',
			contact: { id: 1 },
		});
		expect(created.status).toBe(200);
		expect(created.json).toEqual({
			id: 1,
			title: 'Call Ann',
			description: null,
			due_date: '2030-01-02T09:00:00.000Z',
			completed: false,
			contact: { id: 1 },
			date_created: expect.stringMatching(ISO),
			last_updated: created.json.date_created,
		});
		expect((await hub.get('/tasks/1')).json).toEqual(created.json);
		await sleep(5);
		const done = await hub.patch('/tasks/1', { completed: true, description: 'left a message' });
		expect(done.json).toMatchObject({
			id: 1,
			title: 'Call Ann',
			completed: true,
			description: 'left a message',
		});
		expect(done.json.last_updated > created.json.last_updated).toBe(true);
		expectError(await hub.patch('/tasks/1', { title: '  ' }), 400, /title/);
		expectError(await hub.patch('/tasks/1', { completed: 'yes' }), 400, /completed/);

		await hub.post('/tasks', { title: 'Open one' });
		expect(ids(await hub.get(`/tasks?where=${encodeURIComponent('completed = true')}`))).toEqual([
			1,
		]);
		expect(ids(await hub.get(`/tasks?where=${encodeURIComponent("completed = 'false'")}`))).toEqual(
			[2],
		);
		expect(ids(await hub.get(`/tasks?where=${encodeURIComponent('`contact.id` = 1')}`))).toEqual([
			1,
		]);
		expect(ids(await hub.get(`/tasks?where=${encodeURIComponent('contact IS NULL')}`))).toEqual([
			2,
		]);

		expect((await hub.delete('/tasks/1')).json).toEqual({});
		expectError(await hub.get('/tasks/1'), 404, 'No task found with id 1');
		expectError(
			await hub.get(`/tasks?where=${encodeURIComponent("title = 'Call Ann'")}`),
			404,
			'No tasks found',
		);
	});
});

describe('emails (infusionsoftrest)', () => {
	const b64 = (text: string) => Buffer.from(text).toString('base64');

	it('POST /emails records one (base64 content, a contact that exists); lists leave the content out; CEQL contact_id and email', async () => {
		const instance = await provision('infusionsoftrest');
		const hub = hubOf(instance);
		await hub.post('/contacts', { given_name: 'Ann' });
		await hub.post('/contacts', { given_name: 'Bob' });
		expectError(await hub.post('/emails', { sent_to_address: 'a@example.com' }), 400, /contact_id/);
		expectError(await hub.post('/emails', { contact_id: 1 }), 400, /sent_to_address/);
		expectError(
			await hub.post('/emails', { contact_id: 9, sent_to_address: 'a@example.com' }),
			400,
			'contact_id: no contact found with id 9',
		);
		expectError(
			await hub.post('/emails', {
				contact_id: 1,
				sent_to_address: 'a@example.com',
				html_content: '<p>not base64</p>',
			}),
			400,
			/html_content must be base64/,
		);
		expectError(
			await hub.post('/emails', { contact_id: 1, sent_to_address: 'a@example.com', body: 'x' }),
			400,
			/'body'/,
		);
		const created = await hub.post('/emails', {
			contact_id: 1,
			sent_to_address: 'ann@example.com',
			sent_from_address: 'sales@example.com',
			subject: 'Hello',
			html_content: b64('<p>Hi</p>'),
			sent_date: '2030-01-02T09:00:00.000Z',
		});
		expect(created.status).toBe(200);
		expect(created.json).toMatchObject({
			id: 1,
			contact_id: 1,
			subject: 'Hello',
			html_content: b64('<p>Hi</p>'),
			plain_content: null,
			sent_date: '2030-01-02T09:00:00.000Z',
		});
		expect((await hub.get('/emails/1')).json).toEqual(created.json);
		await hub.post('/emails', { contact_id: 2, sent_to_address: 'bob@example.com' });
		const list = await hub.get('/emails');
		expect(ids(list)).toEqual([1, 2]);
		expect(list.json[0]).not.toHaveProperty('html_content');
		expect(list.json[0]).not.toHaveProperty('plain_content');
		expect(ids(await hub.get(`/emails?where=${encodeURIComponent('contact_id = 2')}`))).toEqual([
			2,
		]);
		expect(
			ids(await hub.get(`/emails?where=${encodeURIComponent("email = 'ann@example.com'")}`)),
		).toEqual([1]);
		expectError(
			await hub.get(`/emails?where=${encodeURIComponent("email = 'nobody@example.com'")}`),
			404,
			'No emails found',
		);
	});

	it('POST /emails/queue sends to each contact at its address field: 202, no body, one email recorded per contact', async () => {
		const instance = await provision('infusionsoftrest');
		const hub = hubOf(instance);
		await hub.post('/contacts', {
			given_name: 'Ann',
			email_addresses: [
				{ email: 'ann@example.com', field: 'EMAIL1' },
				{ email: 'ann@work.example', field: 'EMAIL2' },
			],
		});
		await hub.post('/contacts', {
			given_name: 'Bob',
			email_addresses: [{ email: 'bob@example.com' }],
		});
		const send = { contacts: [1, 2], user_id: 7, subject: 'News', plain_content: b64('Hi') };
		expectError(await hub.post('/emails/queue', { ...send, contacts: [] }), 400, /contacts/);
		expectError(await hub.post('/emails/queue', { ...send, contacts: [1, 9] }), 400, /id 9/);
		expectError(await hub.post('/emails/queue', { ...send, user_id: '7' }), 400, /user_id/);
		expectError(await hub.post('/emails/queue', { ...send, subject: ' ' }), 400, /subject/);
		expectError(
			await hub.post('/emails/queue', { ...send, plain_content: undefined }),
			400,
			/html_content or plain_content/,
		);
		expectError(
			await hub.post('/emails/queue', { ...send, address_field: 'EMAIL2' }),
			400,
			'contacts: contact 2 has no EMAIL2 address',
		);
		expectError(await hub.post('/emails/queue', { ...send, cc: 'x' }), 400, /'cc'/);
		expect(sb.records(instance.id, 'emails')).toEqual([]);

		const sent = await hub.post('/emails/queue', send);
		expect(sent.status).toBe(202);
		expect(sent.json).toBeUndefined();
		expect(sb.records(instance.id, 'emails')).toEqual([
			expect.objectContaining({
				contact_id: 1,
				sent_to_address: 'ann@example.com',
				subject: 'News',
			}),
			expect.objectContaining({ contact_id: 2, sent_to_address: 'bob@example.com' }),
		]);
		await hub.post('/emails/queue', { ...send, contacts: [1], address_field: 'EMAIL2' });
		expect(sb.records(instance.id, 'emails')[2]).toMatchObject({
			sent_to_address: 'ann@work.example',
			plain_content: b64('Hi'),
		});
	});
});

describe('files (infusionsoftrest)', () => {
	const bytes = Buffer.from([0, 1, 2, 250, 251, 255, 10, 13]);
	const upload = {
		file_name: 'scan.bin',
		file_data: bytes.toString('base64'),
		is_public: false,
		file_association: 'CONTACT',
		contact_id: 1,
	};

	it('POST /files uploads base64 file_data; the answer and lists leave it out; GET gives it with optional_properties=file_data', async () => {
		const instance = await provision('infusionsoftrest');
		const hub = hubOf(instance);
		await hub.post('/contacts', { given_name: 'Ann' });
		const created = await hub.post('/files', upload);
		expect(created.status).toBe(200);
		expect(created.json).toEqual({
			id: 1,
			file_name: 'scan.bin',
			file_size: 8,
			contact_id: 1,
			category: 'Documents',
			file_box_type: 'Attachment',
			public: false,
			date_created: expect.stringMatching(ISO),
			last_updated: created.json.date_created,
		});
		expect((await hub.get('/files/1')).json).toEqual(created.json);
		const withData = await hub.get('/files/1?optional_properties=file_data');
		expect(withData.json).toEqual({ ...created.json, file_data: upload.file_data });
		expect(Buffer.from(withData.json.file_data, 'base64')).toEqual(bytes);
		expect(sb.records(instance.id, 'files')[0]).toMatchObject({
			file_data: upload.file_data,
			permission: 'USER',
		});

		await hub.post('/files', {
			...upload,
			file_name: 'logo.png',
			file_association: 'COMPANY',
			contact_id: undefined,
			is_public: true,
		});
		const list = await hub.get('/files');
		expect(ids(list)).toEqual([1, 2]);
		for (const record of list.json) {
			expect(record).not.toHaveProperty('file_data');
			expect(record).not.toHaveProperty('permission');
		}
		const where = (clause: string) => hub.get(`/files?where=${encodeURIComponent(clause)}`);
		expect(ids(await where('contact_id = 1'))).toEqual([1]);
		expect(ids(await where("name = 'logo.png'"))).toEqual([2]);
		expect(ids(await where("type = 'Attachment'"))).toEqual([1]);
		expect(ids(await where("permission = 'COMPANY'"))).toEqual([2]);
		expect(ids(await where("permission = 'USER' AND contact_id = 1"))).toEqual([1]);

		expect((await hub.delete('/files/1')).json).toEqual({});
		expectError(
			await hub.get('/files/1?optional_properties=file_data'),
			404,
			'No file found with id 1',
		);
		const metadata = (await hub.get('/objects/files/metadata')).json.fields.map(
			(f: { vendorPath: string }) => f.vendorPath,
		);
		expect(metadata).toContain('file_data');
		expect(metadata).not.toContain('permission');
	});

	it('400 for an upload that is not one: names the field; a file over 10 MB is refused', async () => {
		const instance = await provision('infusionsoftrest');
		const hub = hubOf(instance);
		await hub.post('/contacts', { given_name: 'Ann' });
		expectError(await hub.post('/files', { ...upload, file_name: '' }), 400, /file_name/);
		expectError(
			await hub.post('/files', { ...upload, file_data: 'not base64!' }),
			400,
			/file_data/,
		);
		expectError(await hub.post('/files', { ...upload, is_public: 'no' }), 400, /is_public/);
		expectError(
			await hub.post('/files', { ...upload, file_association: 'TEAM' }),
			400,
			/file_association/,
		);
		expectError(await hub.post('/files', { ...upload, contact_id: undefined }), 400, /contact_id/);
		expectError(await hub.post('/files', { ...upload, contact_id: 9 }), 400, /id 9/);
		expectError(
			await hub.post('/files', { ...upload, file_association: 'USER' }),
			400,
			/contact_id/,
		);
		expectError(await hub.post('/files', { ...upload, file_size: 8 }), 400, /'file_size'/);
		const tooBig = Buffer.alloc(10 * 1024 * 1024 + 1).toString('base64');
		expectError(await hub.post('/files', { ...upload, file_data: tooBig }), 400, /at most 10 MB/);
		expect(sb.records(instance.id, 'files')).toEqual([]);
	});
});

describe('contacts: create or update (PUT /contacts, infusionsoftrest)', () => {
	it('duplicate_option Email: updates the oldest contact with the email (200), else creates (201)', async () => {
		const hub = hubOf(await provision('infusionsoftrest'));
		const email = (address: string) => [{ email: address, field: 'EMAIL1' }];
		const created = await hub.put('/contacts', {
			given_name: 'Ann',
			email_addresses: email('ann@example.com'),
			duplicate_option: 'Email',
		});
		expect(created.status).toBe(201);
		expect(created.json).toMatchObject({ id: 1, given_name: 'Ann' });
		expect(created.json).not.toHaveProperty('duplicate_option');
		const updated = await hub.put('/contacts', {
			family_name: 'Lee',
			email_addresses: email('ANN@example.com'),
			duplicate_option: 'Email',
		});
		expect(updated.status).toBe(200);
		expect(updated.json).toMatchObject({ id: 1, given_name: 'Ann', family_name: 'Lee' });
		const again = await hub.put('/contacts', {
			family_name: 'Lee',
			email_addresses: email('ANN@example.com'),
			duplicate_option: 'Email',
		});
		expect(again.json).toMatchObject({ id: 1, family_name: 'Lee' });
		expect(ids(await hub.get('/contacts'))).toEqual([1]);
	});

	it('duplicate_option EmailAndName: the same email with another name is a new contact', async () => {
		const hub = hubOf(await provision('infusionsoftrest'));
		const body = (given: string) => ({
			given_name: given,
			family_name: 'Lee',
			email_addresses: [{ email: 'lee@example.com' }],
			duplicate_option: 'EmailAndName',
		});
		expect((await hub.put('/contacts', body('Ann'))).status).toBe(201);
		expect((await hub.put('/contacts', body('Bob'))).status).toBe(201);
		const same = await hub.put('/contacts', { ...body('Ann'), phone_numbers: [{ number: '1' }] });
		expect(same.status).toBe(200);
		expect(same.json).toMatchObject({ id: 1, phone_numbers: [{ number: '1', field: 'PHONE1' }] });
		expectError(
			await hub.put('/contacts', {
				given_name: 'Ann',
				email_addresses: [{ email: 'x@example.com' }],
				duplicate_option: 'EmailAndName',
			}),
			400,
			/given_name and family_name/,
		);
	});

	it('400 without a known duplicate_option or an email, for an unknown field; none on infusionsoftcrm', async () => {
		const hub = hubOf(await provision('infusionsoftrest'));
		expectError(await hub.put('/contacts', { given_name: 'A' }), 400, /duplicate_option/);
		expectError(
			await hub.put('/contacts', { given_name: 'A', duplicate_option: 'Name' }),
			400,
			/duplicate_option must be one of Email, EmailAndName/,
		);
		expectError(
			await hub.put('/contacts', { given_name: 'A', duplicate_option: 'Email' }),
			400,
			/needs email_addresses/,
		);
		expectError(
			await hub.put('/contacts', {
				email_addresses: [{ email: 'a@example.com' }],
				nickname: 'A',
				duplicate_option: 'Email',
			}),
			400,
			/'nickname'/,
		);
		expectError(await hub.get('/contacts'), 404, 'No contacts found');
		const legacy = hubOf(await provision('infusionsoftcrm'));
		const refused = await legacy.put('/contacts', {
			Email: 'a@example.com',
			duplicate_option: 'Email',
		});
		expect(refused.status).toBe(405);
	});
});

describe('companies (infusionsoftrest)', () => {
	it('CRUD with Keap v1 names; a company needs a company_name; CEQL on company_name', async () => {
		const hub = hubOf(await provision('infusionsoftrest'));
		expectError(
			await hub.post('/companies', { website: 'https://a.example' }),
			400,
			/company_name/,
		);
		expectError(await hub.post('/companies', { company_name: ' ' }), 400, /company_name/);
		expectError(await hub.post('/companies', { company_name: 'A', fax: '1' }), 400, /'fax'/);
		expectError(
			await hub.post('/companies', { company_name: 'A', address: { street: 'x' } }),
			400,
			/'address.street'/,
		);
		const created = await hub.post('/companies', {
			company_name: 'Acme',
			email_address: 'info@acme.example',
			phone_number: { number: '+1 480 555 0100' },
			website: 'https://acme.example',
			address: { line1: '1 Main St', locality: 'Chandler' },
		});
		expect(created.status).toBe(200);
		expect(created.json).toEqual({
			id: 1,
			company_name: 'Acme',
			email_address: 'info@acme.example',
			phone_number: { number: '+1 480 555 0100', extension: null, type: null },
			website: 'https://acme.example',
			notes: null,
			address: {
				line1: '1 Main St',
				line2: null,
				locality: 'Chandler',
				region: null,
				zip_code: null,
				zip_four: null,
				country_code: null,
			},
		});
		expect((await hub.get('/companies/1')).json).toEqual(created.json);
		const patched = await hub.patch('/companies/1', { notes: 'Key account' });
		expect(patched.json).toMatchObject({ id: 1, company_name: 'Acme', notes: 'Key account' });
		await hub.post('/companies', { company_name: 'Acme' });
		await hub.post('/companies', { company_name: 'Other' });
		expect(
			ids(await hub.get(`/companies?where=${encodeURIComponent("company_name = 'Acme'")}`)),
		).toEqual([1, 2]);
		expect(
			ids(
				await hub.get(`/companies?where=${encodeURIComponent("`address.locality` = 'Chandler'")}`),
			),
		).toEqual([1]);
		expect((await hub.delete('/companies/1')).json).toEqual({});
		expectError(await hub.get('/companies/1'), 404, 'No company found with id 1');
	});
});

describe('notes and users (infusionsoftrest)', () => {
	it('CRUD; a note needs its contact and a title; its contact and user must exist; type is one of Keap’s', async () => {
		const instance = await provision('infusionsoftrest');
		const hub = hubOf(instance);
		await hub.post('/contacts', { given_name: 'Ann' });
		sb.seedRecords(instance.id, 'users', [{ given_name: 'Sam', email_address: 'sam@example.com' }]);
		expectError(await hub.post('/notes', { title: 'No contact' }), 400, /contact_id/);
		expectError(await hub.post('/notes', { contact_id: 1, body: 'x' }), 400, /title/);
		expectError(await hub.post('/notes', { contact_id: 9, title: 'T' }), 400, /contact_id.*9/);
		expectError(
			await hub.post('/notes', { contact_id: 1, title: 'T', user_id: 7 }),
			400,
			/user_id: no user found with id 7/,
		);
		expectError(
			await hub.post('/notes', { contact_id: 1, title: 'T', type: 'Chat' }),
			400,
			/type must be one of Appointment, Call/,
		);
		const created = await hub.post('/notes', {
			contact_id: 1,
			title: 'Called',
			body: 'Left a message',
			type: 'Call',
			user_id: 1,
		});
		expect(created.status).toBe(200);
		expect(created.json).toEqual({
			id: 1,
			contact_id: 1,
			title: 'Called',
			body: 'Left a message',
			type: 'Call',
			user_id: 1,
			date_created: expect.stringMatching(ISO),
			last_updated: created.json.date_created,
		});
		expect((await hub.patch('/notes/1', { type: 'Meeting' })).json).toMatchObject({
			type: 'Meeting',
		});
		await hub.post('/contacts', { given_name: 'Bob' });
		await hub.post('/notes', { contact_id: 2, title: 'Other' });
		expect(ids(await hub.get(`/notes?where=${encodeURIComponent('contact_id = 2')}`))).toEqual([2]);
		expect((await hub.delete('/notes/2')).json).toEqual({});
		expectError(await hub.get('/notes/2'), 404, 'No note found with id 2');
	});

	it('users are listed (GET /users), never written through the hub', async () => {
		const instance = await provision('infusionsoftrest');
		const hub = hubOf(instance);
		sb.seedRecords(instance.id, 'users', [{ given_name: 'Sam' }, { given_name: 'Kim' }]);
		expect(ids(await hub.get('/users'))).toEqual([1, 2]);
		expect((await hub.post('/users', { given_name: 'New' })).status).toBe(405);
		expectError(await hub.get('/users/1'), 404, 'No resource users/1 for infusionsoftrest');
	});
});

describe('products and orders (infusionsoftrest)', () => {
	it('products: CRUD in Keap REST v1 names; a product needs a name; active by default; CEQL on active and sku', async () => {
		const hub = hubOf(await provision('infusionsoftrest'));
		expectError(await hub.get('/products'), 404, 'No products found');
		expectError(await hub.post('/products', { product_price: 5 }), 400, /product_name/);
		expectError(
			await hub.post('/products', { product_name: 'X', product_price: -1 }),
			400,
			/product_price/,
		);
		expectError(await hub.post('/products', { product_name: 'X', weight: 2 }), 400, /'weight'/);
		const created = await hub.post('/products', {
			product_name: 'Gold',
			product_price: 19.99,
			sku: 'GOLD-1',
			product_short_desc: 'The gold plan',
		});
		expect(created.json).toEqual({
			id: 1,
			product_name: 'Gold',
			product_price: 19.99,
			product_desc: null,
			product_short_desc: 'The gold plan',
			sku: 'GOLD-1',
			active: true,
			subscription_only: false,
		});
		await hub.post('/products', { product_name: 'Old', active: false });
		expect(ids(await hub.get(`/products?where=${encodeURIComponent('active = false')}`))).toEqual([
			2,
		]);
		expect(ids(await hub.get(`/products?where=${encodeURIComponent("sku = 'GOLD-1'")}`))).toEqual([
			1,
		]);
		expect((await hub.patch('/products/1', { product_price: 24.5 })).json).toMatchObject({
			id: 1,
			product_price: 24.5,
		});
		expectError(await hub.patch('/products/1', { product_name: ' ' }), 400, /product_name/);
		expect((await hub.delete('/products/2')).json).toEqual({});
		expectError(await hub.get('/products/2'), 404, 'No product found with id 2');
	});

	it('orders: created with items (their contact and products must exist), priced from the product when no price is given, the total computed; no PATCH', async () => {
		const instance = await provision('infusionsoftrest');
		const hub = hubOf(instance);
		await hub.post('/contacts', { given_name: 'Ann' });
		await hub.post('/products', { product_name: 'Gold', product_price: 19.99 });
		await hub.post('/products', { product_name: 'Mug', product_price: 7 });
		const order = {
			contact_id: 1,
			order_title: 'Web order',
			order_type: 'Online',
			order_date: '2026-11-02T10:00:00.000Z',
			order_items: [
				{ product_id: 1, quantity: 3 },
				{ product_id: 2, quantity: 1, price: 5.5, description: 'discounted' },
			],
		};
		expectError(
			await hub.post('/orders', { ...order, order_items: [] }),
			400,
			/order_items.*at least one/,
		);
		expectError(
			await hub.post('/orders', { ...order, order_items: [{ product_id: 9, quantity: 1 }] }),
			400,
			'order_items[0].product_id: no product found with id 9',
		);
		expectError(
			await hub.post('/orders', { ...order, order_items: [{ product_id: 1, quantity: 0 }] }),
			400,
			/order_items\[0\]\.quantity/,
		);
		expectError(await hub.post('/orders', { ...order, contact_id: 7 }), 400, /contact_id.*7/);
		expectError(await hub.post('/orders', { ...order, order_type: 'Mail' }), 400, /order_type/);
		const { order_title: _title, ...untitled } = order;
		expectError(await hub.post('/orders', untitled), 400, /order_title/);
		expectError(await hub.post('/orders', { ...order, total: 1 }), 400, /total is read-only/);

		const created = await hub.post('/orders', {
			...order,
			promo_codes: ['SPRING'],
			shipping_address: { line1: '1 Main St', locality: 'Chandler', country_code: 'USA' },
		});
		expect(created.status).toBe(200);
		expect(created.json).toEqual({
			id: 1,
			...order,
			order_items: [
				{ product_id: 1, quantity: 3, price: 19.99 },
				{ product_id: 2, quantity: 1, price: 5.5, description: 'discounted' },
			],
			promo_codes: ['SPRING'],
			shipping_address: { line1: '1 Main St', locality: 'Chandler', country_code: 'USA' },
			total: 65.47,
			paid: false,
			creation_date: expect.stringMatching(ISO),
			modification_date: created.json.creation_date,
		});
		expect((await hub.get('/orders/1')).json).toEqual(created.json);
		expectError(await hub.patch('/orders/1', { order_title: 'x' }), 405);

		sb.seedRecords(instance.id, 'orders', [
			{
				...order,
				order_date: '2026-01-05T00:00:00.000Z',
				order_items: [{ product_id: 2, quantity: 1 }],
				contact_id: 2,
				paid: true,
				total: 10,
			},
		]);
		const where = (w: string) => `/orders?where=${encodeURIComponent(w)}`;
		expect(ids(await hub.get(where('contact_id = 1')))).toEqual([1]);
		expect(ids(await hub.get(where('paid = true')))).toEqual([2]);
		expect(ids(await hub.get(where('product_id = 2')))).toEqual([1, 2]);
		expect(ids(await hub.get(where('product_id = 1')))).toEqual([1]);
		expect(ids(await hub.get(where("since = '2026-06-01T00:00:00.000Z'")))).toEqual([1]);
		expect(ids(await hub.get(where("until = '2026-06-01T00:00:00.000Z'")))).toEqual([2]);
		expect((await hub.delete('/orders/1')).json).toEqual({});
		expectError(await hub.get('/orders/1'), 404, 'No order found with id 1');
	});
});

describe('tags (infusionsoftrest)', () => {
	it('POST /tags creates { id, name, description, category }; GET /tags lists them, by name or category', async () => {
		const hub = hubOf(await provision('infusionsoftrest'));
		expectError(await hub.get('/tags'), 404, 'No tags found');
		expect((await hub.post('/tags', { name: 'VIP' })).json).toEqual({
			id: 1,
			name: 'VIP',
			description: null,
			category: null,
		});
		expect(
			(await hub.post('/tags', { name: 'Lead', description: 'From the form', category: { id: 4 } }))
				.json,
		).toEqual({ id: 2, name: 'Lead', description: 'From the form', category: { id: 4 } });
		expectError(await hub.post('/tags', {}), 400, /name/);
		expectError(await hub.post('/tags', { name: 'X', category: 'y' }), 400, /category must be/);
		expectError(await hub.post('/tags', { name: 'X', color: 'red' }), 400, /'color'/);
		const list = await hub.get('/tags');
		expect(list.json.map((tag: { name: string }) => tag.name)).toEqual(['VIP', 'Lead']);
		expect(list.headers.get('elements-total-count')).toBe('2');
		expect(ids(await hub.get(`/tags?where=${encodeURIComponent("name LIKE 'v%'")}`))).toEqual([1]);
		expect(ids(await hub.get(`/tags?where=${encodeURIComponent("name = 'Lead'")}`))).toEqual([2]);
		expect(ids(await hub.get(`/tags?where=${encodeURIComponent('category = 4')}`))).toEqual([2]);
		expectError(await hub.get('/tags/1'), 404, 'No resource tags/1 for infusionsoftrest');
	});

	it("GET /contacts/{id}/tags lists a contact's tags as { tag, date_applied }, paged; 404 when none or no contact", async () => {
		const instance = await provision('infusionsoftrest');
		const hub = hubOf(instance);
		sb.seedRecords(instance.id, 'tags', [
			{ name: 'VIP', category: { id: 3 } },
			{ name: 'Lead' },
			{ name: 'Cold' },
		]);
		const [seeded] = sb.seedRecords<SandboxKeapContact>(instance.id, 'contacts', [
			{ given_name: 'Ann', tag_ids: [2], date_created: '2020-01-01T00:00:00.000Z' },
			{ given_name: 'Bo' },
		]);
		expect((await hub.get('/contacts/1/tags')).json).toEqual([
			{ tag: { id: 2, name: 'Lead', category: null }, date_applied: seeded.date_created },
		]);
		await hub.post('/contacts/1/tags', { tagIds: [1, 3] });
		const all = await hub.get('/contacts/1/tags');
		expect(all.json.map((t: { tag: { id: number } }) => t.tag.id)).toEqual([2, 1, 3]);
		expect(all.json[1]).toEqual({
			tag: { id: 1, name: 'VIP', category: { id: 3 } },
			date_applied: expect.stringMatching(ISO),
		});
		expect(all.json[1].date_applied > seeded.date_created).toBe(true);
		expect(all.headers.get('elements-total-count')).toBe('3');

		const first = await hub.get('/contacts/1/tags?pageSize=2');
		expect(first.json).toHaveLength(2);
		const token = first.headers.get('elements-next-page-token');
		expect(token).toBeTruthy();
		const second = await hub.get(
			`/contacts/1/tags?pageSize=2&nextPage=${encodeURIComponent(token!)}`,
		);
		expect(second.json.map((t: { tag: { id: number } }) => t.tag.id)).toEqual([3]);
		expect(second.headers.get('elements-next-page-token')).toBeNull();

		await hub.delete('/contacts/1/tags/2');
		expect(
			(await hub.get('/contacts/1/tags')).json.map((t: { tag: { id: number } }) => t.tag.id),
		).toEqual([1, 3]);
		expectError(await hub.get('/contacts/2/tags'), 404, 'No tags found for contact 2');
		expectError(await hub.get('/contacts/9/tags'), 404, 'No contact found with id 9');
	});

	it('adds tags to a contact (present ones are a no-op) and removes one', async () => {
		const hub = hubOf(await provision('infusionsoftrest'));
		const contact = (await hub.post('/contacts', { given_name: 'Ann' })).json;
		await hub.post('/tags', { name: 'VIP' });
		await hub.post('/tags', { name: 'Lead' });
		await hub.post('/tags', { name: 'Cold' });
		await sleep(5);
		const added = await hub.post('/contacts/1/tags', { tagIds: [1, 2] });
		expect(added.status).toBe(200);
		expect(added.json).toEqual({ tag_ids: [1, 2] });
		const stored = (await hub.get('/contacts/1')).json;
		expect(stored.tag_ids).toEqual([1, 2]);
		expect(stored.last_updated > contact.last_updated).toBe(true);

		expect((await hub.post('/contacts/1/tags', { tagIds: [2, 3, 3] })).json).toEqual({
			tag_ids: [1, 2, 3],
		});
		expect((await hub.post('/contacts/1/tags', { tagIds: [1] })).json).toEqual({
			tag_ids: [1, 2, 3],
		});
		expectError(await hub.post('/contacts/1/tags', { tagIds: [2, 9] }), 400, /\b9\b/);
		expectError(await hub.post('/contacts/1/tags', { tagIds: [] }), 400, /tagIds/);
		expectError(await hub.post('/contacts/1/tags', { tagIds: ['1'] }), 400, /tagIds/);
		expectError(
			await hub.post('/contacts/7/tags', { tagIds: [1] }),
			404,
			'No contact found with id 7',
		);
		expect((await hub.get('/contacts/1')).json.tag_ids).toEqual([1, 2, 3]);

		const removed = await hub.delete('/contacts/1/tags/2');
		expect(removed.status).toBe(200);
		expect(removed.json).toEqual({ tag_ids: [1, 3] });
		expect((await hub.delete('/contacts/1/tags/2')).json).toEqual({ tag_ids: [1, 3] });
		expectError(await hub.delete('/contacts/1/tags/99'), 404, 'No tag found with id 99');
		expect((await hub.get('/contacts/1')).json.tag_ids).toEqual([1, 3]);
		expect(ids(await hub.get(`/contacts?where=${encodeURIComponent('tag_ids = 3')}`))).toEqual([1]);
		expectError(
			await hub.get(`/contacts?where=${encodeURIComponent('tag_ids = 2')}`),
			404,
			'No contacts found',
		);
	});
});

describe('opportunities and the stage pipeline (infusionsoftrest)', () => {
	it('the stage pipeline is listed, never written; it starts empty (stages are seeded)', async () => {
		const instance = await provision('infusionsoftrest');
		const hub = hubOf(instance);
		expectError(
			await hub.get('/opportunity/stage_pipeline'),
			404,
			'No opportunity/stage_pipeline found',
		);
		sb.seedRecords(instance.id, 'opportunity/stage_pipeline', [
			{ name: 'New', details: { stage_order: 1, probability: 10 } },
		]);
		// Through the control API, the object's slash is encoded.
		const seeded = await control(
			'POST',
			`/instances/${instance.id}/records/opportunity%2Fstage_pipeline`,
			[{ name: 'Won', details: { stage_order: 2, probability: 100 } }],
		);
		expect(seeded.json.created).toBe(1);
		expect((await hub.get('/opportunity/stage_pipeline')).json).toEqual([
			{ id: 1, name: 'New', details: { stage_order: 1, probability: 10 } },
			{ id: 2, name: 'Won', details: { stage_order: 2, probability: 100 } },
		]);
		const post = await hub.post('/opportunity/stage_pipeline', { name: 'Lost' });
		expect(post.status).toBe(405);
		expectError(
			await hub.get('/opportunity/stage_pipeline/1'),
			404,
			'No resource opportunity/stage_pipeline/1 for infusionsoftrest',
		);
	});

	it('CRUD in Keap REST names; title, contact and stage required, and must exist; stage_id, user_id, search_term filters', async () => {
		const instance = await provision('infusionsoftrest');
		const hub = hubOf(instance);
		sb.seedRecords(instance.id, 'opportunity/stage_pipeline', [{ name: 'New' }, { name: 'Won' }]);
		await hub.post('/contacts', { given_name: 'Ann' });
		const valid = { opportunity_title: 'Big deal', contact: { id: 1 }, stage: { id: 1 } };
		expectError(
			await hub.post('/opportunities', { contact: { id: 1 }, stage: { id: 1 } }),
			400,
			/opportunity_title/,
		);
		expectError(await hub.post('/opportunities', { ...valid, contact: null }), 400, /contact/);
		expectError(await hub.post('/opportunities', { ...valid, stage: undefined }), 400, /stage/);
		expectError(
			await hub.post('/opportunities', { ...valid, stage: { id: 7 } }),
			400,
			'stage.id: no stage found with id 7',
		);
		expectError(
			await hub.post('/opportunities', { ...valid, contact: { id: 5 } }),
			400,
			'contact.id: no contact found with id 5',
		);
		expectError(
			await hub.post('/opportunities', { ...valid, projected_revenue_high: '10' }),
			400,
			/projected_revenue_high/,
		);
		expectError(await hub.post('/opportunities', { ...valid, title: 'x' }), 400, /'title'/);

		const created = await hub.post('/opportunities', {
			...valid,
			user: { id: 8 },
			projected_revenue_low: 100,
			projected_revenue_high: 250.5,
			next_action_notes: 'Call Monday',
			estimated_close_date: '2030-05-01T00:00:00.000Z',
		});
		expect(created.status).toBe(200);
		expect(created.json).toEqual({
			id: 1,
			opportunity_title: 'Big deal',
			contact: { id: 1 },
			stage: { id: 1 },
			user: { id: 8 },
			projected_revenue_low: 100,
			projected_revenue_high: 250.5,
			estimated_close_date: '2030-05-01T00:00:00.000Z',
			next_action_date: null,
			next_action_notes: 'Call Monday',
			opportunity_notes: null,
			date_created: expect.stringMatching(ISO),
			last_updated: created.json.date_created,
		});
		expect((await hub.get('/opportunities/1')).json).toEqual(created.json);
		await hub.post('/opportunities', { ...valid, opportunity_title: 'Small one' });

		await sleep(5);
		const moved = await hub.patch('/opportunities/1', { stage: { id: 2 } });
		expect(moved.json).toMatchObject({ id: 1, stage: { id: 2 }, opportunity_title: 'Big deal' });
		expect(moved.json.last_updated > created.json.last_updated).toBe(true);
		expectError(await hub.patch('/opportunities/1', { stage: { id: 3 } }), 400, /stage.*3/);
		expectError(await hub.patch('/opportunities/1', { opportunity_title: ' ' }), 400, /title/);

		const where = (clause: string) => `/opportunities?where=${encodeURIComponent(clause)}`;
		expect(ids(await hub.get(where('stage_id = 2')))).toEqual([1]);
		expect(ids(await hub.get(where('user_id = 8')))).toEqual([1]);
		expect(ids(await hub.get(where("search_term = 'SMALL'")))).toEqual([2]);
		expect(ids(await hub.get(where("search_term = 'deal' AND stage_id = 2")))).toEqual([1]);
		expectError(await hub.get(where('search_term > 3')), 400, /search_term takes =/);

		expect((await hub.delete('/opportunities/1')).json).toEqual({});
		expectError(await hub.get('/opportunities/1'), 404, 'No opportunity found with id 1');
	});
});

describe('lists: paging and counts', () => {
	it('pages across 3 full pages; the token of the full last page leads to a 404 (the platform quirk)', async () => {
		const instance = await provision('infusionsoftrest');
		sb.seedRecords(
			instance.id,
			'contacts',
			Array.from({ length: 30 }, (_, i) => ({ given_name: `C${i + 1}` })),
		);
		const hub = hubOf(instance);
		const seen: number[] = [];
		let nextPage: string | null = null;
		for (let page = 1; page <= 3; page += 1) {
			const response: CallResult = await hub.get(
				`/contacts?pageSize=10${nextPage ? `&nextPage=${encodeURIComponent(nextPage)}` : ''}`,
			);
			expect(response.status).toBe(200);
			expect(response.headers.get('elements-total-count')).toBe('30');
			expect(response.headers.get('elements-returned-count')).toBe('10');
			nextPage = response.headers.get('elements-next-page-token');
			expect(nextPage).toEqual(expect.any(String));
			seen.push(...ids(response));
		}
		expect(seen).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
		expectError(
			await hub.get(`/contacts?pageSize=10&nextPage=${encodeURIComponent(nextPage as string)}`),
			404,
			'No contacts found',
		);
	});

	it('a short last page has no token; a where clause pages over the matches and counts them', async () => {
		const instance = await provision('infusionsoftrest');
		sb.seedRecords(
			instance.id,
			'contacts',
			Array.from({ length: 25 }, (_, i) => ({
				given_name: `C${i + 1}`,
				family_name: i % 2 ? 'Odd' : 'Even',
			})),
		);
		const hub = hubOf(instance);
		const first = await hub.get(
			`/contacts?pageSize=10&where=${encodeURIComponent("family_name = 'Even'")}`,
		);
		expect(ids(first)).toEqual([1, 3, 5, 7, 9, 11, 13, 15, 17, 19]);
		expect(first.headers.get('elements-total-count')).toBe('13');
		const token = first.headers.get('elements-next-page-token') as string;
		const second = await hub.get(
			`/contacts?pageSize=10&where=${encodeURIComponent("family_name = 'Even'")}&nextPage=${encodeURIComponent(token)}`,
		);
		expect(ids(second)).toEqual([21, 23, 25]);
		expect(second.headers.get('elements-total-count')).toBe('13');
		expect(second.headers.get('elements-returned-count')).toBe('3');
		expect(second.headers.get('elements-next-page-token')).toBeNull();
	});

	it('pageSize: 200 by default, at most 500; a bad pageSize or token is 400; no match at all is 404', async () => {
		const instance = await provision('infusionsoftrest');
		const hub = hubOf(instance);
		expectError(await hub.get('/contacts'), 404, 'No contacts found');
		sb.seedRecords(
			instance.id,
			'contacts',
			Array.from({ length: 501 }, (_, i) => ({ given_name: `C${i + 1}` })),
		);
		const page = await hub.get('/contacts');
		expect(page.json).toHaveLength(200);
		expect(page.headers.get('elements-next-page-token')).toEqual(expect.any(String));
		expect((await hub.get('/contacts?pageSize=500')).json).toHaveLength(500);
		expectError(
			await hub.get('/contacts?pageSize=501'),
			400,
			"Invalid pageSize '501': the maximum is 500",
		);
		expectError(await hub.get('/contacts?pageSize=0'), 400, /pageSize/);
		expectError(await hub.get('/contacts?pageSize=ten'), 400, /pageSize/);
		expectError(await hub.get('/contacts?nextPage=garbage'), 400, /nextPage/);
		const tagToken = Buffer.from(JSON.stringify({ object: 'tags', after: 3, v: 1 })).toString(
			'base64',
		);
		expectError(
			await hub.get(`/contacts?nextPage=${encodeURIComponent(tagToken)}`),
			400,
			/nextPage/,
		);
		expectError(
			await hub.get(`/contacts?where=${encodeURIComponent("given_name = 'nobody'")}`),
			404,
			'No contacts found',
		);
	});
});

describe('CEQL where', () => {
	let hub: ReturnType<typeof hubOf>;

	beforeEach(async () => {
		const instance = await provision('infusionsoftrest');
		hub = hubOf(instance);
		sb.seedRecords(instance.id, 'contacts', [
			{
				given_name: 'Ann',
				family_name: 'Smith',
				email_addresses: [{ email: 'ann@example.com' }],
				phone_numbers: [{ number: '555-0101' }],
				company: { company_name: 'Acme' },
				date_created: '2018-01-01T00:00:00.000Z',
			},
			{
				given_name: 'Bob',
				family_name: 'Smith',
				email_addresses: [{ email: 'bob@EXAMPLE.org' }, { email: 'bob@example.com' }],
				date_created: '2018-03-19T06:30:04.000Z',
			},
			{
				given_name: 'Cara',
				family_name: "O'Neil",
				email_addresses: [{ email: 'cara@example.com' }],
				company: { company_name: 'Beta & Co' },
				date_created: '2019-06-01T00:00:00.000Z',
			},
			{ given_name: 'Dan', date_created: '2020-01-01T00:00:00.000Z' },
			{
				family_name: 'Ito',
				email_addresses: [{ email: 'ito@example.net' }],
				date_created: '2021-05-05T12:00:00.000Z',
			},
		]);
	});

	const where = async (clause: string) => {
		const response = await hub.get(`/contacts?where=${encodeURIComponent(clause)}`);
		if (response.status === 404) return [];
		return ids(response);
	};

	it('= and != (NULL never matches, as in SQL), a doubled quote inside a string', async () => {
		expect(await where("family_name = 'Smith'")).toEqual([1, 2]);
		expect(await where("family_name != 'Smith'")).toEqual([3, 5]);
		expect(await where("family_name = 'O''Neil'")).toEqual([3]);
		expect(await where("given_name = 'ann'")).toEqual([]);
		expect(await where('id = 4')).toEqual([4]);
		expect(await where("id = '4'")).toEqual([4]);
	});

	it('< > <= >= on numbers, strings and dates (compared as dates when both sides are ISO dates)', async () => {
		expect(await where('id < 3')).toEqual([1, 2]);
		expect(await where('id > 4')).toEqual([5]);
		expect(await where('id <= 1')).toEqual([1]);
		expect(await where('id >= 4')).toEqual([4, 5]);
		expect(await where("given_name < 'C'")).toEqual([1, 2]);
		expect(await where("given_name >= 'Cara'")).toEqual([3, 4]);
		// 06:30:04Z is after 08:00+02:00 (06:00Z), though not as text
		expect(await where("last_updated > '2018-03-19T08:00:00+02:00'")).toEqual([2, 3, 4, 5]);
		expect(await where("date_created <= '2018-03-19'")).toEqual([1]);
	});

	it('LIKE with % is case-insensitive; IN with strings and numbers', async () => {
		expect(await where("email LIKE '%example.com'")).toEqual([1, 2, 3]);
		expect(await where("email LIKE '%EXAMPLE.ORG'")).toEqual([2]);
		expect(await where("given_name LIKE 'a%'")).toEqual([1]);
		expect(await where("family_name LIKE '%i%'")).toEqual([1, 2, 3, 5]);
		expect(await where("given_name IN ('Ann', 'Dan', 'Zed')")).toEqual([1, 4]);
		expect(await where('id IN (2, 5)')).toEqual([2, 5]);
	});

	it('IS NULL and IS NOT NULL (an empty list counts as NULL)', async () => {
		expect(await where('family_name IS NULL')).toEqual([4]);
		expect(await where('given_name is not null')).toEqual([1, 2, 3, 4]);
		expect(await where('company IS NOT NULL')).toEqual([1, 3]);
		expect(await where('email IS NULL')).toEqual([4]);
		expect(await where('phone_numbers IS NULL')).toEqual([2, 3, 4, 5]);
	});

	it('AND binds tighter than OR; parentheses change it', async () => {
		expect(await where("family_name = 'Smith' OR given_name = 'Dan' AND id = 1")).toEqual([1, 2]);
		expect(await where("(family_name = 'Smith' OR given_name = 'Dan') AND id > 1")).toEqual([2, 4]);
		expect(await where("given_name = 'Dan' AND id = 1 OR family_name = 'Ito'")).toEqual([5]);
		expect(await where("((id = 1) or (id = 3)) and (email like '%.com' or id = 99)")).toEqual([
			1, 3,
		]);
	});

	it('backticks: plain and dotted column names; the virtual email, phone and company_name columns', async () => {
		expect(await where("`family_name` = 'Ito'")).toEqual([5]);
		expect(await where("`company.company_name` = 'Acme'")).toEqual([1]);
		expect(await where("`email_addresses.email` = 'bob@example.com'")).toEqual([2]);
		expect(await where("company_name LIKE '%&%'")).toEqual([3]);
		expect(await where("phone = '555-0101'")).toEqual([1]);
		expect(await where("email = 'cara@example.com'")).toEqual([3]);
	});

	it("since='ISO' is last_updated >= the date, until='ISO' is <=; together a range", async () => {
		expect(await where("since='2018-03-19T06:30:04.000Z'")).toEqual([2, 3, 4, 5]);
		expect(await where("until='2018-03-19T06:30:04.000Z'")).toEqual([1, 2]);
		expect(await where("since='2019-01-01' AND until='2020-12-31T23:59:59Z'")).toEqual([3, 4]);
		expectError(
			await hub.get(`/contacts?where=${encodeURIComponent("since > '2019-01-01'")}`),
			400,
			/^Invalid where clause: since/,
		);
		expectError(
			await hub.get(`/contacts?where=${encodeURIComponent("until = 'yesterday'")}`),
			400,
			/^Invalid where clause: until/,
		);
	});

	it('400 "Invalid where clause: ..." for a syntax error; an unknown column is named', async () => {
		for (const clause of [
			"family_name = 'Smith",
			'family_name =',
			"family_name 'Smith'",
			'(id = 1',
			'id = 1 id = 2',
			"a.b = 'x'",
			'id = NULL',
			'= 1',
		]) {
			expectError(
				await hub.get(`/contacts?where=${encodeURIComponent(clause)}`),
				400,
				/^Invalid where clause: /,
			);
		}
		expectError(
			await hub.get(`/contacts?where=${encodeURIComponent("nickname = 'x'")}`),
			400,
			"Invalid where clause: unknown column 'nickname' for contacts",
		);
		expectError(
			await hub.get(`/contacts?where=${encodeURIComponent("`company.name` = 'x'")}`),
			400,
			/'company\.name'/,
		);
		expectError(
			await hub.get(`/contacts?where=${encodeURIComponent("FirstName = 'Ann'")}`),
			400,
			/'FirstName'/,
		);
	});

	it('on infusionsoftcrm: its own names, and any field its records have', async () => {
		const legacy = await provision('infusionsoftcrm');
		sb.seedRecords(legacy.id, 'contacts', [
			{ FirstName: 'Ann', Email: 'ann@example.com', _Level: 3 },
			{ FirstName: 'Bob', LastName: 'Smith' },
		]);
		const legacyHub = hubOf(legacy);
		const get = async (clause: string) =>
			ids(await legacyHub.get(`/contacts?where=${encodeURIComponent(clause)}`), 'Id');
		expect(await get("FirstName LIKE 'b%'")).toEqual([2]);
		expect(await get('_Level >= 2')).toEqual([1]);
		expect(await get('Email IS NULL')).toEqual([2]);
		expectError(
			await legacyHub.get(`/contacts?where=${encodeURIComponent("given_name = 'Ann'")}`),
			400,
			/'given_name'/,
		);
		expectError(
			await legacyHub.get(`/contacts?where=${encodeURIComponent("since = '2019-01-01'")}`),
			400,
			/'since'/,
		);
	});
});

describe('objects, metadata, userinfo, profile', () => {
	it('GET /objects lists the element’s objects', async () => {
		expect((await hubOf(await provision('infusionsoftrest')).get('/objects')).json).toEqual([
			'contacts',
			'tasks',
			'tags',
			'opportunities',
			'opportunity/stage_pipeline',
			'companies',
			'notes',
			'users',
			'products',
			'orders',
			'emails',
			'files',
		]);
		expect((await hubOf(await provision('infusionsoftcrm')).get('/objects')).json).toEqual([
			'contacts',
		]);
	});

	it('GET /objects/{name}/metadata lists every field with its type; read-only, required and filterable ones say so', async () => {
		const rest = hubOf(await provision('infusionsoftrest'));
		const contacts = await rest.get('/objects/contacts/metadata');
		expect(contacts.status).toBe(200);
		expect(contacts.json.fields).toEqual(
			expect.arrayContaining([
				{ vendorPath: 'id', type: 'number', vendorReadOnly: true },
				{ vendorPath: 'given_name', type: 'string', filterable: true },
				{ vendorPath: 'email_addresses', type: 'array' },
				{ vendorPath: 'email_addresses[*].email', type: 'string', filterable: true },
				{ vendorPath: 'phone_numbers[*].number', type: 'string' },
				{ vendorPath: 'company.company_name', type: 'string' },
				{ vendorPath: 'tag_ids', type: 'array', vendorReadOnly: true },
				{ vendorPath: 'last_updated', type: 'date', vendorReadOnly: true },
			]),
		);
		const topLevel = contacts.json.fields
			.map((f: { vendorPath: string }) => f.vendorPath)
			.filter((p: string) => !/[.[]/.test(p));
		// custom_fields is not listed itself: each of the account's custom fields is (see below).
		expect(topLevel).toEqual([
			'id',
			'given_name',
			'family_name',
			'email_addresses',
			'phone_numbers',
			'company',
			'tag_ids',
			'date_created',
			'last_updated',
		]);
		expect((await rest.get('/objects/tasks/metadata')).json.fields).toEqual(
			expect.arrayContaining([
				{ vendorPath: 'title', type: 'string', vendorRequired: true },
				{ vendorPath: 'completed', type: 'boolean', filterable: true },
				{ vendorPath: 'contact.id', type: 'number', filterable: true },
			]),
		);
		const tasks = (await rest.get('/objects/tasks/metadata')).json.fields.map(
			(f: { vendorPath: string }) => f.vendorPath,
		);
		expect(tasks).toEqual([
			'id',
			'title',
			'description',
			'due_date',
			'completed',
			'contact',
			'contact.id',
			'date_created',
			'last_updated',
		]);
		expect((await rest.get('/objects/tags/metadata')).json).toEqual({
			fields: [
				{ vendorPath: 'id', type: 'number', vendorReadOnly: true },
				{ vendorPath: 'name', type: 'string', vendorRequired: true, filterable: true },
				{ vendorPath: 'description', type: 'string' },
				{ vendorPath: 'category', type: 'object' },
				{ vendorPath: 'category.id', type: 'number' },
			],
		});
		expect(
			(await rest.get('/objects/opportunities/metadata')).json.fields.map(
				(f: { vendorPath: string }) => f.vendorPath,
			),
		).toEqual(expect.arrayContaining(['opportunity_title', 'contact.id', 'stage.id', 'user.id']));
		// Every object says what a create must give and what Keap filters a list by.
		const flagged = async (object: string) =>
			Object.fromEntries(
				(await rest.get(`/objects/${object}/metadata`)).json.fields
					.filter((f: Record<string, unknown>) => f.vendorRequired || f.filterable)
					.map((f: Record<string, unknown>) => [
						f.vendorPath,
						[f.vendorRequired && 'required', f.filterable && 'filterable'].filter(Boolean).join(),
					]),
			);
		expect(await flagged('opportunities')).toEqual({
			opportunity_title: 'required',
			contact: 'required',
			stage: 'required',
			'stage.id': 'filterable',
			'user.id': 'filterable',
		});
		expect(await flagged('companies')).toEqual({ company_name: 'required,filterable' });
		expect(await flagged('notes')).toEqual({
			contact_id: 'required,filterable',
			title: 'required',
			user_id: 'filterable',
		});
		expect(await flagged('products')).toEqual({ product_name: 'required', active: 'filterable' });
		expect(await flagged('orders')).toEqual({
			contact_id: 'required,filterable',
			order_title: 'required',
			order_type: 'required',
			order_date: 'required',
		});
		expect(await flagged('emails')).toEqual({
			contact_id: 'required,filterable',
			sent_to_address: 'required',
		});
		expect(await flagged('files')).toEqual({
			file_name: 'required,filterable',
			contact_id: 'filterable',
			file_box_type: 'filterable',
		});
		expect(await flagged('users')).toEqual({});
		expectError(
			await rest.get('/objects/transactions/metadata'),
			404,
			'No object transactions for infusionsoftrest',
		);

		const legacy = hubOf(await provision('infusionsoftcrm'));
		const legacyFields = (await legacy.get('/objects/contacts/metadata')).json.fields;
		expect(legacyFields.map((f: { vendorPath: string }) => f.vendorPath)).toEqual([
			'Id',
			'FirstName',
			'LastName',
			'Email',
			'Phone1',
			'Company',
			'DateCreated',
			'LastUpdated',
		]);
		expect(legacyFields[0]).toEqual({
			vendorPath: 'Id',
			type: 'number',
			vendorReadOnly: true,
			filterable: true,
		});
		expect(legacyFields.every((f: { filterable?: boolean }) => f.filterable === true)).toBe(true);
		expectError(
			await legacy.get('/objects/tasks/metadata'),
			404,
			'No object tasks for infusionsoftcrm',
		);
	});

	it('the account’s custom fields: listed in the contact metadata, written and read as Keap v1’s custom_fields, checked by id and type', async () => {
		const instance = await provision('infusionsoftrest');
		const rest = hubOf(instance);
		const added = sb.addCustomFields(instance.id, 'contacts', [
			{ label: 'Favourite colour' },
			{ label: 'Shoe size', type: 'number' },
		]);
		expect(added).toEqual([
			{ id: 1, label: 'Favourite colour', type: 'string' },
			{ id: 2, label: 'Shoe size', type: 'number' },
		]);
		const byControl = await control('POST', `/instances/${instance.id}/customFields/contacts`, [
			{ label: 'Renewal', type: 'date' },
		]);
		expect(byControl.json).toEqual({ fields: [{ id: 3, label: 'Renewal', type: 'date' }] });
		const fields = (await rest.get('/objects/contacts/metadata')).json.fields;
		expect(fields.slice(-3)).toEqual([
			{
				vendorPath: 'custom_fields.1',
				type: 'string',
				vendorDisplayName: 'Favourite colour',
				custom: true,
			},
			{
				vendorPath: 'custom_fields.2',
				type: 'number',
				vendorDisplayName: 'Shoe size',
				custom: true,
			},
			{ vendorPath: 'custom_fields.3', type: 'date', vendorDisplayName: 'Renewal', custom: true },
		]);
		// Another instance (another Keap account) has none.
		const other = hubOf(await provision('infusionsoftrest'));
		const otherFields = (await other.get('/objects/contacts/metadata')).json.fields;
		expect(otherFields.some((f: { custom?: boolean }) => f.custom)).toBe(false);

		const created = await rest.post('/contacts', {
			given_name: 'Ann',
			custom_fields: [
				{ id: 1, content: 'teal' },
				{ id: 2, content: 42 },
			],
		});
		expect(created.json.custom_fields).toEqual([
			{ id: 1, content: 'teal' },
			{ id: 2, content: 42 },
		]);
		// A patch changes the custom fields it names and keeps the others.
		const patched = await rest.patch('/contacts/1', { custom_fields: [{ id: 2, content: 43 }] });
		expect(patched.json.custom_fields).toEqual([
			{ id: 1, content: 'teal' },
			{ id: 2, content: 43 },
		]);
		expectError(
			await rest.post('/contacts', { given_name: 'B', custom_fields: [{ id: 9, content: 'x' }] }),
			400,
			'custom_fields: no custom field with id 9',
		);
		expectError(
			await rest.patch('/contacts/1', { custom_fields: [{ id: 2, content: 'big' }] }),
			400,
			'custom_fields: Shoe size (id 2) takes a number',
		);
		expectError(
			await rest.patch('/contacts/1', { custom_fields: [{ id: 3, content: 'soon' }] }),
			400,
			'custom_fields: Renewal (id 3) takes a date',
		);
		expectError(
			await rest.post('/contacts', { given_name: 'B', custom_fields: [{ id: 1, value: 'x' }] }),
			400,
			"Unknown field 'custom_fields[0].value'",
		);
		expect(() => sb.addCustomFields(instance.id, 'tasks', [{ label: 'x' }])).toThrow(
			'tasks take no custom fields',
		);
		expect(() =>
			sb.addCustomFields(instance.id, 'contacts', [{ label: 'x', type: 'list' as 'string' }]),
		).toThrow(/fields\[0\]\.type must be one of/);
		expect(sb.records(instance.id, 'contacts')[0].custom_fields).toEqual([
			{ id: 1, content: 'teal' },
			{ id: 2, content: 43 },
		]);
	});

	it('userinfo and account profile (infusionsoftrest): fixed values per instance', async () => {
		const instance = await provision('infusionsoftrest');
		const hub = hubOf(instance);
		const info = await hub.get('/oauth/connect/userinfo');
		expect(info.status).toBe(200);
		expect(info.json).toEqual({
			sub: String(instance.id),
			email: expect.stringMatching(/@/),
			given_name: expect.any(String),
			family_name: expect.any(String),
			global_user_id: expect.any(Number),
		});
		expect((await hub.get('/oauth/connect/userinfo')).json).toEqual(info.json);
		const profile = await hub.get('/account/profile');
		expect(profile.status).toBe(200);
		expect(profile.json).toMatchObject({
			name: `Sandbox account ${instance.id}`,
			email: expect.stringMatching(/@/),
		});
		const other = await provision('infusionsoftrest');
		expect((await hubOf(other).get('/oauth/connect/userinfo')).json.sub).toBe(String(other.id));
	});

	it('any other /hubs/crm/<x> is 404 "No resource <x> for <element key>"', async () => {
		const hub = hubOf(await provision('infusionsoftrest'));
		expectError(
			await hub.get('/transactions'),
			404,
			'No resource transactions for infusionsoftrest',
		);
		expectError(
			await hub.post('/accounts', { name: 'x' }),
			404,
			'No resource accounts for infusionsoftrest',
		);
		expectError(
			await hub.get('/contacts/1/emails'),
			404,
			'No resource contacts/1/emails for infusionsoftrest',
		);
	});
});

describe('seeding and the control API', () => {
	it('seedRecords assigns ids and dates, keeps given dates, checks only the shape; records() is a copy', async () => {
		const instance = await provision('infusionsoftrest');
		const seeded = sb.seedRecords<SandboxKeapContact>(instance.id, 'contacts', [
			{ given_name: 'Ann', tag_ids: [5] },
			{ family_name: 'Old', date_created: '2017-05-01T00:00:00.000Z' },
			{ phone_numbers: [{ number: '555' }] }, // no name, no email: a seed skips the create rule
		]);
		expect(seeded.map((c) => c.id)).toEqual([1, 2, 3]);
		expect(seeded[0]).toMatchObject({
			tag_ids: [5],
			email_addresses: [],
			company: null,
			date_created: expect.stringMatching(ISO),
		});
		expect(seeded[1]).toMatchObject({
			date_created: '2017-05-01T00:00:00.000Z',
			last_updated: '2017-05-01T00:00:00.000Z',
		});
		seeded[0].given_name = 'changed';
		const copy = sb.records<SandboxKeapContact>(instance.id, 'contacts');
		copy[1].family_name = 'changed too';
		expect(
			sb
				.records<SandboxKeapContact>(instance.id, 'contacts')
				.map((c) => c.given_name ?? c.family_name),
		).toEqual(['Ann', 'Old', null]);
		expect((await hubOf(instance).post('/contacts', { given_name: 'Next' })).json.id).toBe(4);

		expect(() =>
			sb.seedRecords(instance.id, 'contacts', [{ given_name: 'ok' }, { nickname: 'x' }]),
		).toThrow(/records\[1\].*'nickname'/);
		expect(() => sb.seedRecords(instance.id, 'contacts', [{ id: 9, given_name: 'x' }])).toThrow(
			/id is assigned/,
		);
		expect(() => sb.seedRecords(instance.id, 'contacts', [{ date_created: 'yesterday' }])).toThrow(
			/date_created/,
		);
		expect(() => sb.seedRecords(instance.id, 'transactions' as 'contacts', [])).toThrow(
			/No object transactions/,
		);
		expect(() => sb.seedRecords(999, 'contacts', [])).toThrow(/No instance with id 999/);
		expect(sb.records(instance.id, 'contacts')).toHaveLength(4); // all or none

		const legacy = await provision('infusionsoftcrm');
		expect(() => sb.seedRecords(legacy.id, 'tasks', [{ title: 'x' }])).toThrow(TypeError);
		const [contact] = sb.seedRecords<SandboxLegacyContact>(legacy.id, 'contacts', [
			{ FirstName: 'Ann', _Score: { a: [1] } },
		]);
		expect(contact).toMatchObject({ Id: 1, FirstName: 'Ann', LastName: null, _Score: { a: [1] } });
		expect(() =>
			sb.seedRecords(legacy.id, 'contacts', [{ FirstName: 'Ann', When: new Date() }]),
		).toThrow(/When must be JSON data/);
	});

	it('POST /__sandbox/instances/:id/records/:object takes [..] or { records }; GET lists; not recorded', async () => {
		const instance = await provision('infusionsoftrest');
		const before = sb.requests.length;
		const created = await control('POST', `/instances/${instance.id}/records/tags`, [
			{ name: 'VIP' },
			{ name: 'Lead' },
		]);
		expect(created.status).toBe(200);
		expect(created.json).toEqual({
			created: 2,
			records: [
				{ id: 1, name: 'VIP', description: null, category: null },
				{ id: 2, name: 'Lead', description: null, category: null },
			],
		});
		expect(
			(
				await control('POST', `/instances/${instance.id}/records/tags`, {
					records: [{ name: 'Cold' }],
				})
			).json.created,
		).toBe(1);
		expect(
			(await control('GET', `/instances/${instance.id}/records/tags`)).json.map(
				(t: { name: string }) => t.name,
			),
		).toEqual(['VIP', 'Lead', 'Cold']);
		expect(sb.requests.length).toBe(before);

		expect(
			(await control('POST', `/instances/${instance.id}/records/tags`, [{ name: 3 }])).status,
		).toBe(400);
		expect(
			(await control('POST', `/instances/${instance.id}/records/tags`, { name: 'x' })).status,
		).toBe(400);
		expect((await control('POST', `/instances/${instance.id}/records/deals`, [])).status).toBe(404);
		expect((await control('GET', '/instances/999/records/tags')).status).toBe(404);
	});

	it('the control API takes a seed body over 1 MB (the platform API would answer 413)', async () => {
		const instance = await provision('infusionsoftcrm');
		const records = Array.from({ length: 12000 }, (_, i) => ({
			FirstName: `First${i}`,
			Email: `contact${i}@example.com`,
			Notes: 'x'.repeat(40),
		}));
		expect(JSON.stringify(records).length).toBeGreaterThan(1024 * 1024);
		const response = await control('POST', `/instances/${instance.id}/records/contacts`, {
			records,
		});
		expect(response.status).toBe(200);
		expect(response.json.created).toBe(12000);
		expect(response.json.records[11999]).toMatchObject({
			Id: 12000,
			FirstName: 'First11999',
			Notes: 'x'.repeat(40),
		});
	});

	it('seeds 10,000 contacts and reads them back over HTTP in 500-record pages (times printed, not asserted)', async () => {
		const instance = await provision('infusionsoftrest');
		const input = Array.from({ length: 10000 }, (_, i) => ({
			given_name: `First${i + 1}`,
			family_name: `Last${i % 97}`,
			email_addresses: [{ email: `contact${i + 1}@example.com` }],
			company: i % 3 ? null : { company_name: `Company ${i % 50}` },
		}));
		let started = performance.now();
		const seeded = sb.seedRecords(instance.id, 'contacts', input);
		const seedMs = performance.now() - started;
		expect(seeded).toHaveLength(10000);

		const hub = hubOf(instance);
		started = performance.now();
		const seen: number[] = [];
		let nextPage: string | null = null;
		let pages = 0;
		for (;;) {
			const response: CallResult = await hub.get(
				`/contacts?pageSize=500${nextPage ? `&nextPage=${encodeURIComponent(nextPage)}` : ''}`,
			);
			if (response.status === 404) break;
			expect(response.status).toBe(200);
			expect(response.headers.get('elements-total-count')).toBe('10000');
			pages += 1;
			seen.push(...ids(response));
			nextPage = response.headers.get('elements-next-page-token');
			if (!nextPage) break;
		}
		const readMs = performance.now() - started;
		expect(pages).toBe(20);
		expect(nextPage).not.toBeNull(); // the 20th page was full: its token led to the 404
		expect(seen).toEqual(Array.from({ length: 10000 }, (_, i) => i + 1));
		console.log(
			`hub: seeded 10,000 contacts in ${seedMs.toFixed(0)} ms; read them back in ${pages} pages of 500 over HTTP in ${readMs.toFixed(0)} ms`,
		);
	});

	it('reset() clears the records: a new instance with the same id starts empty', async () => {
		const first = await provision('infusionsoftrest');
		sb.seedRecords(first.id, 'contacts', [{ given_name: 'Ann' }]);
		sb.seedRecords(first.id, 'tags', [{ name: 'VIP' }]);
		sb.reset();
		const second = await provision('infusionsoftrest');
		expect(second.id).toBe(first.id);
		expect(sb.records(second.id, 'contacts')).toEqual([]);
		expect(sb.records(second.id, 'tags')).toEqual([]);
		expectError(await hubOf(second).get('/contacts'), 404, 'No contacts found');
		expect((await hubOf(second).post('/contacts', { given_name: 'Bob' })).json.id).toBe(1);
	});

	it('deleting an instance drops its records', async () => {
		const instance = await provision('infusionsoftrest');
		sb.seedRecords(instance.id, 'contacts', [{ given_name: 'Ann' }]);
		const stored = sb.instances.get(instance.id);
		expect((await call('DELETE', `/instances/${instance.id}`)).status).toBe(200);
		expect(() => sb.records(instance.id, 'contacts')).toThrow(/No instance/);
		// planted back under the same id, it has no records left
		sb.instances.set(instance.id, stored as NonNullable<typeof stored>);
		expect(sb.records(instance.id, 'contacts')).toEqual([]);
	});
});

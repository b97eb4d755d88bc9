/**
 * Files of a Keap REST instance through n8n's engine against the stand-in: Upload from a binary
 * made in the workflow, Download back into binary data (the same bytes), Get Many, Delete.
 */
import { expectNoSecrets } from '../support/infusionsoftRun';
import { hubTestKit, type Element } from '../support/hubCustomer';

/** Bytes that are no UTF-8 text, so that any text conversion on the way would show. */
const BYTES = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0xfe, 0x80, 0x0d, 0x0a, 0x1a, 0x7f]);
const asBinary = (bytes: Buffer, fileName = 'scan.pdf', mimeType = 'application/pdf') => ({
	base64: bytes.toString('base64'),
	fileName,
	mimeType,
});

describe('files through a Keap REST instance', () => {
	const kit = hubTestKit();
	const { run, hubCalls } = kit;
	const connect = (element: Element = 'infusionsoftrest') =>
		kit.connect(element, `Files ${element}`);

	it('Upload a binary made in the workflow, Get Many, Download it back (the same bytes), Delete', async () => {
		const { id, token, instance } = await connect();
		const [contact] = kit.sb.seedRecords(id, 'contacts', [{ given_name: 'Ann' }]) as Array<{
			id: number;
		}>;
		const uploaded = await run(
			{
				resource: 'file',
				operation: 'upload',
				instance,
				association: 'contact',
				contactId: '={{ $json.contactId }}',
			},
			[{ contactId: contact.id, $binary: { data: asBinary(BYTES) } }],
		);
		expect(uploaded.error).toBeUndefined();
		const file = uploaded.items[0].json;
		expect(file).toMatchObject({
			file_name: 'scan.pdf',
			file_size: BYTES.length,
			contact_id: contact.id,
			public: false,
		});
		expect(file).not.toHaveProperty('file_data');
		expect(uploaded.items[0].binary).toBeUndefined();
		expect(kit.sb.records(id, 'files')[0]).toMatchObject({ file_data: BYTES.toString('base64') });
		const [post] = hubCalls();
		expect(post.body).toEqual({
			file_name: 'scan.pdf',
			file_data: BYTES.toString('base64'),
			is_public: false,
			file_association: 'CONTACT',
			contact_id: contact.id,
		});
		expectNoSecrets(uploaded, [token]);

		const renamed = await run(
			{
				resource: 'file',
				operation: 'upload',
				instance,
				binaryPropertyName: 'attachment',
				association: 'company',
				isPublic: true,
				additionalFields: { fileName: 'logo.png' },
			},
			[{ $binary: { attachment: asBinary(Buffer.from('png?'), 'x.bin') } }],
		);
		expect(renamed.items[0].json).toMatchObject({
			file_name: 'logo.png',
			public: true,
			contact_id: null,
		});

		const byContact = await run({
			resource: 'file',
			operation: 'getAll',
			instance,
			returnAll: true,
			filters: { contactId: String(contact.id) },
		});
		expect(byContact.items.map((i) => i.json.id)).toEqual([file.id]);
		expect(byContact.items[0].json).not.toHaveProperty('file_data');
		const company = await run({
			resource: 'file',
			operation: 'getAll',
			instance,
			returnAll: true,
			filters: { permission: 'COMPANY', name: 'logo.png' },
		});
		expect(company.items.map((i) => i.json.file_name)).toEqual(['logo.png']);
		const limited = await run({ resource: 'file', operation: 'getAll', instance, limit: 1 });
		expect(limited.items).toHaveLength(1);

		kit.sb.requests.length = 0;
		const downloaded = await run(
			{
				resource: 'file',
				operation: 'download',
				instance,
				fileId: '={{ $json.fileId }}',
				binaryPropertyName: 'file',
			},
			[{ fileId: file.id }],
		);
		expect(downloaded.error).toBeUndefined();
		const [out] = downloaded.items;
		expect(out.json).toMatchObject({ id: file.id, file_name: 'scan.pdf' });
		expect(out.json).not.toHaveProperty('file_data');
		expect(out.pairedItem).toEqual({ item: 0 });
		expect(Object.keys(out.binary ?? {})).toEqual(['file']);
		expect(out.binary!.file).toMatchObject({ fileName: 'scan.pdf', mimeType: 'application/pdf' });
		expect(Buffer.from(out.binary!.file.data, 'base64')).toEqual(BYTES);
		expect(hubCalls()[0]).toMatchObject({
			path: expect.stringMatching(/\/hubs\/crm\/files\/\d+$/),
			query: { optional_properties: 'file_data' },
		});
		expectNoSecrets(downloaded, [token]);

		const deleted = await run({
			resource: 'file',
			operation: 'delete',
			instance,
			fileId: String(file.id),
		});
		expect(deleted.items[0].json).toEqual({ id: file.id, deleted: true, alreadyDeleted: false });
		const again = await run({
			resource: 'file',
			operation: 'delete',
			instance,
			fileId: String(file.id),
		});
		expect(again.items[0].json).toMatchObject({ alreadyDeleted: true });
		const missing = await run({
			resource: 'file',
			operation: 'download',
			instance,
			fileId: String(file.id),
		});
		expect(missing.error?.description).toContain(`No file ${file.id}`);
	});

	it('refused before any hub call, by name: a missing binary property, a file over 10 MB, a legacy instance; Continue On Fail keeps the others, paired and in order', async () => {
		const { id, instance } = await connect();
		const [contact] = kit.sb.seedRecords(id, 'contacts', [{ given_name: 'Ann' }]) as Array<{
			id: number;
		}>;
		const parameters = {
			resource: 'file',
			operation: 'upload',
			instance,
			contactId: '={{ $json.contactId }}',
		};
		const missing = await run(parameters, [
			{ contactId: contact.id, $binary: { other: asBinary(BYTES) } },
		]);
		expect(missing.error?.message).toBe(
			'Input Binary Field: the item has no binary property "data" [item 0]',
		);
		expect(missing.error?.description).toContain('Its binary properties: other');
		const tooBig = await run(parameters, [
			{ contactId: contact.id, $binary: { data: asBinary(Buffer.alloc(10 * 1024 * 1024 + 1)) } },
		]);
		expect(tooBig.error?.message).toMatch(
			/is 10\.0 MB: Keap takes files of at most 10 MB \[item 0\]/,
		);
		expect(hubCalls()).toHaveLength(0);

		const mixed = await run(
			parameters,
			[
				{ contactId: contact.id, $binary: { data: asBinary(BYTES, 'a.pdf') } },
				{ contactId: contact.id },
				{ contactId: 'abc', $binary: { data: asBinary(BYTES, 'c.pdf') } },
				{ contactId: contact.id, $binary: { data: asBinary(BYTES, 'd.pdf') } },
			],
			true,
		);
		expect(mixed.items.map((i) => i.json.file_name ?? i.json.error)).toEqual([
			'a.pdf',
			'Input Binary Field: the item has no binary property "data" [item 1]',
			'Contact ID must be a whole number [item 2]',
			'd.pdf',
		]);
		expect(mixed.items.map((i) => i.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
		expect(kit.sb.records(id, 'files')).toHaveLength(2);

		const legacy = await connect('infusionsoftcrm');
		kit.sb.requests.length = 0;
		const refused = await run({ resource: 'file', operation: 'getAll', instance: legacy.instance });
		expect(refused.error?.message).toContain(
			`"Get many files" works through Keap REST instances only; instance ${legacy.id} is Infusionsoft CRM`,
		);
		expect(hubCalls()).toHaveLength(0);
	});

	it('Download of several items: each keeps its own file in its binary data, a failed one is an error item, paired and in order', async () => {
		const { id, instance } = await connect();
		const files = kit.sb.seedRecords(id, 'files', [
			{ file_name: 'a.txt', file_data: Buffer.from('first').toString('base64'), file_size: 5 },
			{ file_name: 'b.bin', file_data: BYTES.toString('base64'), file_size: BYTES.length },
		]) as Array<{ id: number }>;
		const run3 = await run(
			{ resource: 'file', operation: 'download', instance, fileId: '={{ $json.fileId }}' },
			[{ fileId: files[0].id }, { fileId: 999 }, { fileId: files[1].id }],
			true,
		);
		expect(run3.items.map((i) => i.pairedItem)).toEqual([0, 1, 2].map((item) => ({ item })));
		expect(run3.items[1].json).toMatchObject({
			error: 'Cloud Elements: No file found with id 999',
			httpCode: '404',
		});
		expect(run3.items[1].json.errorDescription).toContain('No file 999');
		expect(run3.items[1].binary).toBeUndefined();
		const bytesOf = (i: number) => Buffer.from(run3.items[i].binary!.data.data, 'base64');
		expect(bytesOf(0).toString()).toBe('first');
		expect(run3.items[0].binary!.data.fileName).toBe('a.txt');
		expect(bytesOf(2)).toEqual(BYTES);
	});

	it('an upload whose answer is lost is reported as unknown, never sent twice', async () => {
		const { id, instance } = await connect();
		const [contact] = kit.sb.seedRecords(id, 'contacts', [{ given_name: 'Ann' }]) as Array<{
			id: number;
		}>;
		kit.sb.fail({ method: 'POST', path: '/hubs/crm/files', drop: 'after' });
		const lost = await run(
			{ resource: 'file', operation: 'upload', instance, contactId: String(contact.id) },
			[{ $binary: { data: asBinary(BYTES) } }],
		);
		expect(lost.error?.description).toContain('may or may not have been uploaded');
		expect(hubCalls().filter((r) => r.method === 'POST')).toHaveLength(1);
		expect(kit.sb.records(id, 'files')).toHaveLength(1);
	});
});

/**
 * Opportunities through a Keap REST instance: Create, Get, Get Many, Update, Move to Stage and
 * Delete through n8n's engine against the stand-in's CRM hub, and the Stage dropdown as n8n's
 * editor loads it from the chosen instance.
 */
import type { IDataObject } from 'n8n-workflow';

import { loadOptions } from '../harness';
import { editorRequest, expectNoSecrets, legacyRefusal } from '../support/infusionsoftRun';
import { EXAMPLE } from '../../sandbox';
import { hubTestKit } from '../support/hubCustomer';

describe('opportunities through the CRM hub', () => {
	const kit = hubTestKit();
	const { run, byId, hubCalls } = kit;
	const { connect } = kit;

	/** A Keap account with a pipeline (New, Proposal, Won) and two contacts. */
	function seedAccount(id: number) {
		kit.sb.seedRecords(id, 'opportunity/stage_pipeline', [
			{ name: 'New', details: { stage_order: 1 } },
			{ name: 'Proposal', details: { stage_order: 2 } },
			{ name: 'Won', details: { stage_order: 3 } },
		]);
		kit.sb.seedRecords(id, 'contacts', [{ given_name: 'Ann' }, { given_name: 'Bo' }]);
	}

	it('Create, Get, Update, Move to Stage, Get Many (stage, user, search term) and Delete, in Keap REST’s names', async () => {
		const { id, token } = await connect('infusionsoftrest');
		seedAccount(id);
		const instance = byId(id);
		const created = await run({
			resource: 'opportunity',
			operation: 'create',
			instance,
			title: 'Website redesign',
			contactId: '1',
			stageId: '1',
			additionalFields: {
				projectedRevenueLow: 1000,
				projectedRevenueHigh: '2500.50',
				nextActionNotes: 'Send the proposal',
				nextActionDate: '2030-03-01T09:00:00Z',
				notes: 'Met at the fair',
				userId: '7',
			},
		});
		expect(created.error).toBeUndefined();
		const opportunity = created.items[0].json;
		expect(opportunity).toMatchObject({
			id: 1,
			opportunity_title: 'Website redesign',
			contact: { id: 1 },
			stage: { id: 1 },
			user: { id: 7 },
			projected_revenue_low: 1000,
			projected_revenue_high: 2500.5,
			next_action_notes: 'Send the proposal',
			next_action_date: '2030-03-01T09:00:00.000Z',
			opportunity_notes: 'Met at the fair',
		});
		expect(kit.sb.records(id, 'opportunities')).toEqual([opportunity]);
		expect(hubCalls().find((r) => r.method === 'POST')!.headers.authorization).toBe(
			`User ${EXAMPLE.userSecret}, Organization ${EXAMPLE.organizationSecret}, Element ${token}`,
		);
		expectNoSecrets(created, [token]);

		const got = await run({
			resource: 'opportunity',
			operation: 'get',
			instance,
			opportunityId: '1',
		});
		expect(got.items[0].json).toEqual(opportunity);

		const updated = await run({
			resource: 'opportunity',
			operation: 'update',
			instance,
			opportunityId: '1',
			updateFields: { title: 'Website and shop', projectedRevenueHigh: 4000, contactId: '2' },
		});
		expect(updated.items[0].json).toMatchObject({
			id: 1,
			opportunity_title: 'Website and shop',
			projected_revenue_high: 4000,
			contact: { id: 2 },
			stage: { id: 1 },
		});

		const moved = await run({
			resource: 'opportunity',
			operation: 'moveToStage',
			instance,
			opportunityId: '1',
			stageId: '3',
		});
		expect(moved.items[0].json).toMatchObject({ id: 1, stage: { id: 3 } });
		expect(kit.sb.records(id, 'opportunities')[0]).toMatchObject({ stage: { id: 3 } });

		await run({
			resource: 'opportunity',
			operation: 'create',
			instance,
			title: 'Support plan',
			contactId: '1',
			stageId: '2',
		});
		const list = (filters: IDataObject) =>
			run({ resource: 'opportunity', operation: 'getAll', instance, returnAll: true, filters });
		expect((await list({})).items.map((i) => i.json.id)).toEqual([1, 2]);
		expect((await list({ stageId: '2' })).items.map((i) => i.json.id)).toEqual([2]);
		expect((await list({ userId: '7' })).items.map((i) => i.json.id)).toEqual([1]);
		expect((await list({ searchTerm: 'shop' })).items.map((i) => i.json.id)).toEqual([1]);
		const none = await list({ searchTerm: "O'Brien" });
		expect(none.error).toBeUndefined();
		expect(none.items).toEqual([]);
		const limited = await run({
			resource: 'opportunity',
			operation: 'getAll',
			instance,
			limit: 1,
		});
		expect(limited.items).toHaveLength(1);

		const deleted = await run({
			resource: 'opportunity',
			operation: 'delete',
			instance,
			opportunityId: '1',
		});
		expect(deleted.items[0].json).toEqual({ id: 1, deleted: true, alreadyDeleted: false });
		const again = await run({
			resource: 'opportunity',
			operation: 'delete',
			instance,
			opportunityId: '1',
		});
		expect(again.items[0].json).toEqual({ id: 1, deleted: true, alreadyDeleted: true });
		const gone = await run({
			resource: 'opportunity',
			operation: 'get',
			instance,
			opportunityId: '1',
		});
		expect(gone.error?.description).toContain(
			`No opportunity 1 in the Keap account of instance ${id}: check the Opportunity ID.`,
		);
	});

	it('a stage or contact Keap does not have is its 400, with what to check', async () => {
		const { id } = await connect('infusionsoftrest');
		seedAccount(id);
		const refused = await run({
			resource: 'opportunity',
			operation: 'create',
			instance: byId(id),
			title: 'Deal',
			contactId: '1',
			stageId: '9',
		});
		expect(refused.error?.message).toContain('stage.id: no stage found with id 9');
		expect(refused.error?.description).toContain('Check the Contact ID and the Stage');
		expect(kit.sb.records(id, 'opportunities')).toEqual([]);
	});

	it('a create whose answer is lost is reported as unknown, never sent twice', async () => {
		const { id } = await connect('infusionsoftrest');
		seedAccount(id);
		kit.sb.fail({ method: 'POST', path: '/hubs/crm/opportunities', drop: 'after' });
		const lost = await run({
			resource: 'opportunity',
			operation: 'create',
			instance: byId(id),
			title: 'Deal',
			contactId: '1',
			stageId: '1',
		});
		expect(lost.error?.description).toContain('may or may not have been created');
		expect(hubCalls().filter((r) => r.method === 'POST')).toHaveLength(1);
		expect(kit.sb.records(id, 'opportunities')).toHaveLength(1);
	});

	it('the legacy element is refused by name before any hub call, by every opportunity operation', async () => {
		const legacy = await connect('infusionsoftcrm');
		const instance = byId(legacy.id);
		for (const parameters of [
			{ operation: 'create', title: 'Deal', contactId: '1', stageId: '1' },
			{ operation: 'get', opportunityId: '1' },
			{ operation: 'getAll' },
			{ operation: 'update', opportunityId: '1', updateFields: { title: 'x' } },
			{ operation: 'moveToStage', opportunityId: '1', stageId: '2' },
			{ operation: 'delete', opportunityId: '1' },
		]) {
			const refused = await run({ resource: 'opportunity', instance, ...parameters });
			expect(refused.error?.message).toBe(
				legacyRefusal('opportunity', parameters.operation, legacy.id),
			);
		}
		expect(hubCalls()).toHaveLength(0);
	});

	it('Continue On Fail: bad items among good ones are refused by field, paired and in order; nothing half-sent', async () => {
		const { id } = await connect('infusionsoftrest');
		seedAccount(id);
		const created = await run(
			{
				resource: 'opportunity',
				operation: 'create',
				instance: byId(id),
				title: '={{ $json.title }}',
				contactId: '={{ $json.contactId }}',
				stageId: '={{ $json.stageId }}',
				additionalFields: { projectedRevenueLow: '={{ $json.low }}' },
			},
			[
				{ title: 'A', contactId: 1, stageId: 1, low: 10 },
				{ title: ' ', contactId: 1, stageId: 1, low: 10 },
				{ title: 'C', contactId: 'Ann', stageId: 1, low: 10 },
				{ title: 'D', contactId: 1, stageId: 'New', low: 10 },
				{ title: 'E', contactId: 1, stageId: 1, low: 'lots' },
				{ title: 'F', contactId: 2, stageId: 2, low: 0 },
			],
			true,
		);
		expect(created.items.map((i) => i.json.opportunity_title ?? i.json.error)).toEqual([
			'A',
			'Title is empty [item 1]',
			'Contact ID must be a whole number [item 2]',
			'Stage must be a whole number [item 3]',
			'Additional Fields → Projected Revenue Low must be a number of 0 or more [item 4]',
			'F',
		]);
		expect(created.items.map((i) => i.pairedItem)).toEqual(
			[0, 1, 2, 3, 4, 5].map((item) => ({ item })),
		);
		expect(kit.sb.records(id, 'opportunities').map((o) => o.opportunity_title)).toEqual(['A', 'F']);
	});

	describe('the Stage dropdown, as n8n’s editor loads it', () => {
		const stages = (instance: IDataObject, parameter = 'stageId', operation = 'create') =>
			loadOptions(
				editorRequest(kit.sb, { resource: 'opportunity', operation, instance }, parameter),
			);

		it('lists the stages of the chosen instance’s pipeline, by name, with their IDs', async () => {
			const { id, token } = await connect('infusionsoftrest');
			seedAccount(id);
			const other = await connect('infusionsoftrest', 'Another customer');
			kit.sb.seedRecords(other.id, 'opportunity/stage_pipeline', [{ name: 'Elsewhere' }]);
			kit.sb.requests.length = 0;
			const options = await stages({ __rl: true, mode: 'list', value: String(id) });
			expect(options).toEqual([
				{ name: 'New', value: '1' },
				{ name: 'Proposal', value: '2' },
				{ name: 'Won', value: '3' },
			]);
			const pipelineCall = hubCalls().find((r) => r.path.endsWith('/opportunity/stage_pipeline'));
			expect(pipelineCall?.headers.authorization).toContain(`Element ${token}`);
			expect(
				await stages({ __rl: true, mode: 'id', value: String(other.id) }, 'stageId', 'moveToStage'),
			).toEqual([{ name: 'Elsewhere', value: '1' }]);
		});

		it('an answer that echoes the request never shows the instance token in the error', async () => {
			const { id, token } = await connect('infusionsoftrest');
			kit.sb.fail({
				method: 'GET',
				path: '/hubs/crm/opportunity/stage_pipeline',
				status: 401,
				echoRequest: true,
				times: 5,
			});
			const failed = (await stages({ __rl: true, mode: 'id', value: String(id) }).catch(
				(error: unknown) => error,
			)) as Error & { description?: string };
			expect(failed).toBeInstanceOf(Error);
			const shown = JSON.stringify({
				message: failed.message,
				description: failed.description,
				failed,
			});
			expect(shown).toContain('no longer works');
			expect(shown).not.toContain(token);
			expect(shown).not.toContain(EXAMPLE.userSecret);
		});

		it('asks for an instance first when none is chosen, or it is given by token or expression', async () => {
			for (const instance of [
				{ __rl: true, mode: 'list', value: '' },
				{ __rl: true, mode: 'elementAuth', value: 'tok' },
				{ __rl: true, mode: 'id', value: '={{ $json.id }}' },
			]) {
				await expect(stages(instance)).rejects.toThrow(
					'Choose an instance first (From List or By ID) to load this list',
				);
			}
		});

		it('the tag pickers of Add and Remove Tags list the instance’s tags', async () => {
			const { id } = await connect('infusionsoftrest');
			kit.sb.seedRecords(id, 'tags', [{ name: 'VIP' }, { name: 'Lead' }]);
			const tags = await loadOptions(
				editorRequest(
					kit.sb,
					{
						resource: 'contact',
						operation: 'removeTags',
						instance: { __rl: true, mode: 'id', value: String(id) },
					},
					'tagIds',
				),
			);
			expect(tags).toEqual([
				{ name: 'Lead', value: '2' },
				{ name: 'VIP', value: '1' },
			]);
		});
	});
});

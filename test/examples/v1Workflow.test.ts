import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { beforeAll, describe, expect, it } from '@jest/globals';
import type { IDataObject } from 'n8n-workflow';

import { FIXTURES_DIR } from './exampleSupport';
import { provisioningScenario, scheduledScenario } from './v1Scenario';

/**
 * A workflow saved before the Element field (version-1 nodes) runs unchanged: the fixtures are the
 * examples as they were at commit 70944b7, the golden files what the node of that commit did with
 * them (see fixtures/README.md). Today's node must do the same, apart from the changes made on
 * purpose since, which are checked by name and then taken out before the comparison.
 */
const raw = (name: string) => readFileSync(join(FIXTURES_DIR, name));
const json = (name: string) => JSON.parse(raw(name).toString('utf8'));
const sha256 = (name: string) => createHash('sha256').update(raw(name)).digest('hex');

type Call = { call: string; query: IDataObject; body?: unknown };
type Step = {
	calls: Call[];
	outputs: Record<string, IDataObject[][]>;
	instances?: Array<IDataObject & { tags: string[]; element: string }>;
};

const STATE_TAG = 'used-state:<hash>';
const LEGACY_KEYS = [
	'infusionsoft.private.key',
	'infusionsoft.server',
	'oauth.api.key',
	'oauth.api.secret',
	'oauth.callback.url',
];

/** Deep copy without the `used-state:` tags the node adds since (they are checked separately). */
function withoutStateTags<T>(value: T): T {
	if (Array.isArray(value)) return value.filter((v) => v !== STATE_TAG).map(withoutStateTags) as T;
	if (value && typeof value === 'object')
		return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutStateTags(v)])) as T;
	return value;
}

/**
 * The changes made on purpose since 70944b7, in one step of a run: each is asserted, then taken
 * out, so that what is left must equal the golden record.
 * - Get OAuth URL asks with a POST and the fields in the body (was: GET with the fields in the query);
 * - the trigger's Authorized output has `element` (here: infusionsoftcrm, from the state);
 * - Create and Re-Authenticate refuse a used callback: a look-up by the `used-state:` tag first,
 *   the tag on the instance; Create looks its name up again after creating (converging creates).
 */
function expected(step: Step): Step {
	const calls: Call[] = [];
	let afterCreate = false;
	for (const c of step.calls) {
		if (c.call.endsWith('/oauth/url')) {
			expect(c.call).toBe('POST /elements/infusionsoftcrm/oauth/url');
			expect(c.query).toEqual({});
			calls.push({ call: 'GET /elements/infusionsoftcrm/oauth/url', query: c.body as IDataObject });
			continue;
		}
		if (c.call === 'GET /instances' && c.query['tags[]'] === STATE_TAG) continue;
		if (c.call === 'GET /instances' && afterCreate && typeof c.query.searchText === 'string') {
			afterCreate = false;
			continue;
		}
		afterCreate = c.call === 'POST /instances';
		calls.push(c);
	}
	const outputs = Object.fromEntries(
		Object.entries(step.outputs).map(([node, outs]) => [
			node,
			node === 'Infusionsoft OAuth Callback'
				? outs.map((items, output) =>
						items.map(({ element, ...rest }) => {
							expect({ output, element }).toEqual({
								output,
								element: output === 0 ? 'infusionsoftcrm' : undefined,
							});
							return rest;
						}),
					)
				: outs,
		]),
	);
	return withoutStateTags({ ...step, calls, outputs });
}

describe('a saved version-1 workflow runs unchanged (fixtures from commit 70944b7)', () => {
	it('the fixtures are the files of commit 70944b7, untouched', () => {
		expect(sha256('v1-provisioning-flow.json')).toBe(
			'10663d339b89deb9042cfc20a3161ed8404315b21f59d4d4a417431240fc06d7',
		);
		expect(sha256('v1-scheduled-reprovisioning.json')).toBe(
			'17ff7d151d770344af9ba008314dc29bcc927ba263b3059a45ad98aa1dd88769',
		);
		for (const name of ['v1-provisioning-flow.json', 'v1-scheduled-reprovisioning.json']) {
			const ours = json(name).nodes.filter((n: { type: string }) =>
				n.type.startsWith('n8n-nodes-infusionsoft-crm.'),
			);
			expect(ours.length).toBeGreaterThan(0);
			for (const node of ours)
				expect({ node: node.name, v: node.typeVersion, element: node.parameters.element }).toEqual({
					node: node.name,
					v: 1,
					element: undefined,
				});
		}
	});

	describe('v1-provisioning-flow.json', () => {
		let now: Record<string, Step>;
		const golden = json('v1-provisioning-flow.golden.json') as Record<string, Step>;

		beforeAll(async () => {
			now = (await provisioningScenario(json('v1-provisioning-flow.json'))) as never;
		});

		it('the URL half asks for a legacy (infusionsoftcrm) link, as before', () => {
			expect(now.urlHalf.outputs['Get OAuth URL'][0][0]).toMatchObject({
				element: 'infusionsoftcrm',
				context: 'customer-42',
			});
			expect(now.urlHalf.calls.map((c) => c.call)).toEqual([
				'POST /elements/infusionsoftcrm/oauth/url',
			]);
			expect(expected(now.urlHalf)).toEqual(golden.urlHalf);
		});

		it('the callback half creates a legacy instance with the five configuration keys, and otherwise does what it did', () => {
			const create = now.allow.calls.find((c) => c.call === 'POST /instances')!;
			const body = create.body as IDataObject;
			expect(body.element).toEqual({ key: 'infusionsoftcrm' });
			expect(Object.keys(body.configuration as IDataObject).sort()).toEqual(LEGACY_KEYS);
			expect(now.allow.instances!.map((i) => [i.element, i.tags])).toEqual([
				['infusionsoftcrm', ['customer', 'customer-42', STATE_TAG]],
			]);
			expect(expected(now.allow)).toEqual(golden.allow);
		});

		it('a second link for the same customer re-authenticates the same instance, as before', () => {
			expect(now.allowAgain.outputs['Create Instance'][0][0]).toMatchObject({
				action: 'reauthenticated',
				element: { key: 'infusionsoftcrm' },
			});
			expect(expected(now.allowAgain)).toEqual(golden.allowAgain);
		});

		it('Deny and a forged state take the second output, as before', () => {
			expect(expected(now.deny)).toEqual(golden.deny);
			expect(expected(now.forged)).toEqual(golden.forged);
		});
	});

	it('v1-scheduled-reprovisioning.json: lists only legacy instances (Infusionsoft Only, its default), re-authorization links for the legacy element, as before', async () => {
		let restId = 0;
		const now = (await scheduledScenario(json('v1-scheduled-reprovisioning.json'), async (seed) => {
			restId = await seed('infusionsoftrest', 'Infusionsoft – on Keap REST', ['customer', 'rest']);
		})) as unknown as Step;
		const golden = json('v1-scheduled-reprovisioning.golden.json') as Step;
		// The Keap REST instance (which the stand-in of 70944b7 could not make) is left alone.
		expect(now.outputs['List customer connections'][0].map((i) => i.id)).not.toContain(restId);
		const rest = now.instances!.find((i) => i.id === restId)!;
		expect(rest).toMatchObject({ element: 'infusionsoftrest', valid: true, disabled: false });
		expect(expected({ ...now, instances: now.instances!.filter((i) => i.id !== restId) })).toEqual(
			golden,
		);
	});
});

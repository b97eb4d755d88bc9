import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { IDataObject } from 'n8n-workflow';

import { mintState } from '../../lib/security/state';
import { EXAMPLE, startSandbox, type Sandbox } from '../../sandbox';
import {
	changes,
	exampleWorkflow,
	LEGACY_KEYS,
	outputOf,
	REST_KEYS,
	runFrom,
	seedInstance,
	serveCallbacks,
	type CallbackHalf,
	type ExampleWorkflow,
} from './exampleSupport';

/**
 * examples/scheduled-reprovisioning.json through n8n's engine (its Schedule Trigger replaced by
 * a Manual Trigger of the same name, as the e2e's CLI copy does), and its re-authorization links
 * clicked: they come back to the OAuth Callback Trigger of provisioning-flow.json, which
 * re-authenticates each instance through the element its state names.
 */
const scheduled = exampleWorkflow('scheduled-reprovisioning.json');
const provisioning = exampleWorkflow('provisioning-flow.json');
const START = 'Every hour';

function manualCopy(workflow: ExampleWorkflow): ExampleWorkflow {
	const nodes = workflow.nodes.map((n) =>
		n.type === 'n8n-nodes-base.scheduleTrigger'
			? { ...n, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} }
			: n,
	);
	return { ...workflow, nodes };
}

describe('examples/scheduled-reprovisioning.json, both Keap elements', () => {
	let sb: Sandbox;
	let callbacks: CallbackHalf;

	beforeAll(async () => {
		sb = await startSandbox();
		callbacks = await serveCallbacks(provisioning, 'Infusionsoft OAuth Callback', sb);
	});
	afterAll(async () => {
		await callbacks.close();
		await sb.close();
	});
	beforeEach(() => sb.reset());

	async function seed() {
		const seeded = {
			fine: await seedInstance(sb, {
				element: 'infusionsoftcrm',
				name: 'Infusionsoft – fine',
				tags: ['customer', 'fine'],
			}),
			brokenLegacy: await seedInstance(sb, {
				element: 'infusionsoftcrm',
				name: 'Infusionsoft – broken',
				tags: ['customer', 'broken'],
			}),
			brokenRest: await seedInstance(sb, {
				element: 'infusionsoftrest',
				name: 'Infusionsoft – broken-rest',
				tags: ['customer', 'broken-rest'],
			}),
			off: await seedInstance(sb, {
				element: 'infusionsoftrest',
				name: 'Infusionsoft – off',
				tags: ['customer', 'off'],
			}),
			internal: await seedInstance(sb, {
				element: 'infusionsoftcrm',
				name: 'Internal – not a customer',
				tags: ['internal'],
			}),
		};
		sb.instances.get(seeded.brokenLegacy.id)!.valid = false;
		sb.instances.get(seeded.brokenRest.id)!.valid = false;
		sb.instances.get(seeded.off.id)!.disabled = true;
		sb.instances.get(seeded.internal.id)!.disabled = true;
		return seeded;
	}

	it('lists the customers of both elements, makes each broken one a link for its own element, re-enables the disabled one', async () => {
		const s = await seed();
		const before = sb.requests.length;
		const run = await runFrom(manualCopy(scheduled), START, sb, { n8nUrl: callbacks.server.url });
		expect(run.error).toBeUndefined();
		expect(run.json('List customer connections').map((i) => i.id)).toEqual([
			s.fine.id,
			s.brokenLegacy.id,
			s.brokenRest.id,
			s.off.id,
		]);
		const flagged = run.json('Flag: ask the customer to reconnect');
		expect(flagged.map((f) => [f.instanceId, f.element, f.status])).toEqual([
			[s.brokenLegacy.id, 'infusionsoftcrm', 'needs re-authorization'],
			[s.brokenRest.id, 'infusionsoftrest', 'needs re-authorization'],
		]);
		const asked = sb.requests
			.slice(before)
			.filter((r) => r.path.endsWith('/oauth/url'))
			.map((r) => r.path.split('/').at(-3));
		expect(asked).toEqual(['infusionsoftcrm', 'infusionsoftrest']);
		expect(run.json('Re-enable').map((i) => i.id)).toEqual([s.off.id]);
		expect(changes(sb, before)).toEqual([`PUT /instances/${s.off.id}/enabled`]);
	});

	it('the customers click their links: the callback of provisioning-flow.json re-authenticates each instance through its own element', async () => {
		const s = await seed();
		const run = await runFrom(manualCopy(scheduled), START, sb, { n8nUrl: callbacks.server.url });
		for (const flag of run.json('Flag: ask the customer to reconnect')) {
			const instance = sb.instances.get(flag.instanceId as number)!;
			const token = instance.token;
			const before = sb.requests.length;
			const callback = await callbacks.click(flag.reconnectUrl as string, 'allow');
			expect(callback.executedNodes).toEqual([
				'Infusionsoft OAuth Callback',
				'Re-authorization link?',
				'Re-authenticate Instance',
				'Store the new token',
			]);
			expect(changes(sb, before)).toEqual([`PUT /instances/${instance.id}`]);
			const put = sb.requests.slice(before).find((r) => r.method === 'PUT')!;
			expect(put.query).toEqual({ reAuthenticate: 'true' });
			const body = put.body as IDataObject;
			expect(body.element).toEqual({ key: flag.element });
			expect(Object.keys(body.configuration as IDataObject).sort()).toEqual(
				flag.element === 'infusionsoftrest' ? REST_KEYS : LEGACY_KEYS,
			);
			expect(instance).toMatchObject({ valid: true, element: { key: flag.element } });
			expect(instance.token).not.toBe(token);
			expect(outputOf(callback, 'Store the new token')).toEqual([
				{
					instanceId: instance.id,
					instanceName: instance.name,
					element: flag.element,
					instanceToken: instance.token,
					action: 'reauthenticated',
				},
			]);
		}
		expect(sb.instances.size).toBe(Object.keys(s).length);
	});

	it('a re-authorization state made for the other element is refused before the code is spent', async () => {
		const s = await seed();
		const { state } = mintState({
			clientId: EXAMPLE.clientId,
			clientSecret: EXAMPLE.clientSecret,
			context: { reauthenticateInstanceId: s.brokenLegacy.id, name: s.brokenLegacy.name },
			element: 'infusionsoftrest',
			now: Date.now(),
			lifetimeSeconds: 600,
		});
		const code = sb.issueCode({
			clientId: EXAMPLE.clientId,
			callbackUrl: callbacks.server.productionUrl,
		});
		const before = sb.requests.length;
		const { run } = await callbacks.open(
			`${callbacks.server.productionUrl}?${new URLSearchParams({ code, state })}`,
		);
		expect(run!.run?.data.resultData.error?.message).toMatch(
			/is an Infusionsoft CRM instance, not Keap REST/,
		);
		expect(changes(sb, before)).toEqual([]);
		expect(sb.instances.get(s.brokenLegacy.id)!.valid).toBe(false);
	});
});

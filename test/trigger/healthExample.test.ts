import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { IDataObject } from 'n8n-workflow';

import { InfusionsoftCrmHealthTrigger } from '../../nodes/InfusionsoftCrmHealthTrigger/InfusionsoftCrmHealthTrigger.node';
import { startSandbox, type Sandbox } from '../../sandbox';
import {
	credentialsFor,
	credentialTypes,
	exampleNodeTypes,
	exampleWorkflow,
	reachableFrom,
	seedInstance,
	serveCallbacks,
	type CallbackHalf,
} from '../examples/exampleSupport';
import { startPoller, type PollOutcome } from './healthPoller';

/**
 * examples/connection-health.json as it is, polled as an active workflow (healthPoller.ts: n8n-core's
 * PollTriggerExecutor, then WorkflowExecute; IF and Set are the examples' stand-ins for n8n's
 * core nodes) against the stand-in. Its re-authorization links are clicked: they come back to
 * the OAuth Callback Trigger of provisioning-flow.json, which re-authenticates the instance,
 * and the next poll reports it recovered.
 */
const health = exampleWorkflow('connection-health.json');
const provisioning = exampleWorkflow('provisioning-flow.json');
const TRIGGER = 'Connection Health';
const HEALTH_TYPE = 'n8n-nodes-infusionsoft-crm.infusionsoftCrmHealthTrigger';

const json = (outcome: PollOutcome, node: string, output = 0): IDataObject[] =>
	(outcome.run?.data.resultData.runData[node]?.[0]?.data?.main?.[output] ?? []).map((i) => i.json);

describe('examples/connection-health.json', () => {
	let sb: Sandbox;
	/** The provisioning flow's callback half: where the re-authorization links come back. */
	let callbacks: CallbackHalf;

	beforeAll(async () => {
		sb = await startSandbox();
		callbacks = await serveCallbacks(provisioning, 'Infusionsoft OAuth Callback', sb);
	});
	beforeEach(() => sb.reset());
	afterAll(async () => {
		await Promise.all([callbacks.close(), sb.close()]);
	});

	function poller() {
		const part = reachableFrom(health, TRIGGER);
		const { used: _used, ...credentials } = credentialsFor(part.nodes, sb, callbacks.server.url);
		return startPoller({
			nodeTypes: {
				...exampleNodeTypes(),
				[HEALTH_TYPE]: new InfusionsoftCrmHealthTrigger(),
			} as never,
			credentialTypes: credentialTypes(),
			credentials,
			trigger: TRIGGER,
			...part,
		});
	}

	it('a broken customer gets a link for its own element, a disabled one goes to the team; the link re-authenticates; then "recovered"', async () => {
		const legacy = await seedInstance(sb, {
			element: 'infusionsoftcrm',
			name: 'Infusionsoft – customer-43',
			tags: ['customer', 'customer-43'],
		});
		const rest = await seedInstance(sb, {
			element: 'infusionsoftrest',
			name: 'Infusionsoft – customer-42',
			tags: ['customer', 'customer-42'],
		});
		const internal = await seedInstance(sb, {
			element: 'infusionsoftrest',
			name: 'Internal',
			tags: ['internal'],
		});
		const p = poller();
		expect((await p.poll()).emitted).toBeUndefined();

		sb.instances.get(legacy.id)!.valid = false;
		sb.instances.get(rest.id)!.disabled = true;
		sb.instances.get(internal.id)!.valid = false;
		const broke = await p.poll();
		expect(broke.error).toBeUndefined();
		expect(broke.run?.data.resultData.error).toBeUndefined();
		expect(broke.executedNodes).toEqual([
			TRIGGER,
			'Needs the customer?',
			'Get re-authorization URL',
			'Ask the customer to reconnect',
			'Tell the team',
		]);
		const asked = sb.requests
			.filter((r) => r.path.endsWith('/oauth/url'))
			.map((r) => r.path.split('/').at(-3));
		expect(asked).toEqual(['infusionsoftcrm']);

		const [ask] = json(broke, 'Ask the customer to reconnect');
		expect(ask).toEqual({
			instanceId: legacy.id,
			instanceName: 'Infusionsoft – customer-43',
			element: 'infusionsoftcrm',
			subject: 'Please reconnect your Keap account',
			text: expect.stringContaining(
				`Please open this link and allow access again: ${String(ask.reconnectUrl)}`,
			),
			reconnectUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/app\/oauth\/authorize\?/),
		});
		expect(json(broke, 'Get re-authorization URL')[0]).toMatchObject({
			element: 'infusionsoftcrm',
			context: { reauthenticateInstanceId: legacy.id, name: 'Infusionsoft – customer-43' },
		});
		expect(json(broke, 'Tell the team')).toEqual([
			{
				instanceId: rest.id,
				change: 'disabled',
				subject: 'Keap connection disabled: Infusionsoft – customer-42',
				text: `Instance "Infusionsoft – customer-42" (${rest.id}, Keap REST) is disabled: enable it (Instance → Enable).`,
			},
		]);

		// The customer clicks Allow: the provisioning flow's callback re-authenticates the same instance.
		const token = sb.instances.get(legacy.id)!.token;
		const callback = await callbacks.click(String(ask.reconnectUrl), 'allow');
		expect(callback.executedNodes).toEqual([
			'Infusionsoft OAuth Callback',
			'Re-authorization link?',
			'Re-authenticate Instance',
			'Store the new token',
		]);
		expect(sb.instances.get(legacy.id)).toMatchObject({ valid: true });
		expect(sb.instances.get(legacy.id)!.token).not.toBe(token);

		const recovered = await p.poll();
		expect(recovered.executedNodes).toEqual([TRIGGER, 'Needs the customer?', 'Tell the team']);
		expect(json(recovered, 'Tell the team')).toEqual([
			{
				instanceId: legacy.id,
				change: 'recovered',
				subject: 'Keap connection recovered: Infusionsoft – customer-43',
				text: `Instance "Infusionsoft – customer-43" (${legacy.id}, Infusionsoft CRM) works again: it is valid and enabled.`,
			},
		]);
		expect((await p.poll()).emitted).toBeUndefined();
	});

	it('a deleted customer goes to the team; nothing is asked of the platform but the listing and the look-up', async () => {
		const rest = await seedInstance(sb, {
			element: 'infusionsoftrest',
			name: 'Infusionsoft – customer-42',
			tags: ['customer'],
		});
		const p = poller();
		await p.poll();
		sb.instances.delete(rest.id);
		// Its only watched instance gone: the next poll must agree before anything fires.
		expect((await p.poll()).emitted).toBeUndefined();
		const before = sb.requests.length;
		const gone = await p.poll();
		expect(json(gone, 'Tell the team')).toEqual([
			expect.objectContaining({
				instanceId: rest.id,
				change: 'deleted',
				text: expect.stringMatching(/was deleted: the customer has to connect again\.$/),
			}),
		]);
		expect(
			sb.requests.slice(before).map((r) => `${r.method} ${r.path.replace('/elements/api-v2', '')}`),
		).toEqual(['GET /instances', `GET /instances/${rest.id}`]);
	});

	it('"Fetch Test Event" then "Execute workflow" in the editor: a clear item when all are healthy, the trouble ones otherwise', async () => {
		await seedInstance(sb, {
			element: 'infusionsoftrest',
			name: 'Infusionsoft – customer-42',
			tags: ['customer'],
		});
		const p = poller();
		const healthy = await p.testEvent();
		expect(healthy.error).toBeUndefined();
		expect(healthy.outputOf(TRIGGER).map((i) => i.json)).toEqual([
			expect.objectContaining({
				change: null,
				action: 'none',
				watched: 1,
				message: expect.stringMatching(/^All 1 watched instance is healthy/),
			}),
		]);
		const whole = await p.testEvent('workflow');
		expect(whole.error).toBeUndefined();
		expect(whole.executedNodes).toEqual([TRIGGER, 'Needs the customer?', 'Tell the team']);
		expect(whole.outputOf('Tell the team').map((i) => i.json.text)).toEqual([
			expect.stringMatching(/^All 1 watched instance is healthy/),
		]);

		const legacy = await seedInstance(sb, {
			element: 'infusionsoftcrm',
			name: 'Infusionsoft – customer-43',
			tags: ['customer'],
		});
		sb.instances.get(legacy.id)!.valid = false;
		const trouble = await p.testEvent('workflow');
		expect(trouble.error).toBeUndefined();
		expect(trouble.executedNodes).toEqual([
			TRIGGER,
			'Needs the customer?',
			'Get re-authorization URL',
			'Ask the customer to reconnect',
		]);
		expect(trouble.outputOf('Ask the customer to reconnect').map((i) => i.json.instanceId)).toEqual(
			[legacy.id],
		);
	});
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { IConnections, IDataObject, INode } from 'n8n-workflow';

import { CloudElementsApi } from '../../credentials/CloudElementsApi.credentials';
import { InfusionsoftCrmOAuth2Api } from '../../credentials/InfusionsoftCrmOAuth2Api.credentials';
import { InfusionsoftCrm } from '../../nodes/InfusionsoftCrm/InfusionsoftCrm.node';
import { InfusionsoftCrmOAuthTrigger } from '../../nodes/InfusionsoftCrmOAuthTrigger/InfusionsoftCrmOAuthTrigger.node';
import { startSandbox, type Sandbox } from '../../sandbox';
import { clickOnConsentPage } from '../nodes/oauth/consent';
import { PassThrough } from '../support/passThrough';
import { credentialsFor, NODE_TYPE, runNode } from '../support/infusionsoftRun';
import { startWebhookServer, type WebhookRun, type WebhookServer } from './webhookServer';

const TRIGGER_TYPE = 'n8n-nodes-infusionsoft-crm.infusionsoftCrmOAuthTrigger';
const BASE_SET = 'n8n-nodes-base.set';

const example = JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', 'provisioning-flow.json'), 'utf8')) as {
	nodes: INode[];
	connections: IConnections;
};
const byName = (name: string) => example.nodes.find((n) => n.name === name)!;

/** The part of the example that starts at the OAuth Callback Trigger, as it is in the file. */
function callbackFlow(): { nodes: INode[]; connections: IConnections } {
	const names = new Set<string>();
	const visit = (name: string) => {
		if (names.has(name)) return;
		names.add(name);
		for (const output of example.connections[name]?.main ?? []) for (const c of output ?? []) visit(c.node);
	};
	visit('Infusionsoft OAuth Callback');
	const connections = Object.fromEntries(Object.entries(example.connections).filter(([from]) => names.has(from)));
	return { nodes: example.nodes.filter((n) => names.has(n.name)), connections };
}

describe('examples/provisioning-flow.json, run as it is (Set nodes as pass-throughs)', () => {
	let sb: Sandbox;
	let server: WebhookServer;

	beforeAll(async () => {
		sb = await startSandbox();
		server = await startWebhookServer({
			nodeTypes: {
				[TRIGGER_TYPE]: new InfusionsoftCrmOAuthTrigger(),
				[NODE_TYPE]: new InfusionsoftCrm(),
				[BASE_SET]: new PassThrough({ name: 'set', version: [3.4] }),
			},
			credentialTypes: [new CloudElementsApi(), new InfusionsoftCrmOAuth2Api()],
			credentials: {},
			trigger: 'Infusionsoft OAuth Callback',
			...callbackFlow(),
		});
		server.setCredentials(credentialsFor(sb, { app: { callbackUrl: server.productionUrl } }) as never);
	});
	afterAll(async () => {
		await server.close();
		await sb.close();
	});
	beforeEach(() => sb.reset());

	async function customerClicks(decision: 'allow' | 'deny'): Promise<WebhookRun> {
		const getUrl = await runNode(sb, {
			parameters: byName('Get OAuth URL').parameters as IDataObject,
			items: [{ customerId: 'customer-42', email: 'owner@customer-42.example' }],
			credentials: credentialsFor(sb, { app: { callbackUrl: server.productionUrl } }),
		});
		expect(getUrl.error).toBeUndefined();
		const { oauthUrl, stateExpiresAt } = getUrl.items[0].json;
		const lifetime = Date.parse(stateExpiresAt as string) - Date.now();
		expect(lifetime).toBeGreaterThan(59 * 60_000);
		expect(lifetime).toBeLessThanOrEqual(60 * 60_000);

		const location = await clickOnConsentPage(sb, oauthUrl as string, decision);
		await (await fetch(location)).text();
		await server.settled();
		return server.runs.at(-1)!;
	}

	const outputOf = (run: WebhookRun, name: string) => run.run?.data.resultData.runData[name]?.[0]?.data?.main?.[0] ?? [];

	it('the customer allows: the instance is created, named and tagged after the customer, and stored', async () => {
		const run = await customerClicks('allow');
		expect(run.executedNodes).toEqual(['Infusionsoft OAuth Callback', 'Create Instance', 'Store instance ID and token']);
		const [instance] = [...sb.instances.values()];
		expect(instance).toMatchObject({ name: 'Infusionsoft – customer-42', tags: ['customer', 'customer-42', expect.stringMatching(/^used-state:/)] });
		expect(outputOf(run, 'Store instance ID and token')[0].json).toMatchObject({ id: instance.id, token: instance.token });
	});

	it('the customer comes back again: the same instance is re-authenticated, not duplicated', async () => {
		await customerClicks('allow');
		const run = await customerClicks('allow');
		expect(outputOf(run, 'Create Instance')[0].json).toMatchObject({ action: 'reauthenticated' });
		expect(sb.instances.size).toBe(1);
	});

	it('the customer declines: the notification branch runs with the customer ID', async () => {
		const run = await customerClicks('deny');
		expect(run.executedNodes).toEqual(['Infusionsoft OAuth Callback', 'Notify: not connected']);
		expect(outputOf(run, 'Notify: not connected')[0].json).toMatchObject({ reason: 'denied', context: 'customer-42' });
		expect(sb.instances.size).toBe(0);
	});
});

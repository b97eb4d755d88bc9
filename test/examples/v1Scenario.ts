import type { IConnections, IDataObject, INode, IRun } from 'n8n-workflow';

import { CloudElementsApi } from '../../credentials/CloudElementsApi.credentials';
import { InfusionsoftCrmOAuth2Api } from '../../credentials/InfusionsoftCrmOAuth2Api.credentials';
import { InfusionsoftCrm } from '../../nodes/InfusionsoftCrm/InfusionsoftCrm.node';
import { InfusionsoftCrmOAuthTrigger } from '../../nodes/InfusionsoftCrmOAuthTrigger/InfusionsoftCrmOAuthTrigger.node';
import { EXAMPLE, startSandbox } from '../../sandbox';
import { runWorkflow } from '../harness';
import { ManualTrigger } from '../harness/harnessNodes';
import { clickOnConsentPage } from '../nodes/InfusionsoftCrm/actions/oauth/consent';
import { startWebhookServer } from '../trigger/webhookServer';
import { IfNode, SetNode } from './coreNodes';

/**
 * Saved version-1 workflows (test/examples/fixtures/v1-*.json: the examples as they were at
 * commit 70944b7, before the Element field) run through n8n's engine against the stand-in, and
 * everything they do recorded in a comparable form: what each node output, which platform calls
 * were made with which fields, what the stand-in holds afterwards. Instance tokens, codes, states,
 * dates, hashes and ports are replaced by placeholders.
 *
 * This file only uses what the repository had at 70944b7 as well (the harness, the webhook server,
 * the stand-in, the consent page helper), so the very same scenario recorded the node's behaviour
 * of then: fixtures/v1-*.golden.json (how: fixtures/README.md). v1Workflow.test.ts runs it with
 * today's node and compares.
 */

export interface SavedWorkflow {
	nodes: INode[];
	connections: IConnections;
}

const NODE_TYPE = 'n8n-nodes-infusionsoft-crm.infusionsoftCrm';
const TRIGGER_TYPE = 'n8n-nodes-infusionsoft-crm.infusionsoftCrmOAuthTrigger';

const nodeTypes = () => ({
	[NODE_TYPE]: new InfusionsoftCrm(),
	[TRIGGER_TYPE]: new InfusionsoftCrmOAuthTrigger(),
	'n8n-nodes-base.manualTrigger': new ManualTrigger(),
	'n8n-nodes-base.set': new SetNode(),
	'n8n-nodes-base.if': new IfNode(),
});

function part(workflow: SavedWorkflow, start: string): SavedWorkflow {
	const names = new Set<string>();
	const visit = (name: string) => {
		if (names.has(name)) return;
		names.add(name);
		for (const output of workflow.connections[name]?.main ?? [])
			for (const c of output ?? []) visit(c.node);
	};
	visit(start);
	return {
		nodes: structuredClone(workflow.nodes.filter((n) => names.has(n.name))),
		connections: Object.fromEntries(
			Object.entries(workflow.connections).filter(([from]) => names.has(from)),
		),
	};
}

const PLACEHOLDER_KEYS: Record<string, string> = {
	token: '<token>',
	instanceToken: '<token>',
	code: '<code>',
	reconnectUrl: '<url>',
};

/** Replaces what differs from run to run. */
function normalizer(urls: Record<string, string>) {
	const text = (s: string) => {
		let out = s;
		for (const [url, name] of Object.entries(urls))
			out = out.split(url).join(name).split(encodeURIComponent(url)).join(encodeURIComponent(name));
		return out
			.replace(/n8nis1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g, '<state>')
			.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<date>')
			.replace(/used-state:[A-Za-z0-9_-]+/g, 'used-state:<hash>')
			.replace(/code=[A-Za-z0-9_-]+/g, 'code=<code>');
	};
	const walk = (value: unknown, key?: string): unknown => {
		if (key && PLACEHOLDER_KEYS[key] && typeof value === 'string') return PLACEHOLDER_KEYS[key];
		if (typeof value === 'string') return text(value);
		if (Array.isArray(value)) return value.map((v) => walk(v));
		if (value && typeof value === 'object')
			return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]));
		return value;
	};
	return walk;
}

const outputs = (run: IRun | undefined) =>
	Object.fromEntries(
		Object.entries(run?.data.resultData.runData ?? {}).map(([node, tasks]) => [
			node,
			(tasks[0]?.data?.main ?? []).map((items) => (items ?? []).map((i) => i.json)),
		]),
	);

interface Recorder {
	requests: Array<{ method: string; path: string; query: unknown; body: unknown }>;
	instances: Map<
		number,
		{
			id: number;
			name: string;
			tags: string[];
			element: { key: string };
			configuration: Record<string, unknown>;
			valid: boolean;
			disabled: boolean;
		}
	>;
}

const calls = (sb: Recorder, since: number) =>
	sb.requests
		.slice(since)
		.filter((r) => r.path.startsWith('/elements/api-v2/'))
		.map((r) => ({
			call: `${r.method} ${r.path.replace('/elements/api-v2', '')}`,
			query: r.query,
			body: r.body,
		}));

const instances = (sb: Recorder) =>
	[...sb.instances.values()].map((i) => ({
		id: i.id,
		name: i.name,
		element: i.element.key,
		tags: i.tags,
		valid: i.valid,
		disabled: i.disabled,
		configuration: i.configuration,
	}));

/**
 * The provisioning flow, v1: its URL half ("New customer"), then the callback half behind the
 * trigger: Allow, Allow again with a new link, Deny, a forged state.
 */
export async function provisioningScenario(workflow: SavedWorkflow): Promise<IDataObject> {
	const sb = await startSandbox();
	const callback = part(workflow, 'Infusionsoft OAuth Callback');
	const server = await startWebhookServer({
		nodeTypes: nodeTypes() as never,
		credentialTypes: [new CloudElementsApi(), new InfusionsoftCrmOAuth2Api()],
		credentials: {},
		trigger: 'Infusionsoft OAuth Callback',
		...callback,
	});
	const credentials = {
		cloudElementsApi: {
			baseUrl: sb.apiRoot,
			userSecret: EXAMPLE.userSecret,
			organizationSecret: EXAMPLE.organizationSecret,
		},
		infusionsoftCrmOAuth2Api: {
			clientId: EXAMPLE.clientId,
			clientSecret: EXAMPLE.clientSecret,
			callbackUrl: server.productionUrl,
			server: EXAMPLE.server,
			encryptedKey: EXAMPLE.encryptedKey,
		},
	};
	server.setCredentials(credentials);
	const normalize = normalizer({ [server.url]: '<n8n>', [sb.url]: '<stand-in>' });
	const record: IDataObject = {};
	const rec = sb as unknown as Recorder;

	const urlHalf = async () => {
		const since = sb.requests.length;
		const run = await runWorkflow({
			nodeTypes: nodeTypes(),
			credentialTypes: [CloudElementsApi, InfusionsoftCrmOAuth2Api],
			credentials,
			workflow: part(workflow, 'New customer'),
			startNode: 'New customer',
		});
		const oauthUrl = run.outputOf('Get OAuth URL')[0]?.json.oauthUrl as string;
		return {
			oauthUrl,
			summary: {
				error: run.error?.message,
				executedNodes: run.executedNodes,
				outputs: outputs(run.run),
				calls: calls(rec, since),
			},
		};
	};
	const open = async (url: string) => {
		const since = sb.requests.length;
		const before = server.runs.length;
		const res = await fetch(url);
		await res.text();
		await server.settled();
		const run = server.runs.length > before ? server.runs.at(-1) : undefined;
		return {
			status: res.status,
			executedNodes: run?.executedNodes,
			error: run?.run?.data.resultData.error?.message,
			outputs: outputs(run?.run),
			calls: calls(rec, since),
			instances: instances(rec),
		};
	};

	try {
		const first = await urlHalf();
		record.urlHalf = first.summary;
		record.allow = await open(await clickOnConsentPage(sb, first.oauthUrl, 'allow'));
		const second = await urlHalf();
		record.allowAgain = await open(await clickOnConsentPage(sb, second.oauthUrl, 'allow'));
		const third = await urlHalf();
		record.deny = await open(await clickOnConsentPage(sb, third.oauthUrl, 'deny'));
		const state = new URL(third.oauthUrl).searchParams.get('state')!;
		const [prefix, payload, signature] = state.split('.');
		const forgedPayload = {
			...JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')),
			c: 'customer-666',
		};
		const forged = `${prefix}.${Buffer.from(JSON.stringify(forgedPayload)).toString('base64url')}.${signature}`;
		const code = sb.issueCode({ clientId: EXAMPLE.clientId, callbackUrl: server.productionUrl });
		record.forged = await open(
			`${server.productionUrl}?${new URLSearchParams({ code, state: forged })}`,
		);
		return normalize(record) as IDataObject;
	} finally {
		await server.close();
		await sb.close();
	}
}

/**
 * The scheduled flow, v1 (its Schedule Trigger as a Manual Trigger of the same name): seeded
 * legacy instances (fine, broken, disabled, not a customer), then `extraSeeds` (instances the
 * stand-in of 70944b7 could not make), one run.
 */
export async function scheduledScenario(
	workflow: SavedWorkflow,
	extraSeeds: (
		seed: (element: string, name: string, tags: string[]) => Promise<number>,
	) => Promise<void> = async () => {},
): Promise<IDataObject> {
	const sb = await startSandbox();
	const rec = sb as unknown as Recorder;
	const normalize = normalizer({ [sb.url]: '<stand-in>' });
	const callbackUrl = 'http://localhost:5678/webhook/infusionsoft-crm/callback';
	const seed = async (element: string, name: string, tags: string[]) => {
		const res = await fetch(`${sb.apiRoot}/instances`, {
			method: 'POST',
			headers: {
				authorization: `User ${EXAMPLE.userSecret}, Organization ${EXAMPLE.organizationSecret}`,
				'content-type': 'application/json',
			},
			body: JSON.stringify({
				element: { key: element },
				providerData: { code: sb.issueCode({ clientId: EXAMPLE.clientId, callbackUrl }) },
				configuration: {
					'oauth.callback.url': callbackUrl,
					'oauth.api.key': EXAMPLE.clientId,
					'oauth.api.secret': EXAMPLE.clientSecret,
					...(element === 'infusionsoftcrm'
						? { 'infusionsoft.server': EXAMPLE.server, 'infusionsoft.private.key': '' }
						: {}),
				},
				tags,
				name,
			}),
		});
		const body = (await res.json()) as { id: number };
		if (!res.ok) throw new Error(`seeding ${name}: ${res.status} ${JSON.stringify(body)}`);
		return body.id;
	};
	try {
		await seed('infusionsoftcrm', 'Infusionsoft – fine', ['customer', 'fine']);
		const broken = await seed('infusionsoftcrm', 'Infusionsoft – broken', ['customer', 'broken']);
		const off = await seed('infusionsoftcrm', 'Infusionsoft – off', ['customer', 'off']);
		const other = await seed('infusionsoftcrm', 'Internal – not a customer', ['internal']);
		await extraSeeds(seed);
		rec.instances.get(broken)!.valid = false;
		rec.instances.get(off)!.disabled = true;
		rec.instances.get(other)!.disabled = true;
		const since = sb.requests.length;
		const nodes = workflow.nodes.map((n) =>
			n.type === 'n8n-nodes-base.scheduleTrigger'
				? { ...n, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} }
				: n,
		);
		const run = await runWorkflow({
			nodeTypes: nodeTypes(),
			credentialTypes: [CloudElementsApi, InfusionsoftCrmOAuth2Api],
			credentials: {
				cloudElementsApi: {
					baseUrl: sb.apiRoot,
					userSecret: EXAMPLE.userSecret,
					organizationSecret: EXAMPLE.organizationSecret,
				},
				infusionsoftCrmOAuth2Api: {
					clientId: EXAMPLE.clientId,
					clientSecret: EXAMPLE.clientSecret,
					callbackUrl,
					server: EXAMPLE.server,
					encryptedKey: EXAMPLE.encryptedKey,
				},
			},
			workflow: part({ ...workflow, nodes }, 'Every hour'),
			startNode: 'Every hour',
		});
		return normalize({
			error: run.error?.message,
			executedNodes: run.executedNodes,
			outputs: outputs(run.run),
			calls: calls(rec, since),
			instances: instances(rec),
		}) as IDataObject;
	} finally {
		await sb.close();
	}
}

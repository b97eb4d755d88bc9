import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type {
	ICredentialDataDecryptedObject,
	IConnections,
	IDataObject,
	INode,
	INodeExecutionData,
	IRun,
} from 'n8n-workflow';

import { CloudElementsApi } from '../../credentials/CloudElementsApi.credentials';
import { InfusionsoftCrmOAuth2Api } from '../../credentials/InfusionsoftCrmOAuth2Api.credentials';
import { InfusionsoftCrm } from '../../nodes/InfusionsoftCrm/InfusionsoftCrm.node';
import { InfusionsoftCrmOAuthTrigger } from '../../nodes/InfusionsoftCrmOAuthTrigger/InfusionsoftCrmOAuthTrigger.node';
import { EXAMPLE, type Sandbox } from '../../sandbox';
import { MANUAL_TRIGGER_TYPE, runWorkflow, type WorkflowRunResult } from '../harness';
import { ManualTrigger } from '../harness/harnessNodes';
import { clickOnConsentPage } from '../nodes/InfusionsoftCrm/actions/oauth/consent';
import { startWebhookServer, type WebhookRun, type WebhookServer } from '../trigger/webhookServer';
import { IfNode, SetNode } from './coreNodes';

/**
 * Runs the example workflows (examples/*.json, and the saved-workflow fixtures) as they are
 * through n8n-core's engine against the Cloud Elements stand-in: a half that starts at a Manual
 * Trigger with `runFrom`, a half that starts at the OAuth Callback Trigger behind a real HTTP
 * webhook with `serveCallbacks`. The credentials are the example credential files
 * (examples/credentials/), pointed at the stand-in and at the webhook server.
 */

export const ROOT = join(__dirname, '..', '..');
export const EXAMPLES_DIR = join(ROOT, 'examples');
export const FIXTURES_DIR = join(__dirname, 'fixtures');

export const NODE_TYPE = 'n8n-nodes-infusionsoft-crm.infusionsoftCrm';
export const TRIGGER_TYPE = 'n8n-nodes-infusionsoft-crm.infusionsoftCrmOAuthTrigger';

export interface ExampleWorkflow {
	id: string;
	name: string;
	nodes: INode[];
	connections: IConnections;
	settings?: IDataObject;
}

export function loadWorkflow(file: string): ExampleWorkflow {
	return JSON.parse(readFileSync(file, 'utf8')) as ExampleWorkflow;
}

export const exampleWorkflow = (name: string) => loadWorkflow(join(EXAMPLES_DIR, name));

interface CredentialEntry {
	id: string;
	name: string;
	type: string;
	data: IDataObject;
}

/** examples/credentials/*.json, every entry. */
export function exampleCredentialEntries(): CredentialEntry[] {
	const dir = join(EXAMPLES_DIR, 'credentials');
	return readdirSync(dir)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.flatMap((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as CredentialEntry[]);
}

/** The nodes reachable from `start` (itself included) and the connections between them. */
export function reachableFrom(
	workflow: ExampleWorkflow,
	start: string,
): { nodes: INode[]; connections: IConnections } {
	const names = new Set<string>();
	const visit = (name: string) => {
		if (names.has(name)) return;
		if (!workflow.nodes.some((n) => n.name === name))
			throw new Error(`${workflow.name}: no node "${name}"`);
		names.add(name);
		for (const output of workflow.connections[name]?.main ?? [])
			for (const c of output ?? []) visit(c.node);
	};
	visit(start);
	const connections = Object.fromEntries(
		Object.entries(workflow.connections).filter(([from]) => names.has(from)),
	);
	return { nodes: structuredClone(workflow.nodes.filter((n) => names.has(n.name))), connections };
}

/**
 * The credential data the nodes use, by type, from the example credential files: as n8n does,
 * by the ID each node references. The harness keeps one credential per type, so a part of a
 * workflow must use one credential of each type (the examples do). The Cloud Elements API root
 * is the stand-in's; a Callback URL keeps its path on `n8nUrl` (the webhook server), if given.
 */
export function credentialsFor(
	nodes: INode[],
	sb: Sandbox,
	n8nUrl?: string,
): Record<string, ICredentialDataDecryptedObject> & { used: Record<string, string> } {
	const entries = exampleCredentialEntries();
	const used: Record<string, string> = {};
	const data: Record<string, ICredentialDataDecryptedObject> = {};
	for (const node of nodes) {
		for (const [type, ref] of Object.entries(node.credentials ?? {})) {
			if (used[type] !== undefined && used[type] !== ref.id) {
				throw new Error(
					`"${node.name}" uses ${type} credential ${ref.id}, another node ${used[type]}`,
				);
			}
			const entry = entries.find((e) => e.id === ref.id && e.type === type);
			if (!entry)
				throw new Error(
					`"${node.name}" references ${type} credential ${ref.id}, which examples/credentials/ does not have`,
				);
			used[type] = ref.id!;
			const copy = structuredClone(entry.data);
			if (type === 'cloudElementsApi') copy.baseUrl = sb.apiRoot;
			if (type === 'infusionsoftCrmOAuth2Api' && n8nUrl)
				copy.callbackUrl = n8nUrl + new URL(copy.callbackUrl as string).pathname;
			data[type] = copy as ICredentialDataDecryptedObject;
		}
	}
	return Object.assign(data, { used }) as never;
}

/** The node types the examples use: ours, and the stand-ins for n8n's core nodes. */
export const exampleNodeTypes = () => ({
	[NODE_TYPE]: new InfusionsoftCrm(),
	[TRIGGER_TYPE]: new InfusionsoftCrmOAuthTrigger(),
	[MANUAL_TRIGGER_TYPE]: new ManualTrigger(),
	'n8n-nodes-base.set': new SetNode(),
	'n8n-nodes-base.if': new IfNode(),
});

export const credentialTypes = () => [new CloudElementsApi(), new InfusionsoftCrmOAuth2Api()];

export interface HalfRun extends WorkflowRunResult {
	/** The node's items on an output (default the first), as JSON. */
	json(node: string, output?: number): IDataObject[];
}

/** Runs the part of `workflow` that starts at the Manual Trigger `start`, as "Execute workflow" does. */
export async function runFrom(
	workflow: ExampleWorkflow,
	start: string,
	sb: Sandbox,
	{ n8nUrl }: { n8nUrl?: string } = {},
): Promise<HalfRun> {
	const part = reachableFrom(workflow, start);
	const { used: _used, ...credentials } = credentialsFor(part.nodes, sb, n8nUrl);
	const result = await runWorkflow({
		nodeTypes: exampleNodeTypes(),
		credentialTypes: credentialTypes(),
		credentials,
		workflow: { ...part, settings: workflow.settings as never },
		startNode: start,
	});
	return Object.assign(result, {
		json: (node: string, output = 0) => result.outputOf(node, output).map((i) => i.json),
	});
}

export interface CallbackHalf {
	server: WebhookServer;
	/** The credentials it serves with (the example files, pointed at the stand-in and the server). */
	credentials: Record<string, ICredentialDataDecryptedObject>;
	/** The browser: the consent page's Allow or Deny on `oauthUrl`, then the redirect to n8n. Returns the run. */
	click(oauthUrl: string, decision: 'allow' | 'deny'): Promise<WebhookRun>;
	/** Opens a callback URL (any query) as a browser would; returns the page's status and the run. */
	open(url: string): Promise<{ status: number; run: WebhookRun | undefined }>;
	close(): Promise<void>;
}

/** Serves the part of `workflow` that starts at the OAuth Callback Trigger `trigger` on a real webhook. */
export async function serveCallbacks(
	workflow: ExampleWorkflow,
	trigger: string,
	sb: Sandbox,
): Promise<CallbackHalf> {
	const part = reachableFrom(workflow, trigger);
	const server = await startWebhookServer({
		nodeTypes: exampleNodeTypes() as never,
		credentialTypes: credentialTypes(),
		credentials: {},
		trigger,
		...part,
	});
	const { used: _used, ...credentials } = credentialsFor(part.nodes, sb, server.url);
	const app = credentials.infusionsoftCrmOAuth2Api;
	if (app && app.callbackUrl !== server.productionUrl) {
		await server.close();
		throw new Error(
			`The app credential calls back ${String(app.callbackUrl)}, the trigger "${trigger}" listens on ${server.productionUrl}`,
		);
	}
	server.setCredentials(credentials);
	const open = async (url: string) => {
		const before = server.runs.length;
		const res = await fetch(url);
		await res.text();
		await server.settled();
		return {
			status: res.status,
			run: server.runs.length > before ? server.runs.at(-1) : undefined,
		};
	};
	return {
		server,
		credentials,
		click: async (oauthUrl, decision) => {
			const { run } = await open(await clickOnConsentPage(sb, oauthUrl, decision));
			if (!run) throw new Error('the callback started no run');
			return run;
		},
		open,
		close: () => server.close(),
	};
}

/** A node's output items (JSON) in a webhook run. */
export function outputOf(
	run: WebhookRun | IRun | undefined,
	node: string,
	output = 0,
): IDataObject[] {
	const data = run && 'response' in run ? run.run : run;
	const items: INodeExecutionData[] =
		data?.data.resultData.runData[node]?.[0]?.data?.main?.[output] ?? [];
	return items.map((i) => i.json);
}

/** Creates an instance in the stand-in through its API, with a code its fake Keap issued (as a customer once did). */
export async function seedInstance(
	sb: Sandbox,
	{
		element,
		name,
		tags,
		callbackUrl = EXAMPLE.callbackUrl,
	}: {
		element: 'infusionsoftcrm' | 'infusionsoftrest';
		name: string;
		tags: string[];
		callbackUrl?: string;
	},
): Promise<IDataObject & { id: number }> {
	const configuration: IDataObject = {
		'oauth.callback.url': callbackUrl,
		'oauth.api.key': EXAMPLE.clientId,
		'oauth.api.secret': EXAMPLE.clientSecret,
		...(element === 'infusionsoftcrm'
			? { 'infusionsoft.server': EXAMPLE.server, 'infusionsoft.private.key': '' }
			: {}),
	};
	const res = await fetch(`${sb.apiRoot}/instances`, {
		method: 'POST',
		headers: {
			authorization: `User ${EXAMPLE.userSecret}, Organization ${EXAMPLE.organizationSecret}`,
			'content-type': 'application/json',
		},
		body: JSON.stringify({
			element: { key: element },
			providerData: { code: sb.issueCode({ clientId: EXAMPLE.clientId, callbackUrl }) },
			configuration,
			tags,
			name,
		}),
	});
	const body = (await res.json()) as IDataObject & { id: number };
	if (!res.ok) throw new Error(`seeding ${name}: ${res.status} ${JSON.stringify(body)}`);
	return body;
}

/** The platform calls that changed something (not reads, not the OAuth URL), as "METHOD /path". */
export function changes(sb: Sandbox, since = 0): string[] {
	return sb.requests
		.slice(since)
		.filter(
			(r) =>
				r.method !== 'GET' &&
				r.path.startsWith('/elements/api-v2/') &&
				!r.path.endsWith('/oauth/url'),
		)
		.map((r) => `${r.method} ${r.path.replace('/elements/api-v2', '')}`);
}

/** The stand-in's instances, by ID, in a readable form. */
export function instancesOf(
	sb: Sandbox,
): Array<{ id: number; name: string; element: string; tags: string[]; keys: string[] }> {
	return [...sb.instances.values()].map((i) => ({
		id: i.id,
		name: i.name,
		element: i.element.key,
		tags: i.tags,
		keys: Object.keys(i.configuration).sort(),
	}));
}

export const REST_KEYS = ['oauth.api.key', 'oauth.api.secret', 'oauth.callback.url'];
export const LEGACY_KEYS = [...REST_KEYS, 'infusionsoft.private.key', 'infusionsoft.server'].sort();

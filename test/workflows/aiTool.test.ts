import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
	NodeConnectionTypes,
	type EngineRequest,
	type EngineResponse,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { CloudElementsApi } from '../../credentials/CloudElementsApi.credentials';
import { InfusionsoftCrmOAuth2Api } from '../../credentials/InfusionsoftCrmOAuth2Api.credentials';
import { InfusionsoftCrm } from '../../nodes/InfusionsoftCrm/InfusionsoftCrm.node';
import { mintState } from '../../lib/security/state';
import { EXAMPLE, startSandbox, type Sandbox } from '../../sandbox';
import {
	chain,
	itemsNode,
	manualTrigger,
	node,
	runWorkflow,
	type WorkflowRunResult,
} from '../harness';
import { credentialsFor, NODE_TYPE, SECRETS } from '../support/infusionsoftRun';

/**
 * Our node as an AI agent's tool, through n8n's real engine. n8n makes the tool variant of a
 * `usableAsTool` node itself (NodeTypes.getByNameAndVersion + convertNodeToAiTool in the n8n
 * package, which this repository does not install): a prototype copy of the node whose
 * description is named `<name>Tool`, has no input and an `ai_tool` output. Made the same way here.
 */
const TOOL_TYPE = `${NODE_TYPE}Tool`;

function toolVariant(): INodeType {
	const base = new InfusionsoftCrm();
	const description: INodeTypeDescription = {
		...base.description,
		name: `${base.description.name}Tool`,
		displayName: `${base.description.displayName} Tool`,
		inputs: [],
		outputs: [NodeConnectionTypes.AiTool],
		usableAsTool: undefined,
		properties: [
			{
				displayName: 'Description',
				name: 'toolDescription',
				type: 'string',
				default: base.description.description,
			},
			...base.description.properties,
		],
	};
	return Object.create(base, { description: { value: description } }) as INodeType;
}

/** A tool call of the (scripted) model: the tool node and the arguments the model fills in. */
interface ToolCall {
	node: string;
	args: IDataObject;
}

const AGENT_NAME = 'AI Agent';

const agentDescription = (name: string): INodeTypeDescription => ({
	displayName: name,
	name,
	group: ['transform'],
	version: 1,
	description: 'Calls its tools as a scripted model asks, and outputs what the model is given back',
	defaults: { name: AGENT_NAME },
	inputs: [
		NodeConnectionTypes.Main,
		{ type: NodeConnectionTypes.AiTool, displayName: 'Tools', required: true },
	],
	outputs: [NodeConnectionTypes.Main],
	properties: [],
});

interface LangChainTool {
	name: string;
	metadata?: { sourceNodeName?: string };
	invoke(args: IDataObject): Promise<unknown>;
}

/**
 * The tools as n8n 1.x agents and AI Agent 1–2 call them: the agent asks for its `ai_tool`
 * connections, n8n-core wraps each tool node as a LangChain tool (createNodeAsTool), and calling
 * it runs the node in a supply-data context; the string it returns is what the model reads.
 */
function agentCallingTools(calls: ToolCall[]): INodeType {
	return {
		description: agentDescription('agentCallingTools'),
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			const tools = (await this.getInputConnectionData(
				NodeConnectionTypes.AiTool,
				0,
			)) as LangChainTool[];
			const out: INodeExecutionData[] = [];
			for (const call of calls) {
				const tool = tools.find((t) => t.metadata?.sourceNodeName === call.node);
				if (!tool) throw new Error(`no tool for ${call.node}`);
				out.push({ json: { tool: call.node, result: String(await tool.invoke(call.args)) } });
			}
			return [out];
		},
	};
}

/**
 * The tools as AI Agent 3 (n8n 2.x) calls them: the agent hands the engine a request to run the
 * tool nodes, the engine runs them as nodes and resumes the agent with their output, which the
 * agent gives the model as JSON (buildSteps' observation: the `ai_tool` items' json).
 */
function agentRequestingTools(calls: ToolCall[]): INodeType {
	return {
		description: agentDescription('agentRequestingTools'),
		async execute(
			this: IExecuteFunctions,
			response?: EngineResponse,
		): Promise<INodeExecutionData[][] | EngineRequest> {
			// n8n hands every run an engine response, empty until the tools have run.
			if (!response?.actionResponses.length) {
				return {
					actions: calls.map((call, i) => ({
						actionType: 'ExecutionNodeAction' as const,
						nodeName: call.node,
						input: call.args,
						type: NodeConnectionTypes.AiTool,
						id: `call_${i}`,
						metadata: { itemIndex: 0 },
					})),
					metadata: {},
				};
			}
			return [
				response.actionResponses.map(({ action, data }) => ({
					json: {
						tool: action.nodeName,
						result: JSON.stringify(
							data.data?.[NodeConnectionTypes.AiTool]?.[0]?.map((item) => item.json) ??
								data.error?.message,
						),
					},
				})),
			];
		},
	};
}

const PATHS = [
	{
		path: 'n8n 1.x agents, AI Agent 1–2: LangChain tools (supply-data context)',
		agent: agentCallingTools,
	},
	{
		path: 'AI Agent 3 (n8n 2.x): engine requests (the tool node run as a node)',
		agent: agentRequestingTools,
	},
];

describe('the node as an AI agent tool', () => {
	let sb: Sandbox;
	const code = () => sb.issueCode({ clientId: EXAMPLE.clientId, callbackUrl: EXAMPLE.callbackUrl });
	const auth = {
		Authorization: `User ${EXAMPLE.userSecret}, Organization ${EXAMPLE.organizationSecret}`,
	};

	async function connect(name: string): Promise<{ id: number; token: string }> {
		const response = await fetch(`${sb.apiRoot}/instances`, {
			method: 'POST',
			headers: { ...auth, 'Content-Type': 'application/json' },
			body: JSON.stringify({
				element: { key: 'infusionsoftrest' },
				providerData: { code: code() },
				configuration: {
					'oauth.callback.url': EXAMPLE.callbackUrl,
					'oauth.api.key': EXAMPLE.clientId,
					'oauth.api.secret': EXAMPLE.clientSecret,
				},
				tags: ['customer'],
				name,
			}),
		});
		if (!response.ok)
			throw new Error(`connect failed: ${response.status} ${await response.text()}`);
		return (await response.json()) as { id: number; token: string };
	}

	beforeAll(async () => {
		sb = await startSandbox();
	});
	afterAll(async () => sb.close());
	beforeEach(() => sb.reset());

	const ourNode = (name: string, parameters: IDataObject, type = TOOL_TYPE): INode =>
		node({
			name,
			type,
			typeVersion: 2,
			parameters,
			credentials: ['cloudElementsApi', 'infusionsoftCrmOAuth2Api'],
		});

	/**
	 * Manual Trigger → Items → Instance Get (a regular node) → AI Agent, with four tools: Instance
	 * Get (the model picks the ID), Get Many, Create and Parse Callback.
	 */
	async function run(
		agent: (calls: ToolCall[]) => INodeType,
		calls: ToolCall[],
		tools: INode[],
		instanceId: number,
	): Promise<WorkflowRunResult> {
		const line = chain(
			manualTrigger(),
			itemsNode([{ instanceId }]),
			ourNode(
				'Instance Get',
				{ resource: 'instance', operation: 'get', instanceId: '={{ $json.instanceId }}' },
				NODE_TYPE,
			),
			node({ name: AGENT_NAME, type: 'CUSTOM.agent' }),
		);
		const toAgent = {
			[NodeConnectionTypes.AiTool]: [
				[{ node: AGENT_NAME, type: NodeConnectionTypes.AiTool, index: 0 }],
			],
		};
		return await runWorkflow({
			nodeTypes: {
				[NODE_TYPE]: InfusionsoftCrm,
				[TOOL_TYPE]: toolVariant(),
				'CUSTOM.agent': agent(calls),
			},
			credentialTypes: [CloudElementsApi, InfusionsoftCrmOAuth2Api],
			credentials: credentialsFor(sb) as unknown as Record<string, IDataObject> as never,
			workflow: {
				nodes: [...line.nodes, ...tools],
				connections: {
					...line.connections,
					...Object.fromEntries(tools.map((t) => [t.name, toAgent])),
				},
			},
		});
	}

	describe.each(PATHS)('$path', ({ agent }) => {
		it('gives the model no instance token nor authorization code, and says which fields it withheld; the regular node still outputs the token', async () => {
			const acme = await connect('Acme');
			const globex = await connect('Globex');
			const connectCode = code();
			const callbackCode = code();
			const state = mintState({
				clientId: EXAMPLE.clientId,
				clientSecret: EXAMPLE.clientSecret,
				context: { customerId: 7 } as never,
				now: Date.now(),
			}).state;
			const tools = [
				ourNode('Look up an instance', {
					resource: 'instance',
					operation: 'get',
					instanceId: "={{ $fromAI('instanceId', 'The instance ID', 'string') }}",
				}),
				ourNode('List instances', { resource: 'instance', operation: 'getAll', returnAll: true }),
				ourNode('Connect a customer', {
					resource: 'instance',
					operation: 'create',
					code: connectCode,
					name: 'Initech',
					tags: 'customer',
				}),
				ourNode('Read the callback', {
					resource: 'oauth',
					operation: 'parseCallback',
					callback: `${EXAMPLE.callbackUrl}?code=${callbackCode}&state=${encodeURIComponent(state)}`,
				}),
			];
			const calls = [
				{ node: 'Look up an instance', args: { instanceId: String(globex.id) } },
				{ node: 'List instances', args: {} },
				{ node: 'Connect a customer', args: {} },
				{ node: 'Read the callback', args: {} },
			];

			const result = await run(agent, calls, tools, acme.id);

			expect(result.error).toBeUndefined();
			// The workflow's own node: the token, exactly as before.
			const regular = result.outputOf('Instance Get');
			expect(regular).toHaveLength(1);
			expect(regular[0].json).toMatchObject({ id: acme.id, name: 'Acme', token: acme.token });
			expect(regular[0].json).not.toHaveProperty('credentialsWithheld');

			// What the model reads back: the instances and the callback without their credentials.
			const given = result
				.outputOf(AGENT_NAME)
				.map((item) => item.json as { tool: string; result: string });
			expect(given.map((g) => g.tool)).toEqual(calls.map((c) => c.node));
			const initech = [...sb.instances.values()].find((i) => i.name === 'Initech');
			expect(initech).toBeDefined();
			const toModel = JSON.stringify(given);
			for (const secret of [
				acme.token,
				globex.token,
				initech?.token ?? 'Initech',
				connectCode,
				callbackCode,
				...SECRETS,
			]) {
				expect(toModel).not.toContain(secret);
			}
			const [lookedUp, listed, created, callback] = given.map(
				(g) => JSON.parse(g.result) as IDataObject[],
			);
			expect(lookedUp).toEqual([
				expect.objectContaining({ id: globex.id, name: 'Globex', credentialsWithheld: ['token'] }),
			]);
			expect(listed.map((i) => i.name)).toEqual(expect.arrayContaining(['Acme', 'Globex']));
			expect(listed.map((i) => i.credentialsWithheld)).toEqual(listed.map(() => ['token']));
			expect(created).toEqual([
				expect.objectContaining({
					action: 'created',
					id: initech?.id,
					credentialsWithheld: ['token'],
				}),
			]);
			expect(callback).toEqual([
				{
					context: { customerId: 7 },
					element: null,
					state,
					issuedAt: expect.any(String),
					credentialsWithheld: ['code'],
				},
			]);
			for (const item of [...lookedUp, ...listed, ...created, ...callback]) {
				expect(item).not.toHaveProperty('token');
				expect(item).not.toHaveProperty('code');
			}
		});
	});
});

/**
 * The examples that use a connection: contacts-changed-since-last-run.json run through n8n's
 * engine against the stand-in (two customers, one per element), and the AI agent's tool nodes of
 * ai-agent-contacts-tool.json checked against our node's description as n8n makes it a tool, and
 * run with a model's arguments the way n8n hands them to a tool. e2e/hub.js runs both files in
 * real n8n 2.x and 1.x.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
	deepCopy,
	generateZodSchema,
	NodeConnectionTypes,
	NodeHelpers,
	traverseNodeParameters,
	type FromAIArgument,
	type IConnections,
	type IDataObject,
	type INode,
	type INodeParameters,
	type INodeProperties,
	type INodeTypeDescription,
	type IWorkflowSettings,
} from 'n8n-workflow';

import { CloudElementsApi } from '../../credentials/CloudElementsApi.credentials';
import { InfusionsoftCrmOAuth2Api } from '../../credentials/InfusionsoftCrmOAuth2Api.credentials';
import { InfusionsoftCrm } from '../../nodes/InfusionsoftCrm/InfusionsoftCrm.node';
import { EXAMPLE, startSandbox, type Sandbox } from '../../sandbox';
import { runWorkflow } from '../harness';
import { apiCalls, credentialsFor, NODE_TYPE, runNode } from '../support/infusionsoftRun';
import { codeNode, ScheduleTrigger, SetNode, StickyNote } from './hubStandIns';

interface WorkflowFile {
	id: string;
	nodes: INode[];
	connections: IConnections;
	settings: IWorkflowSettings;
}
const EXAMPLES = join(__dirname, '..', '..', 'examples');
const load = (file: string) =>
	JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')) as WorkflowFile;

type Element = 'infusionsoftrest' | 'infusionsoftcrm';
const HOUR = 60 * 60 * 1000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

describe('examples/contacts-changed-since-last-run.json through n8n’s engine', () => {
	const example = load('contacts-changed-since-last-run.json');
	const byName = (name: string) => example.nodes.find((n) => n.name === name)!;
	let sb: Sandbox;
	/** The workflow's static data, kept between runs as n8n keeps it for production runs. */
	let staticData: Record<string, IDataObject>;
	let customers: Record<
		'initech' | 'umbrella' | 'internal',
		{ id: number; name: string; element: Element }
	>;

	async function connect(element: Element, name: string, tags: string) {
		const code = sb.issueCode({ clientId: EXAMPLE.clientId, callbackUrl: EXAMPLE.callbackUrl });
		const created = await runNode(sb, {
			parameters: {
				resource: 'instance',
				operation: 'create',
				element,
				code: '={{ $json.code }}',
				name,
				tags,
			},
			items: [{ code }],
			typeVersion: 2,
		});
		expect(created.error).toBeUndefined();
		return { id: created.items[0].json.id as number, name, element };
	}

	const runExample = async () =>
		await runWorkflow({
			nodeTypes: {
				[NODE_TYPE]: InfusionsoftCrm,
				'n8n-nodes-base.scheduleTrigger': ScheduleTrigger,
				'n8n-nodes-base.stickyNote': StickyNote,
				'n8n-nodes-base.code': codeNode(staticData),
				'n8n-nodes-base.set': SetNode,
			},
			credentialTypes: [CloudElementsApi, InfusionsoftCrmOAuth2Api],
			credentials: credentialsFor(sb) as never,
			workflow: {
				nodes: deepCopy(example.nodes),
				connections: example.connections,
				settings: example.settings,
			},
			startNode: 'Try it now',
		});
	const handedOn = (run: Awaited<ReturnType<typeof runExample>>) =>
		run
			.outputOf('Hand them on')
			.map(
				({ json }) =>
					`${String(json.instanceName)} #${String(json.instanceId)} ${String(json.element)}: ${String(json.email)}`,
			)
			.sort();
	const line = (customer: { id: number; name: string; element: Element }, email: string) =>
		`${customer.name} #${customer.id} ${customer.element}: ${email}`;

	beforeAll(async () => {
		sb = await startSandbox();
	});
	afterAll(async () => sb.close());
	beforeEach(async () => {
		sb.reset();
		staticData = {};
		customers = {
			initech: await connect('infusionsoftrest', 'Initech', 'customer, initech'),
			umbrella: await connect('infusionsoftcrm', 'Umbrella', 'customer, umbrella'),
			internal: await connect('infusionsoftrest', 'Our own Keap', 'internal'),
		};
		const rest = (email: string, updated: number) => ({
			given_name: email.split('@')[0],
			family_name: 'Initech',
			email_addresses: [{ email, field: 'EMAIL1' }],
			date_created: ago(30 * 24 * HOUR),
			last_updated: ago(updated),
		});
		sb.seedRecords(customers.initech.id, 'contacts', [
			rest('three-hours@initech.example', 3 * HOUR),
			rest('two-hours@initech.example', 2 * HOUR),
			rest('forty-minutes@initech.example', 40 * 60_000),
			rest('five-minutes@initech.example', 5 * 60_000),
		]);
		sb.seedRecords(customers.umbrella.id, 'contacts', [
			{
				FirstName: 'Old',
				LastName: 'Umbrella',
				Email: 'five-hours@umbrella.example',
				DateCreated: ago(48 * HOUR),
				LastUpdated: ago(5 * HOUR),
			},
			{
				FirstName: 'New',
				LastName: 'Umbrella',
				Email: 'twenty-minutes@umbrella.example',
				DateCreated: ago(48 * HOUR),
				LastUpdated: ago(20 * 60_000),
			},
		]);
		sb.seedRecords(customers.internal.id, 'contacts', [rest('recent@ourselves.example', 60_000)]);
		sb.requests.length = 0;
	});

	it('is scheduled hourly, with a Manual Trigger twin, and says where the last run’s time lives', () => {
		expect(byName('Every hour')).toMatchObject({
			type: 'n8n-nodes-base.scheduleTrigger',
			parameters: { rule: { interval: [{ field: 'hours', hoursInterval: 1 }] } },
		});
		expect(byName('Try it now').type).toBe('n8n-nodes-base.manualTrigger');
		for (const trigger of ['Every hour', 'Try it now'])
			expect(example.connections[trigger].main[0]).toEqual([
				{ node: 'Since last run', type: 'main', index: 0 },
			]);
		const note = byName('About this workflow').parameters.content as string;
		expect(note).toMatch(/static data/);
		expect(note).toMatch(/production runs of the \*\*active\*\* workflow/);
		expect(byName('Since last run').parameters.jsCode).toContain(
			"$getWorkflowStaticData('global')",
		);
		expect(byName('Changed contacts').parameters).toMatchObject({
			operation: 'getAll',
			returnAll: true,
			instance: { mode: 'id', value: '={{ $json.id }}' },
		});
		// Instance → Get Many outputs tokens: successful runs are not saved, as in the provisioning example.
		expect(example.settings).toMatchObject({
			executionOrder: 'v1',
			saveDataSuccessExecution: 'none',
		});
	});

	it('first run: the contacts of the last hour, of every customer (both elements), each with its instance', async () => {
		const run = await runExample();
		expect(run.error).toBeUndefined();
		expect(handedOn(run)).toEqual(
			[
				line(customers.initech, 'five-minutes@initech.example'),
				line(customers.initech, 'forty-minutes@initech.example'),
				line(customers.umbrella, 'twenty-minutes@umbrella.example'),
			].sort(),
		);
		// The contact comes along as Get Many gives it: the element's record and the common fields.
		const umbrella = run
			.outputOf('Hand them on')
			.find((i) => i.json.element === 'infusionsoftcrm')!.json;
		expect(umbrella).toMatchObject({
			firstName: 'New',
			lastName: 'Umbrella',
			FirstName: 'New',
			instanceId: customers.umbrella.id,
			instanceName: 'Umbrella',
		});
		expect(typeof umbrella.instanceId).toBe('number');
		// Each element is asked in its own words for "changed since an hour ago".
		const since = run.outputOf('Since last run')[0].json.since as string;
		expect(
			Date.parse(run.outputOf('Since last run')[0].json.now as string) - Date.parse(since),
		).toBe(HOUR);
		const wheres = apiCalls(sb)
			.filter((r) => r.method === 'GET' && r.path.endsWith('/hubs/crm/contacts'))
			.map((r) => r.query.where)
			.sort();
		expect(wheres).toEqual([`LastUpdated >= '${since}'`, `since = '${since}'`]);
		// "Remember this run" runs last, after every customer was read, and keeps the start time.
		expect(run.executedNodes).toEqual([
			'Try it now',
			'Since last run',
			'Customer connections',
			'Changed contacts',
			'Hand them on',
			'Remember this run',
		]);
		expect(staticData.global).toEqual({ lastRun: run.outputOf('Since last run')[0].json.now });
		// The tokens are in the instances' output only (Instance → Get Many gives them); no contact node shows one.
		const tokens = [customers.initech, customers.umbrella].map(
			(c) => sb.instances.get(c.id)!.token,
		);
		for (const name of run.executedNodes) {
			const shown = JSON.stringify(run.outputOf(name));
			expect({ name, token: tokens.some((t) => shown.includes(t)) }).toEqual({
				name,
				token: name === 'Customer connections',
			});
		}
	});

	it('the next run hands on only what changed since the last one; a run with no changes hands on nothing', async () => {
		await runExample();
		const first = staticData.global.lastRun as string;
		const [old] = sb.records<IDataObject>(customers.initech.id, 'contacts');
		const edited = await runNode(sb, {
			parameters: {
				resource: 'contact',
				operation: 'update',
				instance: { __rl: true, mode: 'id', value: String(customers.initech.id) },
				contactId: String(old.id),
				updateFields: { lastName: 'Moved' },
			},
			typeVersion: 2,
		});
		expect(edited.error).toBeUndefined();
		const added = await runNode(sb, {
			parameters: {
				resource: 'contact',
				operation: 'create',
				instance: { __rl: true, mode: 'id', value: String(customers.umbrella.id) },
				fields: { email: 'just-now@umbrella.example' },
			},
			typeVersion: 2,
		});
		expect(added.error).toBeUndefined();

		const second = await runExample();
		expect(second.error).toBeUndefined();
		expect(second.outputOf('Since last run')[0].json.since).toBe(first);
		expect(handedOn(second)).toEqual(
			[
				line(customers.initech, 'three-hours@initech.example'),
				line(customers.umbrella, 'just-now@umbrella.example'),
			].sort(),
		);
		expect(
			second.outputOf('Hand them on').find((i) => i.json.element === 'infusionsoftrest')!.json
				.lastName,
		).toBe('Moved');

		const third = await runExample();
		expect(third.error).toBeUndefined();
		expect(third.executedNodes).not.toContain('Hand them on');
		expect(third.executedNodes).toContain('Remember this run');
		expect(Date.parse(staticData.global.lastRun as string)).toBeGreaterThan(Date.parse(first));
	});

	it('a run that fails (a customer’s connection is dead) does not move the time on: the next run reads the same window again', async () => {
		await runExample();
		const before = staticData.global.lastRun;
		sb.instances.get(customers.umbrella.id)!.valid = false;
		const failed = await runExample();
		expect(failed.error?.message).toBe(
			`The connection of instance "Umbrella" (${customers.umbrella.id}) no longer works: its token was refused`,
		);
		expect(failed.executedNodes).not.toContain('Remember this run');
		expect(staticData.global.lastRun).toBe(before);
	});
});

/** Our node as n8n's loader makes it a tool (`<type>Tool`, usableAsTool): n8n 1.123's load-nodes-and-credentials, 2.x's tool-generation/ai-tools. */
function asTool(description: INodeTypeDescription): INodeTypeDescription {
	const tool = deepCopy(description);
	tool.name += 'Tool';
	tool.displayName += ' Tool';
	tool.inputs = [];
	tool.outputs = [NodeConnectionTypes.AiTool];
	delete tool.usableAsTool;
	const descriptionType: INodeProperties = {
		displayName: 'Tool Description',
		name: 'descriptionType',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Set Automatically', value: 'auto' },
			{ name: 'Set Manually', value: 'manual' },
		],
		default: 'auto',
	};
	const toolDescription: INodeProperties = {
		displayName: 'Description',
		name: 'toolDescription',
		type: 'string',
		default: description.description,
		required: true,
		displayOptions: { show: { descriptionType: ['manual'] } },
	};
	tool.properties = [descriptionType, toolDescription, ...tool.properties];
	return tool;
}

describe('examples/ai-agent-contacts-tool.json: our node as the agent’s tool', () => {
	const example = load('ai-agent-contacts-tool.json');
	const tools = example.nodes.filter(
		(n) => n.type === 'n8n-nodes-infusionsoft-crm.infusionsoftCrmTool',
	);
	const tool = asTool(new InfusionsoftCrm().description);
	const byName = (name: string) => tools.find((n) => n.name === name)!;

	it('an agent with a chat model, memory and two tools of this package, in node versions n8n 1.123 and 2.41 both have', () => {
		const types = Object.fromEntries(
			example.nodes.map((n) => [n.name, `${n.type}@${n.typeVersion}`]),
		);
		expect(types).toMatchObject({
			'When chat message received': '@n8n/n8n-nodes-langchain.chatTrigger@1.4',
			'AI Agent': '@n8n/n8n-nodes-langchain.agent@3',
			'OpenAI Chat Model': '@n8n/n8n-nodes-langchain.lmChatOpenAi@1.2',
			'Simple Memory': '@n8n/n8n-nodes-langchain.memoryBufferWindow@1.3',
			'Find contacts': 'n8n-nodes-infusionsoft-crm.infusionsoftCrmTool@2',
			'Add a contact': 'n8n-nodes-infusionsoft-crm.infusionsoftCrmTool@2',
		});
		const into = (from: string, type: string) =>
			example.connections[from]?.[type]?.[0]?.map((c) => `${c.node}/${c.type}`);
		expect(into('When chat message received', 'main')).toEqual(['AI Agent/main']);
		expect(into('OpenAI Chat Model', 'ai_languageModel')).toEqual(['AI Agent/ai_languageModel']);
		expect(into('Simple Memory', 'ai_memory')).toEqual(['AI Agent/ai_memory']);
		for (const name of ['Find contacts', 'Add a contact'])
			expect(into(name, 'ai_tool')).toEqual(['AI Agent/ai_tool']);
		// No credential the examples do not have: the model's is the user's to add.
		expect(example.nodes.find((n) => n.name === 'OpenAI Chat Model')!.credentials).toBeUndefined();
	});

	it.each(['Find contacts', 'Add a contact'])(
		'%s: every parameter is one the tool shows for its operation, with valid values',
		(name) => {
			const node = byName(name);
			const resolved =
				NodeHelpers.getNodeParameters(tool.properties, node.parameters, true, false, node, tool) ??
				node.parameters;
			const shown = tool.properties.filter((p) =>
				NodeHelpers.displayParameter(resolved, p, { typeVersion: node.typeVersion } as never, tool),
			);
			for (const [key, value] of Object.entries(node.parameters)) {
				const property = shown.find((p) => p.name === key);
				expect({ key, shown: !!property }).toEqual({ key, shown: true });
				if (property?.type === 'options' && typeof value === 'string' && !value.startsWith('=')) {
					expect(property.options?.map((o) => (o as { value: string }).value)).toContain(value);
				}
				if (property?.type === 'resourceLocator')
					expect(property.modes?.map((m) => m.name)).toContain((value as IDataObject).mode);
				if (property?.type === 'collection') {
					for (const option of Object.keys(value as IDataObject))
						expect(property.options?.map((o) => (o as INodeProperties).name)).toContain(option);
				}
			}
			expect(Object.keys(node.credentials ?? {})).toEqual(['cloudElementsApi']);
			expect(tool.credentials?.map((c) => c.name)).toContain('cloudElementsApi');
			// n8n's own check of required parameters, as the editor shows issues: only the Instance is left to pick.
			const issues = NodeHelpers.getNodeParametersIssues(
				tool.properties,
				{ ...node, parameters: resolved } as INode,
				tool,
			);
			expect(Object.keys(issues?.parameters ?? {})).toEqual(['instance']);
		},
	);

	it('the model fills in only $fromAI values, all optional strings', () => {
		const args = (name: string) => {
			const found: FromAIArgument[] = [];
			traverseNodeParameters(byName(name).parameters, found);
			return found;
		};
		expect(args('Find contacts').map((a) => `${a.key}:${a.type}`)).toEqual([
			'email:string',
			'firstName:string',
			'lastName:string',
		]);
		expect(args('Add a contact').map((a) => `${a.key}:${a.type}`)).toEqual([
			'firstName:string',
			'lastName:string',
			'email:string',
			'phone:string',
			'companyName:string',
		]);
		for (const arg of [...args('Find contacts'), ...args('Add a contact')]) {
			expect(arg.description).toBeTruthy();
			expect(generateZodSchema(arg).parse(undefined)).toBe('');
		}
		// Nothing else is an expression: the instance and the operation are the workflow's, not the model's.
		for (const node of tools) {
			const expressions = JSON.stringify(node.parameters).match(/"=[^"]*"/g) ?? [];
			expect(expressions.every((e) => e.includes('$fromAI('))).toBe(true);
		}
	});

	describe('a tool call through the engine: the model’s arguments are the node’s input item, as n8n gives them', () => {
		let sb: Sandbox;
		let instanceId: number;
		beforeAll(async () => {
			sb = await startSandbox();
		});
		afterAll(async () => sb.close());
		beforeEach(async () => {
			sb.reset();
			const code = sb.issueCode({ clientId: EXAMPLE.clientId, callbackUrl: EXAMPLE.callbackUrl });
			const created = await runNode(sb, {
				parameters: {
					resource: 'instance',
					operation: 'create',
					code: '={{ $json.code }}',
					name: 'Acme',
					tags: 'customer',
				},
				items: [{ code }],
				typeVersion: 2,
			});
			instanceId = created.items[0].json.id as number;
			sb.seedRecords(instanceId, 'contacts', [
				{
					given_name: 'Jane',
					family_name: 'Doe',
					email_addresses: [{ email: 'jane@example.com', field: 'EMAIL1' }],
				},
				{
					given_name: 'John',
					family_name: 'Doe',
					email_addresses: [{ email: 'john@example.com', field: 'EMAIL1' }],
				},
				{
					given_name: 'Jane',
					family_name: 'Roe',
					email_addresses: [{ email: 'roe@example.com', field: 'EMAIL1' }],
				},
			]);
		});

		/** The tool node's parameters with the Instance picked, as the sticky note asks. */
		const call = async (name: string, toolArguments: IDataObject) => {
			const { descriptionType, toolDescription, ...parameters } = byName(name)
				.parameters as INodeParameters;
			expect([descriptionType, typeof toolDescription]).toEqual(['manual', 'string']);
			return await runNode(sb, {
				parameters: {
					...parameters,
					instance: { __rl: true, mode: 'list', value: String(instanceId) },
				},
				items: [toolArguments],
				typeVersion: 2,
			});
		};

		it('Find contacts: the filters the model gave, the others left out (empty is no filter)', async () => {
			const byEmail = await call('Find contacts', { email: 'jane@example.com' });
			expect(byEmail.error).toBeUndefined();
			expect(byEmail.items.map((i) => i.json.email)).toEqual(['jane@example.com']);
			const byFirstName = await call('Find contacts', {
				firstName: 'Jane',
				lastName: '',
				email: '',
			});
			expect(
				byFirstName.items.map((i) => `${String(i.json.firstName)} ${String(i.json.lastName)}`),
			).toEqual(['Jane Doe', 'Jane Roe']);
			const nobody = await call('Find contacts', { email: 'nobody@example.com' });
			expect(nobody.error).toBeUndefined();
			expect(nobody.items).toEqual([]);
		});

		it('Add a contact: created with the fields the model gave, nothing for the ones it left empty', async () => {
			const added = await call('Add a contact', {
				firstName: 'Bob',
				lastName: 'Stone',
				email: 'bob@stone.example',
				phone: '',
				companyName: '',
			});
			expect(added.error).toBeUndefined();
			expect(added.items[0].json).toMatchObject({
				firstName: 'Bob',
				lastName: 'Stone',
				email: 'bob@stone.example',
				phone: null,
				companyName: null,
			});
			const stored = sb.records<IDataObject>(instanceId, 'contacts').at(-1)!;
			expect(stored).toMatchObject({
				given_name: 'Bob',
				family_name: 'Stone',
				email_addresses: [{ email: 'bob@stone.example', field: 'EMAIL1' }],
				phone_numbers: [],
				company: null,
			});
			const refused = await call('Add a contact', {});
			expect(refused.error?.message).toContain(
				'A contact needs at least a First Name, a Last Name or an Email',
			);
		});
	});
});

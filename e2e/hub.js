#!/usr/bin/env node
'use strict';
/**
 * The e2e suite for USING a connection, per flavor (run by e2e/run.js after flavor.js; also alone:
 * `node e2e/hub.js [n8n-2] [n8n-1]`, which builds and packs first). Its own n8n user folder and
 * stand-in:
 *
 * - the packed tarball installed as n8n installs a community package, the example credentials
 *   imported (pointed at this run's stand-in);
 * - customers connected in the stand-in (Keap REST and legacy instances, made through its platform
 *   API with codes from its fake Infusionsoft), contacts and tags seeded through its control API;
 * - `n8n execute` of small workflows (Manual Trigger → our node, version 2, instance By ID): every
 *   contact operation on both elements (Get Many with Return All over 450 seeded contacts), tags
 *   and a task on Keap REST (refused by name on the legacy element), Custom API Call GET, Test
 *   Connection ok and, after `POST /__sandbox/instances/:id/state {valid:false}`,
 *   needs-reauthentication; outputs and the stand-in's records checked, and no instance token
 *   (nor account secret) in anything the CLI printed, while every hub call carried it;
 * - examples/contacts-changed-since-last-run.json as it is, twice (n8n execute starts at its
 *   Manual Trigger twin; CLI runs are not manual runs, so n8n saves the static data): the recent
 *   contacts of both customers with their instance, then only what changed since;
 * - examples/ai-agent-contacts-tool.json run for real from a CLI copy (Chat Trigger → Manual
 *   Trigger and a Set node with the chat message) against a scripted fake chat model
 *   (lib/fakeChatModel.js): the agent calls our node as its tools; nothing the model receives
 *   holds a token or secret;
 * - a workflow where two AI agents (AI Agent 3: the engine runs the tools; AI Agent 2.2: the agent
 *   calls them itself) call Instance Get and Get Many through our node as tools: the model gets
 *   the connections without their tokens (and is told `credentialsWithheld`), while Instance Get
 *   as a regular node in the same workflow still outputs the token;
 * - a server: the Instance field's list as the editor loads it (POST
 *   /rest/dynamic-node-parameters/resource-locator-results, method searchInstances): names with the
 *   element and state, 50 a page and the next page, a filter, a Task operation's list without the
 *   legacy instances; Record's Object list and Fields (POST …/options, …/resource-mapper-fields)
 *   with a custom field; the tool variant of our node in
 *   /types/nodes.json and the AI agent example's nodes and versions there, its tool nodes' parameters
 *   checked with the runtime's own n8n-workflow against the served tool description; the
 *   contacts example's static data as n8n stored it; it activates as it is.
 */
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const n8n = require('./lib/n8n');
const demo = require('./lib/demo');
const rest = require('./lib/rest');
const { EXAMPLE, exampleCredentials } = require('./lib/credentials');
const {
	CE_AUTH,
	connect,
	seed,
	stored,
	setState,
	hub,
	hubCalls,
	tokenOnlyInHeaders,
} = require('./lib/customers');
const { byId, lineWorkflow, execute, out, one } = require('./lib/cliWorkflows');
const { startFakeChatModel } = require('./lib/fakeChatModel');
const { startServerCheck, serverLogCheck, closeSuite } = require('./lib/suiteSteps');
const { startSandbox } = require('../sandbox');

const TOOL_TYPE = `${demo.NODE_TYPE}Tool`;
const SYNC_FILE = 'contacts-changed-since-last-run.json';
const AI_FILE = 'ai-agent-contacts-tool.json';
// n8n 1.x saves static data only for workflow IDs of at most 16 characters: all IDs here are short.
const REST_OPS_ID = 'hubRestOps';
const LEGACY_OPS_ID = 'hubLegacyOps';
const DEAD_ID = 'hubDeadConn';
const AGENT_CLI_ID = 'hubAgentCli';
const AGENT_TOKENS_ID = 'hubAgentTokens';
const LOOKUP_TOOL = 'Look up one customer connection';
const LIST_TOOL = 'List the customer connections';
const MODEL_CREDENTIAL = { id: 'fakeChatModel01', name: 'Fake chat model (e2e)' };
const QUESTION =
	'Is jane@example.com in the CRM? And add Bob Stone, bob@stone.example, unless he is there already.';
const SEEDED_CONTACTS = 450;
const FILLERS = 48;
const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
const ago = (ms) => new Date(Date.now() - ms).toISOString();

/* ------------------------------------------------------------------------------------------
 * Workflows
 * ---------------------------------------------------------------------------------------- */

const once = { executeOnce: true };
const keepGoing = { executeOnce: true, onError: 'continueRegularOutput' };

function restOpsWorkflow(ceRef, acme, tags) {
	const instance = byId(acme);
	return lineWorkflow(REST_OPS_ID, 'Hub e2e: Keap REST', ceRef, [
		[
			'Create contact',
			{
				resource: 'contact',
				operation: 'create',
				instance,
				fields: {
					firstName: 'Ada',
					lastName: 'Lovelace',
					email: 'ada@example.com',
					phone: '+44 20 1234',
					companyName: 'Engines',
				},
			},
		],
		[
			'Get contact',
			{ resource: 'contact', operation: 'get', instance, contactId: '={{ $json.id }}' },
		],
		[
			'Update contact',
			{
				resource: 'contact',
				operation: 'update',
				instance,
				contactId: '={{ $json.id }}',
				updateFields: { lastName: 'King' },
			},
		],
		[
			'Add tags',
			{
				resource: 'contact',
				operation: 'addTags',
				instance,
				contactId: '={{ $json.id }}',
				tagIds: `${tags.vip.id}, ${tags.newsletter.id}`,
			},
		],
		[
			'Remove tags',
			{
				resource: 'contact',
				operation: 'removeTags',
				instance,
				contactId: '={{ $json.id }}',
				tagIds: String(tags.newsletter.id),
			},
		],
		[
			'Create task',
			{
				resource: 'task',
				operation: 'create',
				instance,
				title: 'Call Ada back',
				additionalFields: { contactId: '={{ $json.id }}', dueDate: '2026-12-01T10:00:00.000Z' },
			},
		],
		['Get task', { resource: 'task', operation: 'get', instance, taskId: '={{ $json.id }}' }],
		[
			'Custom API Call',
			{
				resource: 'customApiCall',
				operation: 'request',
				instance,
				method: 'GET',
				path: "=/contacts/{{ $('Create contact').item.json.id }}",
			},
		],
		[
			'Get Many (Return All)',
			{ resource: 'contact', operation: 'getAll', instance, returnAll: true },
		],
		[
			'Get Many (filtered)',
			{
				resource: 'contact',
				operation: 'getAll',
				instance,
				returnAll: true,
				filters: { lastName: 'King', updatedSince: '={{ $now.minus({ minutes: 10 }).toISO() }}' },
			},
			once,
		],
		['Test Connection', { resource: 'instance', operation: 'testConnection', instance }, once],
		[
			'Delete contact',
			{
				resource: 'contact',
				operation: 'delete',
				instance,
				contactId: "={{ $('Create contact').first().json.id }}",
			},
			once,
		],
	]);
}

function legacyOpsWorkflow(ceRef, globex) {
	const instance = byId(globex);
	return lineWorkflow(LEGACY_OPS_ID, 'Hub e2e: Infusionsoft CRM (legacy)', ceRef, [
		[
			'Create contact',
			{
				resource: 'contact',
				operation: 'create',
				instance,
				fields: {
					firstName: 'Grace',
					lastName: 'Hopper',
					email: 'grace@example.com',
					phone: '+1 555 0100',
				},
			},
		],
		[
			'Get contact',
			{ resource: 'contact', operation: 'get', instance, contactId: '={{ $json.id }}' },
		],
		[
			'Update contact',
			{
				resource: 'contact',
				operation: 'update',
				instance,
				contactId: '={{ $json.id }}',
				updateFields: { companyName: 'Navy' },
				additionalJson: '{"JobTitle": "Rear Admiral"}',
			},
		],
		[
			'Custom API Call',
			{
				resource: 'customApiCall',
				operation: 'request',
				instance,
				method: 'GET',
				path: "=/contacts/{{ $('Create contact').item.json.id }}",
			},
		],
		[
			'Get Many (Return All)',
			{ resource: 'contact', operation: 'getAll', instance, returnAll: true },
		],
		[
			'Get Many (filtered)',
			{
				resource: 'contact',
				operation: 'getAll',
				instance,
				returnAll: true,
				filters: { email: 'grace@example.com', where: "Company = 'Navy'" },
			},
			once,
		],
		['Test Connection', { resource: 'instance', operation: 'testConnection', instance }, once],
		[
			'Delete contact',
			{
				resource: 'contact',
				operation: 'delete',
				instance,
				contactId: "={{ $('Create contact').first().json.id }}",
			},
			once,
		],
		[
			'Add tags (REST only)',
			{
				resource: 'contact',
				operation: 'addTags',
				instance,
				contactId: "={{ $('Create contact').first().json.id }}",
				tagIds: '1',
			},
			keepGoing,
		],
		[
			'Create task (REST only)',
			{ resource: 'task', operation: 'create', instance, title: 'Not on legacy' },
			keepGoing,
		],
	]);
}

function deadWorkflow(ceRef, acme, globex) {
	return lineWorkflow(DEAD_ID, 'Hub e2e: dead connections', ceRef, [
		['Test Acme', { resource: 'instance', operation: 'testConnection', instance: byId(acme) }],
		[
			'Test Globex',
			{ resource: 'instance', operation: 'testConnection', instance: byId(globex) },
			once,
		],
		[
			'Get Many (dead)',
			{ resource: 'contact', operation: 'getAll', instance: byId(globex), returnAll: true },
			keepGoing,
		],
	]);
}

/**
 * `n8n execute` cannot start at a Chat Trigger: the CLI copy of the AI example has a Manual Trigger
 * of the same name and a Set node "Chat message" (chatInput, sessionId, as the Chat Trigger gives
 * them) in its place, the Instance picked in both tools (as the sticky note asks) and the chat
 * model's credential pointed at the fake model; every other node, parameter and connection is the
 * file's.
 */
function agentCliCopy(workflow, instance) {
	const chat = workflow.nodes.find((n) => n.type === '@n8n/n8n-nodes-langchain.chatTrigger');
	const nodes = workflow.nodes.map((node) => {
		if (node === chat)
			return {
				id: node.id,
				name: node.name,
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: node.position,
				parameters: {},
			};
		if (node.type === TOOL_TYPE)
			return {
				...node,
				parameters: {
					...node.parameters,
					instance: { __rl: true, mode: 'list', value: String(instance.id) },
				},
			};
		if (node.type === '@n8n/n8n-nodes-langchain.lmChatOpenAi')
			return { ...node, credentials: { openAiApi: MODEL_CREDENTIAL } };
		return node;
	});
	nodes.push({
		id: 'hub-agent-chat-message',
		name: 'Chat message',
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		position: [chat.position[0] + 120, chat.position[1] - 160],
		parameters: {
			assignments: {
				assignments: [
					{ id: 'm1', name: 'chatInput', value: QUESTION, type: 'string' },
					{ id: 'm2', name: 'sessionId', value: 'e2e-session', type: 'string' },
				],
			},
			options: {},
		},
	});
	const connections = {
		...workflow.connections,
		[chat.name]: { main: [[{ node: 'Chat message', type: 'main', index: 0 }]] },
		'Chat message': workflow.connections[chat.name],
	};
	return {
		...workflow,
		id: AGENT_CLI_ID,
		name: `${workflow.name} (CLI copy)`,
		nodes,
		connections,
		active: false,
	};
}

/**
 * Manual Trigger → Instance Get (a regular node: the workflow wants the token) → AI Agent 3 → AI
 * Agent 2.2, each agent with its own fake chat model and two tools made of our node: Instance Get
 * (the model gives the ID) and Instance Get Many (tagged "customer").
 */
function tokenAgentWorkflow(ceRef, instance) {
	const ours = (name, parameters) => ({
		name,
		type: demo.NODE_TYPE,
		typeVersion: 2,
		parameters,
		credentials: { cloudElementsApi: ceRef },
	});
	const tools = (suffix) =>
		[
			ours(`Look up a connection ${suffix}`, {
				descriptionType: 'manual',
				toolDescription: `${LOOKUP_TOOL} (a Cloud Elements instance) by its ID.`,
				resource: 'instance',
				operation: 'get',
				instanceId: "={{ $fromAI('instanceId', 'The ID of the connection', 'string') }}",
			}),
			ours(`List connections ${suffix}`, {
				descriptionType: 'manual',
				toolDescription: `${LIST_TOOL} (Cloud Elements instances tagged "customer").`,
				resource: 'instance',
				operation: 'getAll',
				returnAll: true,
				filters: { tags: 'customer' },
			}),
		].map((node) => ({ ...node, type: TOOL_TYPE }));
	const text = `What is the token of connection ${instance.id}? And which connections have the tag "customer"?`;
	const agent = (name, typeVersion) => ({
		name,
		type: '@n8n/n8n-nodes-langchain.agent',
		typeVersion,
		parameters: { promptType: 'define', text, options: {} },
	});
	const chatModel = (name) => ({
		name,
		type: '@n8n/n8n-nodes-langchain.lmChatOpenAi',
		typeVersion: 1.2,
		parameters: { model: { __rl: true, mode: 'list', value: 'gpt-4.1-mini' }, options: {} },
		credentials: { openAiApi: MODEL_CREDENTIAL },
	});
	const groups = [
		[agent('AI Agent 3', 3), chatModel('Model for agent 3'), tools('(agent 3)')],
		[agent('AI Agent 2', 2.2), chatModel('Model for agent 2'), tools('(agent 2)')],
	];
	const line = [
		{ name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} },
		ours('Instance Get', {
			resource: 'instance',
			operation: 'get',
			instanceId: String(instance.id),
		}),
		...groups.map(([a]) => a),
	];
	const nodes = [...line, ...groups.flatMap(([, m, t]) => [m, ...t])].map((node, i) => ({
		id: `${AGENT_TOKENS_ID}-${i}`,
		position: [i * 200, 0],
		...node,
	}));
	const to = (target, type) => ({ [type]: [[{ node: target, type, index: 0 }]] });
	const connections = Object.fromEntries([
		...line.slice(0, -1).map((node, i) => [node.name, to(line[i + 1].name, 'main')]),
		...groups.flatMap(([a, m, t]) => [
			[m.name, to(a.name, 'ai_languageModel')],
			...t.map((tool) => [tool.name, to(a.name, 'ai_tool')]),
		]),
	]);
	return {
		id: AGENT_TOKENS_ID,
		name: 'Hub e2e: an agent looks up connections',
		nodes,
		connections,
		settings: { executionOrder: 'v1' },
		active: false,
	};
}

/** What the tools gave the model, as the request has them. */
const toolMessages = (request) =>
	request.messages
		.filter((m) => m.role === 'tool')
		.map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content)));

/** Asks for the connection the user names, then for the list, then answers with what the tools returned. */
function tokenScript(request, tool) {
	const results = toolMessages(request);
	if (results.length === 0) {
		const asked = JSON.stringify(
			request.messages.filter((m) => m.role === 'user').map((m) => m.content),
		).match(/connection (\d+)/);
		if (!asked) throw new Error('the user names no connection');
		return { toolCalls: [{ name: tool(LOOKUP_TOOL), arguments: { instanceId: asked[1] } }] };
	}
	if (results.length === 1) return { toolCalls: [{ name: tool(LIST_TOOL), arguments: {} }] };
	return { content: `Answer from the tools:\n${results.join('\n')}` };
}

/**
 * The model's side of the conversation: look Jane up, look Bob up, add Bob, then answer with what
 * the tools returned (or, offered the connection tools, `tokenScript`). It finds the tools by their
 * descriptions in the request, as a model would.
 */
function modelScript(request) {
	const offered = (prefix) =>
		(request.tools ?? []).find((t) => t.function?.description?.startsWith(prefix));
	const tool = (prefix) => {
		const found = offered(prefix);
		if (!found)
			throw new Error(
				`no tool described "${prefix}…" among ${JSON.stringify((request.tools ?? []).map((t) => t.function?.name))}`,
			);
		return found.function.name;
	};
	if (offered(LOOKUP_TOOL)) return tokenScript(request, tool);
	const results = toolMessages(request);
	const find = tool('Look up contacts');
	const add = tool('Add a contact');
	if (results.length === 0)
		return { toolCalls: [{ name: find, arguments: { email: 'jane@example.com' } }] };
	if (results.length === 1)
		return { toolCalls: [{ name: find, arguments: { email: 'bob@stone.example' } }] };
	if (results.length === 2)
		return {
			toolCalls: [
				{
					name: add,
					arguments: { firstName: 'Bob', lastName: 'Stone', email: 'bob@stone.example' },
				},
			],
		};
	return { content: `Answer from the tools:\n${results.join('\n')}` };
}

/* ------------------------------------------------------------------------------------------
 * n8n execute, with what it printed
 * ---------------------------------------------------------------------------------------- */

/* ------------------------------------------------------------------------------------------
 * The suite
 * ---------------------------------------------------------------------------------------- */

/**
 * @param {string} flavor 'n8n-2' | 'n8n-1'
 * @param {{ tarball: string }} pkg  the packed package
 * @param {import('./lib/report').Report} report
 */
async function hubSuite(flavor, pkg, report) {
	const group = `${flavor} hub`;
	const check = (name, fn, opts) => report.check(group, name, fn, opts);
	const work = fs.mkdtempSync(path.join(os.tmpdir(), `e2e-hub-${flavor}-`));
	const folder = n8n.makeUserFolder(path.join(work, 'user'));
	const sb = await startSandbox({ port: 0 });
	const model = await startFakeChatModel(modelScript);
	const port = await n8n.getFreePort();
	const base = `http://127.0.0.1:${port}`;
	const credentials = exampleCredentials({ apiRoot: sb.apiRoot, n8nUrl: base });
	const ce = credentials.find((c) => c.type === 'cloudElementsApi');
	const ceRef = { id: ce.id, name: ce.name };
	const examples = Object.fromEntries(
		demo.exampleWorkflows().map(({ file, workflow }) => [path.basename(file), workflow]),
	);
	const sync = examples[SYNC_FILE];
	const ai = examples[AI_FILE];
	const c = {}; // the customers
	const shared = {};

	try {
		await check(
			'install the packed tarball, import the example credentials (pointed at this stand-in)',
			async () => {
				await n8n.installCommunityPackage(folder, pkg.tarball, flavor);
				const modelCredential = {
					...MODEL_CREDENTIAL,
					type: 'openAiApi',
					data: { apiKey: 'sk-fake-e2e', url: model.url },
				};
				await n8n.importCredentials(flavor, folder, [...credentials, modelCredential]);
				return [...credentials, modelCredential].map((cr) => cr.id).join(', ');
			},
			{ fatal: true },
		);

		await check(
			'customers connected in the stand-in (both elements), contacts and tags seeded through its control API',
			async () => {
				c.acme = await connect(sb, 'infusionsoftrest', 'Acme', ['ops-test']);
				c.globex = await connect(sb, 'infusionsoftcrm', 'Globex', ['ops-test']);
				c.initech = await connect(sb, 'infusionsoftrest', 'Initech', ['customer', 'initech']);
				c.umbrella = await connect(sb, 'infusionsoftcrm', 'Umbrella', ['customer', 'umbrella']);
				c.internal = await connect(sb, 'infusionsoftrest', 'Our own Keap', ['internal']);
				for (let i = 1; i <= FILLERS; i++)
					await connect(
						sb,
						i % 2 ? 'infusionsoftrest' : 'infusionsoftcrm',
						`Filler ${String(i).padStart(2, '0')}`,
						[],
					);
				const people = (shape) => Array.from({ length: SEEDED_CONTACTS }, (_, i) => shape(i));
				await seed(
					sb,
					c.acme,
					'contacts',
					people((i) => ({
						given_name: `P${i}`,
						family_name: 'Seed',
						email_addresses: [{ email: `p${i}@acme.example`, field: 'EMAIL1' }],
					})),
				);
				await seed(
					sb,
					c.globex,
					'contacts',
					people((i) => ({ FirstName: `P${i}`, LastName: 'Seed', Email: `p${i}@globex.example` })),
				);
				const [vip, newsletter] = await seed(sb, c.acme, 'tags', [
					{ name: 'VIP' },
					{ name: 'Newsletter' },
				]);
				shared.tags = { vip, newsletter };
				// The contacts example: changed 3 h, 2 h, 40 min and 5 min ago (Initech), 5 h and 20 min ago (Umbrella).
				const initech = (email, updated) => ({
					given_name: email.split('@')[0],
					family_name: 'Initech',
					email_addresses: [{ email, field: 'EMAIL1' }],
					date_created: ago(30 * 24 * HOUR),
					last_updated: ago(updated),
				});
				shared.initechContacts = await seed(sb, c.initech, 'contacts', [
					initech('three-hours@initech.example', 3 * HOUR),
					initech('two-hours@initech.example', 2 * HOUR),
					initech('forty-minutes@initech.example', 40 * MINUTE),
					initech('five-minutes@initech.example', 5 * MINUTE),
				]);
				await seed(sb, c.umbrella, 'contacts', [
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
						LastUpdated: ago(20 * MINUTE),
					},
				]);
				await seed(sb, c.internal, 'contacts', [initech('recent@ourselves.example', MINUTE)]);
				return `${sb.instances.size} instances; ${SEEDED_CONTACTS} contacts each in Acme (REST) and Globex (legacy)`;
			},
			{ fatal: true },
		);

		await check(
			`import:workflow: three operation workflows, ${SYNC_FILE} and ${AI_FILE} as they are (+ a CLI copy of the agent), an agent looking up connections`,
			async () => {
				const list = [
					restOpsWorkflow(ceRef, c.acme, shared.tags),
					legacyOpsWorkflow(ceRef, c.globex),
					deadWorkflow(ceRef, c.acme, c.globex),
					sync,
					ai,
					agentCliCopy(ai, c.initech),
					tokenAgentWorkflow(ceRef, c.initech),
				];
				const file = path.join(work, 'workflows.json');
				fs.writeFileSync(file, JSON.stringify(list, null, 2));
				await n8n.importWorkflow(flavor, folder, file);
				return list.map((w) => w.id).join(', ');
			},
			{ fatal: true },
		);

		await check(
			'Keap REST: contact Create, Get, Update, Add/Remove Tags, task Create/Get, Custom API Call GET, Get Many (Return All, filtered), Test Connection, Delete',
			async () => {
				const from = sb.requests.length;
				const { run, printed } = await execute(flavor, folder, REST_OPS_ID);
				const { vip, newsletter } = shared.tags;
				const created = one(run, 'Create contact');
				assert.equal(typeof created.id, 'number');
				assert.deepEqual(
					{
						firstName: created.firstName,
						lastName: created.lastName,
						email: created.email,
						phone: created.phone,
						companyName: created.companyName,
					},
					{
						firstName: 'Ada',
						lastName: 'Lovelace',
						email: 'ada@example.com',
						phone: '+44 20 1234',
						companyName: 'Engines',
					},
				);
				assert.deepEqual(
					created.email_addresses,
					[{ email: 'ada@example.com', field: 'EMAIL1' }],
					"the element's own record comes along",
				);
				assert.equal(one(run, 'Get contact').email, 'ada@example.com');
				assert.equal(one(run, 'Update contact').lastName, 'King');
				assert.deepEqual(one(run, 'Add tags'), {
					id: created.id,
					tag_ids: [vip.id, newsletter.id],
				});
				assert.deepEqual(one(run, 'Remove tags'), { id: created.id, tag_ids: [vip.id] });
				const task = one(run, 'Create task');
				assert.deepEqual(
					{
						title: task.title,
						contact: task.contact,
						due: task.due_date,
						completed: task.completed,
					},
					{
						title: 'Call Ada back',
						contact: { id: created.id },
						due: '2026-12-01T10:00:00.000Z',
						completed: false,
					},
				);
				assert.equal(one(run, 'Get task').id, task.id);
				const raw = one(run, 'Custom API Call');
				assert.deepEqual(
					{ id: raw.id, given: raw.given_name, family: raw.family_name, tags: raw.tag_ids },
					{ id: created.id, given: 'Ada', family: 'King', tags: [vip.id] },
				);
				const all = out(run, 'Get Many (Return All)');
				assert.equal(all.length, SEEDED_CONTACTS + 1, 'every contact, over several pages');
				assert.equal(new Set(all.map((i) => i.id)).size, all.length, 'no contact twice');
				const pages = hubCalls(sb, from).filter(
					(r) => r.method === 'GET' && r.path.endsWith('/hubs/crm/contacts') && !r.query.where,
				);
				assert.deepEqual(
					pages.map((r) => [r.query.pageSize, Boolean(r.query.nextPage)]),
					[
						['200', false],
						['200', true],
						['200', true],
					],
				);
				assert.deepEqual(
					out(run, 'Get Many (filtered)').map((i) => i.id),
					[created.id],
				);
				const filtered = hubCalls(sb, from).find((r) => r.method === 'GET' && r.query.where);
				assert.match(
					filtered.query.where,
					/^family_name = 'King' AND since = '\d{4}-\d\d-\d\dT[\d:.]+Z'$/,
				);
				assert.deepEqual(one(run, 'Test Connection'), {
					ok: true,
					status: 'ok',
					message: `Instance "Acme" (${c.acme.id}, Keap REST) reaches the customer’s Keap.`,
					instanceId: c.acme.id,
					name: 'Acme',
					element: 'infusionsoftrest',
				});
				assert.deepEqual(one(run, 'Delete contact'), {
					id: created.id,
					deleted: true,
					alreadyDeleted: false,
				});
				// The stand-in's records: the contact gone, the task kept with its contact.
				const contacts = await stored(sb, c.acme, 'contacts');
				assert.equal(contacts.length, SEEDED_CONTACTS);
				assert.ok(
					!contacts.some((r) => r.id === created.id),
					'the contact is deleted in the stand-in',
				);
				assert.deepEqual(
					(await stored(sb, c.acme, 'tasks')).map((t) => [t.title, t.contact]),
					[['Call Ada back', { id: created.id }]],
				);
				const calls = hubCalls(sb, from).map(
					(r) => `${r.method} ${r.path.replace(/^.*\/hubs\/crm/, '')}`,
				);
				for (const expected of [
					'POST /contacts',
					`PATCH /contacts/${created.id}`,
					`POST /contacts/${created.id}/tags`,
					`DELETE /contacts/${created.id}/tags/${newsletter.id}`,
					'POST /tasks',
					`GET /tasks/${task.id}`,
					'GET /oauth/connect/userinfo',
					`DELETE /contacts/${created.id}`,
				]) {
					assert.ok(calls.includes(expected), `${expected} reached the stand-in`);
				}
				const n = tokenOnlyInHeaders(sb, from, printed, [c.acme]);
				return `contact ${created.id}, task ${task.id}, ${all.length} contacts in ${pages.length} pages; ${n} hub calls with the token in the header, none in the output`;
			},
		);

		await check(
			'legacy element: contact Create, Get, Update, Custom API Call GET, Get Many (Return All, email + CEQL), Test Connection, Delete; tags and tasks refused by name',
			async () => {
				const from = sb.requests.length;
				const { run, printed } = await execute(flavor, folder, LEGACY_OPS_ID);
				const created = one(run, 'Create contact');
				assert.equal(created.Id, created.id, 'the legacy Id and the common id');
				assert.deepEqual(
					[created.FirstName, created.firstName, created.Email, created.phone],
					['Grace', 'Grace', 'grace@example.com', '+1 555 0100'],
				);
				assert.equal(one(run, 'Get contact').lastName, 'Hopper');
				const updated = one(run, 'Update contact');
				assert.deepEqual(
					[updated.companyName, updated.Company, updated.JobTitle],
					['Navy', 'Navy', 'Rear Admiral'],
				);
				assert.equal(one(run, 'Custom API Call').JobTitle, 'Rear Admiral');
				const all = out(run, 'Get Many (Return All)');
				assert.equal(all.length, SEEDED_CONTACTS + 1);
				assert.equal(new Set(all.map((i) => i.id)).size, all.length);
				assert.deepEqual(
					out(run, 'Get Many (filtered)').map((i) => i.id),
					[created.id],
				);
				const where = hubCalls(sb, from).find((r) => r.method === 'GET' && r.query.where).query
					.where;
				assert.equal(where, "Email = 'grace@example.com' AND (Company = 'Navy')");
				assert.deepEqual(one(run, 'Test Connection'), {
					ok: true,
					status: 'ok',
					message: `Instance "Globex" (${c.globex.id}, Infusionsoft CRM (legacy, needs the Encrypted Key)) reaches the customer’s Keap.`,
					instanceId: c.globex.id,
					name: 'Globex',
					element: 'infusionsoftcrm',
				});
				assert.deepEqual(one(run, 'Delete contact'), {
					id: created.id,
					deleted: true,
					alreadyDeleted: false,
				});
				assert.match(
					one(run, 'Add tags (REST only)').error,
					new RegExp(
						`^"Add tags to a contact" works through Keap REST instances only; instance ${c.globex.id} is Infusionsoft CRM`,
					),
				);
				assert.match(
					one(run, 'Create task (REST only)').error,
					new RegExp(
						`^"Create a task" works through Keap REST instances only; instance ${c.globex.id} is Infusionsoft CRM`,
					),
				);
				const calls = hubCalls(sb, from).map(
					(r) => `${r.method} ${r.path.replace(/^.*\/hubs\/crm/, '')}`,
				);
				assert.ok(calls.includes('GET /ping'), 'Test Connection pinged');
				assert.ok(
					!calls.some((x) => /tags|tasks/.test(x)),
					'no tag or task call reached the legacy hub',
				);
				const contacts = await stored(sb, c.globex, 'contacts');
				assert.equal(contacts.length, SEEDED_CONTACTS);
				const n = tokenOnlyInHeaders(sb, from, printed, [c.globex]);
				return `contact ${created.id}; ${all.length} contacts; ${n} hub calls with the token in the header, none in the output`;
			},
		);

		await check(
			'Test Connection after POST /__sandbox/instances/:id/state {valid:false}: needs-reauthentication (both elements); a contact call fails naming the instance',
			async () => {
				await setState(sb, c.acme, { valid: false });
				await setState(sb, c.globex, { valid: false });
				const from = sb.requests.length;
				const { run, printed } = await execute(flavor, folder, DEAD_ID);
				const expect = (instance, elementName) => ({
					ok: false,
					status: 'needs-reauthentication',
					message: `Instance "${instance.name}" (${instance.id}, ${elementName}) no longer reaches Keap: send the customer a new OAuth URL and re-authenticate it.`,
					instanceId: instance.id,
					name: instance.name,
					element: instance.element,
				});
				assert.deepEqual(one(run, 'Test Acme'), expect(c.acme, 'Keap REST'));
				assert.deepEqual(
					one(run, 'Test Globex'),
					expect(c.globex, 'Infusionsoft CRM (legacy, needs the Encrypted Key)'),
				);
				const failed = one(run, 'Get Many (dead)');
				assert.equal(
					failed.error,
					`The connection of instance "Globex" (${c.globex.id}) no longer works: its token was refused`,
				);
				assert.match(
					failed.errorDescription,
					new RegExp(`Instance → Re-Authenticate instance ${c.globex.id}`),
				);
				tokenOnlyInHeaders(sb, from, printed, [c.acme, c.globex]);
				return `${failed.error}`;
			},
		);

		await check(
			`execute ${SYNC_FILE} (its Manual Trigger twin): the last hour's contacts of both customers, each with its instance`,
			async () => {
				const { run, printed } = await execute(flavor, folder, sync.id);
				const lines = out(run, 'Hand them on')
					.map((i) => `${i.instanceName} #${i.instanceId} ${i.element}: ${i.email}`)
					.sort();
				const line = (customer, email) =>
					`${customer.name} #${customer.id} ${customer.element}: ${email}`;
				assert.deepEqual(
					lines,
					[
						line(c.initech, 'five-minutes@initech.example'),
						line(c.initech, 'forty-minutes@initech.example'),
						line(c.umbrella, 'twenty-minutes@umbrella.example'),
					].sort(),
				);
				const since = one(run, 'Since last run');
				shared.firstRun = since.now;
				assert.equal(
					Date.parse(since.now) - Date.parse(since.since),
					HOUR,
					'the first run looks back one hour',
				);
				assert.deepEqual(one(run, 'Remember this run'), { lastRun: since.now });
				// Instance → Get Many outputs the instances as the platform gives them, tokens included (the
				// provisioning side's design); the contact nodes never show one.
				for (const [name, data] of Object.entries(run.data.resultData.runData).filter(
					([name]) => name !== 'Customer connections',
				)) {
					for (const customer of [c.initech, c.umbrella])
						assert.ok(
							!JSON.stringify(data).includes(customer.token),
							`no token in the output of ${name}`,
						);
				}
				for (const secret of [EXAMPLE.userSecret, EXAMPLE.organizationSecret])
					assert.ok(!printed.includes(secret), 'no account secret in the output');
				return `${lines.length} contacts; since ${since.since}`;
			},
		);

		await check(
			`execute ${SYNC_FILE} again: only what changed since the first run (n8n kept the time in the static data)`,
			async () => {
				const [old] = shared.initechContacts;
				await hub(sb, c.initech, 'PATCH', `/contacts/${old.id}`, { family_name: 'Moved' });
				await hub(sb, c.umbrella, 'POST', '/contacts', { Email: 'just-now@umbrella.example' });
				const { run } = await execute(flavor, folder, sync.id);
				const since = one(run, 'Since last run');
				shared.secondRun = since.now;
				assert.equal(
					since.since,
					shared.firstRun,
					'since = the first run, read from the static data n8n saved',
				);
				const lines = out(run, 'Hand them on')
					.map((i) => `${i.instanceName}: ${i.email} ${i.lastName}`)
					.sort();
				assert.deepEqual(lines, [
					'Initech: three-hours@initech.example Moved',
					'Umbrella: just-now@umbrella.example null',
				]);
				return lines.join('; ');
			},
		);

		await check(
			`execute ${AI_FILE} (CLI copy, a scripted fake chat model): the agent calls Find contacts twice and Add a contact through our node; no token or secret reaches the model`,
			async () => {
				const [jane] = await seed(sb, c.initech, 'contacts', [
					{
						given_name: 'Jane',
						family_name: 'Doe',
						email_addresses: [{ email: 'jane@example.com', field: 'EMAIL1' }],
					},
				]);
				const from = sb.requests.length;
				const { run, printed } = await execute(flavor, folder, AGENT_CLI_ID);
				// The model was offered both tools with the $fromAI fields as their arguments.
				const offered = Object.fromEntries(
					model.requests[0].body.tools.map((t) => [
						t.function.description.split(' ').slice(0, 3).join(' '),
						Object.keys(t.function.parameters?.properties ?? {}).sort(),
					]),
				);
				assert.deepEqual(offered, {
					'Look up contacts': ['email', 'firstName', 'lastName'],
					'Add a contact': ['companyName', 'email', 'firstName', 'lastName', 'phone'],
				});
				assert.equal(model.requests.length, 4, 'three tool calls, then the answer');
				assert.equal(model.requests[0].headers.authorization, 'Bearer sk-fake-e2e');
				// Our node ran as the tools, against the stand-in, with the instance's token in the header.
				const calls = hubCalls(sb, from);
				assert.deepEqual(
					calls.map((r) =>
						`${r.method} ${r.path.replace(/^.*\/hubs\/crm/, '')} ${r.query.where ?? ''}`.trim(),
					),
					[
						"GET /contacts email = 'jane@example.com'",
						"GET /contacts email = 'bob@stone.example'",
						'POST /contacts',
					],
				);
				assert.deepEqual(calls[2].body, {
					given_name: 'Bob',
					family_name: 'Stone',
					email_addresses: [{ email: 'bob@stone.example', field: 'EMAIL1' }],
				});
				const bob = (await stored(sb, c.initech, 'contacts')).find((r) => r.given_name === 'Bob');
				assert.ok(bob, 'Bob is in the stand-in');
				// What the tools gave the model: Jane's contact, nothing for Bob, then Bob's new contact.
				const toolResults = model.requests[3].body.messages
					.filter((m) => m.role === 'tool')
					.map((m) => String(m.content));
				assert.match(toolResults[0], /jane@example\.com/);
				assert.match(toolResults[0], new RegExp(`"id":\\s*${jane.id}\\b`));
				assert.doesNotMatch(toolResults[1], /@/);
				assert.match(toolResults[2], new RegExp(`"id":\\s*${bob.id}\\b`));
				const answer = one(run, 'AI Agent').output;
				assert.match(answer, /jane@example\.com/);
				// Nothing secret went to the model or into the output.
				const sent = JSON.stringify(model.requests.map((r) => r.body));
				for (const secret of [c.initech.token, EXAMPLE.userSecret, EXAMPLE.organizationSecret]) {
					assert.ok(
						!sent.includes(secret),
						'no token or account secret in what the model received',
					);
					assert.ok(!printed.includes(secret), 'no token or account secret in the output');
				}
				for (const r of calls)
					assert.equal(r.headers.authorization, `${CE_AUTH}, Element ${c.initech.token}`);
				return `Jane ${jane.id} found, Bob ${bob.id} added; ${model.requests.length} model calls, ${calls.length} hub calls`;
			},
		);

		await check(
			'AI Agent 3 and 2.2 call Instance Get and Get Many through our node as tools: the model gets the connections without tokens, told which fields were withheld; Instance Get as a regular node in the same workflow still outputs the token',
			async () => {
				const first = model.requests.length;
				const { run } = await execute(flavor, folder, AGENT_TOKENS_ID);
				assert.equal(
					one(run, 'Instance Get').token,
					c.initech.token,
					'the regular node outputs the token, as before',
				);
				assert.equal(one(run, 'Instance Get').credentialsWithheld, undefined);
				const requests = model.requests.slice(first).map((r) => r.body);
				assert.equal(requests.length, 6, 'per agent: two tool calls, then the answer');
				const customers = [c.initech, c.umbrella]
					.map((i) => [i.id, i.name, ['token'], false])
					.sort();
				for (const [agent, answer] of [
					['AI Agent 3', requests[2]],
					['AI Agent 2', requests[5]],
				]) {
					const [lookedUp, listed] = toolMessages(answer).map((text) => JSON.parse(text));
					const shown = (items) =>
						items.map((i) => [i.id, i.name, i.credentialsWithheld, 'token' in i]).sort();
					assert.deepEqual(
						shown(lookedUp),
						[[c.initech.id, 'Initech', ['token'], false]],
						`${agent}: the connection looked up, without its token`,
					);
					assert.deepEqual(
						shown(listed),
						customers,
						`${agent}: the connections listed, without their tokens`,
					);
					assert.match(one(run, agent).output, new RegExp(`"id":\\s*${c.initech.id}\\b`));
				}
				const sent = JSON.stringify(requests);
				const answers = JSON.stringify(
					['AI Agent 3', 'AI Agent 2'].map((agent) => one(run, agent)),
				);
				for (const instance of sb.instances.values()) {
					assert.ok(
						!sent.includes(instance.token),
						`the token of ${instance.name} did not reach the model`,
					);
					assert.ok(
						!answers.includes(instance.token),
						`the token of ${instance.name} is not in the agents' answers`,
					);
				}
				for (const secret of [EXAMPLE.userSecret, EXAMPLE.organizationSecret])
					assert.ok(!sent.includes(secret), 'no account secret reached the model');
				return `${requests.length} model calls; the model got ${c.initech.name} and the customer list, no token; the regular node got ${c.initech.name}'s token`;
			},
		);

		await startServerCheck(check, flavor, folder, port, shared);
		const headers = shared.session.headers;

		const searchInstances = async (extra = {}) => {
			const body = {
				nodeTypeAndVersion: { name: demo.NODE_TYPE, version: 2 },
				path: 'parameters.instance',
				methodName: 'searchInstances',
				currentNodeParameters: {
					resource: 'contact',
					operation: 'getAll',
					instance: { __rl: true, mode: 'list', value: '' },
					returnAll: false,
					limit: 50,
					filters: {},
				},
				credentials: { cloudElementsApi: ceRef },
				...extra,
			};
			return (
				await rest.rest(base, '/dynamic-node-parameters/resource-locator-results', {
					method: 'POST',
					headers,
					body,
				})
			).data;
		};

		await check(
			'the Instance list as the editor loads it (POST /rest/dynamic-node-parameters/resource-locator-results, searchInstances): name, element and state, 50 a page, then the next page',
			async () => {
				const from = sb.requests.length;
				const first = await searchInstances();
				assert.equal(first.results.length, 50);
				assert.ok(first.paginationToken, 'a full page has a pagination token');
				const second = await searchInstances({ paginationToken: first.paginationToken });
				assert.equal(second.paginationToken, undefined, 'the last page has none');
				const all = [...first.results, ...second.results];
				assert.equal(all.length, sb.instances.size, 'every instance of the account, once');
				assert.deepEqual(
					all.map((r) => r.value).sort(),
					[...sb.instances.keys()].map(String).sort(),
				);
				const named = (instance) => all.find((r) => r.value === String(instance.id))?.name;
				assert.equal(named(c.initech), `Initech — Keap REST #${c.initech.id}`);
				assert.equal(named(c.umbrella), `Umbrella — Infusionsoft CRM #${c.umbrella.id}`);
				assert.equal(named(c.acme), `Acme — Keap REST #${c.acme.id}, needs re-authentication`);
				assert.equal(
					named(c.globex),
					`Globex — Infusionsoft CRM #${c.globex.id}, needs re-authentication`,
				);
				const calls = sb.requests.slice(from).filter((r) => r.path.startsWith('/elements/api-v2/'));
				assert.deepEqual(
					calls.map((r) => `${r.method} ${r.path} ${r.query.pageSize}`),
					['GET /elements/api-v2/instances 50', 'GET /elements/api-v2/instances 50'],
				);
				assert.ok(calls[1].query.nextPage, 'the second page asked with the token');
				assert.equal(
					calls[0].headers.authorization,
					CE_AUTH,
					'account secrets only: no element token',
				);
				return `${first.results.length} + ${second.results.length}; e.g. "${named(c.acme)}"`;
			},
		);

		await check(
			'the Instance list with a filter (the search box): only the matching instances',
			async () => {
				const globex = await searchInstances({ filter: 'glob' });
				assert.deepEqual(globex.results, [
					{
						name: `Globex — Infusionsoft CRM #${c.globex.id}, needs re-authentication`,
						value: String(c.globex.id),
					},
				]);
				assert.equal(globex.paginationToken, undefined);
				const fillers = await searchInstances({ filter: 'Filler 1' });
				assert.deepEqual(
					fillers.results.map((r) => r.name.split(' — ')[0]),
					Array.from({ length: 10 }, (_, i) => `Filler 1${i}`),
				);
				const none = await searchInstances({ filter: 'no such customer' });
				assert.deepEqual(none.results, [], 'no match: an empty list (the platform answers 404)');
				const last = sb.requests.filter((r) => r.path === '/elements/api-v2/instances').at(-1);
				assert.equal(last.query.searchText, 'no such customer');
				return `"glob" -> 1, "Filler 1" -> ${fillers.results.length}, no match -> 0`;
			},
		);

		await check(
			'Record (Any Object) as the editor loads it: the Object list (options, getRecordObjects), the Fields (resource-mapper-fields, getRecordFields) with the account’s custom field; a Task operation’s Instance list leaves legacy instances out',
			async () => {
				sb.addCustomFields(c.initech.id, 'contacts', [{ label: 'Favourite colour' }]);
				const instance = { __rl: true, mode: 'id', value: String(c.initech.id) };
				const current = { resource: 'record', operation: 'create', instance, object: 'contacts' };
				const dynamic = async (endpoint, body) =>
					(
						await rest.rest(base, `/dynamic-node-parameters/${endpoint}`, {
							method: 'POST',
							headers,
							body: {
								nodeTypeAndVersion: { name: demo.NODE_TYPE, version: 2 },
								credentials: { cloudElementsApi: ceRef },
								currentNodeParameters: current,
								...body,
							},
						})
					).data;
				const objects = await dynamic('options', {
					path: 'parameters.object',
					methodName: 'getRecordObjects',
				});
				// Every object the instance lists (GET /hubs/crm/objects), by plain name: a path such
				// as opportunity/stage_pipeline is left out.
				const plain = (await hub(sb, c.initech, 'GET', '/objects'))
					.filter((name) => /^[A-Za-z0-9_]+$/.test(name))
					.sort();
				assert.ok(['contacts', 'tags', 'tasks'].every((name) => plain.includes(name)));
				assert.deepEqual(
					objects.map((o) => o.value),
					plain,
				);
				const mapper = await dynamic('resource-mapper-fields', {
					path: 'parameters.columns',
					methodName: 'getRecordFields',
				});
				const ids = mapper.fields.map((f) => f.id);
				assert.ok(ids.includes('given_name') && ids.includes('email_addresses'), ids.join());
				assert.ok(!ids.includes('id') && !ids.includes('tag_ids'), 'read-only fields left out');
				const custom = mapper.fields.find((f) => f.id === 'custom_fields.1');
				assert.equal(custom?.displayName, 'Favourite colour (custom field)');
				const listed = async (resource, operation, filter) =>
					(
						await searchInstances({
							filter,
							currentNodeParameters: { resource, operation, instance },
						})
					).results.map((r) => r.value);
				assert.deepEqual(await listed('task', 'create', 'Umbrella'), []);
				assert.deepEqual(await listed('task', 'create', 'Initech'), [String(c.initech.id)]);
				assert.deepEqual(await listed('record', 'getAll', 'Umbrella'), [String(c.umbrella.id)]);
				return `${objects.length} objects, ${ids.length} fields (custom: "${custom.displayName}")`;
			},
		);

		await check(
			`${AI_FILE}: stored as imported; every node type and version it uses is one this n8n serves (tool variant of our node included)`,
			async () => {
				const types = JSON.parse(await rest.editorTypes(base, headers, 'nodes'));
				const versions = (name) =>
					types.filter((t) => t.name === name).flatMap((t) => [].concat(t.version));
				for (const node of ai.nodes)
					assert.ok(
						versions(node.type).includes(node.typeVersion),
						`${node.type} ${node.typeVersion} is served (has ${versions(node.type).join(', ') || 'none'})`,
					);
				const tool = types.find((t) => t.name === TOOL_TYPE);
				assert.deepEqual(tool.outputs, ['ai_tool']);
				assert.deepEqual(tool.inputs, []);
				const wf = await rest.getWorkflow(base, headers, ai.id);
				assert.deepEqual(
					wf.nodes.map((n) => `${n.name}:${n.type}@${n.typeVersion}`).sort(),
					ai.nodes.map((n) => `${n.name}:${n.type}@${n.typeVersion}`).sort(),
				);
				for (const name of ['Find contacts', 'Add a contact'])
					assert.deepEqual(wf.connections[name], {
						ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]],
					});
				shared.toolDescription = tool;
				return ai.nodes.map((n) => `${n.type.replace(/^.*\./, '')}@${n.typeVersion}`).join(', ');
			},
		);

		await check(
			`${AI_FILE}: the tool nodes' parameters, checked with this n8n's n8n-workflow against the served tool description`,
			async () => {
				const tool = shared.toolDescription;
				assert.ok(tool, 'needs the served tool description');
				const { NodeHelpers, traverseNodeParameters } = require(
					path.join(n8n.runtimePaths(flavor).dir, 'node_modules', 'n8n-workflow'),
				);
				const details = [];
				for (const node of ai.nodes.filter((n) => n.type === TOOL_TYPE)) {
					const resolved =
						NodeHelpers.getNodeParameters(
							tool.properties,
							node.parameters,
							true,
							false,
							node,
							tool,
						) ?? node.parameters;
					const shown = tool.properties.filter((p) =>
						NodeHelpers.displayParameter(resolved, p, { typeVersion: node.typeVersion }, tool),
					);
					for (const [key, value] of Object.entries(node.parameters)) {
						const property = shown.find((p) => p.name === key);
						assert.ok(property, `${node.name}: ${key} is shown for its operation`);
						if (
							property.type === 'options' &&
							typeof value === 'string' &&
							!value.startsWith('=')
						) {
							assert.ok(
								property.options.some((o) => o.value === value),
								`${node.name}: ${key} = ${value} is an option`,
							);
						}
						if (property.type === 'collection') {
							for (const option of Object.keys(value))
								assert.ok(
									property.options.some((o) => o.name === option),
									`${node.name}: ${key}.${option} is an option`,
								);
						}
					}
					const issues = NodeHelpers.getNodeParametersIssues(
						tool.properties,
						{ ...node, parameters: resolved },
						tool,
					);
					assert.deepEqual(
						Object.keys(issues?.parameters ?? {}),
						['instance'],
						`${node.name}: only the Instance is left to pick`,
					);
					const args = [];
					traverseNodeParameters(node.parameters, args);
					assert.ok(
						args.length > 0 && args.every((a) => a.type === 'string' && a.defaultValue === ''),
						`${node.name}: $fromAI strings, optional`,
					);
					details.push(`${node.name}: ${args.map((a) => a.key).join(', ')}`);
				}
				return details.join('; ');
			},
		);

		await check(
			`${SYNC_FILE}: the static data as n8n stored it; activates as it is (Schedule Trigger), then deactivate`,
			async () => {
				const wf = await rest.getWorkflow(base, headers, sync.id);
				const data = typeof wf.staticData === 'string' ? JSON.parse(wf.staticData) : wf.staticData;
				assert.equal(
					data?.global?.lastRun,
					shared.secondRun,
					'lastRun = the start of the second CLI run',
				);
				const on = await rest.activateWorkflow(base, headers, sync.id);
				assert.equal(on.active, true);
				const off = await rest.deactivateWorkflow(base, headers, sync.id);
				assert.equal(off.active, false);
				return `staticData.global.lastRun = ${data.global.lastRun}`;
			},
		);

		await serverLogCheck(check, shared.server);
	} catch (error) {
		if (!error.reported) throw error;
	} finally {
		await model.close();
		await closeSuite({ flavor, server: shared.server, sb, work, report, group });
	}
}

module.exports = { hubSuite };

/** Alone: node e2e/hub.js [n8n-2] [n8n-1] (builds and packs first; the runtimes must be installed). */
if (require.main === module) require('./lib/standalone').runStandalone('hub', hubSuite);

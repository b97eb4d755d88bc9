'use strict';
/**
 * A small JavaScript copy of the test harness's set-up (test/harness/runWorkflow.ts): runs a
 * workflow Manual Trigger → Items → Infusionsoft CRM through n8n-core's real WorkflowExecute,
 * with the built node from dist/, real credential resolution and n8n's own HTTP helpers.
 * No recording logger: n8n's Logger is replaced by one that drops everything, as a production
 * n8n at log level "info" drops the node's debug lines.
 */
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join, resolve } = require('node:path');

const { Logger } = require('@n8n/backend-common');
const { InstanceSettingsConfig } = require('@n8n/config');
const { Container } = require('@n8n/di');
const {
	Credentials,
	ExecutionLifecycleHooks,
	ExternalSecretsProxy,
	WorkflowExecute,
} = require('n8n-core');
const {
	ICredentialsHelper,
	LoggerProxy,
	NodeConnectionTypes,
	NodeHelpers,
	UnexpectedError,
	Workflow,
} = require('n8n-workflow');

const DIST = resolve(__dirname, '../../dist');
const { InfusionsoftCrm } = require(join(DIST, 'nodes/InfusionsoftCrm/InfusionsoftCrm.node.js'));
const { CloudElementsApi } = require(join(DIST, 'credentials/CloudElementsApi.credentials.js'));
const { InfusionsoftCrmOAuth2Api } = require(
	join(DIST, 'credentials/InfusionsoftCrmOAuth2Api.credentials.js'),
);

const { NODE_TYPE } = require('../../e2e/lib/demo');
const NODE_NAME = 'Infusionsoft CRM';

const silent = {
	error() {},
	warn() {},
	info() {},
	debug() {},
	scoped() {
		return silent;
	},
};
Container.set(Logger, silent);
LoggerProxy.init(silent);
const n8nFolder = mkdtempSync(join(tmpdir(), 'n8n-bench-'));
process.once('exit', () => rmSync(n8nFolder, { recursive: true, force: true }));
Container.set(
	InstanceSettingsConfig,
	Object.assign(new InstanceSettingsConfig(), {
		n8nFolder,
		userHome: n8nFolder,
		encryptionKey: 'n8n-bench-encryption-key',
		enforceSettingsFilePermissions: false,
	}),
);

class ManualTrigger {
	description = {
		displayName: 'Manual Trigger',
		name: 'manualTrigger',
		group: ['trigger'],
		version: 1,
		description: '',
		defaults: { name: 'Manual Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async trigger() {
		return { manualTriggerFunction: async () => this.emit([this.helpers.returnJsonArray([{}])]) };
	}
}

/** Outputs the items of its `items` parameter (already parsed, to keep JSON parsing out of the timing). */
class Items {
	description = {
		displayName: 'Items',
		name: 'items',
		group: ['transform'],
		version: 1,
		description: '',
		defaults: { name: 'Items' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	};

	async execute() {
		const items = this.getNodeParameter('items', 0);
		return [items.map((json) => ({ json, pairedItem: { item: 0 } }))];
	}
}

/**
 * A bench-only node that makes a given list of calls per item with n8n's own HTTP helper
 * (`this.helpers.httpRequest`, what every n8n node uses), `concurrency` at a time, and nothing
 * else: the floor any node pays in the engine. The plan is handed over in memory.
 */
let httpPlan;
let httpScript;
class HttpLoop {
	description = {
		displayName: 'HTTP loop',
		name: 'httpLoop',
		group: ['transform'],
		version: 1,
		description: '',
		defaults: { name: 'HTTP loop' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async execute() {
		if (httpScript) {
			// A script: calls that depend on earlier answers (paging), its own items out.
			const rows = await httpScript((options) => this.helpers.httpRequest(options));
			return [rows.map((json) => ({ json, pairedItem: { item: 0 } }))];
		}
		const { requestsFor, concurrency } = httpPlan;
		const items = this.getInputData();
		const out = new Array(items.length);
		let next = 0;
		const loop = async () => {
			while (next < items.length) {
				const i = next++;
				let last;
				for (const options of requestsFor(items[i].json))
					last = await this.helpers.httpRequest(options);
				out[i] = {
					json: typeof last === 'object' && last !== null ? last : { body: last },
					pairedItem: { item: i },
				};
			}
		};
		await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, loop));
		return [out];
	}
}

class NodeTypes {
	constructor(types) {
		this.types = types;
	}

	getByName(type) {
		const nodeType = this.types[type];
		if (!nodeType) throw new UnexpectedError(`Unknown node type "${type}"`);
		return nodeType;
	}

	getByNameAndVersion(type, version) {
		return NodeHelpers.getVersionedNodeType(this.getByName(type), version);
	}

	getKnownTypes() {
		return {};
	}
}

/** Decrypted credential data by type, with the type's defaults, as n8n's CredentialsHelper gives it. */
class CredentialsHelper extends ICredentialsHelper {
	constructor(store) {
		super();
		this.store = store;
		this.types = Object.fromEntries(
			[new CloudElementsApi(), new InfusionsoftCrmOAuth2Api(), httpHeaderAuth].map((t) => [
				t.name,
				t,
			]),
		);
	}

	getParentTypes() {
		return [];
	}

	isCredentialUsableByNode() {
		return true;
	}

	async authenticate(credentials, type, requestOptions) {
		// As n8n's CredentialsHelper does for Header Auth (ours send their own headers).
		if (type === 'httpHeaderAuth')
			requestOptions.headers = { ...requestOptions.headers, [credentials.name]: credentials.value };
		return requestOptions;
	}

	async preAuthentication() {
		return undefined;
	}

	async runPreAuthentication() {
		return undefined;
	}

	async getCredentials(details, type) {
		const credentials = new Credentials({ id: details.id, name: details.name }, type);
		await credentials.setData(structuredClone(this.store[type]));
		return credentials;
	}

	async getDecrypted(_additionalData, _details, type) {
		return NodeHelpers.getNodeParameters(
			this.getCredentialsProperties(type),
			structuredClone(this.store[type]),
			true,
			false,
			null,
			null,
		);
	}

	async updateCredentials() {}

	async updateCredentialsOauthTokenData() {}

	getCredentialsProperties(type) {
		return this.types[type].properties;
	}
}

/**
 * BENCH_BASELINE_DIST=<a dist/ folder built from another commit> adds that build of the node as
 * type BASELINE_TYPE, so that two builds can be measured side by side in one process.
 */
const BASELINE_TYPE = 'n8n-nodes-bench.baseline';
const baseline = process.env.BENCH_BASELINE_DIST
	? {
			[BASELINE_TYPE]: new (require(
				join(
					resolve(process.env.BENCH_BASELINE_DIST),
					'nodes/InfusionsoftCrm/InfusionsoftCrm.node.js',
				),
			).InfusionsoftCrm)(),
		}
	: {};

/**
 * n8n's own HTTP Request node from the installed real n8n (e2e/runtime/n8n-2, same n8n-core and
 * n8n-workflow versions as the bench's), as type HTTP_REQUEST_TYPE: a peer in the same engine.
 */
const HTTP_REQUEST_TYPE = 'n8n-nodes-base.httpRequest';
const httpRequestNodeFile = resolve(
	__dirname,
	'../../e2e/runtime/n8n-2/node_modules/n8n-nodes-base/dist/nodes/HttpRequest/HttpRequest.node.js',
);
const hasHttpRequestNode = require('node:fs').existsSync(httpRequestNodeFile);
const httpRequestNode = hasHttpRequestNode
	? { [HTTP_REQUEST_TYPE]: new (require(httpRequestNodeFile).HttpRequest)() }
	: {};

/** The Header Auth credential type, as n8n-nodes-base defines its fields. */
const httpHeaderAuth = {
	name: 'httpHeaderAuth',
	properties: [
		{ displayName: 'Name', name: 'name', type: 'string', default: '' },
		{ displayName: 'Value', name: 'value', type: 'string', default: '' },
	],
};

const nodeTypes = new NodeTypes({
	...baseline,
	...httpRequestNode,
	'n8n-nodes-base.manualTrigger': new ManualTrigger(),
	'n8n-nodes-bench.items': new Items(),
	[NODE_TYPE]: new InfusionsoftCrm(),
	'n8n-nodes-bench.httpLoop': new HttpLoop(),
});

let counter = 0;

/**
 * Runs Manual Trigger → Items(items) → Infusionsoft CRM(parameters), the node at `typeVersion`
 * (1 by default, as the first benchmarks ran; 2 is what a new node in the editor gets).
 * @returns {Promise<{ wallMs: number, nodeMs: number, items: object[], error?: object }>}
 */
async function runNode({
	parameters,
	items,
	credentials,
	type = NODE_TYPE,
	typeVersion = 1,
	nodeCredentials = {
		cloudElementsApi: { id: 'ce', name: 'Cloud Elements' },
		infusionsoftCrmOAuth2Api: { id: 'app', name: 'Infusionsoft app' },
	},
}) {
	const executionId = String(++counter);
	const node = (name, type, params, extra = {}) => ({
		id: name,
		name,
		type,
		typeVersion: 1,
		position: [0, 0],
		parameters: params,
		...extra,
	});
	const nodes = [
		node('Manual Trigger', 'n8n-nodes-base.manualTrigger', {}),
		node('Items', 'n8n-nodes-bench.items', { items }),
		node(NODE_NAME, type, parameters, {
			typeVersion,
			credentials: nodeCredentials,
		}),
	];
	const connections = {
		'Manual Trigger': { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
		Items: { main: [[{ node: NODE_NAME, type: 'main', index: 0 }]] },
	};
	const settings = { executionOrder: 'v1' };
	const workflowData = {
		id: 'bench',
		name: 'Bench',
		active: false,
		isArchived: false,
		activeVersionId: null,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes,
		connections,
		settings,
	};
	const workflow = new Workflow({
		id: 'bench',
		name: 'Bench',
		nodes,
		connections,
		active: false,
		nodeTypes,
		settings,
		staticData: {},
	});
	const hooks = new ExecutionLifecycleHooks('manual', executionId, workflowData);
	const base = 'http://localhost:5678';
	const additionalData = {
		credentialsHelper: new CredentialsHelper(credentials),
		hooks,
		executionId,
		workflowId: 'bench',
		userId: 'bench-user',
		currentNodeExecutionIndex: 0,
		variables: {},
		externalSecretsProxy: new ExternalSecretsProxy(),
		restApiUrl: `${base}/rest`,
		instanceBaseUrl: `${base}/`,
		formBaseUrl: `${base}/form`,
		formWaitingBaseUrl: `${base}/form-waiting`,
		formTestBaseUrl: `${base}/form-test`,
		webhookBaseUrl: `${base}/webhook`,
		webhookWaitingBaseUrl: `${base}/webhook-waiting`,
		webhookTestBaseUrl: `${base}/webhook-test`,
		mcpBaseUrl: `${base}/mcp`,
		mcpTestBaseUrl: `${base}/mcp-test`,
		executeWorkflow: async () => {
			throw new UnexpectedError('not supported');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		logAiEvent: () => {},
	};
	const started = process.hrtime.bigint();
	const run = await new WorkflowExecute(additionalData, 'manual').run({
		workflow,
		startNode: workflow.getStartNode(),
	});
	const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
	const task = run.data.resultData.runData[NODE_NAME]?.[0];
	return {
		wallMs,
		nodeMs: task?.executionTime ?? NaN,
		items: task?.data?.main?.[0] ?? [],
		error: run.data.resultData.error,
	};
}

/** Runs the same engine workflow with the HTTP loop node in place of ours. */
async function runHttpLoop({ items, requestsFor, concurrency }) {
	httpPlan = { requestsFor, concurrency };
	try {
		return await runNode({
			parameters: {},
			items,
			credentials: {},
			type: 'n8n-nodes-bench.httpLoop',
		});
	} finally {
		httpPlan = undefined;
	}
}

/**
 * The same engine workflow with the HTTP loop node running `script(httpRequest)`: the script
 * makes its calls with n8n's helper (`this.helpers.httpRequest`) and answers the node's output
 * rows (JSON objects). For calls that depend on earlier answers, e.g. following page tokens.
 */
async function runHttpScript({ items = [{}], script }) {
	httpScript = script;
	try {
		return await runNode({
			parameters: {},
			items,
			credentials: {},
			type: 'n8n-nodes-bench.httpLoop',
		});
	} finally {
		httpScript = undefined;
	}
}

module.exports = {
	runNode,
	runHttpLoop,
	runHttpScript,
	NODE_NAME,
	BASELINE_TYPE,
	HTTP_REQUEST_TYPE,
	hasHttpRequestNode,
	hasBaseline: Boolean(process.env.BENCH_BASELINE_DIST),
};

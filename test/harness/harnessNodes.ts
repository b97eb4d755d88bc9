import {
	NodeConnectionTypes,
	type ICredentialType,
	type IBinaryKeyData,
	type IConnections,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeCredentials,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type INodeTypeDescription,
	type ITriggerFunctions,
	type ITriggerResponse,
} from 'n8n-workflow';

export const MANUAL_TRIGGER_TYPE = 'n8n-nodes-base.manualTrigger';
export const ITEMS_NODE_TYPE = 'n8n-nodes-harness.items';

/**
 * Equivalent of n8n-nodes-base's Manual Trigger (which is not a dependency here):
 * in manual mode the engine calls `trigger()` and then `manualTriggerFunction`,
 * which emits one empty item.
 */
export class ManualTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Manual Trigger',
		name: 'manualTrigger',
		group: ['trigger'],
		version: 1,
		description: 'Runs the flow on clicking a button in n8n',
		maxNodes: 1,
		defaults: { name: 'When clicking ‘Execute workflow’' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		return {
			manualTriggerFunction: async () => {
				this.emit([this.helpers.returnJsonArray([{}])]);
			},
		};
	}
}

/** A file an item of the Items node carries (`$binary`). */
export interface BinarySpec {
	base64: string;
	fileName?: string;
	mimeType?: string;
}

/**
 * Outputs the JSON items in its `items` parameter (a JSON array), ignoring its input. An item's
 * `$binary` key, `{ <property>: { base64, fileName?, mimeType? } }`, becomes the item's binary
 * data, made through n8n's own `prepareBinaryData` as a node that reads a file does.
 */
export class HarnessItems implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Harness Items',
		name: 'items',
		group: ['transform'],
		version: 1,
		description: 'Outputs fixed items (test harness)',
		defaults: { name: 'Items' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const raw = this.getNodeParameter('items', 0) as string | IDataObject[];
		const items = (typeof raw === 'string' ? JSON.parse(raw) : raw) as IDataObject[];
		const out: INodeExecutionData[] = [];
		for (const { $binary, ...json } of items) {
			if ($binary === undefined) {
				out.push({ json, pairedItem: { item: 0 } });
				continue;
			}
			const binary: IBinaryKeyData = {};
			for (const [property, file] of Object.entries($binary as Record<string, BinarySpec>)) {
				binary[property] = await this.helpers.prepareBinaryData(
					Buffer.from(file.base64, 'base64'),
					file.fileName,
					file.mimeType,
				);
			}
			out.push({ json, binary, pairedItem: { item: 0 } });
		}
		return [out];
	}
}

/**
 * Minimal stand-in for n8n-nodes-base's `oAuth2Api` credential type, so that
 * credential types declaring `extends = ['oAuth2Api']` resolve (parent properties,
 * defaults, and n8n-core's OAuth2 request path). Pass your own to override it.
 */
export class OAuth2Api implements ICredentialType {
	name = 'oAuth2Api';

	displayName = 'OAuth2 API';

	genericAuth = true;

	properties: ICredentialType['properties'] = [
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'options',
			options: [
				{ name: 'Authorization Code', value: 'authorizationCode' },
				{ name: 'Client Credentials', value: 'clientCredentials' },
				{ name: 'PKCE', value: 'pkce' },
			],
			default: 'authorizationCode',
		},
		{ displayName: 'Authorization URL', name: 'authUrl', type: 'string', default: '' },
		{ displayName: 'Access Token URL', name: 'accessTokenUrl', type: 'string', default: '' },
		{ displayName: 'Client ID', name: 'clientId', type: 'string', default: '' },
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
		{ displayName: 'Scope', name: 'scope', type: 'string', default: '' },
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'string',
			default: '',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			options: [
				{ name: 'Body', value: 'body' },
				{ name: 'Header', value: 'header' },
			],
			default: 'header',
		},
		{ displayName: 'Ignore SSL Issues', name: 'ignoreSSLIssues', type: 'boolean', default: false },
		{
			displayName: 'Token Expired Status Code',
			name: 'tokenExpiredStatusCode',
			type: 'number',
			default: 401,
		},
	];
}

// ---- Workflow builders ----------------------------------------------------------

export interface NodeSpec {
	name: string;
	type: string;
	parameters?: INodeParameters;
	typeVersion?: number;
	/** Credential type names (resolved by type from `runWorkflow({ credentials })`), or full INodeCredentials. */
	credentials?: string[] | INodeCredentials;
	/** e.g. 'continueRegularOutput' — what the UI's "On Error: Continue" sets; makes `this.continueOnFail()` true. */
	onError?: INode['onError'];
	alwaysOutputData?: boolean;
	disabled?: boolean;
}

let nodeCounter = 0;

export function node(spec: NodeSpec): INode {
	const { credentials, parameters, typeVersion, ...rest } = spec;
	return {
		id: `node-${++nodeCounter}`,
		position: [0, 0],
		typeVersion: typeVersion ?? 1,
		parameters: parameters ?? {},
		...rest,
		...(credentials && {
			credentials: Array.isArray(credentials)
				? Object.fromEntries(credentials.map((t) => [t, { id: `${t}-id`, name: `${t} account` }]))
				: credentials,
		}),
	};
}

export function manualTrigger(name = 'Manual Trigger'): INode {
	return node({ name, type: MANUAL_TRIGGER_TYPE });
}

/** A node that outputs `items` (one per element) — feed N items into the node under test. */
export function itemsNode(items: IDataObject[], name = 'Items'): INode {
	return node({ name, type: ITEMS_NODE_TYPE, parameters: { items: JSON.stringify(items) } });
}

/** Connects the nodes in sequence (main output 0 → main input 0) and positions them. */
export function chain(...nodes: INode[]): { nodes: INode[]; connections: IConnections } {
	const connections: IConnections = {};
	nodes.forEach((n, i) => {
		n.position = [i * 200, 0];
		const next = nodes[i + 1];
		if (next) connections[n.name] = { main: [[{ node: next.name, type: 'main', index: 0 }]] };
	});
	return { nodes, connections };
}

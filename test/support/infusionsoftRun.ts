import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { CloudElementsApi } from '../../credentials/CloudElementsApi.credentials';
import { InfusionsoftCrmOAuth2Api } from '../../credentials/InfusionsoftCrmOAuth2Api.credentials';
import { InfusionsoftCrm } from '../../nodes/InfusionsoftCrm/InfusionsoftCrm.node';
import { RESOURCES } from '../../nodes/InfusionsoftCrm/actions/registry';
import { EXAMPLE, type Sandbox } from '../../sandbox';
import {
	chain,
	itemsNode,
	manualTrigger,
	node,
	runWorkflow,
	type LoadOptionsRequest,
	type WorkflowRunResult,
} from '../harness';

export const NODE_TYPE = 'n8n-nodes-infusionsoft-crm.infusionsoftCrm';
export const NODE_NAME = 'Infusionsoft CRM';

/** Every secret the node is handed; none may appear in outputs, errors or logs. */
export const SECRETS = [
	EXAMPLE.userSecret,
	EXAMPLE.organizationSecret,
	EXAMPLE.clientSecret,
	EXAMPLE.encryptedKey,
];

export interface Credentials {
	cloudElementsApi: IDataObject;
	infusionsoftCrmOAuth2Api: IDataObject;
}

export function credentialsFor(
	sb: Sandbox,
	overrides: Partial<{ account: IDataObject; app: IDataObject }> = {},
): Credentials {
	return {
		cloudElementsApi: {
			baseUrl: sb.apiRoot,
			userSecret: EXAMPLE.userSecret,
			organizationSecret: EXAMPLE.organizationSecret,
			...overrides.account,
		},
		infusionsoftCrmOAuth2Api: {
			clientId: EXAMPLE.clientId,
			clientSecret: EXAMPLE.clientSecret,
			callbackUrl: EXAMPLE.callbackUrl,
			server: EXAMPLE.server,
			encryptedKey: EXAMPLE.encryptedKey,
			...overrides.app,
		},
	};
}

export interface NodeRun extends WorkflowRunResult {
	/** The node's main output. */
	items: INodeExecutionData[];
	/** Everything a user can see of the run: outputs, the error and the logs. */
	visible: string;
}

/**
 * What the editor sends to load one of the node's lists (a dropdown, From List, a resource
 * mapper's fields): a new node (version 2) with `parameters` and the Cloud Elements credential.
 * Pass it to the harness's loadOptions, listSearch or resourceMapperFields.
 */
export function editorRequest(
	sb: Sandbox,
	parameters: IDataObject,
	parameter: string,
): LoadOptionsRequest {
	return {
		nodeTypes: { [NODE_TYPE]: InfusionsoftCrm },
		credentialTypes: [CloudElementsApi],
		credentials: credentialsFor(sb) as unknown as LoadOptionsRequest['credentials'],
		node: {
			name: NODE_NAME,
			type: NODE_TYPE,
			typeVersion: 2,
			credentials: ['cloudElementsApi'],
			parameters,
		},
		parameter,
	};
}

/** Runs Manual Trigger → Items → Infusionsoft CRM through n8n's execution engine. */
export async function runNode(
	sb: Sandbox,
	{
		parameters,
		items = [{}],
		continueOnFail = false,
		credentials = credentialsFor(sb),
		nodeCredentials = ['cloudElementsApi', 'infusionsoftCrmOAuth2Api'],
		typeVersion = 1,
	}: {
		parameters: IDataObject;
		items?: IDataObject[];
		continueOnFail?: boolean;
		credentials?: Credentials;
		/** The credentials selected on the node. */
		nodeCredentials?: string[];
		/** 1: a node saved before the Element field (the legacy element by default); 2: a new node (Keap REST). */
		typeVersion?: number;
	},
): Promise<NodeRun> {
	const result = await runWorkflow({
		nodeTypes: { [NODE_TYPE]: InfusionsoftCrm },
		credentialTypes: [CloudElementsApi, InfusionsoftCrmOAuth2Api],
		credentials: credentials as unknown as Record<string, IDataObject> as never,
		workflow: chain(
			manualTrigger(),
			itemsNode(items),
			node({
				name: NODE_NAME,
				type: NODE_TYPE,
				parameters,
				typeVersion,
				credentials: nodeCredentials,
				...(continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
			}),
		),
	});
	const output = result.outputOf(NODE_NAME);
	const visible = JSON.stringify({
		output,
		error: result.error,
		task: result.taskOf(NODE_NAME)?.error,
		logs: result.logText,
	});
	return Object.assign(result, { items: output, visible });
}

export function expectNoSecrets(run: NodeRun, extra: string[] = []): void {
	for (const secret of [...SECRETS, ...extra]) {
		for (const form of [secret, encodeURIComponent(secret)]) {
			if (run.visible.includes(form)) {
				throw new Error(`A secret leaked into what the user sees: ${form.slice(0, 4)}…`);
			}
		}
	}
}

/** The platform calls the sandbox received, without the consent page and control calls. */
export function apiCalls(sb: Sandbox) {
	return sb.requests.filter((r) => r.path.startsWith('/elements/api-v2'));
}

/**
 * How a run refuses a legacy instance (item 0) for an operation that works through Keap REST
 * alone: the operation named by its action, as openHub words it.
 */
export function legacyRefusal(resource: string, operation: string, instanceId: number): string {
	const action = RESOURCES.find((r) => r.name === resource)?.operations[operation]?.option.action;
	if (!action) throw new Error(`No operation ${resource}/${operation}`);
	return `"${action}" works through Keap REST instances only; instance ${instanceId} is Infusionsoft CRM (legacy, needs the Encrypted Key) [item 0]`;
}

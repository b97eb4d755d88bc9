import { ExecutionLifecycleHooks, LoadOptionsContext } from 'n8n-core';
import {
	NodeHelpers,
	Workflow,
	type ICredentialDataDecryptedObject,
	type INodeParameters,
	type INodePropertyOptions,
	type IWorkflowBase,
} from 'n8n-workflow';

import { HarnessCredentialTypes, HarnessCredentialsHelper } from './credentialsHelper';
import { node as buildNode, type NodeSpec } from './harnessNodes';
import {
	buildAdditionalData,
	HarnessNodeTypes,
	instantiate,
	type RunWorkflowOptions,
} from './runWorkflow';

export interface LoadOptionsRequest {
	nodeTypes: NonNullable<RunWorkflowOptions['nodeTypes']>;
	credentialTypes?: RunWorkflowOptions['credentialTypes'];
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** The node as the editor has it: its type, version, credentials and current parameters. */
	node: NodeSpec;
	/** The parameter whose list is loaded, e.g. 'stageId'. */
	parameter: string;
}

/**
 * What the editor's dropdown of `parameter` lists: as n8n's server answers the editor (its
 * dynamic node parameters service), the node type's `loadOptionsMethod` called on n8n-core's
 * real `LoadOptionsContext`, with the node's current parameters and its credentials resolved.
 */
export async function loadOptions(request: LoadOptionsRequest): Promise<INodePropertyOptions[]> {
	const nodeTypes = new HarnessNodeTypes(
		Object.fromEntries(Object.entries(request.nodeTypes).map(([k, t]) => [k, instantiate(t)])),
	);
	const credentialsHelper = new HarnessCredentialsHelper(
		new HarnessCredentialTypes((request.credentialTypes ?? []).map((t) => instantiate(t))),
		structuredClone(request.credentials ?? {}),
	);
	const node = buildNode(request.node);
	const nodeType = nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	const property = nodeType.description.properties
		.flatMap((p) => [p, ...((p.options ?? []) as Array<typeof p>)])
		.find((p) => p.name === request.parameter && p.typeOptions?.loadOptionsMethod);
	const method = property?.typeOptions?.loadOptionsMethod;
	const load = method ? nodeType.methods?.loadOptions?.[method] : undefined;
	if (!method || !load)
		throw new Error(`${request.parameter} has no loadOptionsMethod the node offers`);
	// As n8n does: the parameters the editor sends, completed with the description's defaults.
	const parameters =
		NodeHelpers.getNodeParameters(
			nodeType.description.properties,
			node.parameters,
			true,
			false,
			node,
			nodeType.description,
		) ?? ({} as INodeParameters);
	const workflow = new Workflow({
		nodes: [{ ...node, parameters }],
		connections: {},
		active: false,
		nodeTypes,
	});
	const workflowData = {
		id: 'load-options',
		nodes: [node],
		connections: {},
	} as unknown as IWorkflowBase;
	const additionalData = buildAdditionalData(
		credentialsHelper,
		new ExecutionLifecycleHooks('internal', 'load-options', workflowData),
		'load-options',
		workflowData.id,
	);
	additionalData.currentNodeParameters = parameters;
	const context = new LoadOptionsContext(
		workflow,
		workflow.getNode(node.name)!,
		additionalData,
		`parameters.${request.parameter}`,
	);
	return await load.call(context);
}

import { ExecutionLifecycleHooks, LoadOptionsContext } from 'n8n-core';
import {
	NodeHelpers,
	Workflow,
	type ICredentialDataDecryptedObject,
	type INodeListSearchResult,
	type INodeParameters,
	type INodeProperties,
	type INodePropertyOptions,
	type INodeType,
	type IWorkflowBase,
	type ResourceMapperFields,
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
	/** The parameter whose list is loaded, e.g. 'stageId' (one inside a collection, too). */
	parameter: string;
}

/** Every property of a description, those inside collections and fixed collections too. */
function allProperties(properties: readonly INodeProperties[]): INodeProperties[] {
	return properties.flatMap((p) => {
		const inner = (p.options ?? []).flatMap((option) =>
			'values' in option
				? allProperties(option.values)
				: 'type' in option
					? allProperties([option])
					: [],
		);
		return [p, ...allProperties(p.values ?? []), ...inner];
	});
}

/**
 * The method the editor calls for `request.parameter`, found as n8n's server finds it (the
 * property's `pick` names it), and the real `LoadOptionsContext` it is called on: the node's
 * current parameters completed with the description's defaults, its credentials resolved.
 */
function editorCall<M extends 'loadOptions' | 'listSearch' | 'resourceMapping'>(
	request: LoadOptionsRequest,
	kind: M,
	pick: (property: INodeProperties) => string | undefined,
) {
	const nodeTypes = new HarnessNodeTypes(
		Object.fromEntries(Object.entries(request.nodeTypes).map(([k, t]) => [k, instantiate(t)])),
	);
	const credentialsHelper = new HarnessCredentialsHelper(
		new HarnessCredentialTypes((request.credentialTypes ?? []).map((t) => instantiate(t))),
		structuredClone(request.credentials ?? {}),
	);
	const node = buildNode(request.node);
	const nodeType = nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	const method = allProperties(nodeType.description.properties)
		.filter((p) => p.name === request.parameter)
		.map(pick)
		.find((name) => name !== undefined);
	const methods = nodeType.methods?.[kind] as Record<string, unknown> | undefined;
	const load = method ? methods?.[method] : undefined;
	if (!method || typeof load !== 'function')
		throw new Error(`${request.parameter} has no ${kind} method the node offers`);
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
	return { load: load as NonNullable<NonNullable<INodeType['methods']>[M]>[string], context };
}

/**
 * What the editor's dropdown of `parameter` lists: as n8n's server answers the editor (its
 * dynamic node parameters service), the node type's `loadOptionsMethod` called on n8n-core's
 * real `LoadOptionsContext`, with the node's current parameters and its credentials resolved.
 */
export async function loadOptions(request: LoadOptionsRequest): Promise<INodePropertyOptions[]> {
	const { load, context } = editorCall(
		request,
		'loadOptions',
		(p) => p.typeOptions?.loadOptionsMethod,
	);
	return await load.call(context);
}

/** A page of a resource locator's From List (its mode's `searchListMethod`), as the editor asks. */
export async function listSearch(
	request: LoadOptionsRequest & { filter?: string; paginationToken?: string },
): Promise<INodeListSearchResult> {
	const { load, context } = editorCall(
		request,
		'listSearch',
		(p) =>
			p.modes?.find((mode) => mode.typeOptions?.searchListMethod)?.typeOptions?.searchListMethod,
	);
	return await load.call(context, request.filter, request.paginationToken);
}

/** The fields of a resource mapper (its `resourceMapperMethod`), as the editor loads them. */
export async function resourceMapperFields(
	request: LoadOptionsRequest,
): Promise<ResourceMapperFields> {
	const { load, context } = editorCall(
		request,
		'resourceMapping',
		(p) => p.typeOptions?.resourceMapper?.resourceMapperMethod,
	);
	return await load.call(context);
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll } from '@jest/globals';
import { Logger } from '@n8n/backend-common';
import { InstanceSettingsConfig } from '@n8n/config';
import { Container } from '@n8n/di';
import { ExecutionLifecycleHooks, ExternalSecretsProxy, WorkflowExecute } from 'n8n-core';
import {
	LoggerProxy,
	NodeHelpers,
	UnexpectedError,
	Workflow,
	type ExecutionError,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type IConnections,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type INodeTypes,
	type IRun,
	type ITaskData,
	type IVersionedNodeType,
	type IWorkflowBase,
	type IWorkflowExecuteAdditionalData,
	type IWorkflowSettings,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import {
	HarnessCredentialTypes,
	HarnessCredentialsHelper,
	type CredentialUpdate,
} from './credentialsHelper';
import {
	HarnessItems,
	ITEMS_NODE_TYPE,
	MANUAL_TRIGGER_TYPE,
	ManualTrigger,
	OAuth2Api,
} from './harnessNodes';
import { RecordingLogger, logText, type LogEntry } from './recordingLogger';

type NodeTypeInput = INodeType | IVersionedNodeType | (new () => INodeType | IVersionedNodeType);
type CredentialTypeInput = ICredentialType | (new () => ICredentialType);

export interface RunWorkflowOptions {
	/** Node types by the `type` string the workflow's nodes use, e.g. `{ 'CUSTOM.myNode': MyNode }`. */
	nodeTypes?: Record<string, NodeTypeInput>;
	credentialTypes?: CredentialTypeInput[];
	/** Decrypted credential data by credential type name. */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	workflow: { nodes: INode[]; connections: IConnections; settings?: IWorkflowSettings };
	/** Defaults to 'manual' (what "Execute workflow" in the editor does). */
	mode?: WorkflowExecuteMode;
	/** Defaults to the workflow's trigger/start node. */
	startNode?: string;
}

export interface WorkflowRunResult {
	run: IRun;
	/**
	 * The workflow-level error (a node failed without continueOnFail), if any. As in n8n,
	 * it is a plain copy of the thrown error (`{ ...error, message, stack }`), so check
	 * `error.name` ('NodeApiError', 'NodeOperationError', ...) rather than `instanceof`.
	 */
	error?: ExecutionError;
	/** Items of a node's main output (`[]` if the node did not run or output nothing). */
	outputOf(nodeName: string, outputIndex?: number, runIndex?: number): INodeExecutionData[];
	/** The task data (timing, error, source, data) of one run of a node. */
	taskOf(nodeName: string, runIndex?: number): ITaskData | undefined;
	/** Node names in the order they finished. */
	executedNodes: string[];
	/** Everything logged during the run (engine, n8n-core, the nodes' `this.logger`); runs awaited one at a time. */
	logs: LogEntry[];
	/** `logs` serialised to one string, for `expect(result.logText).not.toContain(secret)`. */
	logText: string;
	/** Credential writes (OAuth token refresh, preAuthentication) made during the run. */
	credentialUpdates: CredentialUpdate[];
	durationMs: number;
}

/**
 * DI setup for n8n-core, done once per test file (jest gives each file its own module
 * registry, hence its own `Container`):
 * - Logger → a recording logger (also installed in n8n-workflow's LoggerProxy);
 * - InstanceSettingsConfig → a temp n8n folder (removed after the file's tests) and a
 *   fixed encryption key, so InstanceSettings does not touch ~/.n8n.
 * Everything else (OutboundHttp, ErrorReporter, InstanceSettings, ...) is n8n's own
 * service, constructed lazily by the container with its default config.
 */
function setUpContainer(): RecordingLogger {
	const logger = new RecordingLogger();
	Container.set(Logger, logger as unknown as Logger);
	LoggerProxy.init(logger);

	const n8nFolder = mkdtempSync(join(tmpdir(), 'n8n-harness-'));
	afterAll(() => rmSync(n8nFolder, { recursive: true, force: true }));
	Container.set(
		InstanceSettingsConfig,
		Object.assign(new InstanceSettingsConfig(), {
			n8nFolder,
			userHome: n8nFolder,
			encryptionKey: 'n8n-test-harness-encryption-key',
			enforceSettingsFilePermissions: false,
		}),
	);
	return logger;
}

const recorder = setUpContainer();

export class HarnessNodeTypes implements INodeTypes {
	constructor(private readonly types: Record<string, INodeType | IVersionedNodeType>) {}

	getByName(type: string): INodeType | IVersionedNodeType {
		const nodeType = this.types[type];
		if (!nodeType)
			throw new UnexpectedError(`Unknown node type "${type}" (not passed to the harness)`);
		return nodeType;
	}

	getByNameAndVersion(type: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(type), version);
	}

	getKnownTypes(): IDataObject {
		return Object.fromEntries(
			Object.entries(this.types).map(([type, t]) => [
				type,
				{ className: t.constructor.name, sourcePath: '' },
			]),
		);
	}
}

export const instantiate = <T extends object>(t: T | (new () => T)): T =>
	typeof t === 'function' ? new (t as new () => T)() : t;

let executionCounter = 0;

export function buildAdditionalData(
	credentialsHelper: HarnessCredentialsHelper,
	hooks: ExecutionLifecycleHooks,
	executionId: string,
	workflowId: string,
): IWorkflowExecuteAdditionalData {
	const baseUrl = 'http://localhost:5678';
	const unsupported = (what: string) => async () => {
		throw new UnexpectedError(`${what} is not supported by the test harness`);
	};
	return {
		credentialsHelper,
		hooks,
		executionId,
		workflowId,
		userId: 'harness-user',
		currentNodeExecutionIndex: 0,
		variables: {},
		externalSecretsProxy: new ExternalSecretsProxy(),
		restApiUrl: `${baseUrl}/rest`,
		instanceBaseUrl: `${baseUrl}/`,
		formBaseUrl: `${baseUrl}/form`,
		formWaitingBaseUrl: `${baseUrl}/form-waiting`,
		formTestBaseUrl: `${baseUrl}/form-test`,
		webhookBaseUrl: `${baseUrl}/webhook`,
		webhookWaitingBaseUrl: `${baseUrl}/webhook-waiting`,
		webhookTestBaseUrl: `${baseUrl}/webhook-test`,
		mcpBaseUrl: `${baseUrl}/mcp`,
		mcpTestBaseUrl: `${baseUrl}/mcp-test`,
		executeWorkflow: unsupported('Executing sub-workflows'),
		startRunnerTask: unsupported('Task runners (Code node)'),
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		logAiEvent: () => {},
	};
}

/**
 * Runs a workflow through n8n-core's real `WorkflowExecute` (as a manual execution
 * started from the trigger), with real credential resolution and real HTTP helpers.
 * Built-in node types: `n8n-nodes-base.manualTrigger` and `n8n-nodes-harness.items`.
 */
export async function runWorkflow(options: RunWorkflowOptions): Promise<WorkflowRunResult> {
	const firstLogIndex = recorder.entries.length;
	const mode = options.mode ?? 'manual';
	const { nodes, connections } = options.workflow;
	const settings: IWorkflowSettings = { executionOrder: 'v1', ...options.workflow.settings };

	const nodeTypes = new HarnessNodeTypes({
		[MANUAL_TRIGGER_TYPE]: new ManualTrigger(),
		[ITEMS_NODE_TYPE]: new HarnessItems(),
		...Object.fromEntries(
			Object.entries(options.nodeTypes ?? {}).map(([k, t]) => [k, instantiate(t)]),
		),
	});
	const credentialTypes = new HarnessCredentialTypes([
		new OAuth2Api(),
		...(options.credentialTypes ?? []).map((t) => instantiate(t)),
	]);
	const credentialsHelper = new HarnessCredentialsHelper(
		credentialTypes,
		structuredClone(options.credentials ?? {}),
	);

	const executionId = String(++executionCounter);
	const workflowData: IWorkflowBase = {
		id: 'harness-workflow',
		name: 'Harness workflow',
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
		id: workflowData.id,
		name: workflowData.name,
		nodes,
		connections,
		active: false,
		nodeTypes,
		settings,
		staticData: {},
	});

	const hooks = new ExecutionLifecycleHooks(mode, executionId, workflowData);
	const executedNodes: string[] = [];
	hooks.addHandler('nodeExecuteAfter', (nodeName) => {
		executedNodes.push(nodeName);
	});

	const startNode = options.startNode
		? workflow.getNode(options.startNode)
		: workflow.getStartNode();
	if (!startNode) throw new UnexpectedError('The workflow has no start node');

	const additionalData = buildAdditionalData(
		credentialsHelper,
		hooks,
		executionId,
		workflowData.id,
	);
	const startedAt = Date.now();
	const run = await new WorkflowExecute(additionalData, mode).run({ workflow, startNode });
	const durationMs = Date.now() - startedAt;

	const { runData, error } = run.data.resultData;
	const logs = recorder.entries.slice(firstLogIndex);
	return {
		run,
		error,
		taskOf: (nodeName, runIndex = 0) => runData[nodeName]?.[runIndex],
		outputOf: (nodeName, outputIndex = 0, runIndex = 0) =>
			runData[nodeName]?.[runIndex]?.data?.main?.[outputIndex] ?? [],
		executedNodes,
		logs,
		logText: logText(logs),
		credentialUpdates: credentialsHelper.updates,
		durationMs,
	};
}

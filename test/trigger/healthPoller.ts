/**
 * Runs a polling trigger the way an active n8n workflow does, with n8n-core's real parts:
 *
 *   poll() → n8n-core's `PollTriggerExecutor` (what n8n's poll job calls on every tick: the
 *   staging scope, `TriggersAndPollers.runPollFunction`, `__emit` for a result, `__commitCursor`
 *   for none, `__emitError` for a failure) with a real `PollContext` (mode 'trigger', real
 *   credential resolution and HTTP helpers) → for an emitted result, the run n8n's
 *   WorkflowRunner starts: the trigger on the execution stack with that data, then n8n-core's
 *   real WorkflowExecute in 'trigger' mode (which hands the poll node its data, as n8n does).
 *
 * Static data, as n8n 2.x keeps a poll node's:
 * - 'durable' (durable poll cursors): each poll works on a copy of the saved static data; the
 *   copy is saved with the emitted execution or after a silent poll, dropped when the poll
 *   throws. Saved as JSON, and read back for every poll (as another main process would).
 * - 'memory' (the classic path): the active Workflow's own static data, kept in memory from
 *   poll to poll; whatever a poll writes stays, even when it throws. Saved (as JSON) on emit.
 *
 * "Fetch Test Event" is the harness's `runWorkflow` in manual mode from the trigger: n8n-core's
 * WorkflowExecute calls poll() with a PollContext in mode 'manual'.
 *
 * Not reproduced: n8n's poll scheduling (cron), leases across main processes, the database.
 */
import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import {
	ExecutionLifecycleHooks,
	ExternalSecretsProxy,
	PollContext,
	PollTriggerExecutor,
	WorkflowExecute,
} from 'n8n-core';
import {
	createRunExecutionData,
	NodeHelpers,
	UnexpectedError,
	Workflow,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type INodeExecutionData,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IWorkflowBase,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { HarnessCredentialsHelper, HarnessCredentialTypes } from '../harness/credentialsHelper';
// Importing the harness sets up n8n-core's DI container (logger, instance settings).
import { runWorkflow, type LogEntry, type WorkflowRunResult } from '../harness';
import { logText, type RecordingLogger } from '../harness/recordingLogger';
import type { WebhookServerOptions } from './webhookServer';

export type StaticDataMode = 'durable' | 'memory';

/** As for a webhook trigger; `trigger` names the polling trigger. */
export interface PollerOptions extends WebhookServerOptions {
	staticData?: StaticDataMode;
}

export interface PollOutcome {
	/** What poll() emitted (one list per output), if anything. */
	emitted?: INodeExecutionData[][];
	/** What the executor reported through __emitError (n8n saves it as a failed execution). */
	error?: Error;
	/** The workflow run the emitted data started. */
	run?: IRun;
	executedNodes: string[];
	/** Everything logged during the poll and its run (engine, n8n-core, the node's `this.logger`). */
	logs: LogEntry[];
	logText: string;
}

export interface Poller {
	/** One tick of the active workflow's poll. */
	poll(): Promise<PollOutcome>;
	/** "Fetch Test Event" in the editor: a manual run of the trigger alone; `workflow`: "Execute workflow", the whole of it. */
	testEvent(scope?: 'trigger' | 'workflow'): Promise<WorkflowRunResult>;
	/** The trigger's static data as saved (JSON), e.g. to look for secrets or to check it is unchanged. */
	saved(): IDataObject;
	/** What the next poll starts from: 'memory' the live workflow's static data, 'durable' the saved copy. */
	current(): IDataObject;
	setCredentials(credentials: Record<string, ICredentialDataDecryptedObject>): void;
	setParameters(parameters: IDataObject): void;
}

function nodeTypesOf(types: Record<string, INodeType>): INodeTypes {
	const byName = (type: string) =>
		types[type] ?? raise(new UnexpectedError(`Unknown node type "${type}"`));
	return {
		getByName: byName,
		getByNameAndVersion: (type, version) => NodeHelpers.getVersionedNodeType(byName(type), version),
		getKnownTypes: () => ({}),
	};
}

function raise(error: Error): never {
	throw error;
}

/** The n8n server's addresses (expressions such as $execution.resumeUrl read them). */
const SERVER = 'http://localhost:5678';
const SERVER_URLS = {
	instanceBaseUrl: `${SERVER}/`,
	restApiUrl: `${SERVER}/rest`,
	...Object.fromEntries(
		[
			'webhook',
			'webhookWaiting',
			'webhookTest',
			'form',
			'formWaiting',
			'formTest',
			'mcp',
			'mcpTest',
		].map((name) => [
			`${name}BaseUrl`,
			`${SERVER}/${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`,
		]),
	),
};

let executions = 0;
const json = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
/** n8n's change marker on static data is not saved. */
function withoutMarker(data: IDataObject): IDataObject {
	delete data.__dataChanged;
	return data;
}

export function startPoller(options: PollerOptions): Poller {
	const mode = options.staticData ?? 'durable';
	const nodeTypes = nodeTypesOf(options.nodeTypes);
	const credentialTypes = new HarnessCredentialTypes(options.credentialTypes);
	let credentials = structuredClone(options.credentials);
	let nodes = structuredClone(options.nodes);
	/** The workflow's static data as the database has it. */
	let saved: IDataObject = {};
	let live: Workflow | undefined;
	const nodeKey = `node:${options.trigger}`;

	const workflowData = (): IWorkflowBase => ({
		id: 'poll-workflow',
		name: 'Polling workflow',
		active: true,
		isArchived: false,
		activeVersionId: null,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes,
		connections: options.connections,
		settings: { executionOrder: 'v1' },
	});
	const newWorkflow = (staticData: IDataObject) =>
		new Workflow({
			id: 'poll-workflow',
			name: 'Polling workflow',
			nodes: structuredClone(nodes),
			connections: options.connections,
			active: true,
			nodeTypes,
			settings: { executionOrder: 'v1' },
			staticData,
		});

	/** What a poll and the run it starts need of n8n's server: credentials, and hooks for the run. */
	const serverData = (executionId: string): IWorkflowExecuteAdditionalData =>
		({
			credentialsHelper: new HarnessCredentialsHelper(
				credentialTypes,
				structuredClone(credentials),
			),
			hooks: new ExecutionLifecycleHooks('trigger', executionId, workflowData()),
			executionId,
			workflowId: 'poll-workflow',
			userId: 'poll-user',
			currentNodeExecutionIndex: 0,
			variables: {},
			externalSecretsProxy: new ExternalSecretsProxy(),
			getRunExecutionData: async () => undefined,
			logAiEvent: () => {},
			...SERVER_URLS,
		}) as unknown as IWorkflowExecuteAdditionalData;

	async function poll(): Promise<PollOutcome> {
		// The classic path keeps one Workflow while the workflow is active; the durable one reads the database each time.
		const workflow =
			mode === 'memory' ? (live ??= newWorkflow(json(saved))) : newWorkflow(json(saved));
		const node = workflow.getNode(options.trigger)!;
		const data = serverData(String(++executions));
		const recorder = Container.get(Logger) as unknown as RecordingLogger;
		const firstLog = recorder.entries.length;
		const outcome: PollOutcome = { executedNodes: [], logs: [], logText: '' };
		let staged: IDataObject | undefined;
		const commit = () => {
			if (mode === 'durable') saved = { ...saved, [nodeKey]: json(staged ?? {}) };
			else saved = withoutMarker(json(workflow.staticData));
		};
		let started: Promise<void> | undefined;
		const emit = (emitted: INodeExecutionData[][]) => {
			outcome.emitted = emitted;
			commit();
			data.hooks!.addHandler('nodeExecuteAfter', (name) => {
				outcome.executedNodes.push(name);
			});
			const runData = createRunExecutionData({
				executionData: { nodeExecutionStack: [{ node, data: { main: emitted }, source: null }] },
			});
			started = (async () => {
				outcome.run = await new WorkflowExecute(data, 'trigger', runData).processRunExecutionData(
					workflow,
				);
			})();
		};
		const context =
			mode === 'durable'
				? new PollContext(
						workflow,
						node,
						data,
						'trigger',
						'activate',
						emit,
						(error) => (outcome.error = error),
						async () => commit(),
						async (run) => {
							staged = json((saved[nodeKey] as IDataObject | undefined) ?? {});
							return await run();
						},
						() => staged!,
					)
				: new PollContext(
						workflow,
						node,
						data,
						'trigger',
						'activate',
						emit,
						(error) => (outcome.error = error),
					);
		await Container.get(PollTriggerExecutor).create(workflow, node, context, () => true)(false);
		await started;
		outcome.logs = recorder.entries.slice(firstLog);
		outcome.logText = logText(outcome.logs);
		return outcome;
	}

	return {
		poll,
		testEvent: async (scope = 'trigger') =>
			await runWorkflow({
				nodeTypes: options.nodeTypes,
				credentialTypes: options.credentialTypes,
				credentials,
				workflow:
					scope === 'workflow'
						? { nodes: structuredClone(nodes), connections: options.connections }
						: {
								nodes: structuredClone(nodes.filter((n) => n.name === options.trigger)),
								connections: {},
							},
				startNode: options.trigger,
			}),
		saved: () => json((saved[nodeKey] as IDataObject | undefined) ?? {}),
		current: () =>
			withoutMarker(
				json(
					mode === 'memory' && live
						? ((live.staticData[nodeKey] as IDataObject | undefined) ?? {})
						: ((saved[nodeKey] as IDataObject | undefined) ?? {}),
				),
			),
		setCredentials: (next) => {
			credentials = structuredClone(next);
		},
		setParameters: (parameters) => {
			nodes = nodes.map((n) =>
				n.name === options.trigger ? { ...n, parameters: { ...n.parameters, ...parameters } } : n,
			);
			if (live) live = newWorkflow(json(live.staticData));
		},
	};
}

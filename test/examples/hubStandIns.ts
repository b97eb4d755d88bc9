import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type ITriggerResponse,
} from 'n8n-workflow';

/**
 * The n8n core nodes examples/contacts-changed-since-last-run.json uses besides Manual Trigger,
 * as far as it uses them, for running it through n8n-core's engine in jest (n8n-nodes-base is
 * not a dependency here). Expressions are resolved by the engine; the Code node's JavaScript is
 * the file's own, run with n8n's data proxy (`$`, `$json`, …) the way the Code node builds its
 * sandbox. The e2e (e2e/hub.js) runs the same file in real n8n 2.x and 1.x with the real nodes.
 */

/** Schedule Trigger: present so that the workflow loads; the tests start at the Manual Trigger twin. */
export class ScheduleTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Schedule Trigger',
		name: 'scheduleTrigger',
		group: ['trigger', 'schedule'],
		version: [1, 1.1, 1.2],
		description: 'Triggers the workflow on a given schedule',
		defaults: { name: 'Schedule Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName: 'Trigger Rules',
				name: 'rule',
				type: 'fixedCollection',
				default: {},
				options: [],
			},
		],
	};

	async trigger(): Promise<ITriggerResponse> {
		return {};
	}
}

/** Sticky Note: no inputs or outputs, never runs. */
export class StickyNote implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Sticky Note',
		name: 'stickyNote',
		group: ['input'],
		version: 1,
		description: 'Make your workflow easier to understand',
		defaults: { name: 'Sticky Note' },
		inputs: [],
		outputs: [],
		properties: [
			{ displayName: 'Content', name: 'content', type: 'string', default: '' },
			{ displayName: 'Height', name: 'height', type: 'number', default: 160 },
			{ displayName: 'Width', name: 'width', type: 'number', default: 240 },
		],
	};
}

const IDENTIFIER = /^[$A-Za-z_][$\w]*$/;
const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor as new (
	...args: string[]
) => (...values: unknown[]) => Promise<unknown>;

/**
 * Code (n8n-nodes-base.code) version 2, JavaScript, "Run Once for All Items". The code runs with
 * n8n-workflow's data proxy of item 0, as the Code node's sandbox has it, and
 * `$getWorkflowStaticData`. `staticData` plays n8n's database: n8n loads a workflow's static data
 * before a run and saves it after every production (non-manual) run; the harness's engine makes a
 * fresh workflow for every run, so the store is kept here, across runs.
 */
export function codeNode(staticData: Record<string, IDataObject>): INodeType {
	return {
		description: {
			displayName: 'Code',
			name: 'code',
			group: ['transform'],
			version: [2],
			description: 'Run custom JavaScript code',
			defaults: { name: 'Code' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			properties: [
				{
					displayName: 'Mode',
					name: 'mode',
					type: 'options',
					default: 'runOnceForAllItems',
					options: [{ name: 'Run Once for All Items', value: 'runOnceForAllItems' }],
				},
				{ displayName: 'JavaScript', name: 'jsCode', type: 'string', default: '' },
			],
		},
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			const proxy = this.getWorkflowDataProxy(0) as unknown as Record<string, unknown>;
			const sandbox: Record<string, unknown> = {
				...Object.fromEntries(Object.entries(proxy).filter(([name]) => IDENTIFIER.test(name))),
				$getWorkflowStaticData: (type: string) => (staticData[type] ??= {}),
			};
			const code = this.getNodeParameter('jsCode', 0) as string;
			let result: unknown;
			try {
				result = await new AsyncFunction(...Object.keys(sandbox), code)(...Object.values(sandbox));
			} catch (error) {
				throw new NodeOperationError(this.getNode(), error as Error);
			}
			if (!Array.isArray(result))
				throw new NodeOperationError(this.getNode(), "Code doesn't return items properly");
			return [
				result.map((entry: { json: IDataObject }, index) => ({
					json: entry.json,
					pairedItem: { item: index },
				})),
			];
		},
	};
}

export { SetNode } from './coreNodes';

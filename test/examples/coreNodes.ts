import {
	NodeConnectionTypes,
	NodeOperationError,
	validateFieldType,
	type AssignmentCollectionValue,
	type FieldType,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

/**
 * The two n8n core nodes the example workflows use besides triggers, as far as the examples use
 * them, for running the examples through n8n-core's engine in jest (n8n-nodes-base is not a
 * dependency of this package). What decides the outcome is n8n's own code: expressions are
 * resolved by the engine, the IF conditions are evaluated by n8n-workflow's filter
 * (`getNodeParameter(…, { extractValue: true })`, as IF v2 does) and Set's types are checked
 * with n8n-workflow's `validateFieldType`, as Set 3.4 does. The e2e runs the same examples in a
 * real n8n with the real nodes.
 */

/** IF (n8n-nodes-base.if) version 2: output 0 "true", output 1 "false". */
export class IfNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'If',
		name: 'if',
		group: ['transform'],
		version: [2, 2.1, 2.2],
		description: 'Route items to different branches (true/false)',
		defaults: { name: 'If' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['true', 'false'],
		properties: [
			{ displayName: 'Conditions', name: 'conditions', type: 'filter', default: {} },
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				default: {},
				options: [
					{ displayName: 'Ignore Case', name: 'ignoreCase', type: 'boolean', default: true },
				],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const trueItems: INodeExecutionData[] = [];
		const falseItems: INodeExecutionData[] = [];
		this.getInputData().forEach((item, itemIndex) => {
			const pass = this.getNodeParameter('conditions', itemIndex, false, {
				extractValue: true,
			}) as boolean;
			if (item.pairedItem === undefined) item.pairedItem = { item: itemIndex };
			(pass ? trueItems : falseItems).push(item);
		});
		return [trueItems, falseItems];
	}
}

/**
 * Set (n8n-nodes-base.set) 3.4, manual mode ("Fields to Set"), "Include Other Input Fields" all or
 * none. Types are checked with n8n-workflow's `validateFieldType`, as Set 3.4 does.
 */
export class SetNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Edit Fields (Set)',
		name: 'set',
		group: ['input'],
		version: [3.3, 3.4],
		description: 'Modify, add, or remove item fields',
		defaults: { name: 'Edit Fields' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName: 'Mode',
				name: 'mode',
				type: 'options',
				default: 'manual',
				options: [{ name: 'Manual Mapping', value: 'manual' }],
			},
			{
				displayName: 'Fields to Set',
				name: 'assignments',
				type: 'assignmentCollection',
				default: {},
			},
			{
				displayName: 'Include Other Input Fields',
				name: 'includeOtherFields',
				type: 'boolean',
				default: false,
			},
			{ displayName: 'Options', name: 'options', type: 'collection', default: {}, options: [] },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [
			this.getInputData().map((item, itemIndex) => {
				const keep = this.getNodeParameter('includeOtherFields', itemIndex, false) === true;
				const { assignments = [] } = this.getNodeParameter(
					'assignments',
					itemIndex,
				) as AssignmentCollectionValue;
				const json: IDataObject = keep ? structuredClone(item.json) : {};
				for (const { name, value, type } of assignments) {
					json[name] = typed(
						this,
						name,
						value,
						(type ?? 'string') as FieldType,
						itemIndex,
					) as IDataObject[string];
				}
				return { json, pairedItem: { item: itemIndex } };
			}),
		];
	}
}

/** Set 3.4's type check of one field: null stays null, strings are made from anything, the rest is validated. */
function typed(
	ctx: IExecuteFunctions,
	name: string,
	value: unknown,
	type: FieldType,
	itemIndex: number,
): unknown {
	if (value === undefined || value === null) return null;
	let input = value;
	if (type === 'string') input = typeof value === 'object' ? JSON.stringify(value) : String(value);
	const result = validateFieldType(name, input, type);
	if (!result.valid) {
		throw new NodeOperationError(
			ctx.getNode(),
			`${result.errorMessage ?? 'Error'} [item ${itemIndex}]`,
			{ itemIndex },
		);
	}
	return result.newValue;
}

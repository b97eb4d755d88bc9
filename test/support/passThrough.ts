import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

/**
 * A node that outputs its input: stands for what n8n-nodes-base would do in a workflow
 * (send an email, store a value, notify someone), which is not a dependency here.
 */
export class PassThrough implements INodeType {
	description: INodeTypeDescription;

	constructor({
		name = 'passThrough',
		version = 1,
	}: { name?: string; version?: number | number[] } = {}) {
		this.description = {
			displayName: 'Pass Through',
			name,
			group: ['transform'],
			version,
			description: 'Outputs its input',
			defaults: { name: 'Pass Through' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			properties: [],
		};
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

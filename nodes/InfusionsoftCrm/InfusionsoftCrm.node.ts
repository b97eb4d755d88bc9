import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as instance from './actions/instance';
import * as oauth from './actions/oauth';
import { router } from './actions/router';
import { infusionsoftCrmOAuth2ApiTest } from './methods/credentialTest';
import { requestOptionsField } from './shared/descriptions';

export class InfusionsoftCrm implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Infusionsoft CRM (Cloud Elements)',
		name: 'infusionsoftCrm',
		icon: { light: 'file:infusionsoftCrm.svg', dark: 'file:infusionsoftCrm.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Provision Infusionsoft (Keap) CRM connections through Cloud Elements or SAP Open Connectors',
		defaults: { name: 'Infusionsoft CRM' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'cloudElementsApi',
				required: true,
				displayOptions: { hide: { operation: ['parseCallback'] } },
			},
			{
				name: 'infusionsoftCrmOAuth2Api',
				required: true,
				testedBy: 'infusionsoftCrmOAuth2ApiTest',
				// Only the operations that use the app's client ID and secret ask for it.
				displayOptions: { show: { operation: ['getOAuthUrl', 'parseCallback', 'create', 'reauthenticate'] } },
			},
		],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'OAuth', value: 'oauth' },
					{ name: 'Instance', value: 'instance' },
				],
				default: 'oauth',
			},
			...oauth.description,
			...instance.description,
			requestOptionsField,
		],
	};

	methods = {
		credentialTest: { infusionsoftCrmOAuth2ApiTest },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}

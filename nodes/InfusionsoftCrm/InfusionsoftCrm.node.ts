import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { requestOptionsField } from '../../lib/params/requestOptions';
import { infusionsoftCrmOAuth2ApiTest } from '../../lib/security/appCredentialTest';
import { ACCOUNT_CREDENTIAL, APP_CREDENTIAL } from '../../lib/security/credentials';
import { credentialDisplay } from './actions/resource';
import { RESOURCES } from './actions/registry';
import { router } from './actions/router';
import { getStages, getTags } from './methods/keapLists';
import { searchInstances } from './methods/listSearch';
import { getProducts } from './methods/products';
import { getRecordFields, getRecordFilterFields, getRecordObjects } from './methods/records';
import { getUsers } from './methods/users';

export class InfusionsoftCrm implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Infusionsoft CRM (Cloud Elements)',
		name: 'infusionsoftCrm',
		icon: { light: 'file:infusionsoftCrm.svg', dark: 'file:infusionsoftCrm.dark.svg' },
		group: ['transform'],
		// Version 2 starts new nodes on Keap REST; version 1 (saved before the Element field) keeps the seeds' element.
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Provision Keap (Infusionsoft) connections through Cloud Elements or SAP Open Connectors, and read and write each connected customer’s contacts, companies, notes, tasks, tags, opportunities, products, orders, emails and files',
		defaults: { name: 'Infusionsoft CRM' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// Each credential is shown for the operations that declare it.
		credentials: [
			{
				name: ACCOUNT_CREDENTIAL,
				// Without a label of its own, n8n names both fields "Credential".
				displayName: 'Cloud Elements Account',
				required: true,
				displayOptions: credentialDisplay(RESOURCES, 'account'),
			},
			{
				name: APP_CREDENTIAL,
				displayName: 'Infusionsoft App',
				required: true,
				testedBy: 'infusionsoftCrmOAuth2ApiTest',
				displayOptions: credentialDisplay(RESOURCES, 'app'),
			},
		],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: RESOURCES.map((resource) => ({
					name: resource.displayName,
					value: resource.name,
				})),
				default: 'oauth',
			},
			...RESOURCES.flatMap((resource) => resource.description),
			requestOptionsField,
		],
	};

	methods = {
		credentialTest: { infusionsoftCrmOAuth2ApiTest },
		listSearch: { searchInstances },
		loadOptions: {
			getUsers,
			getProducts,
			getTags,
			getStages,
			getRecordObjects,
			getRecordFilterFields,
		},
		resourceMapping: { getRecordFields },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}

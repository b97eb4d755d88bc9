import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { authorizationHeader, secretProblems } from '../lib/security/account';
import { sentForm } from '../lib/security/redact';

export class CloudElementsApi implements ICredentialType {
	name = 'cloudElementsApi';

	displayName = 'Cloud Elements API';

	icon = 'file:../nodes/InfusionsoftCrm/infusionsoftCrm.svg' as const;

	documentationUrl =
		'https://github.com/n8n-nodes-infusionsoft-crm/n8n-nodes-infusionsoft-crm#cloud-elements-api-credential';

	properties: INodeProperties[] = [
		{
			displayName: 'API Root',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.cloud-elements.com/elements/api-v2',
			placeholder: 'https://api.cloud-elements.com/elements/api-v2',
			required: true,
			description:
				'The platform API root. EU: https://api.cloud-elements.co.uk/elements/api-v2. SAP Open Connectors: https://api.openconnectors.&lt;region&gt;.ext.hana.ondemand.com/elements/api-v2. A trailing slash or a missing /elements/api-v2 is fine.',
		},
		{
			displayName: 'User Secret',
			name: 'userSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'In Cloud Elements or Open Connectors, open the account menu (your name) → Settings: "User Secret". Sent as "User &lt;secret&gt;" in the Authorization header.',
		},
		{
			displayName: 'Organization Secret',
			name: 'organizationSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'In Cloud Elements or Open Connectors, open the account menu → Settings: "Organization Secret". Sent as "Organization &lt;secret&gt;" in the Authorization header.',
		},
		{
			displayName: 'Event Signature Key',
			name: 'eventSignatureSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Optional. A key you choose (at least 8 characters; 32 random ones are better). Instances whose events are signed get it in their configuration, the platform signs each notification with it, and the Events Trigger refuses any notification not signed with it. Never sent anywhere else.',
		},
	];

	// The node's transport builds the same header from the same function. Secrets a run refuses
	// are refused here too, by name, so the Test button does not answer a bare "Unauthorized".
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const problems = secretProblems({
			userSecret: sentForm(credentials.userSecret),
			organizationSecret: sentForm(credentials.organizationSecret),
			eventSignatureKey:
				typeof credentials.eventSignatureSecret === 'string'
					? credentials.eventSignatureSecret.trim()
					: '',
		});
		if (problems.length > 0)
			throw new Error(
				`${problems.join('; ')}. Fix ${problems.length === 1 ? 'this field' : 'these fields'} and test again.`,
			);
		return {
			...requestOptions,
			headers: { ...requestOptions.headers, Authorization: authorizationHeader(credentials) },
		};
	}

	// GET /instances answers 404 on an account with no instances, so the test reads the element instead.
	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{$credentials.baseUrl.trim().replace(/\\/+$/, "").replace(/\\/elements\\/api-v2$/, "") + "/elements/api-v2"}}',
			url: '/elements/infusionsoftcrm',
			method: 'GET',
		},
	};
}

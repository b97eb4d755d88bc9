import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * The Infusionsoft OAuth app that Cloud Elements uses to authorize the connection.
 * Not an n8n-managed OAuth2 credential: the platform runs the token exchange, so n8n only
 * holds the app's settings (mapped to the element's configuration keys in the hints).
 */
export class InfusionsoftCrmOAuth2Api implements ICredentialType {
	name = 'infusionsoftCrmOAuth2Api';

	displayName = 'Infusionsoft CRM OAuth2 API';

	icon = 'file:../nodes/InfusionsoftCrm/infusionsoftCrm.svg' as const;

	documentationUrl =
		'https://github.com/n8n-nodes-infusionsoft-crm/n8n-nodes-infusionsoft-crm#infusionsoft-crm-oauth2-api-credential';

	properties: INodeProperties[] = [
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description:
				'The client_id of your app: Infusionsoft developer account → your app. Sent to Cloud Elements as oauth.api.key (apiKey when asking for the OAuth URL).',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The client_secret of your app: Infusionsoft developer account → your app. Sent as oauth.api.secret (apiSecret when asking for the OAuth URL).',
		},
		{
			displayName: 'Callback URL',
			name: 'callbackUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://your-n8n.example.com/webhook/infusionsoft-crm/callback',
			description:
				'The "Register Callback URL" of your app: Infusionsoft developer account → Applications → Edit. Must match it exactly. With the OAuth Callback Trigger, use its production webhook URL. Sent as oauth.callback.url (callbackUrl).',
		},
		{
			displayName: 'Infusionsoft Server',
			name: 'server',
			type: 'string',
			default: '',
			placeholder: 'dt123.infusionsoft.com',
			description:
				'Only for the legacy Infusionsoft CRM element (infusionsoftcrm): the host of your Infusionsoft account URL, e.g. dt123.infusionsoft.com (https://dt123.infusionsoft.com works too). Sent as infusionsoft.server. Keap REST does not use it: leave it empty.',
		},
		// eslint-disable-next-line @n8n/community-nodes/credential-unnecessary-password -- the Encrypted Key is an API secret (infusionsoft.private.key)
		{
			displayName: 'Encrypted Key',
			name: 'encryptedKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Only for the legacy Infusionsoft CRM element (infusionsoftcrm): Infusionsoft → Admin → Settings → Application → API section, "Encrypted Key". Sent as infusionsoft.private.key. Keap retired this key; Keap REST does not use it: leave it empty.',
		},
	];
}

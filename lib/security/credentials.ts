import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** The package's two credentials, by the type names their classes declare. */
export const ACCOUNT_CREDENTIAL = 'cloudElementsApi';
export const APP_CREDENTIAL = 'infusionsoftCrmOAuth2Api';

type CredentialType = typeof ACCOUNT_CREDENTIAL | typeof APP_CREDENTIAL;

export const CREDENTIAL_NAMES: Record<CredentialType, string> = {
	[ACCOUNT_CREDENTIAL]: 'Cloud Elements API',
	[APP_CREDENTIAL]: 'Infusionsoft CRM OAuth2 API',
};

/** What reading a credential needs of n8n: any node context (execution, poll, hook, webhook, list search). */
export type CredentialContext = Pick<IExecuteFunctions, 'getCredentials' | 'getNode'>;

/** A credential the node has selected; n8n's own errors (not found, not decryptable) go through as they are. */
export async function credentialData(
	ctx: CredentialContext,
	type: CredentialType,
): Promise<IDataObject> {
	if (!ctx.getNode().credentials?.[type]) {
		throw new NodeOperationError(
			ctx.getNode(),
			`The ${CREDENTIAL_NAMES[type]} credential is not set`,
			{
				description: `Select or create a "${CREDENTIAL_NAMES[type]}" credential on this node.`,
			},
		);
	}
	return (await ctx.getCredentials(type)) as IDataObject;
}

/** The words for fields `read` found wrong; this advice unless the caller knows better. */
export const FIX_THE_FIELDS = 'Open the credential and fix the fields named above.';

import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IDataObject,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { readApp } from './app';

/**
 * Infusionsoft has no call that checks an app's client secret by itself, and the platform
 * checks it only when a code is exchanged: so this test checks that the fields are usable.
 */
export async function infusionsoftCrmOAuth2ApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	// Every field that is set must be usable; Server and Encrypted Key only the legacy element needs.
	const { problems } = readApp((credential.data ?? {}) as IDataObject);
	if (problems.length > 0) {
		return { status: 'Error', message: problems.map((problem) => problem.message).join('; ') };
	}
	return {
		status: 'OK',
		message:
			'The fields are complete. Infusionsoft checks the client ID and secret when a code is exchanged.',
	};
}

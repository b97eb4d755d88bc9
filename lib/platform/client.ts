import type { RetryPolicy } from '../params/requestOptions';
import { DEFAULT_RETRY_POLICY } from '../params/requestOptions';
import type { CloudElementsAccount } from '../security/account';
import { accountSecrets, readAccountCredential, unusableAccount } from '../security/account';
import type { CredentialContext } from '../security/credentials';
import { Redactor } from '../security/redact';
import type { Platform, TransportContext } from './cloudElements';
import { CloudElementsTransport } from './cloudElements';

/** The account's door, and what every error of it is redacted with. */
export interface Client {
	readonly account: CloudElementsAccount;
	/** One per execution or poll: its pacer is shared by every call made through it. */
	readonly transport: CloudElementsTransport;
	/** The account's secrets. */
	readonly redactor: Redactor;
	/** The door for calls that belong to no item (a trigger's, the editor's list): item 0. */
	readonly platform: Platform;
}

/** The client of an account already read; `openClient` for everyone who has not read it yet. */
export function clientOf(
	ctx: TransportContext,
	account: CloudElementsAccount,
	policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Client {
	const transport = new CloudElementsTransport(ctx, account, policy);
	const redactor = new Redactor(accountSecrets(account));
	return { account, transport, redactor, platform: transport.forItem(0, redactor) };
}

/**
 * Opens a client from the node's Cloud Elements API credential: the one way every node,
 * trigger and list search reaches the platform. A credential with a problem is refused, by
 * field, before anything is sent.
 */
export async function openClient(
	ctx: TransportContext & CredentialContext,
	policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<Client> {
	const { account, problems } = await readAccountCredential(ctx);
	if (problems.length > 0) throw unusableAccount(ctx.getNode(), problems);
	return clientOf(ctx, account, policy);
}

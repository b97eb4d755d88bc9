import type { IDataObject, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { isHttpUrl, normalizeApiRoot } from './apiRoot';
import type { CredentialContext } from './credentials';
import { ACCOUNT_CREDENTIAL, credentialData, FIX_THE_FIELDS } from './credentials';
import { MIN_SECRET_LENGTH, secretNotPrintable, secretTooShort, sentForm } from './redact';

/** The Cloud Elements account, read from the Cloud Elements API credential. */
export interface CloudElementsAccount {
	/** Whole: `https://host/elements/api-v2`, no trailing slash. */
	apiRoot: string;
	userSecret: string;
	organizationSecret: string;
	/** Empty when not set: events are then unsigned. */
	eventSignatureKey: string;
}

export interface AccountSecrets {
	userSecret?: unknown;
	organizationSecret?: unknown;
}

/**
 * The one Authorization header of the platform: the credential's `authenticate` (used by
 * n8n's credential test) and the node's transport both build it here. Hub calls through an
 * instance add its token.
 */
export function authorizationHeader(secrets: AccountSecrets, elementToken?: string): string {
	const header = `User ${sentForm(secrets.userSecret)}, Organization ${sentForm(secrets.organizationSecret)}`;
	return elementToken ? `${header}, Element ${elementToken}` : header;
}

/** Reads the credential and lists what is wrong with it, field by field, in the UI's words. */
export function readAccount(data: IDataObject): {
	account: CloudElementsAccount;
	problems: string[];
} {
	const baseUrl = typeof data.baseUrl === 'string' ? data.baseUrl : '';
	const account: CloudElementsAccount = {
		apiRoot: normalizeApiRoot(baseUrl),
		userSecret: sentForm(data.userSecret),
		organizationSecret: sentForm(data.organizationSecret),
		eventSignatureKey:
			typeof data.eventSignatureSecret === 'string' ? data.eventSignatureSecret.trim() : '',
	};
	const problems: string[] = [];
	if (!baseUrl.trim()) problems.push('API Root is empty');
	else if (!isHttpUrl(account.apiRoot)) problems.push('API Root is not an http(s) URL');
	problems.push(...secretProblems(account));
	return { account, problems };
}

/** What is wrong with the account's secrets, by field: what both a run and the credential's Test button refuse. */
export function secretProblems(
	account: Pick<CloudElementsAccount, 'userSecret' | 'organizationSecret' | 'eventSignatureKey'>,
): string[] {
	const problems: string[] = [];
	for (const [label, value] of [
		['User Secret', account.userSecret],
		['Organization Secret', account.organizationSecret],
	] as const) {
		if (!value) problems.push(`${label} is empty`);
		else if (secretTooShort(value))
			problems.push(
				`${label} is shorter than ${MIN_SECRET_LENGTH} characters, which no platform secret is`,
			);
		else if (secretNotPrintable(value)) problems.push(notPrintable(label));
	}
	if (secretTooShort(account.eventSignatureKey)) {
		problems.push(
			`Event Signature Key is shorter than ${MIN_SECRET_LENGTH} characters; choose a longer one`,
		);
	} else if (secretNotPrintable(account.eventSignatureKey)) {
		problems.push(notPrintable('Event Signature Key'));
	}
	return problems;
}

/** The words for a secret with characters outside printable ASCII (accents, emoji, tabs, invisible spaces). */
export function notPrintable(label: string): string {
	return `${label} holds characters other than printable ASCII (letters, digits and symbols without accents); copy it again from where it was issued`;
}

/** The one error for a credential `readAccount` found problems with, naming them and what to do. */
export function unusableAccount(
	node: INode,
	problems: string[],
	description = FIX_THE_FIELDS,
): NodeOperationError {
	return new NodeOperationError(
		node,
		`The Cloud Elements API credential is unusable: ${problems.join('; ')}`,
		{ description },
	);
}

/** The node's Cloud Elements API credential, read (see `readAccount`); throws only when none is selected. */
export async function readAccountCredential(
	ctx: CredentialContext,
): Promise<{ account: CloudElementsAccount; problems: string[] }> {
	return readAccount(await credentialData(ctx, ACCOUNT_CREDENTIAL));
}

/** Every secret of the account, for a redactor. */
export function accountSecrets(account: CloudElementsAccount | undefined): string[] {
	return account
		? [account.userSecret, account.organizationSecret, account.eventSignatureKey].filter(Boolean)
		: [];
}

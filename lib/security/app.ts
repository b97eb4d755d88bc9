import type { IDataObject, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ElementKey, InfusionsoftApp } from '../keap/elements';
import { ELEMENTS } from '../keap/elements';
import { normalizeServer } from '../keap/server';
import { notPrintable } from './account';
import { isHttpUrl } from './apiRoot';
import type { CredentialContext } from './credentials';
import { APP_CREDENTIAL, credentialData, FIX_THE_FIELDS } from './credentials';
import { MIN_SECRET_LENGTH, secretNotPrintable, secretTooShort, sentForm } from './redact';

/**
 * What the app is used for, and so which fields must be usable: checking a signed state needs
 * the client ID and secret; asking for an OAuth URL also the callback URL; making an instance
 * of an element also what that element's configuration takes (the legacy element: the
 * Infusionsoft server and, when given, the Encrypted Key).
 */
export type AppUse = 'state' | 'oauthUrl' | ElementKey;

type AppField = 'clientId' | 'clientSecret' | 'callbackUrl' | 'server' | 'encryptedKey';

const FIELDS_FOR: Record<AppUse, AppField[]> = {
	state: ['clientId', 'clientSecret'],
	oauthUrl: ['clientId', 'clientSecret', 'callbackUrl'],
	infusionsoftrest: ['clientId', 'clientSecret', 'callbackUrl'],
	infusionsoftcrm: ['clientId', 'clientSecret', 'callbackUrl', 'server', 'encryptedKey'],
};

export interface AppProblem {
	field: AppField;
	message: string;
}

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

/** Reads the credential and lists what is wrong with it, field by field, in the UI's words. */
export function readApp(data: IDataObject): { app: InfusionsoftApp; problems: AppProblem[] } {
	const rawServer = text(data.server);
	const app: InfusionsoftApp = {
		clientId: text(data.clientId),
		clientSecret: sentForm(data.clientSecret),
		callbackUrl: text(data.callbackUrl),
		server: rawServer ? normalizeServer(rawServer) : undefined,
		encryptedKey: sentForm(data.encryptedKey),
	};
	const problems: AppProblem[] = [];
	const tooShort = (label: string) =>
		`${label} is shorter than ${MIN_SECRET_LENGTH} characters, which no real one is`;
	if (!app.clientId) problems.push({ field: 'clientId', message: 'Client ID is empty' });
	if (!app.clientSecret)
		problems.push({ field: 'clientSecret', message: 'Client Secret is empty' });
	else if (secretTooShort(app.clientSecret))
		problems.push({ field: 'clientSecret', message: tooShort('Client Secret') });
	else if (secretNotPrintable(app.clientSecret))
		problems.push({ field: 'clientSecret', message: notPrintable('Client Secret') });
	if (!app.callbackUrl) problems.push({ field: 'callbackUrl', message: 'Callback URL is empty' });
	else if (!isHttpUrl(app.callbackUrl))
		problems.push({ field: 'callbackUrl', message: 'Callback URL is not an http(s) URL' });
	if (rawServer && !app.server) {
		problems.push({
			field: 'server',
			message: 'Infusionsoft Server is not a host name such as dt123.infusionsoft.com',
		});
	}
	if (secretTooShort(app.encryptedKey))
		problems.push({ field: 'encryptedKey', message: tooShort('Encrypted Key') });
	else if (secretNotPrintable(app.encryptedKey))
		problems.push({ field: 'encryptedKey', message: notPrintable('Encrypted Key') });
	return { app, problems };
}

/** The node's Infusionsoft CRM OAuth2 API credential, read (see `readApp`); throws only when none is selected. */
export async function readAppCredential(
	ctx: CredentialContext,
): Promise<{ app: InfusionsoftApp; problems: AppProblem[] }> {
	return readApp(await credentialData(ctx, APP_CREDENTIAL));
}

/** The one error for an app `appProblems` stops, naming the problems and what to do. */
export function unusableApp(
	node: INode,
	blocking: string[],
	options: { itemIndex?: number; description?: string } = {},
): NodeOperationError {
	const { itemIndex, description = FIX_THE_FIELDS } = options;
	return new NodeOperationError(
		node,
		`The Infusionsoft CRM OAuth2 API credential is unusable: ${blocking.join('; ')}`,
		{ itemIndex, description },
	);
}

/** The problems that stop the app from serving `use`, as messages. */
export function appProblems(app: InfusionsoftApp, problems: AppProblem[], use: AppUse): string[] {
	const messages = problems.filter((p) => FIELDS_FOR[use].includes(p.field)).map((p) => p.message);
	if (
		use !== 'state' &&
		use !== 'oauthUrl' &&
		ELEMENTS[use].needsServer &&
		!app.server &&
		!problems.some((p) => p.field === 'server')
	) {
		messages.push(`Infusionsoft Server is empty (the ${use} element needs it)`);
	}
	return messages;
}

/**
 * The instance body of the seed's POST /instances (and of the PUT that re-authenticates):
 * the element, the code, the element's configuration keys (and the event keys when events are
 * turned on), tags and name.
 */
export function instanceBody(
	app: InfusionsoftApp,
	element: ElementKey,
	fields: { code: string; name: string; tags: string[] },
	events?: Record<string, string>,
): IDataObject {
	return {
		element: { key: element },
		providerData: { code: fields.code },
		configuration: { ...ELEMENTS[element].configuration(app), ...events },
		tags: fields.tags,
		name: fields.name,
	};
}

import type { IDataObject } from 'n8n-workflow';

import { isHttpUrl } from './apiRoot';
import { sentForm } from './account';
import { MIN_SECRET_LENGTH, secretTooShort } from './redact';
import { normalizeServer } from './server';

/** The element this node provisions: the seeds' Infusionsoft CRM element. */
export const ELEMENT_KEY = 'infusionsoftcrm';

/** The Infusionsoft OAuth app, read from the Infusionsoft CRM OAuth2 API credential. */
export interface InfusionsoftApp {
	clientId: string;
	clientSecret: string;
	callbackUrl: string;
	/** Normalised host, e.g. `dt123.infusionsoft.com`; undefined when the field is empty. */
	server: string | undefined;
	encryptedKey: string;
}

/**
 * What the app is used for, and so which fields must be usable: checking a signed state needs
 * the client ID and secret; asking for an OAuth URL also the callback URL; making an instance
 * also the Infusionsoft server.
 */
export type AppUse = 'state' | 'oauthUrl' | 'instance';

type AppField = 'clientId' | 'clientSecret' | 'callbackUrl' | 'server' | 'encryptedKey';

const FIELDS_FOR: Record<AppUse, AppField[]> = {
	state: ['clientId', 'clientSecret', 'encryptedKey'],
	oauthUrl: ['clientId', 'clientSecret', 'callbackUrl', 'encryptedKey'],
	instance: ['clientId', 'clientSecret', 'callbackUrl', 'server', 'encryptedKey'],
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
	const tooShort = (label: string) => `${label} is shorter than ${MIN_SECRET_LENGTH} characters, which no real one is`;
	if (!app.clientId) problems.push({ field: 'clientId', message: 'Client ID is empty' });
	if (!app.clientSecret) problems.push({ field: 'clientSecret', message: 'Client Secret is empty' });
	else if (secretTooShort(app.clientSecret)) problems.push({ field: 'clientSecret', message: tooShort('Client Secret') });
	if (!app.callbackUrl) problems.push({ field: 'callbackUrl', message: 'Callback URL is empty' });
	else if (!isHttpUrl(app.callbackUrl)) problems.push({ field: 'callbackUrl', message: 'Callback URL is not an http(s) URL' });
	if (!rawServer) problems.push({ field: 'server', message: 'Infusionsoft Server is empty' });
	else if (!app.server) {
		problems.push({ field: 'server', message: 'Infusionsoft Server is not a host name such as dt123.infusionsoft.com' });
	}
	if (secretTooShort(app.encryptedKey)) problems.push({ field: 'encryptedKey', message: tooShort('Encrypted Key') });
	return { app, problems };
}

/** The problems that stop the app from serving `use`, as messages. */
export function appProblems(problems: AppProblem[], use: AppUse): string[] {
	return problems.filter((p) => FIELDS_FOR[use].includes(p.field)).map((p) => p.message);
}

/**
 * The instance body of the seed's POST /instances (and of the PUT that re-authenticates):
 * the element, the code, the element's configuration keys, tags and name.
 */
export function instanceBody(app: InfusionsoftApp, fields: { code: string; name: string; tags: string[] }): IDataObject {
	return {
		element: { key: ELEMENT_KEY },
		providerData: { code: fields.code },
		configuration: {
			'oauth.callback.url': app.callbackUrl,
			'oauth.api.key': app.clientId,
			'oauth.api.secret': app.clientSecret,
			'infusionsoft.server': app.server ?? '',
			'infusionsoft.private.key': app.encryptedKey,
		},
		tags: fields.tags,
		name: fields.name,
	};
}

import type { IDataObject } from 'n8n-workflow';

import { isHttpUrl } from './apiRoot';
import { normalizeServer } from './server';

/** The Infusionsoft OAuth app, read from the Infusionsoft CRM OAuth2 API credential. */
export interface InfusionsoftApp {
	clientId: string;
	clientSecret: string;
	callbackUrl: string;
	/** Normalised host, e.g. `dt123.infusionsoft.com`; undefined when the field is empty. */
	server: string | undefined;
	encryptedKey: string;
}

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

/** Reads the credential and lists what is wrong with it, field by field, in the UI's words. */
export function readApp(data: IDataObject): { app: InfusionsoftApp; problems: string[] } {
	const rawServer = text(data.server);
	const app: InfusionsoftApp = {
		clientId: text(data.clientId),
		clientSecret: typeof data.clientSecret === 'string' ? data.clientSecret : '',
		callbackUrl: text(data.callbackUrl),
		server: rawServer ? normalizeServer(rawServer) : undefined,
		encryptedKey: typeof data.encryptedKey === 'string' ? data.encryptedKey.trim() : '',
	};
	const problems: string[] = [];
	if (!app.clientId) problems.push('Client ID is empty');
	if (!app.clientSecret) problems.push('Client Secret is empty');
	if (!app.callbackUrl) problems.push('Callback URL is empty');
	else if (!isHttpUrl(app.callbackUrl)) problems.push('Callback URL is not an http(s) URL');
	if (rawServer && !app.server) problems.push('Infusionsoft Server is not a host name such as dt123.infusionsoft.com');
	return { app, problems };
}

/** The element configuration of the seed's POST /instances body. */
export function instanceConfiguration(app: InfusionsoftApp): IDataObject {
	return {
		'oauth.callback.url': app.callbackUrl,
		'oauth.api.key': app.clientId,
		'oauth.api.secret': app.clientSecret,
		'infusionsoft.server': app.server ?? '',
		'infusionsoft.private.key': app.encryptedKey,
	};
}

'use strict';
/**
 * Credentials pointed at the local Cloud Elements stand-in (sandbox/), in the forms the
 * periphery needs them: `n8n import:credentials` entries, credential data by type (n8n-core's
 * engine in the benchmarks), the Cloud Elements Authorization header, an instance's
 * configuration. One copy for npm start, the e2e suites, the screenshots and the benchmarks.
 *
 * The stand-in's own account and app are sandbox's EXAMPLE; examples/credentials/*.json hold
 * the same values, pointed at the default ports (stand-in :5680, n8n :5678).
 */
const fs = require('node:fs');
const path = require('node:path');
const { EXAMPLE } = require('../../sandbox');
const { EXAMPLES_DIR, jsonFiles } = require('./demo');

const EXAMPLE_CREDENTIALS_DIR = path.join(EXAMPLES_DIR, 'credentials');

/** The Authorization header of a platform call for an account: `User <secret>, Organization <secret>`. */
const ceAuthorization = (account = EXAMPLE) =>
	`User ${account.userSecret}, Organization ${account.organizationSecret}`;

/**
 * A credential pointed elsewhere, where given: the API root of a Cloud Elements credential, the
 * n8n of an app credential's Callback URL (`n8nUrl`, e.g. http://127.0.0.1:PORT: the URL keeps
 * its path, /webhook/<the trigger's path>, since each example app is called back by its own trigger).
 */
function pointAt(credential, { apiRoot, n8nUrl } = {}) {
	const data = { ...credential.data };
	if (apiRoot && credential.type === 'cloudElementsApi') data.baseUrl = apiRoot;
	if (n8nUrl && credential.type === 'infusionsoftCrmOAuth2Api')
		data.callbackUrl = n8nUrl.replace(/\/$/, '') + new URL(data.callbackUrl).pathname;
	return { ...credential, data };
}

/** examples/credentials/*.json, in file name order. */
function exampleCredentialFiles() {
	return jsonFiles(EXAMPLE_CREDENTIALS_DIR);
}

/**
 * The example credentials (examples/credentials/*.json, each an array in `n8n import:credentials`
 * form), optionally pointed at another stand-in (`apiRoot`) or n8n (`n8nUrl`).
 */
function exampleCredentials({ apiRoot, n8nUrl } = {}) {
	return exampleCredentialFiles()
		.flatMap((file) => JSON.parse(fs.readFileSync(file, 'utf8')))
		.map((c) => pointAt(c, { apiRoot, n8nUrl }));
}

/**
 * The stand-in's account and app (EXAMPLE) as credential data by type:
 * { cloudElementsApi: { baseUrl, userSecret, organizationSecret },
 *   infusionsoftCrmOAuth2Api: { clientId, clientSecret, callbackUrl, server, encryptedKey } }.
 * `callbackUrl` and `encryptedKey` default to EXAMPLE's.
 */
function standInCredentialData({
	apiRoot,
	callbackUrl = EXAMPLE.callbackUrl,
	encryptedKey = EXAMPLE.encryptedKey,
}) {
	return {
		cloudElementsApi: {
			baseUrl: apiRoot,
			userSecret: EXAMPLE.userSecret,
			organizationSecret: EXAMPLE.organizationSecret,
		},
		infusionsoftCrmOAuth2Api: {
			clientId: EXAMPLE.clientId,
			clientSecret: EXAMPLE.clientSecret,
			callbackUrl,
			server: EXAMPLE.server,
			encryptedKey,
		},
	};
}

/**
 * The same as `n8n import:credentials` entries, one per type named in `names`
 * ({ cloudElementsApi: { id, name }, infusionsoftCrmOAuth2Api: { id, name } }, either or both).
 */
function standInCredentials(names, options) {
	const data = standInCredentialData(options);
	return Object.entries(names).map(([type, { id, name }]) => ({
		id,
		name,
		type,
		data: data[type],
	}));
}

/**
 * An element instance's `configuration` as Create Instance sends it for the EXAMPLE app, for
 * `element` (default the legacy infusionsoftcrm). `callbackUrl` and `encryptedKey` default to EXAMPLE's.
 */
function instanceConfiguration({
	callbackUrl = EXAMPLE.callbackUrl,
	encryptedKey = EXAMPLE.encryptedKey,
	element = 'infusionsoftcrm',
} = {}) {
	const oauth = {
		'oauth.callback.url': callbackUrl,
		'oauth.api.key': EXAMPLE.clientId,
		'oauth.api.secret': EXAMPLE.clientSecret,
	};
	// Keap REST (infusionsoftrest) takes exactly the three OAuth keys; the legacy element also the server and key.
	if (element === 'infusionsoftrest') return oauth;
	return {
		...oauth,
		'infusionsoft.server': EXAMPLE.server,
		'infusionsoft.private.key': encryptedKey,
	};
}

module.exports = {
	EXAMPLE,
	ceAuthorization,
	exampleCredentialFiles,
	exampleCredentials,
	standInCredentialData,
	standInCredentials,
	instanceConfiguration,
};

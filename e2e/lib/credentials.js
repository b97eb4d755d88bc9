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
const ceAuthorization = (account = EXAMPLE) => `User ${account.userSecret}, Organization ${account.organizationSecret}`;

/** A credential with its API root (Cloud Elements) or Callback URL (the Infusionsoft app) replaced, where given. */
function pointAt(credential, { apiRoot, callbackUrl } = {}) {
  const data = { ...credential.data };
  if (apiRoot && credential.type === 'cloudElementsApi') data.baseUrl = apiRoot;
  if (callbackUrl && credential.type === 'infusionsoftCrmOAuth2Api') data.callbackUrl = callbackUrl;
  return { ...credential, data };
}

/** examples/credentials/*.json, in file name order. */
function exampleCredentialFiles() {
  return jsonFiles(EXAMPLE_CREDENTIALS_DIR);
}

/**
 * The example credentials (examples/credentials/*.json, each an array in `n8n import:credentials`
 * form), optionally pointed at another stand-in (`apiRoot`) or n8n (`callbackUrl`).
 */
function exampleCredentials({ apiRoot, callbackUrl } = {}) {
  return exampleCredentialFiles()
    .flatMap((file) => JSON.parse(fs.readFileSync(file, 'utf8')))
    .map((c) => pointAt(c, { apiRoot, callbackUrl }));
}

/**
 * The stand-in's account and app (EXAMPLE) as credential data by type:
 * { cloudElementsApi: { baseUrl, userSecret, organizationSecret },
 *   infusionsoftCrmOAuth2Api: { clientId, clientSecret, callbackUrl, server, encryptedKey } }.
 * `callbackUrl` and `encryptedKey` default to EXAMPLE's.
 */
function standInCredentialData({ apiRoot, callbackUrl = EXAMPLE.callbackUrl, encryptedKey = EXAMPLE.encryptedKey }) {
  return {
    cloudElementsApi: { baseUrl: apiRoot, userSecret: EXAMPLE.userSecret, organizationSecret: EXAMPLE.organizationSecret },
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
  return Object.entries(names).map(([type, { id, name }]) => ({ id, name, type, data: data[type] }));
}

/**
 * An element instance's `configuration` as Create Instance sends it for the EXAMPLE app.
 * `callbackUrl` and `encryptedKey` default to EXAMPLE's.
 */
function instanceConfiguration({ callbackUrl = EXAMPLE.callbackUrl, encryptedKey = EXAMPLE.encryptedKey } = {}) {
  return {
    'oauth.callback.url': callbackUrl,
    'oauth.api.key': EXAMPLE.clientId,
    'oauth.api.secret': EXAMPLE.clientSecret,
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

// @ts-check
'use strict';

/**
 * The two Keap elements the stand-in plays, after the team's notes (../shared/cloud-elements-api.md,
 * relative to the repository root, "Which element: infusionsoftcrm (the seeds) or infusionsoftrest"):
 *
 *   infusionsoftcrm   the seeds' element: OAuth 2.0 + Encrypted Key, XML-RPC based, id 191,
 *                     five configuration keys; extra keys are accepted and stored as given
 *   infusionsoftrest  Keap REST: OAuth 2.0 only, three configuration keys and nothing else
 *                     (the documented event.* keys aside); any other key is refused
 *
 * Per element: the element object, its configuration keys, whether other keys are refused, and a
 * small metadata object (the stand-in's simplification of GET /elements/{key}/metadata).
 */

/**
 * @typedef {object} ConfigurationKey
 * @property {string} key
 * @property {string} name
 * @property {string} type
 * @property {boolean} mayBeEmpty  must be present, but '' is accepted
 */

/**
 * @typedef {object} ElementSpec
 * @property {Readonly<import('./index').SandboxElement>} element  as instances and GET /elements show it
 * @property {readonly ConfigurationKey[]} configuration  all must be present on an instance
 * @property {boolean} strict  refuse configuration keys other than `configuration` and EVENT_CONFIGURATION_KEYS
 * @property {Readonly<Record<string, unknown>>} metadata  GET /elements/{keyOrId}/metadata
 */

/** @param {ConfigurationKey[]} keys @returns {readonly ConfigurationKey[]} */
const frozenKeys = (keys) => Object.freeze(keys.map((entry) => Object.freeze(entry)));

/** The three OAuth keys both elements share. */
const OAUTH_KEYS = [
	{ key: 'oauth.callback.url', name: 'Callback URL', type: 'TEXTFIELD_1000', mayBeEmpty: false },
	{ key: 'oauth.api.key', name: 'OAuth API Key', type: 'TEXTFIELD_128', mayBeEmpty: false },
	{ key: 'oauth.api.secret', name: 'OAuth API Secret', type: 'PASSWORD', mayBeEmpty: false },
];

/**
 * The event keys the notes document for instance configuration ("Events": at create, or patched
 * later; `event.vendor.type` is `polling` for infusionsoftrest). A strict element accepts them
 * next to its own keys; they are optional and stored as given. Names and types are what
 * GET /instances/{id}/configuration shows (the stand-in's choice); the signature key is a
 * PASSWORD, masked like the element's secrets. Only infusionsoftrest polls (events.js).
 */
const EVENT_CONFIGURATION = frozenKeys([
	{ key: 'event.notification.enabled', name: 'Events Enabled', type: 'BOOLEAN', mayBeEmpty: true },
	{ key: 'event.vendor.type', name: 'Event Type', type: 'TEXTFIELD_32', mayBeEmpty: true },
	{
		key: 'event.notification.callback.url',
		name: 'Event Notification Callback URL',
		type: 'TEXTFIELD_1000',
		mayBeEmpty: true,
	},
	{
		key: 'event.notification.signature.key',
		name: 'Callback Notification Signature Key',
		type: 'PASSWORD',
		mayBeEmpty: true,
	},
	{
		key: 'event.poller.refresh_interval',
		name: 'Event Poller Refresh Interval (mins)',
		type: 'TEXTFIELD_32',
		mayBeEmpty: true,
	},
	{
		key: 'event.poller.configuration',
		name: 'Configure Polling',
		type: 'TEXTAREA',
		mayBeEmpty: true,
	},
]);
const EVENT_CONFIGURATION_KEYS = Object.freeze(EVENT_CONFIGURATION.map(({ key }) => key));

/** @type {ElementSpec} */
const INFUSIONSOFT_CRM = Object.freeze({
	// The element as the seed's instance example shows it.
	element: Object.freeze({
		id: 191,
		name: 'Infusionsoft',
		hookName: 'Infusionsoft',
		key: 'infusionsoftcrm',
		description:
			'Add an Infusionsoft Instance to connect your existing Infusionsoft account to the CRM Hub, ' +
			'allowing you to manage contacts, leads, accounts, opportunities etc. across multiple CRM Elements. ' +
			'You will need your Infusionsoft account information to add an instance.',
		image:
			'https://pbs.twimg.com/profile_images/378800000727744956/dd537d4a5255fc3aef14d27ec04a823a_400x400.png',
		active: true,
		deleted: false,
		typeOauth: false,
		trialAccount: false,
		bulkDownloadEnabled: false,
		bulkUploadEnabled: false,
		cloneable: true,
		extendable: true,
		beta: true,
		authentication: Object.freeze({ type: 'oauth2' }),
		extended: false,
		hub: 'crm',
		protocolType: 'http',
		parameters: Object.freeze([]),
	}),
	// Seeds 000 / 003.
	configuration: frozenKeys([
		...OAUTH_KEYS,
		{
			key: 'infusionsoft.server',
			name: 'Infusionsoft Server',
			type: 'TEXTFIELD_128',
			mayBeEmpty: false,
		},
		// Keap retired the Encrypted Key: an empty one is accepted.
		{
			key: 'infusionsoft.private.key',
			name: 'Infusionsoft Encrypted Key',
			type: 'PASSWORD',
			mayBeEmpty: true,
		},
	]),
	strict: false,
	metadata: Object.freeze({
		key: 'infusionsoftcrm',
		elementId: 191,
		hub: 'crm',
		api: 'xml-rpc',
		events: Object.freeze({ supported: false, methods: Object.freeze([]) }),
		// "infusionsoftcrm resources seen" in the notes.
		resources: Object.freeze(['accounts', 'contacts', 'opportunities', 'products', 'users']),
	}),
});

/**
 * Keap REST. The notes give its id as 6158 in one place and 11748 in another; the stand-in uses
 * 6158 (11748 is not an id of anything here). The element object is plausible, not copied from
 * the platform: no public source showed it whole.
 */
const INFUSIONSOFT_REST_ID = 6158;

/** @type {ElementSpec} */
const INFUSIONSOFT_REST = Object.freeze({
	element: Object.freeze({
		id: INFUSIONSOFT_REST_ID,
		name: 'Keap',
		hookName: 'Keap',
		key: 'infusionsoftrest',
		description:
			'Add a Keap Instance to connect your existing Keap (Infusionsoft) account to the CRM Hub through ' +
			'the Keap REST API, allowing you to manage contacts, opportunities, orders, tasks etc. ' +
			'You will need the client id, client secret and callback URL of your Keap app to add an instance.',
		active: true,
		deleted: false,
		typeOauth: false,
		trialAccount: false,
		bulkDownloadEnabled: false,
		bulkUploadEnabled: false,
		cloneable: true,
		extendable: true,
		beta: false,
		authentication: Object.freeze({ type: 'oauth2' }),
		extended: false,
		hub: 'crm',
		protocolType: 'http',
		parameters: Object.freeze([]),
	}),
	configuration: frozenKeys([...OAUTH_KEYS]),
	strict: true,
	metadata: Object.freeze({
		key: 'infusionsoftrest',
		elementId: INFUSIONSOFT_REST_ID,
		hub: 'crm',
		api: 'rest',
		// "Polled resources documented for infusionsoftrest" in the notes.
		events: Object.freeze({
			supported: true,
			methods: Object.freeze(['polling']),
			resources: Object.freeze([
				'appointments',
				'tasks',
				'files',
				'opportunities',
				'contacts',
				'orders',
				'transactions',
			]),
		}),
		// "infusionsoftrest resources seen in the platform's own tests" in the notes (no companies).
		resources: Object.freeze([
			'contacts',
			'contactCustomFields',
			'appointments',
			'tasks',
			'opportunities',
			'opportunity/stage_pipeline',
			'orders',
			'transactions',
			'products',
			'files',
			'emails',
			'tags',
			'affiliates/commissions',
			'account/profile',
			'oauth/connect/userinfo',
		]),
	}),
});

const ELEMENTS = Object.freeze([INFUSIONSOFT_CRM, INFUSIONSOFT_REST]);

/**
 * The element of a key, or of an id. Keys are looked up first.
 * @param {string} keyOrId
 * @returns {ElementSpec | undefined}
 */
function findElement(keyOrId) {
	return (
		ELEMENTS.find(({ element }) => element.key === keyOrId) ??
		ELEMENTS.find(({ element }) => String(element.id) === keyOrId)
	);
}

/**
 * The spec of an instance's element; undefined for an instance planted directly with an element
 * the stand-in does not play (its configuration is then not checked).
 * @param {{ element: { key: string } }} instance
 */
function elementOf(instance) {
	return ELEMENTS.find(({ element }) => element.key === instance.element.key);
}

module.exports = {
	ELEMENTS,
	EVENT_CONFIGURATION,
	EVENT_CONFIGURATION_KEYS,
	INFUSIONSOFT_CRM,
	INFUSIONSOFT_REST,
	findElement,
	elementOf,
};

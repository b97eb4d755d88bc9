import type { IDataObject, INodeProperties } from 'n8n-workflow';

/**
 * The two Keap elements of the platform, in one table: everything that differs between them
 * (configuration keys, the app fields they need, how they are named) lives here, not in
 * branches spread around the operations.
 */
export type ElementKey = 'infusionsoftcrm' | 'infusionsoftrest';

/** The Infusionsoft OAuth app an element is configured with (read from the Infusionsoft CRM OAuth2 API credential by `readApp`). */
export interface InfusionsoftApp {
	clientId: string;
	clientSecret: string;
	callbackUrl: string;
	/** Normalised host, e.g. `dt123.infusionsoft.com`; undefined when the field is empty. */
	server: string | undefined;
	encryptedKey: string;
}

export interface ElementSpec {
	key: ElementKey;
	/** As the user sees it in a field. */
	name: string;
	/** Keap retired what it is built on. */
	legacy: boolean;
	/** The app fields a create or re-authentication needs besides client ID, secret and callback URL. */
	needsServer: boolean;
	/** The element's configuration keys, from the app. */
	configuration(app: InfusionsoftApp): IDataObject;
}

const oauthConfiguration = (app: InfusionsoftApp): IDataObject => ({
	'oauth.callback.url': app.callbackUrl,
	'oauth.api.key': app.clientId,
	'oauth.api.secret': app.clientSecret,
});

export const ELEMENTS: Record<ElementKey, ElementSpec> = {
	infusionsoftcrm: {
		key: 'infusionsoftcrm',
		name: 'Infusionsoft CRM (legacy, needs the Encrypted Key)',
		legacy: true,
		needsServer: true,
		// The seeds' five keys; an empty Encrypted Key is sent as given (Keap retired it).
		configuration: (app) => ({
			...oauthConfiguration(app),
			'infusionsoft.server': app.server ?? '',
			'infusionsoft.private.key': app.encryptedKey,
		}),
	},
	infusionsoftrest: {
		key: 'infusionsoftrest',
		name: 'Keap REST',
		legacy: false,
		needsServer: false,
		// Exactly the three OAuth keys: the REST element knows no other.
		configuration: oauthConfiguration,
	},
};

export const ELEMENT_KEYS = Object.keys(ELEMENTS) as ElementKey[];

/** What an operation declares when the legacy element has no such calls (tasks, tags, companies, …). */
export const KEAP_REST_ONLY: readonly ElementKey[] = Object.freeze(['infusionsoftrest'] as const);

/** The element of saved version-1 nodes, and the seeds' element. */
export const LEGACY_ELEMENT: ElementKey = 'infusionsoftcrm';
/** The element new nodes (version 2) start with. */
export const DEFAULT_ELEMENT: ElementKey = 'infusionsoftrest';

export function isElementKey(value: unknown): value is ElementKey {
	return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ELEMENTS, value);
}

export function elementKeyOf(instance: IDataObject): string | undefined {
	const element = instance.element as IDataObject | undefined;
	return typeof element?.key === 'string' ? element.key : undefined;
}

const LEGACY_NOTICE =
	'Infusionsoft CRM is built on Keap’s legacy API: Keap retired the Encrypted Key (sunset from 2024-10-31) and switches its XML-RPC API off for good on 2026-12-31. Use Keap REST for every new connection, and move existing ones (see "Which element?" in the package README).';

/**
 * The Element field: version 1 nodes (saved before it existed) keep the seeds' element,
 * version 2 starts with Keap REST. A notice tells why when the legacy element is chosen.
 */
export function elementFields(description: string): INodeProperties[] {
	const field = (version: number, fallback: ElementKey): INodeProperties => ({
		displayName: 'Element',
		name: 'element',
		type: 'options',
		options: ELEMENT_KEYS.map((key) => ({ name: ELEMENTS[key].name, value: key })),
		default: fallback,
		description,
		displayOptions: { show: { '@version': [version] } },
	});
	return [
		field(1, LEGACY_ELEMENT),
		field(2, DEFAULT_ELEMENT),
		{
			displayName: LEGACY_NOTICE,
			name: 'legacyElementNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: { element: [LEGACY_ELEMENT] } },
		},
	];
}

/** Keap's and the platform's words for a dead legacy key or XML-RPC API. */
const LEGACY_TROUBLE =
	/xml-?rpc|encrypted key|private[._ ]key|legacy (api )?key|api key.*(revoked|invalid|expired)|(revoked|invalid) .*api key/i;

/** For an error of a legacy-element call: the advice to switch, when the error points at the key or XML-RPC. */
export function legacyAdvice(text: string): string | undefined {
	return LEGACY_TROUBLE.test(text)
		? 'This looks like Keap’s retired Encrypted Key or its XML-RPC API (off from 2026-12-31): set Element to Keap REST and connect the customer again with a new OAuth URL.'
		: undefined;
}

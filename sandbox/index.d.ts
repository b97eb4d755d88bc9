/**
 * Types of the local Cloud Elements stand-in: the sandbox's one entry point (`sandbox/index.js`).
 *
 *   import { startSandbox, EXAMPLE, type Sandbox, type SandboxFault } from '../../sandbox';
 */

import type { IncomingHttpHeaders } from 'node:http';

/** A Cloud Elements account: the two secrets of the `Authorization` header. */
export interface SandboxAccount {
	userSecret: string;
	organizationSecret: string;
}

/** An OAuth app registered with the fake Infusionsoft. */
export interface SandboxApp {
	clientId: string;
	clientSecret: string;
	/** Shown on the consent page; defaults to `OAuth app <clientId>`. */
	name?: string;
}

export interface SandboxOptions {
	/** 0 (default) = a random free port. The host is always 127.0.0.1. */
	port?: number;
	/** Artificial latency added to every platform API call (not the control API, not the consent page). Default 0. */
	latencyMs?: number;
	/** Default: the EXAMPLE account. */
	accounts?: SandboxAccount[];
	/** Default: the EXAMPLE app. */
	apps?: SandboxApp[];
	/** Authorization code lifetime. Default 600000 (10 minutes). */
	codeTtlMs?: number;
	/** `GET /instances` page size when `pageSize` is not given. Default 200. */
	pageSizeDefault?: number;
	/**
	 * How long a "minute" of the event engine is, in ms: `event.poller.refresh_interval` and the
	 * retry delays are counted in these. Default 60000. 0: no timed polls at all (only
	 * `pollEvents()` / the control API poll) and retries without delay.
	 */
	eventMinuteMs?: number;
	/**
	 * The delays (in event minutes) before each retry of a failed delivery; after the last retry
	 * fails, events are switched off on the instance. Default `[1, 5, 15, 30, 60, 180, 360, 960,
	 * 2760]` (9 retries, about 73 hours).
	 */
	eventRetryMinutes?: number[];
	/** A rate limit on the platform API (hubs included; not the control API). Default none. */
	rateLimit?: SandboxRateLimit | null;
}

/**
 * A token bucket per account (the Authorization's User and Organization): `burst` tokens
 * (default `perSecond`), refilled at `perSecond` a second; a request without a token gets 429
 * with `Retry-After` (whole seconds, >= 1) and is not acted on.
 */
export interface SandboxRateLimit {
	perSecond: number;
	burst?: number;
}

/** The rate limiter's counters, over all accounts, since `since` (start, `setRateLimit`, `reset`); kept also without a limit. */
export interface SandboxRateLimitStats {
	/** null: no limit. */
	perSecond: number | null;
	burst: number | null;
	/** Platform requests let through. */
	accepted: number;
	/** Answered 429. */
	limited: number;
	/** The most requests accepted within any one second (a sliding window); with a full bucket it can reach burst + perSecond. */
	peakPerSecond: number;
	/** ISO date. */
	since: string;
}

/** One delivery attempt of the event engine (`Sandbox.eventDeliveries()`, `GET /__sandbox/events/deliveries`). */
export interface SandboxEventDelivery {
	/** ISO date the attempt started. */
	time: string;
	instanceId: number;
	/** The notification's `id` and its `Elements-Webhook-Id` header; the same on every attempt. */
	deliveryId: string;
	url: string;
	/** 1 for the first try, up to 1 + the number of retries. */
	attempt: number;
	eventCount: number;
	objectType: string;
	/** The receiver's HTTP status; null when there was none (network error, timeout, bad URL). */
	status: number | null;
	/** e.g. 'ECONNREFUSED', 'no answer within 10000 ms', 'no event.notification.callback.url'; null with a status. */
	error: string | null;
	durationMs: number;
	/** delivered (2xx), retrying (a retry is scheduled in retryInMs), deactivated (the last retry failed: events switched off, the queue kept). */
	outcome: 'delivered' | 'retrying' | 'deactivated';
	retryInMs?: number;
}

/** What one poll of one instance and resource did (`Sandbox.pollEvents()`, `POST /__sandbox/events/poll`). */
export interface SandboxEventPoll {
	instanceId: number;
	/** null when the instance was skipped. */
	resource: string | null;
	/** ISO date. */
	pollDate: string;
	/** Events found (CREATED, UPDATED, DELETED). */
	events: number;
	/** Notifications queued for them (10 events at most each). */
	notifications: number;
	/** Why nothing was polled: events are off, the instance is disabled, or its connection is dead. */
	skipped?: string;
}

/** An instance the event engine knows: events on, or notifications still queued. */
export interface SandboxEventSubscription {
	instanceId: number;
	enabled: boolean;
	callbackUrl: string;
	/** Whether a signature key is set. */
	signed: boolean;
	intervalMinutes: number | null;
	/** The resources polled (the hub objects named in event.poller.configuration). */
	resources: string[];
	/** What the configuration asks for but is not done (a resource the stand-in's hub lacks, a bad interval). */
	ignored: Array<{ resource: string; reason: string }>;
	lastPollDate: string | null;
	/** null without timed polls (eventMinuteMs 0) or with events off. */
	nextPollDate: string | null;
	/** Notifications not delivered yet (the first one is being tried). */
	queued: number;
	queuedEvents: number;
	/** Attempts made for the first queued notification. */
	attempts: number;
	nextRetryDate: string | null;
	sending: boolean;
}

/** One request the sandbox received (control API calls are not recorded). */
export interface RecordedRequest {
	method: string;
	/** Full URL path, e.g. '/elements/api-v2/instances' or '/app/oauth/authorize'. */
	path: string;
	/** Decoded query; a repeated key gives an array. */
	query: Record<string, string | string[]>;
	/** As received (lower-case names), `authorization` included. */
	headers: IncomingHttpHeaders;
	/** Parsed JSON, else the raw text; undefined when there was no body. */
	body: unknown;
	/** Date.now() when the request arrived. */
	time: number;
	/** The fault that answered this request, if any (a RegExp path is shown as its source text). */
	fault?: Record<string, unknown>;
	/** Answered 429 by the rate limit (not acted on). */
	rateLimited?: boolean;
}

/**
 * A fault for the next matching platform API request(s). Faults are consumed FIFO by the
 * first request that matches `method` and `path`, and recorded on it (`RecordedRequest.fault`).
 * Give at least one of `status`, `drop`, `delayMs`, `dripMs`, `headers`, `freshNextPageToken`.
 * Malformed faults, unknown fields and combinations that cannot take effect throw a TypeError
 * naming the field.
 *
 * The request is processed for real (the instance IS created, the code IS spent) unless
 * `status` is given without `afterProcessing`, or `drop` is 'before'.
 */
export interface SandboxFault {
	/** e.g. 'POST'; any method when absent. */
	method?: string;
	/** Matched against the path after the API root, e.g. '/instances': a string is a prefix. */
	path?: string | RegExp;
	/** How many matching requests it answers. Default 1. */
	times?: number;
	/**
	 * Answer with this status (200-599, 3xx included) instead of the real answer. Without
	 * `afterProcessing` the request is not processed. Without `body`/`html`/`echoRequest` the
	 * body is a platform error `{ requestId, message }`; 204 and 304 always have an empty body.
	 */
	status?: number;
	/** With `status`: adds a `Retry-After` header (seconds). */
	retryAfter?: number | string;
	/** With `status`: answer with an HTML body, like a proxy's error page (502/503/504). */
	html?: boolean;
	/** With `status`: exact body to answer (an object is sent as JSON; '' = empty body; 'null' and '[]' as given). */
	body?: string | object;
	/** With `status`: content type for `body`; default application/json (none for an empty body). */
	contentType?: string;
	/**
	 * Extra response headers on the answer (the fault's, or the real one when there is no
	 * `status`); they replace headers of the same name. e.g. `{ location: 'https://…' }` with
	 * `status: 302`. Names are case-insensitive; values must be strings; `content-length` and
	 * `transfer-encoding` are the sandbox's.
	 */
	headers?: Record<string, string>;
	/**
	 * With `status`: process the request for real first (POST /instances creates the instance,
	 * a re-authenticating PUT spends the code), then answer with the fault's status, body and
	 * headers instead of the real answer.
	 */
	afterProcessing?: boolean;
	/**
	 * 'before': destroy the socket without processing (nothing happens).
	 * 'after': process the request fully (e.g. the instance IS created), then destroy the socket without answering.
	 * 'midBody': process the request (unless `status` without `afterProcessing`), send the status
	 * line and headers with the content-length of the whole body, only the first half of the
	 * body (floor(length / 2) bytes), then destroy the socket.
	 */
	drop?: 'before' | 'after' | 'midBody';
	/** Process the request at once, but send the answer (or, with drop 'before'/'after', cut the socket) only after this many ms. */
	delayMs?: number;
	/**
	 * (> 0) Send the status and headers at once (content-length of the whole body), then the
	 * body one byte every `dripMs` ms (n bytes take about n × dripMs). Drips the fault's answer
	 * with `status`, else the real one; with drop 'midBody' only the first half, then the cut.
	 * Stops when the client disconnects; `reset()` and `close()` cut it off.
	 */
	dripMs?: number;
	/**
	 * Add an `elements-next-page-token` header with a new unique value to every answer of this
	 * fault (a platform that pages forever; typically `status: 200`, a JSON array `body`,
	 * `times: 100000`). The token looks like the platform's but is not a valid page.
	 */
	freshNextPageToken?: boolean;
	/**
	 * With `status`: the body is JSON `{ requestId: 'echo-…', message: 'Echoed: <Authorization
	 * header as received> <raw query string>', headers: <request headers as received>, body:
	 * <raw request body text> }`, content type application/json (a careless proxy).
	 */
	echoRequest?: boolean;
}

/**
 * The elements the stand-in plays: `infusionsoftcrm` (the seeds': OAuth + Encrypted Key, id 191,
 * five configuration keys) and `infusionsoftrest` (Keap REST: OAuth only, id 6158, three keys).
 */
export type SandboxElementKey = 'infusionsoftcrm' | 'infusionsoftrest';

export interface SandboxElement {
	/** 191 (infusionsoftcrm) or 6158 (infusionsoftrest). */
	id: number;
	/**
	 * One of SandboxElementKey for instances made through the API; any string is allowed so that
	 * tests can plant another element's instance in `Sandbox.instances` (its configuration is then
	 * not checked).
	 */
	key: SandboxElementKey | (string & {});
	/** 'Infusionsoft' or 'Keap'. */
	name: string;
	hub: string;
	[key: string]: unknown;
}

/** An instance as stored (unmasked configuration). API answers mask secrets as '********'. */
export interface SandboxInstance {
	id: number;
	name: string;
	createdDate: string;
	token: string;
	/** The element the instance was created with; PUT and PATCH cannot change it. */
	element: SandboxElement;
	/** `element.id`. */
	elementId: number;
	tags: string[];
	provisionInteractions: unknown[];
	valid: boolean;
	disabled: boolean;
	maxCacheSize: number;
	cacheTimeToLive: number;
	configuration: Record<string, unknown>;
	eventsEnabled: boolean;
	traceLoggingEnabled: boolean;
	cachingEnabled: boolean;
	externalAuthentication: string;
	user: { id: number };
}

/**
 * The CRM hub's records (`/hubs/crm/...`), stored per instance in its element's own shape.
 * Ids start at 1 per instance and object; dates are ISO strings.
 */
/** `infusionsoftrest` contact (Keap REST v1 names). */
export interface SandboxKeapContact {
	id: number;
	given_name: string | null;
	family_name: string | null;
	/** At most 3; `field` EMAIL1..EMAIL3. */
	email_addresses: Array<{ email: string; field: string }>;
	/** At most 5; `field` PHONE1..PHONE5. */
	phone_numbers: Array<{ number: string; field: string }>;
	company: { company_name: string | null } | null;
	/** Set through POST/DELETE /hubs/crm/contacts/{id}/tags (read-only elsewhere). */
	tag_ids: number[];
	/** The account's custom fields (`addCustomFields`), Keap v1's shape; a patch changes the ids it names. */
	custom_fields: Array<{ id: number; content: string | number | boolean | null }>;
	date_created: string;
	last_updated: string;
}

/** One of the account's custom fields of an object; its metadata `vendorPath` is `custom_fields.<id>`. */
export interface SandboxCustomField {
	id: number;
	label: string;
	type: 'string' | 'number' | 'boolean' | 'date';
}

/** `infusionsoftrest` task. */
export interface SandboxKeapTask {
	id: number;
	title: string | null;
	description: string | null;
	due_date: string | null;
	completed: boolean;
	contact: { id: number } | null;
	date_created: string;
	last_updated: string;
}

/** `infusionsoftrest` tag. */
export interface SandboxKeapTag {
	id: number;
	name: string | null;
	description: string | null;
	category: { id: number } | null;
}

/** `infusionsoftrest` opportunity (Keap REST v1 names). */
export interface SandboxKeapOpportunity {
	id: number;
	opportunity_title: string | null;
	contact: { id: number } | null;
	/** A stage of `opportunity/stage_pipeline`. */
	stage: { id: number } | null;
	user: { id: number } | null;
	projected_revenue_low: number | null;
	projected_revenue_high: number | null;
	estimated_close_date: string | null;
	next_action_date: string | null;
	next_action_notes: string | null;
	opportunity_notes: string | null;
	date_created: string;
	last_updated: string;
}

/** `infusionsoftrest` stage of the opportunity pipeline (seeded; the hub only lists them). */
export interface SandboxKeapStage {
	id: number;
	name: string | null;
	details: unknown;
}

/** `infusionsoftrest` email in a contact's history; its content is base64 (answers: `emails` object only). */
export interface SandboxKeapEmail {
	id: number;
	contact_id: number;
	subject: string | null;
	sent_to_address: string | null;
	sent_to_cc_addresses: string | null;
	sent_to_bcc_addresses: string | null;
	sent_from_address: string | null;
	sent_from_reply_address: string | null;
	headers: string | null;
	html_content: string | null;
	plain_content: string | null;
	sent_date: string | null;
	received_date: string | null;
	opened_date: string | null;
	clicked_date: string | null;
	original_provider: 'UNKNOWN' | 'INFUSIONSOFT' | 'MICROSOFT' | 'GOOGLE' | null;
	original_provider_id: string | null;
	provider_source_id: string | null;
}

/** `infusionsoftrest` file: stored with its content (`file_data`, base64), which lists never show. */
export interface SandboxKeapFile {
	id: number;
	file_name: string;
	file_data: string | null;
	file_size: number | null;
	contact_id: number | null;
	category: string | null;
	file_box_type: string | null;
	public: boolean;
	/** The stand-in's own, for CEQL `permission` (USER or COMPANY); never in an answer. */
	permission: 'USER' | 'COMPANY';
	date_created: string;
	last_updated: string;
}

/** `infusionsoftcrm` contact (XML-RPC names); fields it does not know are stored as given. */
export interface SandboxLegacyContact {
	Id: number;
	FirstName: string | null;
	LastName: string | null;
	Email: string | null;
	Phone1: string | null;
	Company: string | null;
	DateCreated: string;
	LastUpdated: string;
	[field: string]: unknown;
}

export type SandboxHubRecord =
	| SandboxKeapContact
	| SandboxKeapTask
	| SandboxKeapTag
	| SandboxKeapEmail
	| SandboxKeapFile
	| SandboxKeapOpportunity
	| SandboxKeapStage
	| SandboxLegacyContact;

/** `infusionsoftrest` has them all; `infusionsoftcrm` only `contacts`. */
export type SandboxHubObject =
	| 'contacts'
	| 'tasks'
	| 'tags'
	| 'opportunities'
	| 'opportunity/stage_pipeline'
	| 'companies'
	| 'notes'
	| 'users'
	| 'products'
	| 'orders'
	| 'emails'
	| 'files';

export interface Sandbox {
	/** 'http://127.0.0.1:PORT' */
	readonly url: string;
	/** 'http://127.0.0.1:PORT/elements/api-v2' */
	readonly apiRoot: string;
	/** Live array; `reset()` empties it in place. Keeps the last 10000 requests. */
	readonly requests: RecordedRequest[];
	/** Live map id -> stored instance (all accounts, unmasked). */
	readonly instances: Map<number, SandboxInstance>;
	/** A fresh, valid authorization code, as the consent page's Allow would issue. */
	issueCode(grant: { clientId: string; callbackUrl: string }): string;
	/** Queues a fault; throws a TypeError for a malformed one. */
	fail(fault: SandboxFault): void;
	setLatency(ms: number): void;
	/**
	 * Clears instances (ids restart at 12345), their hub records, requests, codes and faults, the
	 * event engine's subscriptions, queues and delivery log, and the rate limit's counters; keeps
	 * the latency and the rate limit. Requests still waiting (latency, `delayMs`) or being dripped
	 * (`dripMs`), and event deliveries in flight, are cut off.
	 */
	/** The instances (tokens, configuration, event settings) and their records, as JSON (npm start keeps it between runs). */
	snapshot(): Record<string, unknown>;
	/** Replaces instances and records with a snapshot's (after a reset) and resumes their event polling; returns how many instances came back. */
	restore(snapshot: unknown): number;
	reset(): void;
	/** Stops listening and closes every connection, keep-alive ones included. */
	close(): Promise<void>;
	/**
	 * How many latency, delay and drip timers of this stand-in are pending, and the event engine's
	 * (one per instance polling on a timer, one per delivery waiting for a retry); 0 once close()
	 * or reset() cut them.
	 */
	pendingTimers(): number;
	/**
	 * Stores hub records for an instance (any account), all or none, and answers copies of them.
	 * Ids are assigned (a given id is refused); `date_created`/`last_updated` (`DateCreated`/
	 * `LastUpdated`) are kept when given as ISO dates, else set to now (last-updated defaults to
	 * the created date). Only the shape is checked (field types; unknown fields on
	 * infusionsoftrest); the hub's create rules ("a name or an email", a task's title, that tags
	 * and contacts exist) are not. Throws a TypeError for an unknown instance, an object its
	 * element does not have, or a malformed record (`records[3]: given_name must be ...`).
	 */
	seedRecords<T extends SandboxHubRecord = SandboxHubRecord>(
		instanceId: number,
		object: SandboxHubObject,
		records: ReadonlyArray<Record<string, unknown>>,
	): T[];
	/**
	 * Gives the instance's Keap account custom fields on an object that takes them (contacts on
	 * infusionsoftrest), ids from 1 per instance and object; `type` defaults to string. The
	 * metadata then lists each (`custom_fields.<id>`, `vendorDisplayName`, `custom: true`), and a
	 * written contact's `custom_fields` must name them. Throws a TypeError like seedRecords, or
	 * for an object without custom fields. Also POST /__sandbox/instances/:id/customFields/:object.
	 */
	addCustomFields(
		instanceId: number,
		object: SandboxHubObject,
		fields: ReadonlyArray<{ label: string; type?: SandboxCustomField['type'] }>,
	): SandboxCustomField[];
	/** A copy of an instance's stored records of one object, in id order ([] when none). Throws like seedRecords. */
	records<T extends SandboxHubRecord = SandboxHubRecord>(
		instanceId: number,
		object: SandboxHubObject,
	): T[];

	/**
	 * Polls now, as the timer would: every instance with events on, or only `instanceId`
	 * (a TypeError for an unknown instance). Notifications are queued before it returns; their
	 * delivery goes on in the background (`eventsSettled()` waits for it).
	 */
	pollEvents(instanceId?: number): SandboxEventPoll[];
	/** Copies of the delivery log (every attempt, oldest first; the newest 10,000). */
	eventDeliveries(filter?: { instanceId?: number }): SandboxEventDelivery[];
	/** The instances the event engine knows (events on, or notifications queued), by id. */
	eventSubscriptions(): SandboxEventSubscription[];
	/**
	 * Resolves once nothing is being delivered and nothing is ready to be (notifications waiting
	 * for a retry or of instances with events off do not count); rejects after `timeoutMs` (10000).
	 */
	eventsSettled(timeoutMs?: number): Promise<void>;
	/** valid: false: hub calls 401 invalid_token (Test Connection: needs-reauthentication), polls skipped. Answers the instance as the API shows it. */
	breakInstance(id: number): SandboxInstance;
	/** disabled: true: hub calls 403, polls skipped. */
	disableInstance(id: number): SandboxInstance;
	/** valid: true, disabled: false (events stay as configured). */
	repairInstance(id: number): SandboxInstance;
	/** A new limit (null: none); buckets and counters start over. Throws a TypeError for a bad one. */
	setRateLimit(limit: SandboxRateLimit | null): void;
	rateLimitStats(): SandboxRateLimitStats;
}

export declare const EXAMPLE: Readonly<{
	userSecret: string;
	organizationSecret: string;
	clientId: string;
	clientSecret: string;
	callbackUrl: string;
	encryptedKey: string;
	server: string;
}>;

export declare function startSandbox(options?: SandboxOptions): Promise<Sandbox>;

// @ts-check
'use strict';

/**
 * The event engine: the platform's polling events for `infusionsoftrest` instances, after the
 * team's notes ("Events" in ../shared/cloud-elements-api.md, relative to the repository root).
 *
 * An instance whose configuration has `event.notification.enabled` = "true" is polled every
 * `event.poller.refresh_interval` minutes (a minute is the sandbox's `eventMinuteMs`), for each
 * resource named in `event.poller.configuration` that the stand-in's hub has (its
 * `HUB_OBJECTS`). A poll compares the instance's records with what the previous poll saw: a new id is
 * CREATED, a record changed since (any write through the hub gives a new stored record) is
 * UPDATED, an id gone is DELETED (its tombstone gives the date and the record). The baseline is
 * taken when events are turned on (or a resource is added): what exists then is not reported.
 *
 * Events become notifications of at most 10 events of one resource each, queued per instance
 * and POSTed in order to `event.notification.callback.url`, signed when
 * `event.notification.signature.key` is set. A failed delivery (no 2xx, or a network error) is
 * retried after `eventRetryMinutes` (9 delays); after the last one fails, events are switched
 * off on the instance (`event.notification.enabled` = "false") and the queue is kept: it is
 * delivered when events are turned on again. Every attempt is logged (`sb.eventDeliveries()`).
 *
 * Timers live in state.timers (sb.pendingTimers() counts them, close() clears them); deliveries
 * in flight are in state.inFlight (reset() and close() cut them).
 */

const crypto = require('node:crypto');
const http = require('node:http');
const https = require('node:https');
const { findObject, objectsOf, shownRecord, tableOf } = require('./records');
const { isObject } = require('./routing');

/** @typedef {import('./state').State} State */
/** @typedef {import('./index').SandboxInstance} SandboxInstance */
/** @typedef {import('./records').HubRecord} HubRecord */
/** @typedef {import('./records').ObjectSpec} ObjectSpec */
/** @typedef {import('./index').SandboxEventDelivery} DeliveryRecord */
/** @typedef {import('./index').SandboxEventPoll} PollResult */
/** @typedef {import('./index').SandboxEventSubscription} SubscriptionStatus */

/**
 * One instance with events on.
 * @typedef {object} Subscription
 * @property {number} instanceId
 * @property {number} intervalMinutes
 * @property {string[]} resources  the polled ones (hub objects of the element)
 * @property {Array<{ resource: string, reason: string }>} ignored  named in the configuration but not polled
 * @property {string} callbackUrl  to notice a change of URL
 * @property {Map<string, Map<number, HubRecord>>} seen  resource -> id -> the stored record the last poll saw
 * @property {number | undefined} lastPollAt
 * @property {NodeJS.Timeout | undefined} timer
 * @property {number | undefined} nextPollAt
 */

/**
 * @typedef {object} Notification
 * @property {string} deliveryId  the body's `id` and the Elements-Webhook-Id header, the same on every attempt
 * @property {number} instanceId
 * @property {string} objectType
 * @property {number} eventCount
 * @property {string} body  the exact bytes (UTF-8) sent and signed
 */

/**
 * An instance's notifications not delivered yet (kept while events are off).
 * @typedef {object} Outbox
 * @property {Notification[]} queue  the head is the one being delivered
 * @property {number} attempts  made for the head so far
 * @property {NodeJS.Timeout | undefined} retryTimer
 * @property {number | undefined} retryAt
 * @property {boolean} sending
 */

/**
 * @typedef {object} EventsEngine
 * @property {number} minuteMs  0: no timed polls (explicit ones only) and retries at once
 * @property {number[]} retryMinutes  the delays before retries 1..n; after n failed retries events are switched off
 * @property {Map<number, Subscription>} subscriptions
 * @property {Map<number, Outbox>} outboxes
 * @property {DeliveryRecord[]} deliveries  the log, the newest 10,000
 * @property {number} nextDeliveryId
 * @property {number} generation  bumped by reset(): late callbacks of before are ignored
 */

const KEYS = Object.freeze({
	enabled: 'event.notification.enabled',
	callbackUrl: 'event.notification.callback.url',
	signatureKey: 'event.notification.signature.key',
	interval: 'event.poller.refresh_interval',
	poller: 'event.poller.configuration',
});
const POLLING_ELEMENT = 'infusionsoftrest';
const DEFAULT_INTERVAL_MINUTES = 5;
const MAX_EVENTS_PER_NOTIFICATION = 10;
/** About 73 hours in all, growing: 1 min, 5 min, 15 min, 30 min, 1 h, 3 h, 6 h, 16 h, 46 h. */
const DEFAULT_RETRY_MINUTES = Object.freeze([1, 5, 15, 30, 60, 180, 360, 960, 2760]);
const DELIVERY_TIMEOUT_MS = 10000;
const MAX_DELIVERY_LOG = 10000;
const FIRST_DELIVERY_ID = 1000001;
const EVENT_ORDER = { CREATED: 0, UPDATED: 1, DELETED: 2 };

/**
 * @param {{ eventMinuteMs?: number, eventRetryMinutes?: readonly number[] }} options
 * @returns {EventsEngine}
 */
function createEvents(options) {
	const minuteMs = options.eventMinuteMs ?? 60000;
	if (typeof minuteMs !== 'number' || !Number.isFinite(minuteMs) || minuteMs < 0) {
		throw new TypeError('eventMinuteMs must be a number of ms >= 0 (0: no timed polls)');
	}
	const retryMinutes = options.eventRetryMinutes ?? DEFAULT_RETRY_MINUTES;
	if (
		!Array.isArray(retryMinutes) ||
		!retryMinutes.every((m) => typeof m === 'number' && Number.isFinite(m) && m >= 0)
	) {
		throw new TypeError(
			'eventRetryMinutes must be an array of numbers >= 0 (minutes before each retry)',
		);
	}
	return {
		minuteMs,
		retryMinutes: [...retryMinutes],
		subscriptions: new Map(),
		outboxes: new Map(),
		deliveries: [],
		nextDeliveryId: FIRST_DELIVERY_ID,
		generation: 0,
	};
}

/** reset(): forgets subscriptions, queues and the log; timers are cleared (deliveries in flight are cut by state.inFlight). @param {State} state */
function resetEvents(state) {
	const engine = state.events;
	for (const subscription of engine.subscriptions.values()) clearTimer(state, subscription.timer);
	for (const outbox of engine.outboxes.values()) clearTimer(state, outbox.retryTimer);
	engine.subscriptions.clear();
	engine.outboxes.clear();
	engine.deliveries.length = 0;
	engine.nextDeliveryId = FIRST_DELIVERY_ID;
	engine.generation += 1;
}

// The instance's settings

/**
 * What the instance's configuration asks for. Only infusionsoftrest polls; the keys are stored
 * as given, so a bad interval falls back to 5 minutes and a bad poller configuration polls
 * nothing (both shown in the subscription's `ignored`).
 * @param {SandboxInstance} instance
 */
function settingsOf(instance) {
	const config = instance.configuration;
	const text = (/** @type {string} */ key) =>
		config[key] === undefined || config[key] === null ? '' : String(config[key]);
	const enabled =
		instance.element.key === POLLING_ELEMENT && text(KEYS.enabled).trim().toLowerCase() === 'true';
	/** @type {Array<{ resource: string, reason: string }>} */
	const ignored = [];
	const interval = Number(text(KEYS.interval));
	const intervalMinutes =
		text(KEYS.interval).trim() !== '' && Number.isFinite(interval) && interval > 0
			? interval
			: DEFAULT_INTERVAL_MINUTES;
	if (intervalMinutes !== interval) {
		const given =
			text(KEYS.interval).trim() === ''
				? 'is not set'
				: `'${text(KEYS.interval)}' is not a number of minutes > 0`;
		ignored.push({
			resource: '*',
			reason: `${KEYS.interval} ${given}: polling every ${DEFAULT_INTERVAL_MINUTES} minutes`,
		});
	}
	/** @type {unknown} */
	let poller;
	try {
		poller = JSON.parse(text(KEYS.poller) || '{}');
	} catch {
		poller = undefined;
	}
	/** @type {string[]} */
	const resources = [];
	if (!isObject(poller))
		ignored.push({
			resource: '*',
			reason: `${KEYS.poller} is not a JSON object: nothing is polled`,
		});
	else {
		for (const resource of Object.keys(poller)) {
			if (findObject(POLLING_ELEMENT, resource)) resources.push(resource);
			else
				ignored.push({
					resource,
					reason: `the stand-in's hub has no ${resource} (it has ${objectsOf(POLLING_ELEMENT)
						.map((spec) => spec.name)
						.join(', ')})`,
				});
		}
	}
	return { enabled, intervalMinutes, resources, ignored, callbackUrl: text(KEYS.callbackUrl) };
}

/**
 * Brings the engine in line with an instance's configuration, at once: call it after every
 * change of an instance's configuration (create, PUT, PATCH) and after a delete.
 *
 * - on, not before: a subscription; the baseline of every resource is taken now; the next poll
 *   is one interval away; the queue kept from before is delivered.
 * - on, changed: resources added get their baseline now, removed ones are forgotten; a new
 *   interval starts counting now; a new callback URL is tried at once (a waiting retry is cut short).
 * - off: no more polls; the retry waiting is cancelled; the queue is kept.
 * - deleted: subscription and queue are dropped.
 * @param {State} state @param {number} instanceId
 */
function syncEvents(state, instanceId) {
	const engine = state.events;
	const instance = state.instances.get(instanceId);
	const current = engine.subscriptions.get(instanceId);
	const settings = instance ? settingsOf(instance) : undefined;
	if (instance) instance.eventsEnabled = Boolean(settings?.enabled);
	if (!instance || !settings?.enabled) {
		if (current) {
			clearTimer(state, current.timer);
			engine.subscriptions.delete(instanceId);
		}
		const outbox = engine.outboxes.get(instanceId);
		if (outbox) {
			clearTimer(state, outbox.retryTimer);
			Object.assign(outbox, { retryTimer: undefined, retryAt: undefined, attempts: 0 });
			if (!instance) engine.outboxes.delete(instanceId);
		}
		return;
	}
	const now = Date.now();
	/** @type {Subscription} */
	const subscription = current ?? {
		instanceId,
		intervalMinutes: NaN,
		resources: [],
		ignored: [],
		callbackUrl: settings.callbackUrl,
		seen: new Map(),
		lastPollAt: now,
		timer: undefined,
		nextPollAt: undefined,
	};
	for (const resource of settings.resources) {
		if (!subscription.seen.has(resource))
			subscription.seen.set(resource, snapshot(state, instanceId, resource));
	}
	for (const resource of [...subscription.seen.keys()])
		if (!settings.resources.includes(resource)) subscription.seen.delete(resource);
	const urlChanged = subscription.callbackUrl !== settings.callbackUrl;
	Object.assign(subscription, {
		resources: settings.resources,
		ignored: settings.ignored,
		callbackUrl: settings.callbackUrl,
	});
	if (subscription.intervalMinutes !== settings.intervalMinutes || !current) {
		subscription.intervalMinutes = settings.intervalMinutes;
		schedulePoll(state, subscription);
	}
	engine.subscriptions.set(instanceId, subscription);
	const outbox = engine.outboxes.get(instanceId);
	if (outbox && (!current || urlChanged) && outbox.retryTimer) {
		clearTimer(state, outbox.retryTimer);
		Object.assign(outbox, { retryTimer: undefined, retryAt: undefined, attempts: 0 });
	}
	pump(state, instanceId);
}

/** @param {State} state @param {NodeJS.Timeout | undefined} timer */
function clearTimer(state, timer) {
	if (!timer) return;
	clearTimeout(timer);
	state.timers.delete(timer);
}

/** @param {State} state @param {number} ms @param {() => void} run @returns {NodeJS.Timeout} */
function startTimer(state, ms, run) {
	const timer = setTimeout(() => {
		state.timers.delete(timer);
		run();
	}, ms);
	state.timers.add(timer);
	return timer;
}

/** The next timed poll, one interval from now (none when a minute is 0 ms). @param {State} state @param {Subscription} subscription */
function schedulePoll(state, subscription) {
	clearTimer(state, subscription.timer);
	subscription.timer = undefined;
	subscription.nextPollAt = undefined;
	const { minuteMs } = state.events;
	if (minuteMs === 0 || state.closing) return;
	const ms = subscription.intervalMinutes * minuteMs;
	subscription.nextPollAt = Date.now() + ms;
	subscription.timer = startTimer(state, ms, () => {
		subscription.timer = undefined;
		if (state.events.subscriptions.get(subscription.instanceId) !== subscription) return;
		pollSubscription(state, subscription);
		schedulePoll(state, subscription);
	});
}

// Polling

/** @param {State} state @param {number} instanceId @param {string} resource @returns {Map<number, HubRecord>} */
function snapshot(state, instanceId, resource) {
	const spec = /** @type {ObjectSpec} */ (findObject(POLLING_ELEMENT, resource));
	const seen = new Map();
	for (const record of tableOf(state, instanceId, resource).byId.values())
		seen.set(/** @type {number} */ (record[spec.idField]), record);
	return seen;
}

/**
 * Polls now: every instance with events on, or only `instanceId`. Answers one entry per
 * instance and resource polled (or skipped), after queueing the notifications; their delivery
 * goes on in the background.
 * @param {State} state @param {number} [instanceId] @returns {PollResult[]}
 */
function pollEvents(state, instanceId) {
	const { subscriptions } = state.events;
	if (instanceId !== undefined) {
		const subscription = subscriptions.get(instanceId);
		if (!subscription)
			return [
				{
					instanceId,
					resource: null,
					pollDate: new Date().toISOString(),
					events: 0,
					notifications: 0,
					skipped: 'events are off',
				},
			];
		return pollSubscription(state, subscription);
	}
	return [...subscriptions.values()].flatMap((subscription) =>
		pollSubscription(state, subscription),
	);
}

/**
 * One poll of an instance. A disabled instance, or one whose connection is dead (valid: false),
 * is skipped (the provider would refuse the poller): its baseline stays, so the changes show at
 * the first poll after it is repaired.
 * @param {State} state @param {Subscription} subscription @returns {PollResult[]}
 */
function pollSubscription(state, subscription) {
	const instance = /** @type {SandboxInstance} */ (state.instances.get(subscription.instanceId));
	const now = Date.now();
	const pollDate = new Date(now).toISOString();
	const skipped = instance.disabled
		? 'the instance is disabled'
		: !instance.valid
			? "the instance's connection is dead (valid: false)"
			: undefined;
	if (skipped)
		return [
			{ instanceId: instance.id, resource: null, pollDate, events: 0, notifications: 0, skipped },
		];
	subscription.lastPollAt = now;
	const results = subscription.resources.map((resource) => {
		const events = changes(state, subscription, resource, pollDate);
		const notifications = notificationsOf(state, instance, resource, events, now);
		if (notifications.length > 0) {
			const outbox = outboxOf(state, instance.id);
			outbox.queue.push(...notifications);
		}
		return {
			instanceId: instance.id,
			resource,
			pollDate,
			events: events.length,
			notifications: notifications.length,
		};
	});
	pump(state, instance.id);
	return results;
}

/**
 * @typedef {object} Change
 * @property {'CREATED' | 'UPDATED' | 'DELETED'} type
 * @property {number} id
 * @property {HubRecord} record
 * @property {string} date  ISO
 */

/**
 * What changed in one resource since the last poll, oldest first; the seen records move on.
 * @param {State} state @param {Subscription} subscription @param {string} resource @param {string} pollDate @returns {Change[]}
 */
function changes(state, subscription, resource, pollDate) {
	const spec = /** @type {ObjectSpec} */ (findObject(POLLING_ELEMENT, resource));
	const table = tableOf(state, subscription.instanceId, resource);
	const before = subscription.seen.get(resource) ?? new Map();
	const now = snapshot(state, subscription.instanceId, resource);
	const dateOf = (/** @type {HubRecord} */ record, /** @type {string | undefined} */ field) =>
		field && typeof record[field] === 'string' ? /** @type {string} */ (record[field]) : pollDate;
	/** @type {Change[]} */
	const found = [];
	for (const [id, record] of now) {
		const previous = before.get(id);
		if (!previous)
			found.push({ type: 'CREATED', id, record, date: dateOf(record, spec.createdField) });
		else if (previous !== record)
			found.push({ type: 'UPDATED', id, record, date: dateOf(record, spec.updatedField) });
	}
	for (const [id, record] of before) {
		if (now.has(id)) continue;
		const tombstone = table.deleted.get(id);
		found.push({
			type: 'DELETED',
			id,
			record: tombstone?.record ?? record,
			date: tombstone?.date ?? pollDate,
		});
	}
	subscription.seen.set(resource, now);
	const time = (/** @type {string} */ date) => Date.parse(date) || 0;
	return found.sort(
		(a, b) =>
			time(a.date) - time(b.date) || EVENT_ORDER[a.type] - EVENT_ORDER[b.type] || a.id - b.id,
	);
}

// Notifications

/**
 * The platform's notification bodies for the changes of one resource, 10 events at most each.
 * @param {State} state @param {SandboxInstance} instance @param {string} resource @param {Change[]} events @param {number} now
 * @returns {Notification[]}
 */
function notificationsOf(state, instance, resource, events, now) {
	const account = state.accounts.find((a) => a.userId === instance.user.id);
	const elementKey = instance.element.key;
	/** @type {Notification[]} */
	const notifications = [];
	for (let start = 0; start < events.length; start += MAX_EVENTS_PER_NOTIFICATION) {
		const chunk = events.slice(start, start + MAX_EVENTS_PER_NOTIFICATION);
		const deliveryId = String(state.events.nextDeliveryId++);
		const body = {
			severity: 'medium',
			createdDate: javaDate(now),
			topic: `instance-${instance.id}-${elementKey}-events`,
			action: 'create',
			id: deliveryId,
			user: 'notifications@cloud-elements.com',
			message: {
				elementKey,
				accountId: account?.accountId ?? null,
				companyId: account?.companyId ?? null,
				userId: instance.user.id,
				eventId: crypto.randomBytes(15).toString('base64url'),
				instanceId: instance.id,
				instance_id: instance.id,
				instanceName: instance.name,
				instanceTags: [...instance.tags],
				raw: {
					// As a list shows them: a file's content is never polled.
					[resource]: chunk.map((event) =>
						shownRecord(
							/** @type {ObjectSpec} */ (findObject(POLLING_ELEMENT, resource)),
							event.record,
							'list',
						),
					),
					pollDate: now,
					objectType: resource,
				},
				events: chunk.map((event) => ({
					date: isoSeconds(event.date),
					pollDate: isoSeconds(now),
					elementKey,
					hubKey: 'crm',
					eventType: event.type,
					objectType: resource,
					objectId: String(event.id),
				})),
			},
		};
		notifications.push({
			deliveryId,
			instanceId: instance.id,
			objectType: resource,
			eventCount: chunk.length,
			body: JSON.stringify(body),
		});
	}
	return notifications;
}

/** Java's Date.toString() in UTC, as the platform's createdDate: 'Mon Aug 20 15:30:07 UTC 2018'. @param {number} ms */
function javaDate(ms) {
	const [weekday, day, month, year, time] = new Date(ms).toUTCString().replace(',', '').split(' ');
	return `${weekday} ${month} ${day} ${time} UTC ${year}`;
}

/** '2018-08-20T15:29:06Z' (the events' dates have no milliseconds). @param {string | number} date */
function isoSeconds(date) {
	const ms = typeof date === 'number' ? date : Date.parse(date);
	return Number.isFinite(ms) ? new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z') : String(date);
}

// Delivery

/** @param {State} state @param {number} instanceId @returns {Outbox} */
function outboxOf(state, instanceId) {
	let outbox = state.events.outboxes.get(instanceId);
	if (!outbox) {
		outbox = { queue: [], attempts: 0, retryTimer: undefined, retryAt: undefined, sending: false };
		state.events.outboxes.set(instanceId, outbox);
	}
	return outbox;
}

/**
 * Delivers the instance's queue in order, one notification at a time, while events are on.
 * @param {State} state @param {number} instanceId
 */
function pump(state, instanceId) {
	const engine = state.events;
	const outbox = engine.outboxes.get(instanceId);
	const instance = state.instances.get(instanceId);
	if (
		!outbox ||
		!instance ||
		outbox.sending ||
		outbox.retryTimer ||
		outbox.queue.length === 0 ||
		state.closing
	)
		return;
	if (!engine.subscriptions.has(instanceId)) return;
	const notification = outbox.queue[0];
	const url = String(instance.configuration[KEYS.callbackUrl] ?? '');
	const key = String(instance.configuration[KEYS.signatureKey] ?? '');
	const attempt = outbox.attempts + 1;
	const started = Date.now();
	const generation = engine.generation;
	outbox.sending = true;
	post(state, url, key, notification, (result) => {
		if (
			engine.generation !== generation ||
			engine.outboxes.get(instanceId) !== outbox ||
			state.closing
		)
			return;
		outbox.sending = false;
		const ok = result.status !== null && result.status >= 200 && result.status < 300;
		/** @type {DeliveryRecord} */
		const record = {
			time: new Date(started).toISOString(),
			instanceId,
			deliveryId: notification.deliveryId,
			url,
			attempt,
			eventCount: notification.eventCount,
			objectType: notification.objectType,
			status: result.status,
			error: result.error,
			durationMs: Date.now() - started,
			outcome: 'delivered',
		};
		if (ok) {
			outbox.queue.shift();
			outbox.attempts = 0;
		} else if (attempt <= engine.retryMinutes.length) {
			outbox.attempts = attempt;
			const delayMs = engine.retryMinutes[attempt - 1] * engine.minuteMs;
			Object.assign(record, { outcome: 'retrying', retryInMs: delayMs });
			outbox.retryAt = Date.now() + delayMs;
			outbox.retryTimer = startTimer(state, delayMs, () => {
				Object.assign(outbox, { retryTimer: undefined, retryAt: undefined });
				pump(state, instanceId);
			});
		} else {
			record.outcome = 'deactivated';
			outbox.attempts = 0;
			logDelivery(engine, record);
			deactivate(state, instanceId);
			return;
		}
		logDelivery(engine, record);
		pump(state, instanceId);
	});
}

/** @param {EventsEngine} engine @param {DeliveryRecord} record */
function logDelivery(engine, record) {
	engine.deliveries.push(record);
	if (engine.deliveries.length > MAX_DELIVERY_LOG) engine.deliveries.shift();
}

/** The receiver failed every retry: events are switched off on the instance; the queue stays. @param {State} state @param {number} instanceId */
function deactivate(state, instanceId) {
	const instance = state.instances.get(instanceId);
	if (!instance) return;
	instance.configuration = { ...instance.configuration, [KEYS.enabled]: 'false' };
	syncEvents(state, instanceId);
}

/**
 * POSTs one notification: the exact body bytes, Content-Type application/json,
 * Elements-Webhook-Id (the delivery id) and, with a key, Elements-Webhook-Signature
 * `sha256=<base64 HMAC-SHA256(key, body bytes)>`. Calls `done` once with the status (any answer
 * within 10 s) or the error; reset() and close() cut it (done is not called then).
 * @param {State} state @param {string} url @param {string} key @param {Notification} notification
 * @param {(result: { status: number | null, error: string | null }) => void} done
 */
function post(state, url, key, notification, done) {
	let finished = false;
	const finish = (/** @type {number | null} */ status, /** @type {string | null} */ error) => {
		if (finished) return;
		finished = true;
		state.inFlight.delete(cancel);
		done({ status, error });
	};
	/** @type {http.ClientRequest | undefined} */
	let request;
	const cancel = () => {
		finished = true;
		state.inFlight.delete(cancel);
		request?.destroy();
	};
	/** @type {URL} */
	let target;
	try {
		target = new URL(url);
		if (target.protocol !== 'http:' && target.protocol !== 'https:')
			throw new TypeError('not http(s)');
	} catch {
		setImmediate(() =>
			finish(null, url === '' ? `no ${KEYS.callbackUrl}` : `invalid callback URL '${url}'`),
		);
		return;
	}
	const bytes = Buffer.from(notification.body, 'utf8');
	/** @type {Record<string, string | number>} */
	const headers = {
		'Content-Type': 'application/json',
		'Content-Length': bytes.length,
		'Elements-Webhook-Id': notification.deliveryId,
		'User-Agent': 'cloud-elements-sandbox-events',
	};
	if (key !== '')
		headers['Elements-Webhook-Signature'] =
			`sha256=${crypto.createHmac('sha256', key).update(bytes).digest('base64')}`;
	const req = (target.protocol === 'https:' ? https : http).request(
		target,
		{ method: 'POST', headers, agent: false },
		(response) => {
			response.resume();
			response.on('end', () => finish(response.statusCode ?? null, null));
			response.on('error', (error) => finish(null, error.message));
		},
	);
	request = req;
	state.inFlight.add(cancel);
	req.setTimeout(DELIVERY_TIMEOUT_MS, () =>
		req.destroy(new Error(`no answer within ${DELIVERY_TIMEOUT_MS} ms`)),
	);
	req.on('error', (error) =>
		finish(null, /** @type {NodeJS.ErrnoException} */ (error).code ?? error.message),
	);
	req.end(bytes);
}

// Reading back

/** @param {State} state @param {{ instanceId?: number }} [filter] @returns {DeliveryRecord[]} */
function eventDeliveries(state, filter = {}) {
	return state.events.deliveries
		.filter((d) => filter.instanceId === undefined || d.instanceId === filter.instanceId)
		.map((d) => ({ ...d }));
}

/**
 * Every instance the engine knows: with events on, or with notifications queued.
 * @param {State} state @returns {SubscriptionStatus[]}
 */
function eventSubscriptions(state) {
	const { subscriptions, outboxes } = state.events;
	const ids = [...new Set([...subscriptions.keys(), ...outboxes.keys()])].sort((a, b) => a - b);
	return ids.map((instanceId) => {
		const subscription = subscriptions.get(instanceId);
		const outbox = outboxes.get(instanceId);
		const instance = state.instances.get(instanceId);
		const iso = (/** @type {number | undefined} */ ms) =>
			ms === undefined ? null : new Date(ms).toISOString();
		return {
			instanceId,
			enabled: Boolean(subscription),
			callbackUrl:
				subscription?.callbackUrl ?? String(instance?.configuration[KEYS.callbackUrl] ?? ''),
			signed: String(instance?.configuration[KEYS.signatureKey] ?? '') !== '',
			intervalMinutes: subscription?.intervalMinutes ?? null,
			resources: subscription ? [...subscription.resources] : [],
			ignored: subscription ? subscription.ignored.map((entry) => ({ ...entry })) : [],
			lastPollDate: iso(subscription?.lastPollAt),
			nextPollDate: iso(subscription?.nextPollAt),
			queued: outbox?.queue.length ?? 0,
			queuedEvents: outbox?.queue.reduce((sum, n) => sum + n.eventCount, 0) ?? 0,
			attempts: outbox?.attempts ?? 0,
			nextRetryDate: iso(outbox?.retryAt),
			sending: outbox?.sending ?? false,
		};
	});
}

/**
 * Resolves once nothing is being sent and nothing is ready to send (notifications waiting for a
 * retry, or of instances with events off, do not count), or after `timeoutMs` (rejects).
 * @param {State} state @param {number} [timeoutMs] @returns {Promise<void>}
 */
function eventsSettled(state, timeoutMs = 10000) {
	const busy = () =>
		[...state.events.outboxes].some(
			([id, outbox]) =>
				outbox.sending ||
				(outbox.queue.length > 0 && !outbox.retryTimer && state.events.subscriptions.has(id)),
		);
	const deadline = Date.now() + timeoutMs;
	return new Promise((resolve, reject) => {
		const check = () => {
			if (!busy()) return resolve();
			if (Date.now() > deadline)
				return reject(new Error(`event deliveries still busy after ${timeoutMs} ms`));
			setTimeout(check, 5);
		};
		check();
	});
}

module.exports = {
	createEvents,
	resetEvents,
	syncEvents,
	pollEvents,
	eventDeliveries,
	eventSubscriptions,
	eventsSettled,
	settingsOf,
	DEFAULT_RETRY_MINUTES,
	EVENT_KEYS: KEYS,
};

import type {
	IDataObject,
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import {
	DEFAULT_EVENT_RESOURCES,
	DEFAULT_INTERVAL_MINUTES,
	EVENT_RESOURCES,
	isEventResource,
} from '../../lib/keap/events';
import { parseTags, readBoolean } from '../../lib/params/input';
import { clientOf } from '../../lib/platform/client';
import type { CloudElementsAccount } from '../../lib/security/account';
import { accountSecrets, readAccountCredential, unusableAccount } from '../../lib/security/account';
import { ACCOUNT_CREDENTIAL } from '../../lib/security/credentials';
import { Redactor } from '../../lib/security/redact';
import type { EventFilters } from './notification';
import {
	checkSignature,
	EVENT_TYPES,
	eventItems,
	hasSignature,
	matchesFilters,
	parseJson,
	readNotification,
	SIGNATURE_HEADER,
	WEBHOOK_ID_HEADER,
} from './notification';
import type { RegistrationSettings } from './registration';
import { Registration } from './registration';
import type { ReplayData } from './replays';
import { alreadyReceived, isStale, rememberReceived, replayKey } from './replays';

export const DEFAULT_EVENTS_PATH = 'infusionsoft-crm/events';
const LOG_PREFIX = 'Infusionsoft CRM Events Trigger';
const ANSWER_HEADERS = {
	'Content-Type': 'application/json; charset=utf-8',
	'Cache-Control': 'no-store',
};

const title = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

type SettingsContext = Pick<IWebhookFunctions, 'getNodeParameter' | 'getNode'>;

function booleanSetting(
	ctx: SettingsContext,
	name: string,
	label: string,
	fallback: boolean,
): boolean {
	const value = readBoolean(ctx.getNodeParameter(name, fallback) as unknown);
	if (value === undefined)
		throw new NodeOperationError(ctx.getNode(), `${label} must be true or false`);
	return value;
}

function tagsSetting(ctx: SettingsContext, name: string, label: string): string[] {
	const tags = parseTags(ctx.getNodeParameter(name, '') as unknown);
	if (tags === undefined)
		throw new NodeOperationError(
			ctx.getNode(),
			`${label} must be a comma-separated text or a list of texts`,
		);
	return tags;
}

function readFilters(ctx: SettingsContext): EventFilters {
	const filters = ctx.getNodeParameter('filters', {}) as IDataObject;
	const list = (value: unknown) => (Array.isArray(value) ? value.map(String) : []);
	return {
		eventTypes: list(filters.eventTypes).map((type) => type.toUpperCase()),
		objectTypes: [...list(filters.objectTypes), ...(parseTags(filters.otherObjectTypes) ?? [])],
		instanceTags: parseTags(filters.instanceTags) ?? [],
	};
}

function readRegistration(ctx: SettingsContext): RegistrationSettings {
	const resources = ctx.getNodeParameter('resources', DEFAULT_EVENT_RESOURCES) as unknown;
	const chosen = Array.isArray(resources) ? resources.filter(isEventResource) : [];
	const interval = ctx.getNodeParameter('intervalMinutes', DEFAULT_INTERVAL_MINUTES) as unknown;
	if (typeof interval !== 'number' || !Number.isInteger(interval) || interval < 1) {
		throw new NodeOperationError(
			ctx.getNode(),
			'Polling Interval (Minutes) must be a whole number of at least 1',
		);
	}
	if (chosen.length === 0)
		throw new NodeOperationError(
			ctx.getNode(),
			'Resources must name at least one resource to poll',
		);
	return {
		tags: tagsSetting(ctx, 'registerTags', 'Instance Tags'),
		resources: chosen,
		intervalMinutes: interval,
		sign: booleanSetting(ctx, 'signNotifications', 'Sign Notifications', true),
		takeOver: booleanSetting(
			ctx,
			'takeOverInstances',
			'Take Over Instances Already Sending Elsewhere',
			false,
		),
	};
}

function maxAgeSetting(ctx: SettingsContext): number {
	const minutes = ctx.getNodeParameter('maxAgeMinutes', 0) as unknown;
	if (typeof minutes !== 'number' || !Number.isInteger(minutes) || minutes < 0) {
		throw new NodeOperationError(
			ctx.getNode(),
			'Max Notification Age (Minutes) must be a whole number, 0 or more (0: no limit)',
		);
	}
	return minutes;
}

/** The raw bytes n8n read for the request (n8n 1.x and 2.x: `rawBody`, read on demand by `readRawBody`). */
async function rawBodyOf(req: {
	rawBody?: unknown;
	readRawBody?: unknown;
}): Promise<Buffer | undefined> {
	if (!Buffer.isBuffer(req.rawBody) && typeof req.readRawBody === 'function') {
		try {
			await (req.readRawBody as () => Promise<void>).call(req);
		} catch {
			return undefined;
		}
	}
	if (Buffer.isBuffer(req.rawBody)) return req.rawBody;
	return typeof req.rawBody === 'string' ? Buffer.from(req.rawBody, 'utf8') : undefined;
}

const NO_RAW_BODY = 'n8n did not hand the trigger the raw body, so the signature cannot be checked';
const SIGNED_WITHOUT_KEY =
	'The notification is signed, but the Cloud Elements API credential has no Event Signature Key to check the signature with: set the key the instances sign with as its Event Signature Key';
const NO_KEY =
	'The Cloud Elements API credential has no Event Signature Key, so notifications cannot be checked: set its Event Signature Key (and register the instances’ events with it, e.g. with Register on Activation), or turn on Accept Unsigned Notifications';

/** Activation fails when notifications could not be checked, or registration has nothing to work with. */
async function activation(
	ctx: IHookFunctions,
): Promise<{ account: CloudElementsAccount; registration?: RegistrationSettings }> {
	const { account, problems } = await readAccountCredential(ctx);
	const acceptUnsigned = booleanSetting(
		ctx,
		'acceptUnsigned',
		'Accept Unsigned Notifications',
		false,
	);
	const register = booleanSetting(ctx, 'registerOnActivation', 'Register on Activation', false);
	const registration = register ? readRegistration(ctx) : undefined;
	maxAgeSetting(ctx);
	if (!acceptUnsigned && !account.eventSignatureKey)
		throw new NodeOperationError(ctx.getNode(), NO_KEY);
	// A key too short to be told apart from ordinary text could not be kept out of outputs.
	const shortKey = problems.find((problem) => problem.startsWith('Event Signature Key'));
	if (shortKey) throw unusableAccount(ctx.getNode(), [shortKey]);
	if (!acceptUnsigned && registration && !registration.sign) {
		throw new NodeOperationError(
			ctx.getNode(),
			'Sign Notifications is off, so the instances would send unsigned notifications, which this trigger refuses',
			{
				description: 'Turn on Sign Notifications, or Accept Unsigned Notifications.',
			},
		);
	}
	if (registration && problems.length > 0) {
		throw unusableAccount(
			ctx.getNode(),
			problems,
			'Register on Activation calls the platform with this credential. Open it and fix the fields named above.',
		);
	}
	return { account, registration };
}

/** Listen for test event registers nothing: the instances keep sending to the Production URL. */
function registers(
	ctx: IHookFunctions,
	registration: RegistrationSettings | undefined,
): registration is RegistrationSettings {
	if (registration && ctx.getMode() === 'manual') {
		ctx.logger.info(
			`${LOG_PREFIX}: Register on Activation applies to the Production URL only; listening for a test event registers nothing`,
		);
		return false;
	}
	return registration !== undefined;
}

function productionUrl(ctx: IHookFunctions): string {
	const url = ctx.getNodeWebhookUrl('default');
	if (!url) throw new NodeOperationError(ctx.getNode(), 'n8n gave no URL for this trigger');
	return url;
}

export class InfusionsoftCrmEventsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Infusionsoft CRM Events Trigger',
		name: 'infusionsoftCrmEventsTrigger',
		// Listed as the Infusionsoft CRM (Cloud Elements) Trigger (InfusionsoftCrmTrigger); kept for saved workflows.
		hidden: true,
		icon: {
			light: 'file:../InfusionsoftCrm/infusionsoftCrm.svg',
			dark: 'file:../InfusionsoftCrm/infusionsoftCrm.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle:
			'={{$parameter["registerOnActivation"] ? "Registers its URL on activation" : "Receives signed event notifications"}}',
		description:
			'Starts the workflow when Cloud Elements / Open Connectors notifies that Keap records changed (polled events of Keap REST instances), one item per event',
		defaults: { name: 'Infusionsoft CRM Events' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: ACCOUNT_CREDENTIAL, required: true }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: '={{$parameter["path"]}}',
				isFullPath: true,
				ndvHideMethod: true,
			},
		],
		triggerPanel: {
			header: 'Waiting for an event notification from Cloud Elements',
			executionsHelp: {
				inactive:
					'To test, send a notification to the <b>Test URL</b> and click "Listen for test event" first (Register on Activation does not register the Test URL). Once the workflow is active, the instances’ events go to the <b>Production URL</b>.',
				active:
					'The workflow runs for every notification the platform sends to the Production URL, with one item per event. Executions appear in the list of executions.',
			},
			activationHint:
				'Activate the workflow so that the Production URL receives notifications. With Register on Activation, activating also points the chosen instances’ events at it.',
		},
		properties: [
			{
				displayName:
					'The platform POSTs each instance’s event notifications to its callback URL: use this node’s Production URL, either with Register on Activation below or in the instances’ event configuration. Notifications are checked with the Event Signature Key of the Cloud Elements API credential.',
				name: 'eventsNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Path',
				name: 'path',
				type: 'string',
				default: DEFAULT_EVENTS_PATH,
				required: true,
				placeholder: DEFAULT_EVENTS_PATH,
				description: 'The end of the notification URL. Each Events Trigger needs its own path.',
				hint: 'The Production URL above is where the instances’ events must go',
			},
			{
				displayName: 'Accept Unsigned Notifications',
				name: 'acceptUnsigned',
				type: 'boolean',
				default: false,
				description:
					'Whether to start the workflow for notifications without a signature (or when the credential has no Event Signature Key). A notification with a wrong signature is always refused.',
			},
			{
				displayName:
					'Anyone who knows the Production URL can then start this workflow with events of their own making. Prefer an Event Signature Key on the credential.',
				name: 'unsignedWarning',
				type: 'notice',
				default: '',
				displayOptions: { show: { acceptUnsigned: [true] } },
			},
			{
				displayName: 'Max Notification Age (Minutes)',
				name: 'maxAgeMinutes',
				type: 'number',
				typeOptions: { minValue: 0, numberPrecision: 0 },
				default: 0,
				description:
					'Notifications the platform made longer ago than this (by their createdDate) are answered 200 and start nothing, so an old signed notification cannot be replayed; 0: no limit. Genuine ones delivered late (the platform’s retries while n8n was down) are dropped too.',
			},
			{
				displayName: 'Include Raw Record',
				name: 'includeRaw',
				type: 'boolean',
				default: true,
				description:
					'Whether to add the changed record as the platform sent it (Keap’s own field names) as "raw", or null when the notification has none for the event',
			},
			{
				displayName: 'Filters',
				name: 'filters',
				type: 'collection',
				placeholder: 'Add Filter',
				default: {},
				description:
					'Only events that pass every filter set become items; a notification with none left starts nothing',
				options: [
					{
						displayName: 'Event Types',
						name: 'eventTypes',
						type: 'multiOptions',
						default: [],
						description: 'Events of any of these types; none chosen: every type',
						options: EVENT_TYPES.map((type) => ({ name: title(type.toLowerCase()), value: type })),
					},
					{
						displayName: 'Instance Tags',
						name: 'instanceTags',
						type: 'string',
						default: '',
						placeholder: 'customer-42, vip',
						description:
							'Events of instances that have any of these tags (comma-separated); empty: every instance',
					},
					{
						displayName: 'Object Types',
						name: 'objectTypes',
						type: 'multiOptions',
						default: [],
						description:
							'Events about any of these objects; none chosen (and no Other Object Types): every object',
						options: EVENT_RESOURCES.map((resource) => ({
							name: title(resource),
							value: resource,
						})),
					},
					{
						displayName: 'Other Object Types',
						name: 'otherObjectTypes',
						type: 'string',
						default: '',
						placeholder: 'notes, companies',
						description:
							'More object types, comma-separated, as the platform names them in objectType (added to Object Types)',
					},
				],
			},
			{
				displayName: 'Register on Activation',
				name: 'registerOnActivation',
				type: 'boolean',
				default: false,
				description:
					'Whether activating the workflow points the events of the chosen Keap REST instances at this trigger’s Production URL and turns them on (PATCH /instances/{ID}), and deactivating turns them off again (or gives instances taken over their previous settings back)',
			},
			{
				displayName:
					'Instances whose events already go to another URL (another system, or another workflow’s trigger) are left alone: the activation’s n8n log names them, and activation fails when no instance is left. Turn on Take Over Instances Already Sending Elsewhere to send their events here.',
				name: 'leftAloneNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { registerOnActivation: [true], takeOverInstances: [false] } },
			},
			{
				displayName: 'Instance Tags',
				name: 'registerTags',
				type: 'string',
				default: '',
				placeholder: 'customer, vip',
				description:
					'Register the instances that have any of these tags (comma-separated); empty: every Keap REST instance of the account. Legacy Infusionsoft CRM instances have no polling events and are skipped.',
				displayOptions: { show: { registerOnActivation: [true] } },
			},
			{
				displayName: 'Resources',
				name: 'resources',
				type: 'multiOptions',
				default: ['contacts'],
				description: 'What the platform polls for changes',
				options: EVENT_RESOURCES.map((resource) => ({ name: title(resource), value: resource })),
				displayOptions: { show: { registerOnActivation: [true] } },
			},
			{
				displayName: 'Polling Interval (Minutes)',
				name: 'intervalMinutes',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: DEFAULT_INTERVAL_MINUTES,
				description:
					'How often the platform polls Keap; each poll costs API calls against Keap’s limits',
				hint: 'Keap allows 1,500 calls a minute per app, shared by all its customers’ instances',
				displayOptions: { show: { registerOnActivation: [true] } },
			},
			{
				displayName: 'Sign Notifications',
				name: 'signNotifications',
				type: 'boolean',
				default: true,
				description:
					'Whether the instances sign their notifications with the credential’s Event Signature Key (when it has one)',
				displayOptions: { show: { registerOnActivation: [true] } },
			},
			{
				displayName: 'Take Over Instances Already Sending Elsewhere',
				name: 'takeOverInstances',
				type: 'boolean',
				default: false,
				description:
					'Whether to also point at this trigger the instances whose events go to another URL. Deactivating gives them their previous callback URL, interval and resources back, unless someone changed them since; the previous signature key cannot be read back, so they keep this credential’s.',
				displayOptions: { show: { registerOnActivation: [true] } },
			},
		],
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const { account, registration } = await activation(this);
				if (!registers(this, registration)) return true;
				return await new Registration(
					this,
					clientOf(this, account),
					productionUrl(this),
				).isRegistered(registration);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const { account, registration } = await activation(this);
				if (!registers(this, registration)) return true;
				await new Registration(this, clientOf(this, account), productionUrl(this)).register(
					registration,
				);
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				if (this.getMode() === 'manual') return true;
				const ids = (this.getWorkflowStaticData('node') as { registeredInstanceIds?: unknown })
					.registeredInstanceIds;
				if (!Array.isArray(ids) || ids.length === 0) return true;
				const { account } = await readAccountCredential(this);
				return await new Registration(
					this,
					clientOf(this, account),
					productionUrl(this),
				).unregister();
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const answer = (status: number, body: IDataObject): IWebhookResponseData => {
			this.getResponseObject().writeHead(status, ANSWER_HEADERS).end(JSON.stringify(body));
			return { noWebhookResponse: true };
		};
		let redactor = new Redactor([]);
		try {
			const { account } = await readAccountCredential(this);
			redactor = new Redactor(accountSecrets(account));
			const refuse = (status: number, reason: string): IWebhookResponseData => {
				this.logger.warn(`${LOG_PREFIX}: notification refused (HTTP ${status}): ${reason}`);
				return answer(status, { message: reason });
			};
			const acceptUnsigned = booleanSetting(
				this,
				'acceptUnsigned',
				'Accept Unsigned Notifications',
				false,
			);
			const headers = this.getHeaderData() as IDataObject;
			const signature = headers[SIGNATURE_HEADER];
			const webhookIdHeader = headers[WEBHOOK_ID_HEADER];
			const webhookId =
				typeof webhookIdHeader === 'string' && webhookIdHeader !== '' ? webhookIdHeader : null;
			const raw = await rawBodyOf(this.getRequestObject() as never);

			// The signature first, over the exact bytes, before anything reads them.
			let verified = false;
			if (account.eventSignatureKey && raw) {
				const check = checkSignature(signature, raw, account.eventSignatureKey);
				if (check === 'invalid')
					return refuse(401, 'The notification’s signature does not match the Event Signature Key');
				if (check === 'missing' && !acceptUnsigned)
					return refuse(
						401,
						'The notification is not signed (no Elements-Webhook-Signature header)',
					);
				verified = check === 'valid';
			} else if (!acceptUnsigned) {
				return refuse(401, account.eventSignatureKey ? NO_RAW_BODY : NO_KEY);
			} else if (hasSignature(signature)) {
				// A signature that cannot be checked could be a forgery: only a notification with none is let in unchecked.
				return refuse(401, account.eventSignatureKey ? NO_RAW_BODY : SIGNED_WITHOUT_KEY);
			}

			let body: unknown;
			if (raw) {
				const parsed = parseJson(raw.toString('utf8'));
				if (!parsed.ok) return refuse(400, 'The body is not JSON');
				body = parsed.value;
			} else {
				body = this.getBodyData();
			}
			const read = readNotification(body);
			if (!read.ok) return refuse(400, read.problem);
			const notification = read.notification;
			if (notification.tolerated.length > 0) {
				this.logger.debug(
					`${LOG_PREFIX}: read a notification in a tolerated shape: ${notification.tolerated.join('; ')}`,
				);
			}

			// Answered 2xx: the platform retries anything else, and then turns the instance's events off.
			const now = Date.now();
			if (isStale(notification, maxAgeSetting(this), now)) {
				this.logger.warn(
					`${LOG_PREFIX}: notification ignored: older than Max Notification Age (Minutes)`,
				);
				return answer(200, { message: 'Ignored: older than Max Notification Age', events: 0 });
			}
			const memory = this.getWorkflowStaticData('node') as ReplayData;
			const key = replayKey(notification, webhookId);
			if (key !== undefined && alreadyReceived(memory, key, now)) {
				this.logger.info(
					redactor.text(
						`${LOG_PREFIX}: notification ${JSON.stringify(key.slice(0, 80))} received again (a replay, or the platform’s retry): not run again`,
					),
				);
				return answer(200, { message: 'Already received; not run again', events: 0 });
			}

			const includeRaw = booleanSetting(this, 'includeRaw', 'Include Raw Record', true);
			const filters = readFilters(this);
			const items = eventItems(notification, {
				includeRaw,
				webhookId,
				signatureVerified: verified,
			}).filter((item) => matchesFilters(item, filters));
			if (items.length === 0)
				return answer(200, { message: 'Received; no event passed the filters', events: 0 });
			// n8n saves the static data once the answer is given, before the run starts.
			if (key !== undefined) rememberReceived(memory, key, now);
			answer(200, { message: 'Received', events: items.length });
			return {
				noWebhookResponse: true,
				workflowData: [items.map((json) => ({ json: redactor.json(json) }))],
			};
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			this.logger.error(
				redactor.text(`${LOG_PREFIX}: the notification could not be handled: ${message}`),
			);
			return answer(500, { message: 'The notification could not be handled; see the n8n log' });
		}
	}
}

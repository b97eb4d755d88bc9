import type {
	IDataObject,
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import type { CallbackSettings } from '../../lib/params/callbackSettings';
import {
	callbackSettingsFields,
	CallbackSettingsError,
	readCallbackSettings,
} from '../../lib/params/callbackSettings';
import { appProblems, readAppCredential, unusableApp } from '../../lib/security/app';
import { infusionsoftCrmOAuth2ApiTest } from '../../lib/security/appCredentialTest';
import type { CallbackQuery } from '../../lib/security/callback';
import { checkCallback, withoutCode } from '../../lib/security/callback';
import type { PageKind } from './page';
import { PAGE_HEADERS, pageText, renderPage } from './page';
import type { UsedCallbacks } from './usedCallbacks';
import { callbackKeys, rememberUsed, usedBefore } from './usedCallbacks';

export const DEFAULT_CALLBACK_PATH = 'infusionsoft-crm/callback';

type SettingsContext = Pick<IWebhookFunctions, 'getNodeParameter' | 'getCredentials' | 'getNode'>;

/** The node's checks, read once per request; throws when the node or its credential cannot check a state. */
async function checkSettings(ctx: SettingsContext): Promise<CallbackSettings> {
	return await readCallbackSettings(
		(name, fallback) => ctx.getNodeParameter(name, fallback),
		async () => {
			const { app, problems } = await readAppCredential(ctx);
			const blocking = appProblems(app, problems, 'state');
			if (blocking.length > 0) {
				throw unusableApp(ctx.getNode(), blocking, {
					description: 'A signed state is checked with the app’s Client ID and Client Secret.',
				});
			}
			return { clientId: app.clientId, clientSecret: app.clientSecret };
		},
	).catch((error: unknown) => {
		if (error instanceof CallbackSettingsError) {
			throw new NodeOperationError(ctx.getNode(), error.message, {
				description: error.description,
			});
		}
		throw error;
	});
}

/** Anything that is not a redirect from an authorization (a bot, a bookmark) starts no execution. */
function isCallback(query: CallbackQuery): boolean {
	return ['code', 'error', 'state'].some((key) => query[key] !== undefined);
}

export class InfusionsoftCrmOAuthTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Infusionsoft CRM OAuth Callback Trigger',
		name: 'infusionsoftCrmOAuthTrigger',
		icon: {
			light: 'file:../InfusionsoftCrm/infusionsoftCrm.svg',
			dark: 'file:../InfusionsoftCrm/infusionsoftCrm.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle: '={{"State check: " + $parameter["stateCheck"]}}',
		description:
			'Starts the workflow when Infusionsoft sends a user back after they authorized (or declined) the connection',
		defaults: { name: 'Infusionsoft OAuth Callback' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Authorized', 'Denied or Invalid'],
		// A literal: n8n's lint (credential-test-required) finds the credential's test through it.
		credentials: [
			{
				name: 'infusionsoftCrmOAuth2Api',
				required: true,
				testedBy: 'infusionsoftCrmOAuth2ApiTest',
			},
		],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'GET',
				responseMode: 'onReceived',
				path: '={{$parameter["path"]}}',
				isFullPath: true,
				ndvHideMethod: true,
			},
		],
		triggerPanel: {
			header: 'Waiting for Infusionsoft to send a user back',
			executionsHelp: {
				inactive:
					'To test, set the <b>Test URL</b> as the Callback URL of the credential and the app, click "Listen for test event", then open an OAuth URL from Get OAuth URL and allow access. Once the workflow is active, use the <b>Production URL</b>.',
				active:
					'The workflow runs for every user Infusionsoft sends back to the Production URL. Executions appear in the list of executions.',
			},
			activationHint:
				'Activate the workflow so that the Production URL receives callbacks, and register that URL with your Infusionsoft app.',
		},
		properties: [
			{
				displayName:
					'Copy the Production URL above into the Callback URL of the Infusionsoft CRM OAuth2 API credential, and register the same URL as the callback URL of your Infusionsoft app: all three must match exactly.',
				name: 'callbackUrlNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Path',
				name: 'path',
				type: 'string',
				default: DEFAULT_CALLBACK_PATH,
				required: true,
				placeholder: DEFAULT_CALLBACK_PATH,
				description:
					'The end of the callback URL. Each app (credential) that has its own callback URL needs its own path.',
			},
			...callbackSettingsFields,
			{
				displayName: 'Page Texts',
				name: 'pageTexts',
				type: 'collection',
				placeholder: 'Add Text',
				default: {},
				description:
					'What the user’s browser shows after the redirect, e.g. in their language. Plain text; the code and state are never shown.',
				options: [
					{
						displayName: 'Already Received Message',
						name: 'usedMessage',
						type: 'string',
						typeOptions: { rows: 3 },
						default: '',
					},
					{ displayName: 'Already Received Title', name: 'usedTitle', type: 'string', default: '' },
					{
						displayName: 'Authorized Message',
						name: 'authorizedMessage',
						type: 'string',
						typeOptions: { rows: 3 },
						default: '',
					},
					{ displayName: 'Authorized Title', name: 'authorizedTitle', type: 'string', default: '' },
					{
						displayName: 'Denied Message',
						name: 'deniedMessage',
						type: 'string',
						typeOptions: { rows: 3 },
						default: '',
					},
					{ displayName: 'Denied Title', name: 'deniedTitle', type: 'string', default: '' },
					{
						displayName: 'Invalid Link Message',
						name: 'invalidMessage',
						type: 'string',
						typeOptions: { rows: 3 },
						default: '',
					},
					{ displayName: 'Invalid Link Title', name: 'invalidTitle', type: 'string', default: '' },
				],
			},
		],
	};

	methods = {
		credentialTest: { infusionsoftCrmOAuth2ApiTest },
	};

	// Infusionsoft has no API to register a callback URL: the user registers it with the app by
	// hand. Activation only checks that callbacks can be verified, so mistakes show up then.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				await checkSettings(this);
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				await checkSettings(this);
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const query = { ...((this.getQueryData() ?? {}) as CallbackQuery) };
		const texts = this.getNodeParameter('pageTexts', {}) as IDataObject;
		const answer = (status: number, kind: PageKind) => {
			this.getResponseObject()
				.writeHead(status, PAGE_HEADERS)
				.end(renderPage(pageText(kind, texts)));
		};

		if (!isCallback(query)) {
			answer(400, 'notACallback');
			return { noWebhookResponse: true };
		}
		const result = checkCallback(query, { ...(await checkSettings(this)), now: Date.now() });

		if (result.ok) {
			const { code, context, element, state, issuedAt } = result;
			const memory = this.getWorkflowStaticData('node') as UsedCallbacks;
			const keys = callbackKeys(code);
			const now = Date.now();
			if (usedBefore(memory, keys, now)) {
				this.logger.info(
					'Infusionsoft OAuth Callback: a callback received before (its code was passed on already: a reload?): not run again',
				);
				answer(409, 'used');
				return { noWebhookResponse: true };
			}
			rememberUsed(memory, keys, now);
			answer(200, 'authorized');
			return {
				noWebhookResponse: true,
				workflowData: [[{ json: { code, context, element, state, issuedAt, query } }], []],
			};
		}

		answer(
			result.reason === 'denied' ? 200 : 400,
			result.reason === 'denied' ? 'denied' : 'invalid',
		);
		const json: IDataObject = {
			reason: result.reason,
			message: result.message,
			error: result.error ?? null,
			errorDescription: result.errorDescription ?? null,
		};
		if (result.context !== undefined) json.context = result.context;
		if (result.issuedAt !== undefined) json.issuedAt = result.issuedAt;
		json.query = withoutCode(query);
		return { noWebhookResponse: true, workflowData: [[], [{ json }]] };
	}
}

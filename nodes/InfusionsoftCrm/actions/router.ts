import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { CloudElementsAccount } from '../../../lib/security/account';
import { accountSecrets, FIX_THE_CREDENTIAL, readAccount, unusableAccount } from '../../../lib/security/account';
import type { InfusionsoftApp } from '../../../lib/keap/elements';
import type { AppProblem, AppUse } from '../../../lib/security/app';
import { appProblems, readApp } from '../../../lib/security/app';
import type { Slot } from '../../../lib/platform/concurrency';
import { KeyedQueue, mapWithConcurrency } from '../../../lib/platform/concurrency';
import { Redactor } from '../../../lib/security/redact';
import { readRequestSettings } from '../../../lib/params/requestOptions';
import { outputShape } from '../helpers/toolOutput';
import type { Platform } from '../../../lib/platform/cloudElements';
import { CloudElementsTransport } from '../../../lib/platform/cloudElements';
import { contact } from './contact';
import { customApiCall } from './customApiCall';
import { instance } from './instance';
import { oauth } from './oauth';
import { task } from './task';
import type { ItemContext, Operation, Resource, SameNameQueue } from './types';

export const RESOURCES: Resource[] = [oauth, instance, contact, task, customApiCall];

export const ACCOUNT_CREDENTIAL = 'cloudElementsApi';
export const APP_CREDENTIAL = 'infusionsoftCrmOAuth2Api';

function findOperation(ctx: IExecuteFunctions): Operation {
	const resource = ctx.getNodeParameter('resource', 0) as string;
	const name = ctx.getNodeParameter('operation', 0) as string;
	const operation = RESOURCES.find((r) => r.name === resource)?.operations[name];
	if (!operation) {
		throw new NodeOperationError(ctx.getNode(), `The operation "${name}" of "${resource}" is not known`);
	}
	return operation;
}

/** A credential the node has selected; n8n's own errors (not found, not decryptable) go through as they are. */
async function credentialData(ctx: IExecuteFunctions, type: string, displayName: string): Promise<IDataObject> {
	if (!ctx.getNode().credentials?.[type]) {
		throw new NodeOperationError(ctx.getNode(), `The ${displayName} credential is not set`, {
			description: `Select or create a "${displayName}" credential on this node.`,
		});
	}
	return (await ctx.getCredentials(type)) as IDataObject;
}

async function loadAccount(ctx: IExecuteFunctions): Promise<CloudElementsAccount> {
	const { account, problems } = readAccount(await credentialData(ctx, ACCOUNT_CREDENTIAL, 'Cloud Elements API'));
	if (problems.length > 0) {
		throw unusableAccount(ctx.getNode(), problems, FIX_THE_CREDENTIAL);
	}
	return account;
}

/** What one execution shares between its items; made anew for every execution (queue mode safe). */
class Execution {
	/** Every credential secret read so far; items add their own on top. */
	redactor: Redactor;

	readonly sameName = new KeyedQueue();

	readonly memo = new Map<string, Promise<unknown>>();

	private appRead?: Promise<{ app: InfusionsoftApp; problems: AppProblem[] }>;

	constructor(
		readonly ctx: IExecuteFunctions,
		readonly transport: CloudElementsTransport | undefined,
		readonly account: CloudElementsAccount | undefined,
	) {
		this.redactor = new Redactor(accountSecrets(account));
	}

	/** Read once, when an item first needs it: Parse Callback without a signed state never does. */
	async readApp(): Promise<{ app: InfusionsoftApp; problems: AppProblem[] }> {
		this.appRead ??= credentialData(this.ctx, APP_CREDENTIAL, 'Infusionsoft CRM OAuth2 API').then((data) => {
			const read = readApp(data);
			this.redactor = this.redactor.with([read.app.clientSecret, read.app.encryptedKey]);
			return read;
		});
		return await this.appRead;
	}
}

class Item implements ItemContext {
	private secrets: string[] = [];

	private own?: { base: Redactor; redactor: Redactor };

	constructor(
		private readonly execution: Execution,
		readonly index: number,
		private readonly slot: Slot,
	) {}

	/** The execution's redactor plus this item's secrets, made again only when either changed. */
	get redactor(): Redactor {
		const base = this.execution.redactor;
		if (this.secrets.length === 0) return base;
		if (this.own?.base !== base) this.own = { base, redactor: base.with(this.secrets) };
		return this.own.redactor;
	}

	get platform(): Platform {
		const { transport } = this.execution;
		if (!transport) throw new Error('This operation declares no Cloud Elements account');
		return transport.forItem(this.index, this.redactor);
	}

	get eventSignatureKey(): string {
		return this.execution.account?.eventSignatureKey ?? '';
	}

	readonly sameName: SameNameQueue = {
		run: async (name, task) => await this.execution.sameName.run(name, task, async (turn) => await this.outside(turn)),
	};

	readonly outside = async <T>(wait: Promise<T>): Promise<T> => await this.slot.outside(wait);

	readonly whenIdle = async (): Promise<void> => await this.slot.whenIdle();

	readonly remember = async <T>(key: string, load: () => Promise<T>): Promise<T> => {
		const { memo } = this.execution;
		if (!memo.has(key)) memo.set(key, load());
		return (await memo.get(key)) as T;
	};

	addSecret(secret: string): void {
		this.secrets.push(secret);
		this.own = undefined;
	}

	async app(use: AppUse): Promise<InfusionsoftApp> {
		const { app, problems } = await this.execution.readApp();
		const blocking = appProblems(app, problems, use);
		if (blocking.length > 0) {
			throw new NodeOperationError(
				this.execution.ctx.getNode(),
				`The Infusionsoft CRM OAuth2 API credential is unusable: ${blocking.join('; ')}`,
				{ itemIndex: this.index, description: 'Open the credential and fix the fields named above.' },
			);
		}
		return app;
	}
}

function errorItem(error: NodeApiError | NodeOperationError, itemIndex: number): INodeExecutionData {
	const json: IDataObject = { error: error.message };
	if (typeof error.description === 'string' && error.description) json.errorDescription = error.description;
	const httpCode = (error as { httpCode?: unknown }).httpCode;
	if (typeof httpCode === 'string' && httpCode) json.httpCode = httpCode;
	const reason = error.context?.reason;
	if (typeof reason === 'string') json.reason = reason;
	return { json, pairedItem: { item: itemIndex } };
}

/** Errors from the transport and the input checks are n8n errors already; anything else is wrapped, redacted. */
function asNodeError(
	ctx: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
	redactor: Redactor,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.context.itemIndex ??= itemIndex;
		return error;
	}
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(ctx.getNode(), redactor.text(message), { itemIndex });
}

/**
 * Owns the item loop: picks the operation, reads the credentials it declares, runs every item
 * with bounded concurrency, pairs and redacts every output (and keeps credentials from an AI
 * agent), and applies Continue On Fail.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const operation = findOperation(this);
	const { concurrency, policy } = readRequestSettings(this.getNodeParameter('requestOptions', 0, {}) as IDataObject);
	const account = operation.credentials.account ? await loadAccount(this) : undefined;
	const transport = account ? new CloudElementsTransport(this, account, policy) : undefined;
	const execution = new Execution(this, transport, account);
	const shape = outputShape(this);

	const perItem = await mapWithConcurrency(items.length, concurrency, async (itemIndex, slot) => {
		const item = new Item(execution, itemIndex, slot);
		try {
			const result = await operation.execute.call(this, item);
			const rows = Array.isArray(result) ? result : [result];
			const redactor = item.redactor;
			return rows.map((json) => ({ json: shape(redactor.json(json)), pairedItem: { item: itemIndex } }));
		} catch (error) {
			const failure = asNodeError(this, error, itemIndex, item.redactor);
			if (this.continueOnFail()) return [errorItem(failure, itemIndex)];
			throw failure;
		}
	});
	return [perItem.flat()];
}

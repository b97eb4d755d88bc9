import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { InfusionsoftApp } from '../../../lib/keap/elements';
import { readRequestSettings } from '../../../lib/params/requestOptions';
import type { Client } from '../../../lib/platform/client';
import { openClient } from '../../../lib/platform/client';
import type { Platform } from '../../../lib/platform/cloudElements';
import type { Slot } from '../../../lib/platform/concurrency';
import { KeyedQueue, mapWithConcurrency } from '../../../lib/platform/concurrency';
import type { AppProblem, AppUse } from '../../../lib/security/app';
import { appProblems, readAppCredential, unusableApp } from '../../../lib/security/app';
import { Redactor } from '../../../lib/security/redact';
import { outputShape } from '../helpers/toolOutput';
import { contact } from './contact';
import { customApiCall } from './customApiCall';
import { instance } from './instance';
import { oauth } from './oauth';
import { task } from './task';
import type { ItemContext, Operation, Resource, SameNameQueue } from './types';

export const RESOURCES: Resource[] = [oauth, instance, contact, task, customApiCall];

function findOperation(ctx: IExecuteFunctions): Operation {
	const resource = ctx.getNodeParameter('resource', 0) as string;
	const name = ctx.getNodeParameter('operation', 0) as string;
	const operation = RESOURCES.find((r) => r.name === resource)?.operations[name];
	if (!operation) {
		throw new NodeOperationError(
			ctx.getNode(),
			`The operation "${name}" of "${resource}" is not known`,
		);
	}
	return operation;
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
		readonly client: Client | undefined,
	) {
		this.redactor = client?.redactor ?? new Redactor([]);
	}

	/** Read once, when an item first needs it: Parse Callback without a signed state never does. */
	async readApp(): Promise<{ app: InfusionsoftApp; problems: AppProblem[] }> {
		this.appRead ??= readAppCredential(this.ctx).then((read) => {
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
		const { client } = this.execution;
		if (!client) throw new Error('This operation declares no Cloud Elements account');
		return client.transport.forItem(this.index, this.redactor);
	}

	get eventSignatureKey(): string {
		return this.execution.client?.account.eventSignatureKey ?? '';
	}

	readonly sameName: SameNameQueue = {
		run: async (name, task) =>
			await this.execution.sameName.run(name, task, async (turn) => await this.outside(turn)),
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
		if (blocking.length > 0)
			throw unusableApp(this.execution.ctx.getNode(), blocking, { itemIndex: this.index });
		return app;
	}
}

function errorItem(
	error: NodeApiError | NodeOperationError,
	itemIndex: number,
): INodeExecutionData {
	const json: IDataObject = { error: error.message };
	if (typeof error.description === 'string' && error.description)
		json.errorDescription = error.description;
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
	const { concurrency, policy } = readRequestSettings(
		this.getNodeParameter('requestOptions', 0, {}) as IDataObject,
	);
	const client = operation.credentials.account ? await openClient(this, policy) : undefined;
	const execution = new Execution(this, client);
	const shape = outputShape(this);

	const perItem = await mapWithConcurrency(items.length, concurrency, async (itemIndex, slot) => {
		const item = new Item(execution, itemIndex, slot);
		try {
			const result = await operation.execute.call(this, item);
			const rows = Array.isArray(result) ? result : [result];
			const redactor = item.redactor;
			return rows.map((json) => ({
				json: shape(redactor.json(json)),
				pairedItem: { item: itemIndex },
			}));
		} catch (error) {
			const failure = asNodeError(this, error, itemIndex, item.redactor);
			if (this.continueOnFail()) return [errorItem(failure, itemIndex)];
			throw failure;
		}
	});
	return [perItem.flat()];
}

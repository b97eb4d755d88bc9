import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { readApp } from '../shared/app';
import { KeyedQueue, mapWithConcurrency } from '../shared/concurrency';
import { DEFAULT_CONCURRENCY, MAX_CONCURRENCY } from '../shared/descriptions';
import { Redactor } from '../shared/redact';
import type { CloudElementsAccount, RetryPolicy } from '../transport/cloudElements';
import { CloudElementsTransport, DEFAULT_RETRY_POLICY } from '../transport/cloudElements';
import * as instance from './instance';
import * as oauth from './oauth';
import type { Operation, OperationContext } from './types';

const resources: Record<string, Record<string, Operation>> = {
	oauth: oauth.operations,
	instance: instance.operations,
};

const ACCOUNT_CREDENTIAL = 'cloudElementsApi';
const APP_CREDENTIAL = 'infusionsoftCrmOAuth2Api';

async function optionalCredentials(ctx: IExecuteFunctions, type: string): Promise<IDataObject | undefined> {
	try {
		return (await ctx.getCredentials(type)) as IDataObject;
	} catch {
		return undefined;
	}
}

function clamp(value: unknown, min: number, max: number, fallback: number): number {
	const n = typeof value === 'number' && Number.isFinite(value) ? value : fallback;
	return Math.min(max, Math.max(min, Math.floor(n)));
}

function requestSettings(ctx: IExecuteFunctions): { concurrency: number; policy: RetryPolicy } {
	const options = ctx.getNodeParameter('requestOptions', 0, {}) as IDataObject;
	return {
		concurrency: clamp(options.concurrency, 1, MAX_CONCURRENCY, DEFAULT_CONCURRENCY),
		policy: {
			maxRetries: clamp(options.maxRetries, 0, 10, DEFAULT_RETRY_POLICY.maxRetries),
			maxWaitMs: clamp(options.maxRetryWaitSeconds, 0, 600, DEFAULT_RETRY_POLICY.maxWaitMs / 1000) * 1000,
			timeoutMs: clamp(options.timeoutSeconds, 1, 600, DEFAULT_RETRY_POLICY.timeoutMs / 1000) * 1000,
		},
	};
}

function errorItem(error: Error, itemIndex: number): INodeExecutionData {
	const json: IDataObject = { error: error.message };
	const description = (error as { description?: unknown }).description;
	if (typeof description === 'string' && description) json.errorDescription = description;
	const httpCode = (error as { httpCode?: unknown }).httpCode;
	if (typeof httpCode === 'string' && httpCode) json.httpCode = httpCode;
	const reason = (error as { context?: IDataObject }).context?.reason;
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

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = resources[resource]?.[operationName];
	if (!operation) {
		throw new NodeOperationError(this.getNode(), `The operation "${operationName}" of "${resource}" is not known`);
	}

	// Parse Callback needs no platform account: each credential is read only if it is set.
	const account = (await optionalCredentials(this, ACCOUNT_CREDENTIAL)) as CloudElementsAccount | undefined;
	const appData = await optionalCredentials(this, APP_CREDENTIAL);
	const appRead = appData ? readApp(appData) : undefined;
	const redactor = new Redactor([
		account?.userSecret,
		account?.organizationSecret,
		appRead?.app.clientSecret,
		appRead?.app.encryptedKey,
	]);
	const { concurrency, policy } = requestSettings(this);
	const transport = account ? new CloudElementsTransport(this, account, policy) : undefined;
	const node = this.getNode();

	const context: OperationContext = {
		get transport() {
			if (!transport) {
				throw new NodeOperationError(node, 'The Cloud Elements API credential is not set', {
					description: 'Select or create a "Cloud Elements API" credential on this node.',
				});
			}
			return transport;
		},
		redactor,
		sameName: new KeyedQueue(),
		requireApp: (itemIndex, { needsServer = false } = {}) => {
			if (!appRead) {
				throw new NodeOperationError(this.getNode(), 'The Infusionsoft CRM OAuth2 API credential is not set', {
					itemIndex,
					description: 'Select or create an "Infusionsoft CRM OAuth2 API" credential on this node.',
				});
			}
			const problems = [...appRead.problems];
			if (needsServer && !appRead.app.server && !problems.some((p) => p.startsWith('Infusionsoft Server'))) {
				problems.push('Infusionsoft Server is empty');
			}
			if (problems.length > 0) {
				throw new NodeOperationError(
					this.getNode(),
					`The Infusionsoft CRM OAuth2 API credential is incomplete: ${problems.join('; ')}`,
					{ itemIndex, description: 'Open the credential and fill in the fields named above.' },
				);
			}
			return appRead.app;
		},
	};

	const perItem = await mapWithConcurrency(items.length, concurrency, async (itemIndex) => {
		try {
			const result = await operation.execute.call(this, itemIndex, context);
			const rows = Array.isArray(result) ? result : [result];
			return rows.map((json) => ({ json: redactor.json(json), pairedItem: { item: itemIndex } }));
		} catch (error) {
			const failure = asNodeError(this, error, itemIndex, redactor);
			if (this.continueOnFail()) return [errorItem(failure, itemIndex)];
			throw failure;
		}
	});
	return [perItem.flat()];
}

import type { IExecuteFunctions } from 'n8n-workflow';

import type { InfusionsoftApp } from '../../../lib/keap/elements';
import { ELEMENT_KEYS } from '../../../lib/keap/elements';
import type { RetryPolicy } from '../../../lib/params/requestOptions';
import type { Client } from '../../../lib/platform/client';
import { openClient } from '../../../lib/platform/client';
import type { AppProblem } from '../../../lib/security/app';
import { readAppCredential } from '../../../lib/security/app';
import { Redactor } from '../../../lib/security/redact';
import type { Operation, UsableOn } from './types';

/** What one execution shares between its items; made anew for every execution (queue mode safe). */
export class Execution {
	/** Every credential secret read so far; items add their own on top. */
	redactor: Redactor;

	/** What `ItemContext.remember` loaded, by key. */
	readonly memo = new Map<string, Promise<unknown>>();

	private appRead?: Promise<{ app: InfusionsoftApp; problems: AppProblem[] }>;

	constructor(
		readonly ctx: IExecuteFunctions,
		readonly client: Client | undefined,
		readonly usableOn: UsableOn,
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

/**
 * Starts an execution of `operation`: when it declares the account, the credential is read and
 * checked (a bad field is refused by name before anything is sent) and one client serves every
 * item. The app credential waits for the first item that asks.
 */
export async function startExecution(
	ctx: IExecuteFunctions,
	operation: Operation,
	policy: RetryPolicy,
): Promise<Execution> {
	const client = operation.credentials.account ? await openClient(ctx, policy) : undefined;
	return new Execution(ctx, client, usableOn(operation));
}

/** The elements an operation works on: those it declares, else both. */
export function usableOn(operation: Operation): UsableOn {
	return { elements: operation.elements ?? ELEMENT_KEYS, action: operation.option.action };
}

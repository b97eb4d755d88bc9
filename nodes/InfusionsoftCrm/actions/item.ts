import type { InfusionsoftApp } from '../../../lib/keap/elements';
import type { Platform } from '../../../lib/platform/cloudElements';
import type { AppUse } from '../../../lib/security/app';
import { appProblems, unusableApp } from '../../../lib/security/app';
import type { Redactor } from '../../../lib/security/redact';
import type { Execution } from './execution';
import type { ItemContext, UsableOn } from './types';

/** One item's view of its execution: every call and error knows the item and its secrets. */
export class Item implements ItemContext {
	private secrets: string[] = [];

	private own?: { base: Redactor; redactor: Redactor };

	constructor(
		private readonly execution: Execution,
		readonly index: number,
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

	get usableOn(): UsableOn {
		return this.execution.usableOn;
	}

	get eventSignatureKey(): string {
		return this.execution.client?.account.eventSignatureKey ?? '';
	}

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

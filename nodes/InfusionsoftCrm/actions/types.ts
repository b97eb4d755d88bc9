import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { InfusionsoftApp } from '../shared/app';
import type { KeyedQueue } from '../shared/concurrency';
import type { Redactor } from '../shared/redact';
import type { CloudElementsTransport } from '../transport/cloudElements';

/** What one execution shares between its items; made anew for every execution. */
export interface OperationContext {
	transport: CloudElementsTransport;
	/** Knows every credential secret; add per-item secrets (an authorization code) with `with`. */
	redactor: Redactor;
	/** The Infusionsoft app, checked; throws an error naming what to fix when it is unusable. */
	requireApp(itemIndex: number, options?: { needsServer?: boolean }): InfusionsoftApp;
	/** Runs tasks for the same instance name one after another. */
	sameName: KeyedQueue;
}

export type OperationResult = IDataObject | IDataObject[];

export interface Operation {
	description: INodeProperties[];
	execute(this: IExecuteFunctions, itemIndex: number, ctx: OperationContext): Promise<OperationResult>;
}

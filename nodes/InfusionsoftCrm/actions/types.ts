import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

import type { InfusionsoftApp } from '../../../lib/keap/elements';
import type { Platform } from '../../../lib/platform/cloudElements';
import type { AppUse } from '../../../lib/security/app';
import type { Redactor } from '../../../lib/security/redact';

/** What one item's operation is handed: everything it needs already knows the item. */
export interface ItemContext {
	readonly index: number;
	/** The platform for this item's calls (errors name the item; its secrets are redacted). */
	readonly platform: Platform;
	/** Knows every credential secret and the item's own (see `addSecret`). */
	readonly redactor: Redactor;
	/** A secret of this item only, such as an authorization code: redacted from its output and errors. */
	addSecret(secret: string): void;
	/** The Infusionsoft app, checked for `use`; throws an error naming what to fix when it is unusable. */
	app(use: AppUse): Promise<InfusionsoftApp>;
	/** The account's Event Signature Key; empty when it has none (or the operation reads no account). */
	readonly eventSignatureKey: string;
	/** Runs tasks for the same instance name one after another, within this execution. */
	readonly sameName: SameNameQueue;
	/**
	 * Waits for `wait` without holding the item's place among the Concurrency items at once (the
	 * next item starts meanwhile), then takes a place again: for waits on work shared by items.
	 */
	outside<T>(wait: Promise<T>): Promise<T>;
	/** Resolves the next time every item of the execution has ended or waits `outside`. */
	whenIdle(): Promise<void>;
	/** Loads `key` once per execution (e.g. an instance and its token), whatever the items. */
	remember<T>(key: string, load: () => Promise<T>): Promise<T>;
}

/** An item waiting for an earlier item of the same name waits outside its place. */
export interface SameNameQueue {
	run<T>(name: string, task: () => Promise<T>): Promise<T>;
}

export type OperationResult = IDataObject | IDataObject[];

/**
 * One operation, declared by its file: the menu entry, the credentials it reads, its fields
 * (shown for it alone: the resource adds the display options) and what it does for one item.
 */
export interface Operation {
	option: INodePropertyOptions & { action: string };
	credentials: { account: boolean; app: boolean };
	properties: INodeProperties[];
	execute(this: IExecuteFunctions, item: ItemContext): Promise<OperationResult>;
}

export interface Resource {
	name: string;
	displayName: string;
	operations: Record<string, Operation>;
	description: INodeProperties[];
}

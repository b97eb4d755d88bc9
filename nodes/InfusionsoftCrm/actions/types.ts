import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

import type { ElementKey, InfusionsoftApp } from '../../../lib/keap/elements';
import type { Platform } from '../../../lib/platform/cloudElements';
import type { Slot } from '../../../lib/platform/concurrency';
import type { AppUse } from '../../../lib/security/app';
import type { Redactor } from '../../../lib/security/redact';
import type { WithBinary } from './output';

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
	/** Loads `key` once per execution (e.g. an instance and its token), whatever the items. */
	remember<T>(key: string, load: () => Promise<T>): Promise<T>;
	/** The elements the run's operation works on: `openHub` refuses an instance of another. */
	readonly usableOn: UsableOn;
}

/** Which instances an operation can go through, and how its refusal names it. */
export interface UsableOn {
	elements: readonly ElementKey[];
	/** The operation as its refusal names it: its `option.action`, e.g. "Create a task". */
	action: string;
}

/** One row or several; a row with binary data is a `WithBinary`. */
export type OperationResult = IDataObject | WithBinary | Array<IDataObject | WithBinary>;

/**
 * One operation, declared by its file: the menu entry, the credentials it reads, its fields
 * (shown for it alone: the resource adds the display options) and what it does for one item.
 */
export interface Operation<Shared = unknown> {
	option: INodePropertyOptions & { action: string };
	credentials: { account: boolean; app: boolean };
	/**
	 * The elements whose instances it works on (both when left out). An instance of another is
	 * refused by `openHub` before any hub call, and the Instance list leaves it out.
	 */
	elements?: readonly ElementKey[];
	properties: INodeProperties[];
	/**
	 * Declared only by an operation whose items work together (bulk Create checks what its items
	 * create against each other): called once per execution, before the first item; what it
	 * returns reaches every item as `batch.shared`.
	 */
	batch?(this: IExecuteFunctions, itemCount: number): Shared;
	/** One item. `batch` serves an operation that declares one; the others leave it. */
	execute(
		this: IExecuteFunctions,
		item: ItemContext,
		batch: BatchItem<Shared>,
	): Promise<OperationResult>;
}

/** An item's part in its execution's batch. */
export interface BatchItem<Shared> {
	/** What the operation's `batch` made for this execution (undefined when it declares none). */
	readonly shared: Shared;
	/**
	 * The item's place among the Concurrency items at once: `outside` waits on work shared by
	 * items without holding it (the next item starts meanwhile); `whenIdle` resolves the next
	 * time every item has ended or waits outside.
	 */
	readonly slot: Slot;
}

export interface Resource {
	name: string;
	displayName: string;
	operations: Record<string, Operation>;
	description: INodeProperties[];
}

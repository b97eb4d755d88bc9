import type { IDataObject, IExecuteFunctions, INodeParameterResourceLocator } from 'n8n-workflow';

import type { ElementKey } from '../../../lib/keap/elements';
import { elementKeyOf, ELEMENTS, isElementKey } from '../../../lib/keap/elements';
import { inputError } from '../../../lib/params/input';
import type { Platform, SendOnce } from '../../../lib/platform/cloudElements';
import { getInstance, listInstances } from '../../../lib/platform/instances';
import { listPages } from '../../../lib/platform/paging';
import type { PlatformRequest, PlatformResponse } from '../../../lib/platform/request';
import { HUB } from '../../../lib/platform/request';
import type { ItemContext } from './types';

/** The instance a hub call goes through: what errors name, and the token (never output). */
export interface InstanceRef {
	id: string;
	name: string;
	element: ElementKey;
	token: string;
}

/** The Instance locator's By Token mode. */
export const TOKEN_MODE = 'elementAuth';

/** An execution-scoped memo: each instance is read once per execution, whatever the items. */
export type Remember = <T>(key: string, load: () => Promise<T>) => Promise<T>;

export function refOf(
	instance: IDataObject,
	ctx: IExecuteFunctions,
	itemIndex: number,
): InstanceRef {
	const element = elementKeyOf(instance);
	const id = String(instance.id);
	if (!isElementKey(element)) {
		throw inputError(
			ctx,
			itemIndex,
			`Instance ${id} is not a Keap instance (its element is ${element ?? 'unknown'})`,
			'Choose an instance of Keap REST or Infusionsoft CRM.',
		);
	}
	if (typeof instance.token !== 'string' || instance.token === '') {
		throw inputError(
			ctx,
			itemIndex,
			`The platform gave no token for instance ${id}`,
			'Check that the Cloud Elements account owns this instance.',
		);
	}
	return { id, name: String(instance.name ?? id), element, token: instance.token };
}

/**
 * The item's Instance (a resource locator: from the list, by ID, or by token). By ID and from
 * the list, the node reads the instance (and its token) itself; by token, it finds the
 * instance among the account's, so that errors can name it.
 */
export async function resolveInstance(
	ctx: IExecuteFunctions,
	platform: Platform,
	itemIndex: number,
	remember: Remember,
): Promise<InstanceRef> {
	const locator = ctx.getNodeParameter('instance', itemIndex) as
		| INodeParameterResourceLocator
		| string;
	const mode = typeof locator === 'object' && locator !== null ? locator.mode : 'id';
	const raw = typeof locator === 'object' && locator !== null ? locator.value : locator;
	const value = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
	if (mode === TOKEN_MODE) {
		if (value === '')
			throw inputError(
				ctx,
				itemIndex,
				'Instance (By Token) is empty',
				'Map the "token" of an instance, e.g. {{ $json.token }}.',
			);
		const all = await remember(
			'instances:all',
			async () => await listInstances(platform, {}, undefined),
		);
		const found = all.find((instance) => instance.token === value);
		if (!found) {
			throw inputError(
				ctx,
				itemIndex,
				'No instance of this Cloud Elements account has the given token',
				'Check the token, or choose the instance From List or By ID.',
			);
		}
		return refOf(found, ctx, itemIndex);
	}
	if (!/^[1-9][0-9]{0,18}$/.test(value)) {
		throw inputError(
			ctx,
			itemIndex,
			value === '' ? 'Instance is empty' : 'Instance ID must be a whole number',
			'Choose an instance From List, or give its ID, e.g. {{ $json.id }} from Create or Get Many.',
		);
	}
	const instance = await remember(
		`instance:${value}`,
		async () => await getInstance(platform, value),
	);
	return refOf(instance, ctx, itemIndex);
}

/**
 * Why an instance cannot serve `what` (an operation's action, a dropdown), which works through
 * `elements` alone, and what to do; undefined when it can. One wording for runs and the editor.
 */
export function elementRefusal(
	elements: readonly ElementKey[],
	instance: { id: string; element: ElementKey },
	what: string,
): { message: string; fix: string } | undefined {
	if (elements.includes(instance.element)) return undefined;
	const names = elements.map((key) => ELEMENTS[key].name.replace(/ \(.*\)$/, ''));
	return {
		message: `"${what}" works through ${names.join(' or ')} instances only; instance ${instance.id} is ${ELEMENTS[instance.element].name}`,
		fix: elements.includes('infusionsoftrest')
			? 'Move the customer to Keap REST (see "Which element?" in the README).'
			: `Choose an instance of ${names.join(' or ')}.`,
	};
}

/**
 * The item's instance, resolved, its token redacted from everything the item shows; an instance
 * of an element the operation does not work on is refused here, before any hub call.
 */
export async function openHub(ctx: IExecuteFunctions, item: ItemContext): Promise<Hub> {
	const instance = await resolveInstance(ctx, item.platform, item.index, item.remember);
	item.addSecret(instance.token);
	const refusal = elementRefusal(item.usableOn.elements, instance, item.usableOn.action);
	if (refusal) throw inputError(ctx, item.index, refusal.message, refusal.fix);
	return new Hub(item.platform, instance);
}

type HubRequest = Omit<PlatformRequest, 'elementToken'>;

/** Calls through one instance: its token in the header, errors that name it and say what to do. */
export class Hub {
	constructor(
		private readonly platform: Platform,
		readonly instance: InstanceRef,
	) {}

	private get messages(): PlatformRequest['messages'] {
		const { id, name } = this.instance;
		return {
			401: `The connection of instance "${name}" (${id}) no longer works: its token was refused`,
			403: `Instance "${name}" (${id}) is disabled`,
		};
	}

	private get hints(): PlatformRequest['hints'] {
		const { id } = this.instance;
		return {
			401: `Re-authenticate it: send the customer a new OAuth URL (OAuth → Get OAuth URL), then Instance → Re-Authenticate instance ${id} with the new code. Instance → Test Connection checks a connection without failing.`,
			403: `Enable it with Instance → Enable (instance ${id}). The platform disables an instance after 5 failed token refreshes: re-authenticate it if it is disabled again.`,
		};
	}

	/** A call under the instance's hub, with its token and the instance's words for 401 and 403. */
	private through(req: HubRequest): PlatformRequest {
		return {
			...req,
			path: `${HUB}${req.path}`,
			elementToken: this.instance.token,
			messages: { ...this.messages, ...req.messages },
			hints: { ...this.hints, ...req.hints },
		};
	}

	async request<T = unknown>(req: HubRequest): Promise<PlatformResponse<T>> {
		return await this.platform.request<T>(this.through(req));
	}

	/** A create through the instance, at most once (see `Platform.sendOnce`). */
	async sendOnce(req: HubRequest, once: SendOnce): Promise<IDataObject> {
		return await this.platform.sendOnce(this.through(req), once);
	}

	/** `firstPageMustExist`: a 404 on the first page is an error, as for one call (see `PagedList`). */
	async list(
		path: string,
		query: IDataObject,
		limit: number | undefined,
		what: string,
		idOf?: (record: IDataObject) => unknown,
		firstPageMustExist = false,
	) {
		return await listPages(
			this.platform,
			{
				path: `${HUB}${path}`,
				query: query as Record<string, string>,
				elementToken: this.instance.token,
				what,
				narrow: 'a filter',
				messages: this.messages,
				hints: this.hints,
				idOf,
				firstPageMustExist,
			},
			limit,
		);
	}
}

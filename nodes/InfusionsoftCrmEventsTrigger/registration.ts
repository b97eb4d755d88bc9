import type { IDataObject, IHookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { elementKeyOf } from '../../lib/keap/elements';
import type { EventResource, EventsState } from '../../lib/keap/events';
import { EVENT_KEYS, eventsOff, eventsOn, readEvents } from '../../lib/keap/events';
import type { Client } from '../../lib/platform/client';
import type { Platform } from '../../lib/platform/cloudElements';
import { getInstance, listInstances, patchInstance } from '../../lib/platform/instances';
import type { CloudElementsAccount } from '../../lib/security/account';
import type { Redactor } from '../../lib/security/redact';
import type { TakenOver } from './takeover';
import {
	destination,
	hasOwnSettings,
	previousSettings,
	sendsElsewhere,
	unchangedSince,
} from './takeover';

/** The element whose instances can poll for events; the legacy one cannot. */
const EVENTS_ELEMENT = 'infusionsoftrest';

export interface RegistrationSettings {
	/** Any of; empty: every Keap REST instance of the account. */
	tags: string[];
	resources: EventResource[];
	intervalMinutes: number;
	/** Sign with the account's Event Signature Key (when it has one). */
	sign: boolean;
	/** Also point here the instances whose events already go to another URL. */
	takeOver: boolean;
}

/** What the node keeps between activation and deactivation: ids and event settings, never a secret. */
export interface RegistrationData {
	registeredInstanceIds?: string[];
	/** Instance id → its settings before this trigger took it over. */
	takenOver?: Record<string, TakenOver>;
}

const LOG_PREFIX = 'Infusionsoft CRM Events Trigger';
const TAKE_OVER = 'Take Over Instances Already Sending Elsewhere';

interface Target {
	instance: IDataObject;
	state: EventsState;
}

type Hooks = Pick<IHookFunctions, 'getNode' | 'logger' | 'helpers' | 'getWorkflowStaticData'>;

const describe = (instance: IDataObject) => `"${String(instance.name)}" (${String(instance.id)})`;

/** The platform as the trigger's activation sees it: its errors are redacted with the account's secrets. */
export class Registration {
	private readonly platform: Platform;

	private readonly redactor: Redactor;

	private readonly account: CloudElementsAccount;

	constructor(
		private readonly ctx: Hooks,
		client: Client,
		private readonly callbackUrl: string,
	) {
		this.platform = client.platform;
		this.redactor = client.redactor;
		this.account = client.account;
	}

	private get data(): RegistrationData {
		return this.ctx.getWorkflowStaticData('node') as RegistrationData;
	}

	/** The Keap REST instances the settings choose (all pages); legacy ones are skipped, and said so. */
	async targets(tags: string[]): Promise<IDataObject[]> {
		const listed = await listInstances(this.platform, { tags }, undefined);
		// Any of the tags, checked here too: the platform's own reading of several tags is not documented.
		const chosen = listed.filter(
			(instance) =>
				tags.length === 0 ||
				(Array.isArray(instance.tags) &&
					tags.some((tag) => (instance.tags as unknown[]).includes(tag))),
		);
		const legacy = chosen.filter((instance) => elementKeyOf(instance) === 'infusionsoftcrm');
		if (legacy.length > 0) {
			this.ctx.logger.info(
				this.redactor.text(
					`${LOG_PREFIX}: skipped ${legacy.length} legacy Infusionsoft CRM instance(s) (${legacy.map(describe).join(', ')}): that element has no polling events`,
				),
			);
		}
		const targets = chosen.filter((instance) => elementKeyOf(instance) === EVENTS_ELEMENT);
		if (targets.length === 0) {
			const which =
				tags.length > 0
					? `with any of the tags ${tags.map((t) => `"${t}"`).join(', ')}`
					: 'on this account';
			throw new NodeOperationError(
				this.ctx.getNode(),
				this.redactor.text(`No Keap REST instance ${which} to send events to this trigger`),
				{
					description: `Register on Activation needs at least one Keap REST (infusionsoftrest) instance${legacy.length > 0 ? `; ${legacy.length} legacy Infusionsoft CRM instance(s) matched, but that element has no polling events` : ''}. Check Instance Tags, or turn Register on Activation off.`,
				},
			);
		}
		return targets;
	}

	private wanted(settings: RegistrationSettings): Record<string, string> {
		return eventsOn({
			resources: settings.resources,
			intervalMinutes: settings.intervalMinutes,
			callbackUrl: this.callbackUrl,
			signatureKey:
				settings.sign && this.account.eventSignatureKey
					? this.account.eventSignatureKey
					: undefined,
		});
	}

	/**
	 * The chosen instances with their event settings, split: the ones to send here, and (unless
	 * Take Over is on) the ones whose events already go to another URL, which are left alone and
	 * named in the log. None left to send here is an error that names them.
	 */
	private async plan(settings: RegistrationSettings): Promise<Target[]> {
		const targets: Target[] = [];
		const leftAlone: Target[] = [];
		for (const listed of await this.targets(settings.tags)) {
			const instance =
				listed.configuration === undefined
					? await getInstance(this.platform, String(listed.id))
					: listed;
			const target = { instance, state: readEvents(instance.configuration) };
			if (!settings.takeOver && sendsElsewhere(target.state, this.callbackUrl))
				leftAlone.push(target);
			else targets.push(target);
		}
		if (leftAlone.length === 0) return targets;
		const named = leftAlone
			.map(
				({ instance, state }) =>
					`${describe(instance)} → ${destination(state.callbackUrl, this.callbackUrl)}`,
			)
			.join(', ');
		if (targets.length === 0) {
			throw new NodeOperationError(
				this.ctx.getNode(),
				this.redactor.text(
					`The events of every chosen instance already go to another URL: ${named}`,
				),
				{
					description: `They are left alone, so this trigger would receive nothing. Turn on ${TAKE_OVER} to send their events here (deactivating gives them their previous settings back), or choose other Instance Tags.`,
				},
			);
		}
		this.ctx.logger.warn(
			this.redactor.text(
				`${LOG_PREFIX}: left alone ${leftAlone.length} instance(s) whose events already go to another URL: ${named}. Turn on ${TAKE_OVER} to send their events here.`,
			),
		);
		return targets;
	}

	/** True when every chosen instance (but those left alone) already sends its events here, as the settings say. */
	async isRegistered(settings: RegistrationSettings): Promise<boolean> {
		const targets = await this.plan(settings);
		const signed = settings.sign && this.account.eventSignatureKey !== '';
		for (const { state } of targets) {
			const same =
				state.enabled &&
				state.callbackUrl === this.callbackUrl &&
				state.signed === signed &&
				state.intervalMinutes === settings.intervalMinutes &&
				[...state.resources].sort().join() === [...settings.resources].sort().join();
			if (!same) return false;
		}
		// Kept with any id a deactivation could not turn off yet, so that the next one tries again.
		this.data.registeredInstanceIds = [
			...new Set([
				...(this.data.registeredInstanceIds ?? []),
				...targets.map(({ instance }) => String(instance.id)),
			]),
		];
		return true;
	}

	/**
	 * Points the chosen instances' events here and turns them on; remembers their ids, and the
	 * previous settings of those that had their own callback URL.
	 */
	async register(settings: RegistrationSettings): Promise<void> {
		const targets = await this.plan(settings);
		const configuration = this.wanted(settings);
		const done = new Set(this.data.registeredInstanceIds ?? []);
		for (const { instance, state } of targets) {
			const id = String(instance.id);
			// The instances turned on before a failure stay remembered, so that deactivation turns them off.
			await patchInstance(this.platform, id, { configuration }).catch((error: unknown) => {
				throw this.failure(error, `Could not turn on the events of instance ${describe(instance)}`);
			});
			done.add(id);
			this.data.registeredInstanceIds = [...done];
			const set = {
				intervalMinutes: settings.intervalMinutes,
				resources: [...settings.resources],
				signed: configuration[EVENT_KEYS.signatureKey] !== '',
			};
			const earlier = this.data.takenOver?.[id];
			if (earlier && !hasOwnSettings(state, this.callbackUrl)) {
				// Taken over by an earlier activation not undone yet: what to give back stays, what was set is new.
				this.data.takenOver = { ...this.data.takenOver, [id]: { previous: earlier.previous, set } };
			} else if (hasOwnSettings(state, this.callbackUrl)) {
				this.data.takenOver = {
					...this.data.takenOver,
					[id]: { previous: previousSettings(instance.configuration), set },
				};
				if (state.enabled) {
					this.ctx.logger.info(
						this.redactor.text(
							`${LOG_PREFIX}: took over the events of instance ${describe(instance)} from ${destination(state.callbackUrl, this.callbackUrl)}; deactivating gives them back`,
						),
					);
				}
			}
		}
		this.ctx.logger.info(
			`${LOG_PREFIX}: events of ${targets.length} instance(s) sent to this trigger`,
		);
	}

	/**
	 * Gives back the events of the instances it registered, but only those still sending them
	 * here: an instance someone pointed elsewhere since is left alone. One it took over gets its
	 * previous settings back when it is still as this trigger set it; the others are turned off.
	 * False when one failed (it is kept, so that the next deactivation tries again).
	 */
	async unregister(): Promise<boolean> {
		const failed: string[] = [];
		const takenOver = this.data.takenOver ?? {};
		const kept: Record<string, TakenOver> = {};
		for (const id of this.data.registeredInstanceIds ?? []) {
			const taken = Object.prototype.hasOwnProperty.call(takenOver, id) ? takenOver[id] : undefined;
			try {
				const response = await this.platform.request<IDataObject>({
					method: 'GET',
					path: `/instances/${id}`,
					accept: [404],
					expect: 'object',
				});
				if (response.statusCode === 404) continue;
				await this.giveBack(id, readEvents(response.body.configuration), taken);
			} catch (error) {
				failed.push(id);
				if (taken) kept[id] = taken;
				const message = error instanceof Error ? error.message : String(error);
				this.ctx.logger.warn(
					this.redactor.text(
						`${LOG_PREFIX}: could not turn off the events of instance ${id}: ${message}`,
					),
				);
			}
		}
		this.data.registeredInstanceIds = failed;
		if (Object.keys(kept).length > 0) this.data.takenOver = kept;
		else if (this.data.takenOver !== undefined) delete this.data.takenOver;
		return failed.length === 0;
	}

	private async giveBack(
		id: string,
		state: EventsState,
		taken: TakenOver | undefined,
	): Promise<void> {
		if (state.callbackUrl !== this.callbackUrl) {
			if (taken)
				this.ctx.logger.info(
					`${LOG_PREFIX}: instance ${id} was pointed elsewhere since activation; left as it is`,
				);
			return;
		}
		if (taken && unchangedSince(state, this.callbackUrl, taken.set)) {
			await patchInstance(this.platform, id, { configuration: taken.previous });
			const key = taken.set.signed
				? 'it still signs with this credential’s Event Signature Key'
				: 'it sends unsigned notifications';
			this.ctx.logger.info(
				this.redactor.text(
					`${LOG_PREFIX}: gave instance ${id} its previous event settings back (events to ${destination(taken.previous[EVENT_KEYS.callbackUrl], this.callbackUrl)}); ${key}, as the platform does not show the previous signature key`,
				),
			);
			return;
		}
		await patchInstance(this.platform, id, { configuration: eventsOff() });
		if (taken)
			this.ctx.logger.info(
				`${LOG_PREFIX}: instance ${id}’s event settings were changed since activation, so its previous ones were not given back; its events are turned off`,
			);
	}

	private failure(error: unknown, what: string): NodeOperationError {
		const message = error instanceof Error ? error.message : String(error);
		const description = (error as { description?: unknown }).description;
		return new NodeOperationError(this.ctx.getNode(), this.redactor.text(`${what}: ${message}`), {
			description: typeof description === 'string' ? this.redactor.text(description) : undefined,
		});
	}
}

import type { IDataObject, IHookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { CloudElementsAccount } from '../InfusionsoftCrm/shared/account';
import { accountSecrets } from '../InfusionsoftCrm/shared/account';
import { elementKeyOf } from '../InfusionsoftCrm/shared/elements';
import type { EventResource } from '../InfusionsoftCrm/shared/events';
import { eventsOff, eventsOn, readEvents } from '../InfusionsoftCrm/shared/events';
import { Redactor } from '../InfusionsoftCrm/shared/redact';
import { DEFAULT_RETRY_POLICY } from '../InfusionsoftCrm/shared/requestOptions';
import type { Platform } from '../InfusionsoftCrm/transport/cloudElements';
import { CloudElementsTransport } from '../InfusionsoftCrm/transport/cloudElements';
import { getInstance, listInstances, patchInstance } from '../InfusionsoftCrm/transport/instances';

/** The element whose instances can poll for events; the legacy one cannot. */
const EVENTS_ELEMENT = 'infusionsoftrest';

export interface RegistrationSettings {
	/** Any of; empty: every Keap REST instance of the account. */
	tags: string[];
	resources: EventResource[];
	intervalMinutes: number;
	/** Sign with the account's Event Signature Key (when it has one). */
	sign: boolean;
}

/** What the node keeps between activation and deactivation: ids only, never a secret. */
export interface RegistrationData {
	registeredInstanceIds?: string[];
}

type Hooks = Pick<IHookFunctions, 'getNode' | 'logger' | 'helpers' | 'getWorkflowStaticData'>;

const describe = (instance: IDataObject) => `"${String(instance.name)}" (${String(instance.id)})`;

/** The platform as the trigger's activation sees it: its errors are redacted with the account's secrets. */
export class Registration {
	private readonly platform: Platform;

	private readonly redactor: Redactor;

	constructor(
		private readonly ctx: Hooks,
		private readonly account: CloudElementsAccount,
		private readonly callbackUrl: string,
	) {
		this.redactor = new Redactor(accountSecrets(account));
		this.platform = new CloudElementsTransport(ctx, account, DEFAULT_RETRY_POLICY).forItem(0, this.redactor);
	}

	private get data(): RegistrationData {
		return this.ctx.getWorkflowStaticData('node') as RegistrationData;
	}

	/** The Keap REST instances the settings choose (all pages); legacy ones are skipped, and said so. */
	async targets(tags: string[]): Promise<IDataObject[]> {
		const listed = await listInstances(this.platform, { tags }, undefined);
		// Any of the tags, checked here too: the platform's own reading of several tags is not documented.
		const chosen = listed.filter((instance) => tags.length === 0 || (Array.isArray(instance.tags) && tags.some((tag) => (instance.tags as unknown[]).includes(tag))));
		const legacy = chosen.filter((instance) => elementKeyOf(instance) === 'infusionsoftcrm');
		if (legacy.length > 0) {
			this.ctx.logger.info(
				this.redactor.text(
					`Infusionsoft CRM Events Trigger: skipped ${legacy.length} legacy Infusionsoft CRM instance(s) (${legacy.map(describe).join(', ')}): that element has no polling events`,
				),
			);
		}
		const targets = chosen.filter((instance) => elementKeyOf(instance) === EVENTS_ELEMENT);
		if (targets.length === 0) {
			const which = tags.length > 0 ? `with any of the tags ${tags.map((t) => `"${t}"`).join(', ')}` : 'on this account';
			throw new NodeOperationError(this.ctx.getNode(), this.redactor.text(`No Keap REST instance ${which} to send events to this trigger`), {
				description: `Register on Activation needs at least one Keap REST (infusionsoftrest) instance${legacy.length > 0 ? `; ${legacy.length} legacy Infusionsoft CRM instance(s) matched, but that element has no polling events` : ''}. Check Instance Tags, or turn Register on Activation off.`,
			});
		}
		return targets;
	}

	private wanted(settings: RegistrationSettings): Record<string, string> {
		return eventsOn({
			resources: settings.resources,
			intervalMinutes: settings.intervalMinutes,
			callbackUrl: this.callbackUrl,
			signatureKey: settings.sign && this.account.eventSignatureKey ? this.account.eventSignatureKey : undefined,
		});
	}

	/** True when every chosen instance already sends its events here, as the settings say. */
	async isRegistered(settings: RegistrationSettings): Promise<boolean> {
		const targets = await this.targets(settings.tags);
		const signed = settings.sign && this.account.eventSignatureKey !== '';
		for (const listed of targets) {
			const instance = listed.configuration === undefined ? await getInstance(this.platform, String(listed.id)) : listed;
			const state = readEvents(instance.configuration);
			const same =
				state.enabled &&
				state.callbackUrl === this.callbackUrl &&
				state.signed === signed &&
				state.intervalMinutes === settings.intervalMinutes &&
				[...state.resources].sort().join() === [...settings.resources].sort().join();
			if (!same) return false;
		}
		// Kept with any id a deactivation could not turn off yet, so that the next one tries again.
		this.data.registeredInstanceIds = [...new Set([...(this.data.registeredInstanceIds ?? []), ...targets.map((instance) => String(instance.id))])];
		return true;
	}

	/** Points the chosen instances' events here and turns them on; remembers their ids. */
	async register(settings: RegistrationSettings): Promise<void> {
		const targets = await this.targets(settings.tags);
		const configuration = this.wanted(settings);
		const done = new Set(this.data.registeredInstanceIds ?? []);
		for (const instance of targets) {
			// The instances turned on before a failure stay remembered, so that deactivation turns them off.
			await patchInstance(this.platform, String(instance.id), { configuration }).catch((error: unknown) => {
				throw this.failure(error, `Could not turn on the events of instance ${describe(instance)}`);
			});
			done.add(String(instance.id));
			this.data.registeredInstanceIds = [...done];
		}
		this.ctx.logger.info(`Infusionsoft CRM Events Trigger: events of ${targets.length} instance(s) sent to this trigger`);
	}

	/**
	 * Turns off the events of the instances it registered, but only those still sending them
	 * here: an instance someone pointed elsewhere since is left alone. False when one failed
	 * (its id is kept, so that the next deactivation tries again).
	 */
	async unregister(): Promise<boolean> {
		const failed: string[] = [];
		for (const id of this.data.registeredInstanceIds ?? []) {
			try {
				const response = await this.platform.request<IDataObject>({ method: 'GET', path: `/instances/${id}`, accept: [404], expect: 'object' });
				if (response.statusCode === 404) continue;
				if (readEvents(response.body.configuration).callbackUrl !== this.callbackUrl) continue;
				await patchInstance(this.platform, id, { configuration: eventsOff() });
			} catch (error) {
				failed.push(id);
				const message = error instanceof Error ? error.message : String(error);
				this.ctx.logger.warn(this.redactor.text(`Infusionsoft CRM Events Trigger: could not turn off the events of instance ${id}: ${message}`));
			}
		}
		this.data.registeredInstanceIds = failed;
		return failed.length === 0;
	}

	private failure(error: unknown, what: string): NodeOperationError {
		const message = error instanceof Error ? error.message : String(error);
		const description = (error as { description?: unknown }).description;
		return new NodeOperationError(this.ctx.getNode(), this.redactor.text(`${what}: ${message}`), {
			description: typeof description === 'string' ? this.redactor.text(description) : undefined,
		});
	}
}

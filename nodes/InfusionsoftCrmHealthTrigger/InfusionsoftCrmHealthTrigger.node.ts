import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import type { ElementKey } from '../../lib/keap/elements';
import { ELEMENT_KEYS, isElementKey } from '../../lib/keap/elements';
import { parseTags, readBoolean } from '../../lib/params/input';
import { readRequestSettings, requestOptionsField } from '../../lib/params/requestOptions';
import { openClient } from '../../lib/platform/client';
import { ACCOUNT_CREDENTIAL } from '../../lib/security/credentials';
import type { Redactor } from '../../lib/security/redact';
import type { Watch } from './health';
import {
	compare,
	eventItem,
	readMemory,
	remember,
	sampleItems,
	seemsAllGone,
	shortElementName,
	watchKey,
	writeMemory,
} from './health';
import { confirmGone, listWatched } from './listing';

const BOTH = 'keap';

/** The action node's Request Options, but Concurrency: a poll has no items (its few look-ups go 5 at a time). */
const pollRequestOptions = {
	...requestOptionsField,
	options: requestOptionsField.options?.filter((option) => option.name !== 'concurrency'),
};

function readWatch(ctx: IPollFunctions): Watch {
	const elements = ctx.getNodeParameter('elements', BOTH) as unknown;
	const tags = parseTags(ctx.getNodeParameter('tags', '') as unknown);
	if (elements !== BOTH && !isElementKey(elements)) {
		throw new NodeOperationError(ctx.getNode(), 'Elements has an unknown value', {
			description: `Use one of: ${BOTH}, ${ELEMENT_KEYS.join(', ')}.`,
		});
	}
	if (tags === undefined)
		throw new NodeOperationError(
			ctx.getNode(),
			'Tags must be a comma-separated text or a list of texts',
		);
	return { elements: elements === BOTH ? ELEMENT_KEYS : [elements as ElementKey], tags };
}

/** A failed poll records nothing; its error says so (the transport's errors are redacted already). */
function pollFailed(ctx: IPollFunctions, error: unknown, redactor: Redactor): Error {
	const kept =
		'Nothing was recorded: the next poll compares with the last successful one, so no change is lost or reported twice.';
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.description = [error.description, kept].filter(Boolean).join(' ');
		return error;
	}
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(
		ctx.getNode(),
		redactor.text(`Could not check the instances: ${message}`),
		{ description: kept },
	);
}

export class InfusionsoftCrmHealthTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Infusionsoft CRM Connection Health Trigger',
		name: 'infusionsoftCrmHealthTrigger',
		icon: {
			light: 'file:../InfusionsoftCrm/infusionsoftCrm.svg',
			dark: 'file:../InfusionsoftCrm/infusionsoftCrm.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle:
			'={{"Watching " + ($parameter["elements"] === "keap" ? "both Keap elements" : $parameter["elements"]) + ($parameter["tags"] ? ", tags " + $parameter["tags"] : "")}}',
		description:
			'Starts the workflow when a customer’s Keap connection needs re-authorization, is disabled or deleted, or works again',
		defaults: { name: 'Connection Health' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: ACCOUNT_CREDENTIAL, required: true }],
		properties: [
			{
				displayName:
					'On every poll the trigger lists the account’s Keap instances and starts the workflow once for each one whose state changed: one item per instance. The first poll after activation only records how things are. "Fetch Test Event" shows the instances in trouble now.',
				name: 'healthNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Elements',
				name: 'elements',
				type: 'options',
				default: BOTH,
				options: [
					{
						name: 'Both Keap Elements',
						value: BOTH,
						description: 'Keap REST and the legacy Infusionsoft CRM',
					},
					...ELEMENT_KEYS.map((key) => ({ name: `${shortElementName(key)} Only`, value: key })),
				],
				description: 'Which instances to watch by element',
			},
			{
				displayName: 'Tags',
				name: 'tags',
				type: 'string',
				default: '',
				placeholder: 'customer, production',
				description:
					'Only instances with at least one of these tags (comma-separated). Empty: every instance of the chosen elements.',
			},
			{
				displayName: 'Fire on Recovery',
				name: 'fireOnRecovery',
				type: 'boolean',
				default: true,
				description:
					'Whether to also start the workflow when an instance works again (valid and enabled) after a problem, with change "recovered"',
			},
			pollRequestOptions,
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const watch = readWatch(this);
		const fireOnRecovery = readBoolean(this.getNodeParameter('fireOnRecovery', true));
		if (fireOnRecovery === undefined)
			throw new NodeOperationError(this.getNode(), 'Fire on Recovery must be true or false');
		const { policy } = readRequestSettings(
			this.getNodeParameter('requestOptions', {}) as IDataObject,
		);
		const { platform, redactor } = await openClient(this, policy);
		const staticData = this.getWorkflowStaticData('node');
		const key = watchKey(watch);
		const memory = readMemory(staticData, key);

		// Nothing is written before every call succeeded: a failed poll leaves the memory as it was.
		let now;
		let gone: string[] = [];
		try {
			now = await listWatched(platform, watch);
			if (memory) gone = await confirmGone(platform, watch, memory, now);
		} catch (error) {
			throw pollFailed(this, error, redactor);
		}
		const detectedAt = new Date().toISOString();
		// Tokens are never kept or output; the ones of the instances shown are redacted anyway.
		const output = (items: IDataObject[]) => {
			const tokens = items.map((item) => now.get(String(item.instanceId))?.token);
			return [this.helpers.returnJsonArray(redactor.with(tokens).json(items))];
		};

		// Manual runs ("Fetch Test Event") are not saved by n8n: show the state now, remember nothing.
		if (this.getMode() === 'manual') {
			return output(sampleItems(now, detectedAt, fireOnRecovery));
		}
		if (!memory) {
			writeMemory(staticData, { watch: key, instances: remember(now.values()) });
			this.logger.debug(
				`Connection Health: first poll, ${now.size} instances recorded as the baseline`,
			);
			return null;
		}
		// A poll that finds every remembered instance gone is not believed alone (see seemsAllGone).
		if (seemsAllGone(memory, gone) && memory.allGoneAt === undefined) {
			writeMemory(staticData, { ...memory, allGoneAt: detectedAt });
			this.logger.warn(
				`Connection Health: all ${gone.length} watched instances seem deleted; nothing fires unless the next poll finds the same`,
			);
			return null;
		}
		const { events, next } = compare(memory.instances, now, gone, fireOnRecovery);
		writeMemory(staticData, { watch: key, instances: next });
		if (events.length === 0) return null;
		return output(events.map((event) => eventItem(event, detectedAt)));
	}
}

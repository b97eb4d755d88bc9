/** The fault suite's Connection Health Trigger: a scene on the sentinel stand-in and an active trigger polling it. */
import { NodeConnectionTypes, type IDataObject, type INode } from 'n8n-workflow';

import { CloudElementsApi } from '../../credentials/CloudElementsApi.credentials';
import { InfusionsoftCrmHealthTrigger } from '../../nodes/InfusionsoftCrmHealthTrigger/InfusionsoftCrmHealthTrigger.node';
import { PassThrough } from '../support/passThrough';
import { startPoller } from '../trigger/healthPoller';
import {
	seedInstance,
	SENTINEL,
	sentinelCredentials,
	startSentinelSandbox,
	type Sandbox,
} from './support';

const TRIGGER_TYPE = 'n8n-nodes-infusionsoft-crm.infusionsoftCrmHealthTrigger';
export const TRIGGER = 'Connection Health';

/** The account's secrets: what every call of a poll carries. */
export const SENT = [SENTINEL.userSecret, SENTINEL.organizationSecret];

export interface Scene {
	sb: Sandbox;
	fine: number;
	broken: number;
	deleted: number;
	/** Every instance token the stand-in ever gave out in this scene. */
	tokens: string[];
}

export async function healthScene(): Promise<Scene> {
	const sb = await startSentinelSandbox();
	const fine = await seedInstance(sb, 'Fine', ['customer'], 'infusionsoftrest');
	const broken = await seedInstance(sb, 'Broken', ['customer'], 'infusionsoftcrm');
	const deleted = await seedInstance(sb, 'Deleted', ['customer'], 'infusionsoftrest');
	return { sb, fine, broken, deleted, tokens: [...sb.instances.values()].map((i) => i.token) };
}

export function healthPoller(sb: Sandbox, requestOptions: IDataObject = {}) {
	const nodes: INode[] = [
		{
			id: 'health',
			name: TRIGGER,
			type: TRIGGER_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters: { tags: 'customer', requestOptions },
			credentials: { cloudElementsApi: { id: 'ce', name: 'Cloud Elements' } },
		},
		{
			id: 'next',
			name: 'Notify',
			type: 'n8n-nodes-test.passThrough',
			typeVersion: 1,
			position: [200, 0],
			parameters: {},
		},
	];
	return startPoller({
		nodeTypes: {
			[TRIGGER_TYPE]: new InfusionsoftCrmHealthTrigger(),
			'n8n-nodes-test.passThrough': new PassThrough(),
		},
		credentialTypes: [new CloudElementsApi()],
		credentials: { cloudElementsApi: sentinelCredentials(sb).cloudElementsApi as never },
		nodes,
		connections: {
			[TRIGGER]: { main: [[{ node: 'Notify', type: NodeConnectionTypes.Main, index: 0 }]] },
		},
		trigger: TRIGGER,
	});
}

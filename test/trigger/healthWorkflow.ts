import { NodeConnectionTypes, type IDataObject, type INode } from 'n8n-workflow';

import { CloudElementsApi } from '../../credentials/CloudElementsApi.credentials';
import { InfusionsoftCrmHealthTrigger } from '../../nodes/InfusionsoftCrmHealthTrigger/InfusionsoftCrmHealthTrigger.node';
import type { Sandbox } from '../../sandbox';
import { credentialsFor } from '../support/infusionsoftRun';
import { PassThrough } from '../support/passThrough';
import { startPoller, type Poller, type StaticDataMode } from './healthPoller';

export const HEALTH_TRIGGER_TYPE = 'n8n-nodes-infusionsoft-crm.infusionsoftCrmHealthTrigger';
export const HEALTH_TRIGGER = 'Connection Health';
export const HEALTH_NEXT = 'Notify';

/** An active workflow of the Connection Health Trigger and a pass-through node, polled against the stand-in. */
export function healthPoller(
	sb: Sandbox,
	parameters: IDataObject = {},
	staticData: StaticDataMode = 'durable',
): Poller {
	const nodes: INode[] = [
		{
			id: 'health',
			name: HEALTH_TRIGGER,
			type: HEALTH_TRIGGER_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters,
			credentials: { cloudElementsApi: { id: 'ce', name: 'Cloud Elements' } },
		},
		{
			id: 'next',
			name: HEALTH_NEXT,
			type: 'n8n-nodes-test.passThrough',
			typeVersion: 1,
			position: [200, 0],
			parameters: {},
		},
	];
	return startPoller({
		nodeTypes: {
			[HEALTH_TRIGGER_TYPE]: new InfusionsoftCrmHealthTrigger(),
			'n8n-nodes-test.passThrough': new PassThrough(),
		},
		credentialTypes: [new CloudElementsApi()],
		credentials: { cloudElementsApi: credentialsFor(sb).cloudElementsApi as never },
		nodes,
		connections: {
			[HEALTH_TRIGGER]: {
				main: [[{ node: HEALTH_NEXT, type: NodeConnectionTypes.Main, index: 0 }]],
			},
		},
		trigger: HEALTH_TRIGGER,
		staticData,
	});
}

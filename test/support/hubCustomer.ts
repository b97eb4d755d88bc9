import { afterAll, beforeAll, beforeEach } from '@jest/globals';
import type { IDataObject } from 'n8n-workflow';

import { EXAMPLE, startSandbox, type Sandbox } from '../../sandbox';
import { apiCalls, runNode, type NodeRun } from './infusionsoftRun';

export type Element = 'infusionsoftcrm' | 'infusionsoftrest';

/** What a test of the CRM hub through the engine works with: its stand-in and a customer it connects. */
export interface HubTestKit {
	/** The describe block's stand-in, started before its tests and reset before each. */
	readonly sb: Sandbox;
	/** An authorization code the stand-in's consent page would give. */
	code(): string;
	/** The node (version 2) on these items, through n8n's engine. */
	run(parameters: IDataObject, items?: IDataObject[], continueOnFail?: boolean): Promise<NodeRun>;
	/** An Instance picked By ID. */
	byId(id: number): { __rl: true; mode: 'id'; value: string };
	/** The calls that went through the CRM hub. */
	hubCalls(): ReturnType<typeof apiCalls>;
	/** A connected customer: an instance made through the node, as a user would; calls forgotten. */
	connect(
		element?: Element,
		name?: string,
	): Promise<{ id: number; token: string; instance: IDataObject }>;
}

/** Starts a stand-in for the describe block it is called in (reset before each test). */
export function hubTestKit(): HubTestKit {
	let sb: Sandbox | undefined;
	beforeAll(async () => {
		sb = await startSandbox();
	});
	afterAll(async () => sb?.close());
	beforeEach(() => sb?.reset());
	const sandbox = (): Sandbox => {
		if (!sb) throw new Error('The stand-in starts in beforeAll');
		return sb;
	};
	const kit: HubTestKit = {
		get sb() {
			return sandbox();
		},
		code: () =>
			sandbox().issueCode({ clientId: EXAMPLE.clientId, callbackUrl: EXAMPLE.callbackUrl }),
		run: (parameters, items = [{}], continueOnFail = false) =>
			runNode(sandbox(), { parameters, items, continueOnFail, typeVersion: 2 }),
		byId: (id) => ({ __rl: true, mode: 'id', value: String(id) }),
		hubCalls: () => apiCalls(sandbox()).filter((r) => r.path.includes('/hubs/crm/')),
		async connect(element = 'infusionsoftrest', name = `Customer ${element}`) {
			const created = await kit.run(
				{ resource: 'instance', operation: 'create', element, code: '={{ $json.code }}', name },
				[{ code: kit.code() }],
			);
			const { id, token } = created.items[0].json as { id: number; token: string };
			sandbox().requests.length = 0;
			return { id, token, instance: kit.byId(id) };
		},
	};
	return kit;
}

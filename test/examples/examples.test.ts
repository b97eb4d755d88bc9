import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from '@jest/globals';
import type { INodeProperties, INodeType, INodeParameters } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { InfusionsoftCrm } from '../../nodes/InfusionsoftCrm/InfusionsoftCrm.node';

const EXAMPLES = join(__dirname, '..', '..', 'examples');
const PACKAGE = 'n8n-nodes-infusionsoft-crm.';

/** Our node types, by the type string an installed community package gets. */
function ourNodeTypes(): Record<string, INodeType> {
	const types: Record<string, INodeType> = { [`${PACKAGE}infusionsoftCrm`]: new InfusionsoftCrm() };
	// The tool variant n8n makes of it (usableAsTool): the same parameters, plus its description fields.
	const tool = new InfusionsoftCrm();
	tool.description = {
		...tool.description,
		name: 'infusionsoftCrmTool',
		properties: [
			{
				displayName: 'Tool Description',
				name: 'descriptionType',
				type: 'options',
				options: [
					{ name: 'Set Automatically', value: 'auto' },
					{ name: 'Set Manually', value: 'manual' },
				],
				default: 'auto',
			},
			{
				displayName: 'Description',
				name: 'toolDescription',
				type: 'string',
				default: '',
				displayOptions: { show: { descriptionType: ['manual'] } },
			},
			...tool.description.properties,
		],
	};
	types[`${PACKAGE}infusionsoftCrmTool`] = tool;
	try {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const {
			InfusionsoftCrmOAuthTrigger,
		} = require('../../nodes/InfusionsoftCrmOAuthTrigger/InfusionsoftCrmOAuthTrigger.node');
		types[`${PACKAGE}infusionsoftCrmOAuthTrigger`] = new InfusionsoftCrmOAuthTrigger();
		const {
			InfusionsoftCrmEventsTrigger,
		} = require('../../nodes/InfusionsoftCrmEventsTrigger/InfusionsoftCrmEventsTrigger.node');
		types[`${PACKAGE}infusionsoftCrmEventsTrigger`] = new InfusionsoftCrmEventsTrigger();
		// A polling trigger gets Poll Times from n8n's loader, as its first parameter.
		const {
			InfusionsoftCrmHealthTrigger,
		} = require('../../nodes/InfusionsoftCrmHealthTrigger/InfusionsoftCrmHealthTrigger.node');
		types[`${PACKAGE}infusionsoftCrmHealthTrigger`] = new InfusionsoftCrmHealthTrigger();
		types[`${PACKAGE}infusionsoftCrmHealthTrigger`].description.properties.unshift(
			...require('n8n-core/dist/nodes-loader/constants').commonPollingParameters,
		);
	} catch {
		// The trigger is optional here: examples that use it fail below if it is missing.
	}
	return types;
}

function shownProperties(
	parameters: INodeParameters,
	type: INodeType,
	typeVersion: number,
): INodeProperties[] {
	return type.description.properties.filter((p) =>
		NodeHelpers.displayParameter(parameters, p, { typeVersion } as never, type.description),
	);
}

const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.json'));
const workflows = files.map((file) => ({
	file,
	workflow: JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')),
}));

interface CredentialEntry {
	id: string;
	name: string;
	type: string;
	data: Record<string, string>;
}
const credentials: CredentialEntry[] = readdirSync(join(EXAMPLES, 'credentials'))
	.filter((f) => f.endsWith('.json'))
	.flatMap((f) => JSON.parse(readFileSync(join(EXAMPLES, 'credentials', f), 'utf8')));

describe('example workflows', () => {
	it('exist', () => {
		expect(files.length).toBeGreaterThan(0);
	});

	describe.each(files)('%s', (file) => {
		const workflow = JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8'));
		const types = ourNodeTypes();

		it('can be imported: an id, nodes with unique names, connections between existing nodes', () => {
			expect(typeof workflow.id).toBe('string');
			const names = workflow.nodes.map((n: { name: string }) => n.name);
			expect(new Set(names).size).toBe(names.length);
			for (const [from, outputs] of Object.entries(
				workflow.connections as Record<string, Record<string, Array<Array<{ node: string }>>>>,
			)) {
				expect(names).toContain(from);
				for (const target of Object.values(outputs).flat(2)) expect(names).toContain(target.node);
			}
		});

		it('keeps static data in n8n 1.x too: a workflow whose nodes remember things has an id of at most 16 characters', () => {
			// n8n 1.x saves a workflow's static data only when its id is at most 16 characters long.
			const remembers = workflow.nodes.some(
				(n: { type: string; parameters: { jsCode?: string } }) =>
					/infusionsoftCrm(Events|Health)Trigger$/.test(n.type) ||
					/getWorkflowStaticData/.test(n.parameters.jsCode ?? ''),
			);
			if (remembers) expect([workflow.id, workflow.id.length <= 16]).toEqual([workflow.id, true]);
		});

		it('sets only parameters our nodes show for the chosen operation, and valid option values', () => {
			for (const node of workflow.nodes) {
				if (!node.type.startsWith(PACKAGE)) continue;
				const type = types[node.type];
				expect(type).toBeDefined();
				// As n8n does on load: fill in defaults, so displayOptions see what the editor sees.
				const resolved = NodeHelpers.getNodeParameters(
					type.description.properties,
					node.parameters,
					true,
					false,
					node,
					type.description,
				);
				const shown = shownProperties(resolved ?? node.parameters, type, node.typeVersion);
				for (const [key, value] of Object.entries(node.parameters as INodeParameters)) {
					const property = shown.find((p) => p.name === key);
					expect({ node: node.name, key, shown: !!property }).toEqual({
						node: node.name,
						key,
						shown: true,
					});
					if (property?.type === 'options' && typeof value === 'string' && !value.startsWith('=')) {
						expect(property.options?.map((o) => (o as { value: string }).value)).toContain(value);
					}
				}
				for (const credential of Object.keys(node.credentials ?? {})) {
					expect(type.description.credentials?.map((c) => c.name)).toContain(credential);
				}
			}
		});

		it('uses the current version of our nodes (2: Keap REST by default), and credentials that examples/credentials/ has', () => {
			for (const node of workflow.nodes) {
				if (node.type === `${PACKAGE}infusionsoftCrm`)
					expect({ node: node.name, typeVersion: node.typeVersion }).toEqual({
						node: node.name,
						typeVersion: 2,
					});
				for (const [type, ref] of Object.entries(node.credentials ?? {}) as Array<
					[string, { id: string; name: string }]
				>) {
					const entry = credentials.find((c) => c.id === ref.id);
					expect({ node: node.name, ref, type: entry?.type, name: entry?.name }).toEqual({
						node: node.name,
						ref,
						type,
						name: ref.name,
					});
				}
			}
		});

		it('chooses the element as the README says: Keap REST links unless the node is named legacy; the callback side takes the element from the state', () => {
			for (const node of workflow.nodes.filter(
				(n: { type: string }) => n.type === `${PACKAGE}infusionsoftCrm`,
			)) {
				const { operation, element } = node.parameters;
				if (operation === 'getOAuthUrl') {
					const expected = /legacy/i.test(node.name)
						? 'infusionsoftcrm'
						: /re-authorization/i.test(node.name)
							? '={{ $json.element.key }}'
							: 'infusionsoftrest';
					expect({ node: node.name, element }).toEqual({ node: node.name, element: expected });
				}
				if (operation === 'create' || operation === 'reauthenticate') {
					expect({ node: node.name, element }).toEqual({
						node: node.name,
						element: '={{ $json.element }}',
					});
				}
			}
		});
	});

	it('each OAuth Callback Trigger listens where its app credential calls back, on a path of its own (npm start activates them together)', () => {
		const paths: string[] = [];
		for (const { file, workflow } of workflows) {
			for (const node of workflow.nodes.filter(
				(n: { type: string }) => n.type === `${PACKAGE}infusionsoftCrmOAuthTrigger`,
			)) {
				const app = credentials.find((c) => c.id === node.credentials.infusionsoftCrmOAuth2Api.id)!;
				const path = node.parameters.path;
				expect({
					file,
					node: node.name,
					callbackPath: new URL(app.data.callbackUrl).pathname,
				}).toEqual({ file, node: node.name, callbackPath: `/webhook/${path}` });
				paths.push(path);
			}
		}
		expect(new Set(paths).size).toBe(paths.length);
		// Every app-credential user that makes links is called back by some trigger of the examples.
		for (const app of credentials.filter((c) => c.type === 'infusionsoftCrmOAuth2Api')) {
			expect(paths.map((p) => `/webhook/${p}`)).toContain(new URL(app.data.callbackUrl).pathname);
		}
	});

	it('the example app credentials: one for both elements (Server and Encrypted Key set), one for Keap REST only (neither)', () => {
		const apps = credentials.filter((c) => c.type === 'infusionsoftCrmOAuth2Api');
		expect(apps.map((c) => [c.id, Object.keys(c.data).sort()])).toEqual([
			['isLocalStandIn01', ['callbackUrl', 'clientId', 'clientSecret', 'encryptedKey', 'server']],
			['isLocalStandInRest1', ['callbackUrl', 'clientId', 'clientSecret']],
		]);
	});
});

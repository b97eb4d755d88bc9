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
	try {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const { InfusionsoftCrmOAuthTrigger } = require('../../nodes/InfusionsoftCrmOAuthTrigger/InfusionsoftCrmOAuthTrigger.node');
		types[`${PACKAGE}infusionsoftCrmOAuthTrigger`] = new InfusionsoftCrmOAuthTrigger();
	} catch {
		// The trigger is optional here: examples that use it fail below if it is missing.
	}
	return types;
}

function shownProperties(parameters: INodeParameters, type: INodeType): INodeProperties[] {
	return type.description.properties.filter((p) =>
		NodeHelpers.displayParameter(parameters, p, { typeVersion: 1 } as never, type.description),
	);
}

const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.json'));

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
			for (const [from, outputs] of Object.entries(workflow.connections as Record<string, { main: Array<Array<{ node: string }>> }>)) {
				expect(names).toContain(from);
				for (const target of outputs.main.flat()) expect(names).toContain(target.node);
			}
		});

		it('sets only parameters our nodes show for the chosen operation, and valid option values', () => {
			for (const node of workflow.nodes) {
				if (!node.type.startsWith(PACKAGE)) continue;
				const type = types[node.type];
				expect(type).toBeDefined();
				// As n8n does on load: fill in defaults, so displayOptions see what the editor sees.
				const resolved = NodeHelpers.getNodeParameters(type.description.properties, node.parameters, true, false, node, type.description);
				const shown = shownProperties(resolved ?? node.parameters, type);
				for (const [key, value] of Object.entries(node.parameters as INodeParameters)) {
					const property = shown.find((p) => p.name === key);
					expect({ node: node.name, key, shown: !!property }).toEqual({ node: node.name, key, shown: true });
					if (property?.type === 'options' && typeof value === 'string' && !value.startsWith('=')) {
						expect(property.options?.map((o) => (o as { value: string }).value)).toContain(value);
					}
				}
				for (const credential of Object.keys(node.credentials ?? {})) {
					expect(type.description.credentials?.map((c) => c.name)).toContain(credential);
				}
			}
		});
	});
});

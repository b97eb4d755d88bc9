/**
 * The node's description is derived from the operations' declarations: every resource and
 * operation the menus offer has an operation behind it, and each credential is shown for
 * exactly the operations that read it (n8n hides a credential the displayOptions exclude, and
 * hands the node no credential it hides).
 */
import { NodeHelpers, type INodeProperties } from 'n8n-workflow';

import { InfusionsoftCrm } from '../../../nodes/InfusionsoftCrm/InfusionsoftCrm.node';
import { RESOURCES } from '../../../nodes/InfusionsoftCrm/actions/registry';

describe('the node description', () => {
	const { description } = new InfusionsoftCrm();
	const pairs = RESOURCES.flatMap((resource) =>
		Object.entries(resource.operations).map(([value, operation]) => ({
			resource: resource.name,
			value,
			operation,
		})),
	);

	it('offers each resource and operation exactly once per resource, each with an operation behind it', () => {
		const menu = description.properties.find((p) => p.name === 'resource')!;
		expect((menu.options as Array<{ value: string }>).map((o) => o.value)).toEqual(
			RESOURCES.map((r) => r.name),
		);
		for (const resource of RESOURCES) {
			const operations = description.properties.filter(
				(p: INodeProperties) =>
					p.name === 'operation' &&
					(p.displayOptions?.show?.resource as string[])?.includes(resource.name),
			);
			expect(operations).toHaveLength(1);
			const values = (operations[0].options as Array<{ value: string }>).map((o) => o.value).sort();
			expect(values).toEqual(Object.keys(resource.operations).sort());
		}
	});

	it.each(['cloudElementsApi', 'infusionsoftCrmOAuth2Api'])(
		'shows %s for exactly the operations that declare it',
		(name) => {
			const credential = description.credentials!.find((c) => c.name === name)!;
			const declared = name === 'cloudElementsApi' ? 'account' : 'app';
			for (const { resource, value, operation } of pairs) {
				const shown = NodeHelpers.displayParameter(
					{ resource, operation: value },
					credential,
					{ typeVersion: 2 } as never,
					description,
				);
				expect([`${resource}/${value}`, shown]).toEqual([
					`${resource}/${value}`,
					operation.credentials[declared],
				]);
			}
		},
	);

	// n8n's editor (nodeTypesUtils getMainAuthField) takes a field for the node's authentication
	// switch when the credentials' `show` rules name it with every value it has; it then hides
	// the field from the panel and resets it when a node is added from an action (the Resource
	// menu vanished and "Create an instance" opened Get OAuth URL). No field may qualify.
	it('leaves no field the editor would take for an authentication switch and hide', () => {
		const named: Record<string, string[]> = {};
		for (const credential of description.credentials ?? []) {
			for (const [key, values] of Object.entries(credential.displayOptions?.show ?? {})) {
				named[key] = [...(named[key] ?? []), ...(values as unknown[]).map(String)];
			}
		}
		const switches = description.properties.filter(
			(p) =>
				p.name in named &&
				((p.options as Array<{ value: unknown }> | undefined) ?? []).every((o) =>
					named[p.name].includes(String(o.value)),
				),
		);
		expect(switches.map((p) => p.name)).toEqual([]);
	});

	it('shows no required field of one operation on another, whatever other fields are expressions', () => {
		// n8n shows a field as soon as a `show` key it reads is an expression: with every field's
		// other keys set to expressions, only resource and operation can still hide it.
		const expressions = Object.fromEntries(
			description.properties.map((p) => [p.name, '={{ "x" }}']),
		);
		for (const { resource, value } of pairs) {
			const values = { ...expressions, resource, operation: value };
			const required = description.properties.filter(
				(p) =>
					p.required &&
					NodeHelpers.displayParameter(values, p, { typeVersion: 2 } as never, description),
			);
			for (const field of required) {
				const show = field.displayOptions?.show ?? {};
				expect([
					field.name,
					(show.resource as string[])?.includes(resource),
					(show.operation as string[])?.includes(value),
				]).toEqual([field.name, true, true]);
			}
		}
	});
	it('registers every method a field loads from (list searches, dropdowns, resource mappers)', () => {
		const { methods } = new InfusionsoftCrm();
		const named: Array<[string, string]> = [];
		const walk = (value: unknown): void => {
			if (Array.isArray(value)) return value.forEach(walk);
			if (value === null || typeof value !== 'object') return;
			const record = value as Record<string, unknown>;
			if (typeof record.searchListMethod === 'string')
				named.push(['listSearch', record.searchListMethod]);
			if (typeof record.loadOptionsMethod === 'string')
				named.push(['loadOptions', record.loadOptionsMethod]);
			if (typeof record.resourceMapperMethod === 'string')
				named.push(['resourceMapping', record.resourceMapperMethod]);
			Object.values(record).forEach(walk);
		};
		walk(description.properties);
		expect(named.map(([, name]) => name)).toEqual(
			expect.arrayContaining(['searchInstances', 'getRecordObjects', 'getRecordFields']),
		);
		for (const [kind, name] of named) {
			const registered = (methods as Record<string, Record<string, unknown> | undefined>)[kind];
			expect([kind, name, typeof registered?.[name]]).toEqual([kind, name, 'function']);
		}
	});
});

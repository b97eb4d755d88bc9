import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { Operation, Resource } from './types';

/**
 * A resource from its operations: the Operation menu (sorted by name, as n8n's linter wants),
 * each operation's fields shown for it alone, and the map the router looks operations up in.
 */
export function defineResource(
	name: string,
	displayName: string,
	list: Operation[],
	defaultOperation: string,
): Resource {
	const operations: Record<string, Operation> = {};
	for (const operation of list) operations[String(operation.option.value)] = operation;
	const menu: INodeProperties = {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [name] } },
		options: list.map((operation) => operation.option).sort((a, b) => a.name.localeCompare(b.name)),
		default: defaultOperation,
	};
	const fields = list.flatMap((operation) =>
		updateDisplayOptions({ show: { resource: [name], operation: [operation.option.value] } }, operation.properties).map(resourceFirst),
	);
	return { name, displayName, operations, description: [menu, ...fields] };
}

/**
 * n8n reads `show` in key order and shows a field as soon as one key's value is an expression:
 * with `element` (often an expression) before `resource`, a required field of Create would be
 * "shown", and so demanded, on every other operation. Resource and operation go first.
 */
function resourceFirst(field: INodeProperties): INodeProperties {
	const show = field.displayOptions?.show;
	if (!show) return field;
	const { resource, operation, ...rest } = show;
	return { ...field, displayOptions: { ...field.displayOptions, show: { resource, operation, ...rest } } };
}

/**
 * Where a credential is shown: the resources and the operations that read it. Operation values
 * repeat across resources (Create of an instance needs the app, Create of a contact does not),
 * so both are given; a test checks that this pair of lists matches the declarations exactly.
 */
export function credentialDisplay(resources: Resource[], credential: 'account' | 'app'): { show: { resource: string[]; operation: string[] } } {
	const using = resources.map((resource) => ({
		resource: resource.name,
		operations: Object.entries(resource.operations)
			.filter(([, operation]) => operation.credentials[credential])
			.map(([value]) => value),
	}));
	const withAny = using.filter((entry) => entry.operations.length > 0);
	return {
		show: {
			resource: withAny.map((entry) => entry.resource),
			operation: [...new Set(withAny.flatMap((entry) => entry.operations))],
		},
	};
}

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
		updateDisplayOptions({ show: { resource: [name], operation: [operation.option.value] } }, operation.properties),
	);
	return { name, displayName, operations, description: [menu, ...fields] };
}

/** The operations (values) of all resources that read a credential, for its display options. */
export function operationsUsing(resources: Resource[], credential: 'account' | 'app'): string[] {
	return resources.flatMap((resource) =>
		Object.entries(resource.operations)
			.filter(([, operation]) => operation.credentials[credential])
			.map(([value]) => value),
	);
}

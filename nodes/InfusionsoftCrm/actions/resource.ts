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
		updateDisplayOptions(
			{ show: { resource: [name], operation: [operation.option.value] } },
			operation.properties,
		).map(resourceFirst),
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
	return {
		...field,
		displayOptions: { ...field.displayOptions, show: { resource, operation, ...rest } },
	};
}

/**
 * When the node asks for a credential, as `hide` rules. Not `show`: n8n's editor takes a field
 * whose every value a credential's `show` rules name (Resource, here) for an authentication
 * switch, hides it from the panel and resets it when a node is added from an action, so the
 * panel would lose its Resource menu and "Create an instance" would open Get OAuth URL.
 * Hidden are the resources with no operation that reads the credential, and the operations
 * that read it in no resource; a mix that these two lists cannot say is refused here.
 */
export function credentialDisplay(
	resources: Resource[],
	credential: 'account' | 'app',
): { hide: { resource?: string[]; operation?: string[] } } {
	const reads = (operation: Operation | undefined) => operation?.credentials[credential] === true;
	const without = resources
		.filter((resource) => !Object.values(resource.operations).some(reads))
		.map((resource) => resource.name);
	const using = resources.filter((resource) => !without.includes(resource.name));
	const values = [...new Set(using.flatMap((resource) => Object.keys(resource.operations)))];
	const never = values.filter(
		(value) => !using.some((resource) => reads(resource.operations[value])),
	);
	for (const resource of using) {
		for (const [value, operation] of Object.entries(resource.operations)) {
			if (!reads(operation) && !never.includes(value)) {
				throw new Error(
					`${resource.name}/${value} does not read the ${credential} credential, but "${value}" does elsewhere: hide rules cannot say so`,
				);
			}
		}
	}
	return {
		hide: {
			...(without.length > 0 && { resource: without }),
			...(never.length > 0 && { operation: never }),
		},
	};
}

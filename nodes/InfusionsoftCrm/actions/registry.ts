import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { contact } from './contact';
import { company } from './company';
import { customApiCall } from './customApiCall';
import { email } from './email';
import { file } from './file';
import { instance } from './instance';
import { note } from './note';
import { oauth } from './oauth';
import { opportunity } from './opportunity';
import { order } from './order';
import { product } from './product';
import { record } from './record';
import { tag } from './tag';
import { task } from './task';
import type { Operation, Resource } from './types';

/** Every resource of the node, in the order of its Resource menu. */
export const RESOURCES: Resource[] = [
	oauth,
	instance,
	contact,
	task,
	company,
	note,
	tag,
	opportunity,
	product,
	order,
	email,
	file,
	record,
	customApiCall,
];

/** The operation of this run: Resource and Operation take no expressions, so item 0 decides. */
export function findOperation(ctx: IExecuteFunctions): Operation {
	const resource = ctx.getNodeParameter('resource', 0) as string;
	const name = ctx.getNodeParameter('operation', 0) as string;
	const operation = RESOURCES.find((r) => r.name === resource)?.operations[name];
	if (!operation) {
		throw new NodeOperationError(
			ctx.getNode(),
			`The operation "${name}" of "${resource}" is not known`,
		);
	}
	return operation;
}

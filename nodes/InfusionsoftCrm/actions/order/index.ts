import { defineResource } from '../resource';
import * as create from './create.operation';
import * as del from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

export const order = defineResource(
	'order',
	'E-commerce Order (Keap REST)',
	[create, get, getAll, del],
	'create',
);

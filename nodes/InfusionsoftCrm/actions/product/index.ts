import { defineResource } from '../resource';
import * as create from './create.operation';
import * as del from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

export const product = defineResource(
	'product',
	'Product (Keap REST)',
	[create, get, getAll, update, del],
	'create',
);

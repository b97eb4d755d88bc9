import { defineResource } from '../resource';
import * as create from './create.operation';
import * as del from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

export const record = defineResource(
	'record',
	'Record (Any Object)',
	[create, get, getAll, update, del],
	'get',
);

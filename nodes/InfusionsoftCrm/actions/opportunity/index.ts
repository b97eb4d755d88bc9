import { defineResource } from '../resource';
import * as create from './create.operation';
import * as del from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as moveToStage from './moveToStage.operation';
import * as update from './update.operation';

export const opportunity = defineResource(
	'opportunity',
	'Opportunity (Keap REST)',
	[create, get, getAll, update, moveToStage, del],
	'create',
);

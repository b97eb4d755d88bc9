import { defineResource } from '../resource';
import * as configureEvents from './configureEvents.operation';
import * as create from './create.operation';
import * as del from './delete.operation';
import { disable } from './disable.operation';
import { enable } from './enable.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as reauthenticate from './reauthenticate.operation';
import * as testConnection from './testConnection.operation';
import * as update from './update.operation';

export const instance = defineResource(
	'instance',
	'Instance',
	[
		create,
		get,
		getAll,
		update,
		reauthenticate,
		del,
		enable,
		disable,
		testConnection,
		configureEvents,
	],
	'create',
);

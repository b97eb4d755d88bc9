import { defineResource } from '../resource';
import * as configureEvents from './configureEvents';
import * as create from './create';
import * as del from './delete';
import * as get from './get';
import * as getAll from './getAll';
import * as reauthenticate from './reauthenticate';
import { disable, enable } from './setEnabled';
import * as testConnection from './testConnection';
import * as update from './update';

export const instance = defineResource(
	'instance',
	'Instance',
	[create, get, getAll, update, reauthenticate, del, enable, disable, testConnection, configureEvents],
	'create',
);

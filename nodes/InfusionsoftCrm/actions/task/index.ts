import { defineResource } from '../resource';
import * as create from './create';
import * as del from './delete';
import * as get from './get';
import * as getAll from './getAll';
import * as update from './update';

export const task = defineResource('task', 'Task (Keap REST)', [create, get, getAll, update, del], 'create');

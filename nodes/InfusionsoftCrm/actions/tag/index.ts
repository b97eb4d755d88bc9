import { defineResource } from '../resource';
import * as create from './create.operation';
import * as getAll from './getAll.operation';

export const tag = defineResource('tag', 'Tag (Keap REST)', [create, getAll], 'getAll');

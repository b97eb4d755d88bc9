import { defineResource } from '../resource';
import * as create from './create';
import * as del from './delete';
import * as get from './get';
import * as getAll from './getAll';
import { addTags, removeTags } from './tags';
import * as update from './update';

export const contact = defineResource('contact', 'Contact', [create, get, getAll, update, del, addTags, removeTags], 'create');

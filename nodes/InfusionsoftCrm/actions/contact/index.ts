import { defineResource } from '../resource';
import { addTags } from './addTags.operation';
import * as create from './create.operation';
import * as del from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as getTags from './getTags.operation';
import { removeTags } from './removeTags.operation';
import * as update from './update.operation';
import * as upsert from './upsert.operation';

export const contact = defineResource(
	'contact',
	'Contact',
	[create, upsert, get, getAll, update, del, addTags, removeTags, getTags],
	'create',
);

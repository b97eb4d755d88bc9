import { defineResource } from '../resource';
import * as del from './delete.operation';
import * as download from './download.operation';
import * as getAll from './getAll.operation';
import * as upload from './upload.operation';

export const file = defineResource(
	'file',
	'File (Keap REST)',
	[upload, download, getAll, del],
	'upload',
);

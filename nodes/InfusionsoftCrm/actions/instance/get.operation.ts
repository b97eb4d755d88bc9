import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { instanceIdParameter } from '../../../../lib/params/input';
import { getInstance } from '../../../../lib/platform/instances';
import { instanceIdField } from '../../helpers/descriptions';
import type { ItemContext } from '../types';

export const option = {
	name: 'Get',
	value: 'get',
	description: 'Get an instance by ID',
	action: 'Get an instance',
};

export const credentials = { account: true, app: false };

export const properties: INodeProperties[] = [instanceIdField];

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
	return await getInstance(item.platform, instanceIdParameter(this, item.index));
}

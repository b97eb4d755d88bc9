import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodePropertyOptions,
	ResourceMapperFields,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { MetadataField } from '../actions/record/metadata';
import { fieldLabel, mapperFields, metadataFields, OBJECT_NAME } from '../actions/record/metadata';
import { openInstanceHub } from './instanceHub';

/** The Object dropdown: the objects the chosen instance lists (`GET /hubs/crm/objects`) that the node can address by name. */
export async function getRecordObjects(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const hub = await openInstanceHub(this);
	const { body } = await hub.request<unknown>({ method: 'GET', path: '/objects', expect: 'any' });
	const names = Array.isArray(body) ? body : [];
	return [...new Set(names.filter((name): name is string => typeof name === 'string'))]
		.filter((name) => OBJECT_NAME.test(name))
		.sort((a, b) => a.localeCompare(b))
		.map((name) => ({ name, value: name }));
}

/** The chosen object's fields, from the chosen instance's metadata. */
async function currentMetadata(ctx: ILoadOptionsFunctions): Promise<MetadataField[]> {
	const object = ctx.getCurrentNodeParameter('object');
	if (typeof object !== 'string' || !OBJECT_NAME.test(object.trim())) {
		throw new NodeOperationError(ctx.getNode(), 'Choose an Object first to load its fields', {
			description: 'The Object is a plain name such as contacts, chosen from its list.',
		});
	}
	const hub = await openInstanceHub(ctx);
	const name = object.trim();
	const { body } = await hub.request<IDataObject>({
		method: 'GET',
		path: `/objects/${name}/metadata`,
		expect: 'object',
		hints: { 404: `Instance ${hub.instance.id} has no object "${name}": choose another Object.` },
	});
	return metadataFields(body);
}

/** The resource mapper of Create and Update: writable fields with their types, custom fields included; required ones on Create. */
export async function getRecordFields(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	const creating = this.getCurrentNodeParameter('operation') === 'create';
	const fields = mapperFields(await currentMetadata(this), creating);
	return {
		fields,
		...(fields.length === 0 && {
			emptyFieldsNotice: 'The platform lists no writable field for this object',
		}),
	};
}

/** The Field of a Get Many condition: the fields the metadata marks as filterable. */
export async function getRecordFilterFields(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	return (await currentMetadata(this))
		.filter((field) => field.filterable)
		.map((field) => ({
			name: fieldLabel(field),
			value: field.vendorPath,
			description: field.type,
		}));
}

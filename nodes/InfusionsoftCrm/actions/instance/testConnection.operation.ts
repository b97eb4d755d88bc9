import type {
	IDataObject,
	IExecuteFunctions,
	INodeParameterResourceLocator,
	INodeProperties,
} from 'n8n-workflow';

import { ELEMENTS } from '../../../../lib/keap/elements';
import { keapQuota } from '../../../../lib/platform/keapQuota';
import { instanceLocatorField } from '../../helpers/descriptions';
import type { InstanceRef } from '../hub';
import { Hub, refOf, resolveInstance, TOKEN_MODE } from '../hub';
import type { ItemContext } from '../types';

export const option = {
	name: 'Test Connection',
	value: 'testConnection',
	description:
		'Check with a cheap call whether an instance still reaches the customer’s Keap; never fails for a dead connection. Where the platform passes Keap’s quota headers through, also shows how many calls are left (keapQuota).',
	action: 'Test the connection of an instance',
};

export const credentials = { account: true, app: false };

export const properties: INodeProperties[] = [instanceLocatorField];

type Status = 'ok' | 'needs-reauthentication' | 'disabled' | 'deleted';

const answer = (status: Status, message: string, instance?: Partial<InstanceRef>): IDataObject => ({
	ok: status === 'ok',
	status,
	message,
	instanceId: instance?.id === undefined ? null : Number(instance.id),
	name: instance?.name ?? null,
	element: instance?.element ?? null,
});

/** Cheap calls that need a live token: Keap REST's user info; the legacy element's ping. */
const CHEAP_CALL: Record<string, string> = {
	infusionsoftrest: '/oauth/connect/userinfo',
	infusionsoftcrm: '/ping',
};

async function locate(
	this: IExecuteFunctions,
	item: ItemContext,
): Promise<InstanceRef | IDataObject> {
	const locator = this.getNodeParameter('instance', item.index) as
		| INodeParameterResourceLocator
		| string;
	const mode = typeof locator === 'object' && locator !== null ? locator.mode : 'id';
	const value = String(
		typeof locator === 'object' && locator !== null ? locator.value : locator,
	).trim();
	if (mode === TOKEN_MODE || !/^[1-9][0-9]{0,18}$/.test(value)) {
		return await resolveInstance(this, item.platform, item.index, item.remember).then(
			(ref): InstanceRef | IDataObject => ref,
			(error: unknown) => {
				if (
					mode === TOKEN_MODE &&
					error instanceof Error &&
					error.message.startsWith('No instance of this Cloud Elements account has the given token')
				) {
					return answer(
						'deleted',
						'No instance of this account has this token: it was deleted, or the token belongs to another account.',
					);
				}
				throw error;
			},
		);
	}
	const found = await item.platform.request<IDataObject>({
		method: 'GET',
		path: `/instances/${value}`,
		accept: [404],
		expect: 'instance',
	});
	if (found.statusCode === 404)
		return answer('deleted', `Instance ${value} does not exist (any more) on this account.`, {
			id: value,
		});
	const ref = refOf(found.body, this, item.index);
	if (found.body.disabled === true)
		return answer(
			'disabled',
			`Instance "${ref.name}" (${ref.id}) is disabled: enable it (Instance → Enable).`,
			ref,
		);
	return ref;
}

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
	const located = await locate.call(this, item);
	if (!('token' in located) || typeof located.token !== 'string') return located as IDataObject;
	const ref = located as InstanceRef;
	item.addSecret(ref.token);
	const hub = new Hub(item.platform, ref);
	const response = await hub.request({
		method: 'GET',
		path: CHEAP_CALL[ref.element],
		accept: [401, 403],
	});
	const named = `"${ref.name}" (${ref.id}, ${ELEMENTS[ref.element].name})`;
	if (response.statusCode === 401) {
		return answer(
			'needs-reauthentication',
			`Instance ${named} no longer reaches Keap: send the customer a new OAuth URL and re-authenticate it.`,
			ref,
		);
	}
	if (response.statusCode === 403)
		return answer('disabled', `Instance ${named} is disabled: enable it (Instance → Enable).`, ref);
	// Only where the platform passes Keap's headers through: what is left of the app's calls.
	const quota = keapQuota(response.headers);
	return {
		...answer('ok', `Instance ${named} reaches the customer’s Keap.`, ref),
		...(quota ? { keapQuota: quota } : {}),
	};
}

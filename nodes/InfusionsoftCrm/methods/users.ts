import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { hubOptions } from './instanceHub';

/** "Given Family (email)", or whatever part of it the user has. */
function userName(user: IDataObject): string {
	const name = [user.given_name, user.family_name]
		.filter((part) => typeof part === 'string' && part.trim() !== '')
		.join(' ');
	const email = typeof user.email_address === 'string' ? user.email_address : '';
	if (name && email) return `${name} (${email})`;
	return name || email || `User ${String(user.id)}`;
}

/** The User dropdown of notes: the Keap users of the chosen instance (Keap REST `/users`). */
export async function getUsers(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return await hubOptions(this, '/users', 'users', userName);
}

import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { accountSecrets, readAccount, unusableAccount } from '../../../lib/security/account';
import { elementKeyOf, ELEMENTS, isElementKey } from '../../../lib/keap/elements';
import { Redactor } from '../../../lib/security/redact';
import { DEFAULT_RETRY_POLICY } from '../../../lib/params/requestOptions';
import { CloudElementsTransport } from '../../../lib/platform/cloudElements';

const PAGE_SIZE = 50;

/** The Instance field's list: the account's Keap instances, name and element shown, one page at a time. */
export async function searchInstances(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const { account, problems } = readAccount((await this.getCredentials('cloudElementsApi')) as IDataObject);
	if (problems.length > 0) {
		throw unusableAccount(this.getNode(), problems);
	}
	const transport = new CloudElementsTransport(this, account, DEFAULT_RETRY_POLICY);
	const platform = transport.forItem(0, new Redactor(accountSecrets(account)));
	const response = await platform.request<IDataObject[]>({
		method: 'GET',
		path: '/instances',
		query: { searchText: filter?.trim() || undefined, pageSize: PAGE_SIZE, nextPage: paginationToken || undefined },
		accept: [404],
		expect: 'list',
	});
	if (response.statusCode === 404) return { results: [] };
	const results = response.body.flatMap((instance) => {
		const key = elementKeyOf(instance);
		if (!isElementKey(key)) return [];
		const state = instance.disabled === true ? ', disabled' : instance.valid === false ? ', needs re-authentication' : '';
		return [{ name: `${String(instance.name)} — ${ELEMENTS[key].name.replace(/ \(.*\)$/, '')} #${String(instance.id)}${state}`, value: String(instance.id) }];
	});
	const next = response.headers['elements-next-page-token'];
	return { results, paginationToken: next && response.body.length === PAGE_SIZE ? next : undefined };
}

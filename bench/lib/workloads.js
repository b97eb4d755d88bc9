'use strict';
/**
 * The two workloads of the benchmarks, each in two forms that send the same HTTP calls:
 * - through the node (parameters + items for n8n);
 * - raw, with plain `fetch` from a pool of `concurrency` loops.
 *
 * Create Instance (onExisting "reuse", the default) makes two calls per item:
 *   GET /instances?searchText=<name>&pageSize=200   (the look-up by name; 404 = none)
 *   POST /instances                                  (the seed's body)
 * Get OAuth URL with a Custom State makes one:
 *   GET /elements/infusionsoftcrm/oauth/url?apiKey=…&apiSecret=…&callbackUrl=…&state=…
 * (Without a Custom State the node signs a state per item, an HMAC the raw loop would not do.)
 */
const { EXAMPLE, ceAuthorization, instanceConfiguration } = require('../../e2e/lib/credentials');

const AUTH = ceAuthorization();

/** Runs task(i) for i in 0..n-1 with `concurrency` loops, like the node's bounded pool. */
async function pool(n, concurrency, task) {
	let next = 0;
	const loop = async () => {
		while (next < n) await task(next++);
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, n) }, loop));
}

async function expectStatus(response, ...statuses) {
	const text = await response.text();
	if (!statuses.includes(response.status))
		throw new Error(`HTTP ${response.status}: ${text.slice(0, 200)}`);
	return text === '' ? undefined : JSON.parse(text);
}

/** Request options as the node's transport builds them for n8n's HTTP helper. */
function helperOptions(method, url, body) {
	return {
		method,
		url,
		headers: {
			Authorization: AUTH,
			Accept: 'application/json',
			...(body ? { 'Content-Type': 'application/json' } : {}),
		},
		...(body ? { body: JSON.stringify(body) } : {}),
		json: false,
		encoding: 'text',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		disableFollowRedirect: true,
		timeout: 30_000,
	};
}

const createBody = ({ code, name }) => ({
	element: { key: 'infusionsoftcrm' },
	providerData: { code },
	configuration: instanceConfiguration(),
	tags: ['bench'],
	name,
});
const lookupQuery = (name) => new URLSearchParams({ searchText: name, pageSize: '200' });
const oauthQuery = (customer) =>
	new URLSearchParams({
		apiKey: EXAMPLE.clientId,
		apiSecret: EXAMPLE.clientSecret,
		callbackUrl: EXAMPLE.callbackUrl,
		state: customer,
	});

const WORKLOADS = {
	create: {
		title: 'Create Instance',
		callsPerItem: 2,
		needsCodes: true,
		items: (n, codes, run) =>
			Array.from({ length: n }, (_, i) => ({ code: codes[i], name: `Bench ${run} ${i}` })),
		parameters: (concurrency) => ({
			resource: 'instance',
			operation: 'create',
			code: '={{ $json.code }}',
			name: '={{ $json.name }}',
			tags: 'bench',
			requestOptions: { concurrency },
		}),
		check: (out) => out.json.action === 'created' && typeof out.json.id === 'number',
		helperRequests: (apiRoot) => (item) => [
			helperOptions('GET', `${apiRoot}/instances?${lookupQuery(item.name)}`),
			helperOptions('POST', `${apiRoot}/instances`, createBody(item)),
		],
		raw: async (apiRoot, items, concurrency) => {
			const results = new Array(items.length);
			await pool(items.length, concurrency, async (i) => {
				const { code, name } = items[i];
				await expectStatus(
					await fetch(`${apiRoot}/instances?${lookupQuery(name)}`, {
						headers: { Authorization: AUTH, Accept: 'application/json' },
					}),
					404,
				);
				const body = createBody({ code, name });
				results[i] = await expectStatus(
					await fetch(`${apiRoot}/instances`, {
						method: 'POST',
						headers: {
							Authorization: AUTH,
							Accept: 'application/json',
							'Content-Type': 'application/json',
						},
						body: JSON.stringify(body),
					}),
					200,
				);
			});
			return results;
		},
	},
	oauth: {
		title: 'Get OAuth URL',
		callsPerItem: 1,
		needsCodes: false,
		items: (n, _codes, run) =>
			Array.from({ length: n }, (_, i) => ({ customer: `customer-${run}-${i}` })),
		parameters: (concurrency) => ({
			resource: 'oauth',
			operation: 'getOAuthUrl',
			state: '={{ $json.customer }}',
			requestOptions: { concurrency },
		}),
		check: (out) => typeof out.json.oauthUrl === 'string',
		helperRequests: (apiRoot) => (item) => [
			helperOptions(
				'GET',
				`${apiRoot}/elements/infusionsoftcrm/oauth/url?${oauthQuery(item.customer)}`,
			),
		],
		raw: async (apiRoot, items, concurrency) => {
			const results = new Array(items.length);
			await pool(items.length, concurrency, async (i) => {
				const query = oauthQuery(items[i].customer);
				results[i] = await expectStatus(
					await fetch(`${apiRoot}/elements/infusionsoftcrm/oauth/url?${query}`, {
						headers: { Authorization: AUTH, Accept: 'application/json' },
					}),
					200,
				);
			});
			return results;
		},
	},
};

/** Get OAuth URL with one fixed Custom State: no expression for n8n to evaluate per item. */
WORKLOADS.oauthFixed = {
	...WORKLOADS.oauth,
	title: 'Get OAuth URL (fixed parameters)',
	items: (n) => Array.from({ length: n }, () => ({ customer: 'customer-fixed' })),
	parameters: (concurrency) => ({
		...WORKLOADS.oauth.parameters(concurrency),
		state: 'customer-fixed',
	}),
};

module.exports = { WORKLOADS, pool, helperOptions };

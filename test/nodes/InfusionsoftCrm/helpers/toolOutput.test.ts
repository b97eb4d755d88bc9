import type { INode } from 'n8n-workflow';

import {
	runsAsAiTool,
	withoutCredentials,
} from '../../../../nodes/InfusionsoftCrm/helpers/toolOutput';

const NODE_TYPE = 'n8n-nodes-infusionsoft-crm.infusionsoftCrm';

describe('runsAsAiTool', () => {
	const ctx = (type: string, isToolExecution?: () => boolean) => ({
		getNode: () => ({ type }) as INode,
		...(isToolExecution ? { isToolExecution } : {}),
	});

	it('knows the tool variant by its type: n8n 1.x has no isToolExecution(), and AI Agent 3 runs tools as nodes, where it says false', () => {
		expect(runsAsAiTool(ctx(`${NODE_TYPE}Tool`))).toBe(true);
		expect(runsAsAiTool(ctx(`${NODE_TYPE}Tool`, () => false))).toBe(true);
		expect(runsAsAiTool(ctx(`${NODE_TYPE}Tool`, () => true))).toBe(true);
	});

	it('knows a regular run, and believes n8n when it says the node runs as a tool', () => {
		expect(runsAsAiTool(ctx(NODE_TYPE))).toBe(false);
		expect(runsAsAiTool(ctx(NODE_TYPE, () => false))).toBe(false);
		expect(runsAsAiTool(ctx(NODE_TYPE, () => true))).toBe(true);
	});
});

describe('withoutCredentials', () => {
	it("drops an instance's token, and the tokens a platform may show in its configuration, naming each", () => {
		const instance = {
			id: 7,
			name: 'Acme',
			token: 'ABC/DEF+instance-token=',
			configuration: {
				'oauth.api.key': 'client',
				'oauth.user.token': 'keap-access',
				'oauth.user.refresh_token': 'keap-refresh',
			},
			tags: ['customer'],
		};
		const copy = structuredClone(instance);
		expect(withoutCredentials(instance, 'instance')).toEqual({
			id: 7,
			name: 'Acme',
			configuration: { 'oauth.api.key': 'client' },
			tags: ['customer'],
			credentialsWithheld: [
				'token',
				'configuration.oauth.user.token',
				'configuration.oauth.user.refresh_token',
			],
		});
		expect(instance).toEqual(copy);
	});

	it('finds tokens inside lists', () => {
		expect(
			withoutCredentials({ instances: [{ id: 1, token: 'a' }, { id: 2 }] }, 'customApiCall'),
		).toEqual({
			instances: [{ id: 1 }, { id: 2 }],
			credentialsWithheld: ['instances[0].token'],
		});
	});

	it("drops a parsed callback's authorization code, and leaves a `code` of other data alone", () => {
		expect(
			withoutCredentials(
				{ code: 'auth-code-123', context: { customerId: 1 }, state: 's.t.u' },
				'oauth',
			),
		).toEqual({
			context: { customerId: 1 },
			state: 's.t.u',
			credentialsWithheld: ['code'],
		});
		const affiliate = { id: 3, code: 'SUMMER', region: { code: 'EU' } };
		expect(withoutCredentials(affiliate, 'customApiCall')).toEqual(affiliate);
		expect(withoutCredentials({ code: 'auth-code-123', nested: { code: 'EU' } }, 'oauth')).toEqual({
			nested: { code: 'EU' },
			credentialsWithheld: ['code'],
		});
	});

	it('leaves an item with no credential as it is, without the field', () => {
		const contact = {
			id: 1,
			firstName: 'Jane',
			email: 'jane@example.com',
			tag_ids: [1, 2],
			company: null,
		};
		expect(withoutCredentials(contact, 'contact')).toEqual(contact);
	});
});

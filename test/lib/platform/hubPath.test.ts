/**
 * The hub client sends an instance's token to its CRM hub and nowhere else: the URL is checked
 * as n8n's HTTP stack resolves it, whatever operation built the path.
 */
import { CloudElementsTransport } from '../../../lib/platform/cloudElements';
import { hubUrlProblem } from '../../../lib/platform/request';
import { Hub } from '../../../nodes/InfusionsoftCrm/actions/hub';
import { Redactor } from '../../../lib/security/redact';

const ROOT = 'https://platform.example/elements/api-v2';
const node = {
	id: '1',
	name: 'Infusionsoft CRM',
	type: 'infusionsoftCrm',
	typeVersion: 1,
	position: [0, 0] as [number, number],
	parameters: {},
};

function hub() {
	const sent: string[] = [];
	const ctx = {
		getNode: () => node,
		logger: { debug: () => undefined },
		helpers: {
			httpRequest: async (options: { url: string }) => {
				sent.push(options.url);
				return { statusCode: 200, body: '[]', headers: {} };
			},
		},
	};
	const transport = new CloudElementsTransport(
		ctx as never,
		{ apiRoot: ROOT, userSecret: 'user-secret-1', organizationSecret: 'org-secret-1' },
		{ maxRetries: 0, maxWaitMs: 0, timeoutMs: 5000 },
	);
	const platform = transport.forItem(3, new Redactor([]));
	return {
		sent,
		hub: new Hub(platform, {
			id: '12345',
			name: 'Ann',
			element: 'infusionsoftrest',
			token: 'instance-token-1',
		}),
	};
}

const ESCAPES = [
	'/%2e%2e/%2e%2e/instances',
	'/.%2e/%2e./instances',
	'/%2E%2E/%2E%2E/instances',
	'/.\t./.\t./instances',
	'/..\n/..\n/instances',
	'/../../instances',
	'/contacts/../../../elements',
	'/contacts/..%2f..%2f..%2finstances',
	'/contacts/%2e%2e%5c%2e%2e%5cinstances',
	'/contacts\\..\\..\\instances',
];

describe('the hub client never leaves /hubs/crm', () => {
	it.each(ESCAPES)(
		'%j is refused before anything is sent, by request and by list',
		async (path) => {
			const { hub: client, sent } = hub();
			await expect(client.request({ method: 'DELETE', path })).rejects.toThrow(
				/refused before it was sent.*\[item 3\]/,
			);
			await expect(client.list(path, {}, undefined, 'records')).rejects.toThrow(
				/refused before it was sent/,
			);
			expect(sent).toEqual([]);
		},
	);

	it('a path that stays inside is sent as it is', async () => {
		const { hub: client, sent } = hub();
		await client.request({
			method: 'GET',
			path: '/contacts/12/emails',
			query: { where: "email = 'a@b.c'" },
		});
		expect(sent).toEqual([`${ROOT}/hubs/crm/contacts/12/emails?where=email+%3D+%27a%40b.c%27`]);
	});

	it('reads the URL the way the HTTP stack resolves it', () => {
		expect(hubUrlProblem(ROOT, `${ROOT}/hubs/crm/contacts`)).toBeUndefined();
		expect(hubUrlProblem(`${ROOT}/`, `${ROOT}/hubs/crm/contacts`)).toBeUndefined();
		expect(hubUrlProblem(ROOT, `${ROOT}/hubs/crm`)).toMatch(/outside \/hubs\/crm/);
		expect(hubUrlProblem(ROOT, `${ROOT}/hubs/crmx/contacts`)).toMatch(/outside \/hubs\/crm/);
		expect(hubUrlProblem(ROOT, `${ROOT}/hubs/crm/%2e%2e/%2e%2e/instances`)).toMatch(/outside/);
		expect(hubUrlProblem(ROOT, `${ROOT}/hubs/crm/a%2fb`)).toMatch(/percent-encoded/);
		expect(
			hubUrlProblem(ROOT, 'https://elsewhere.example/elements/api-v2/hubs/crm/contacts'),
		).toMatch(/host/);
		expect(
			hubUrlProblem(
				ROOT,
				`https://platform.example@elsewhere.example/elements/api-v2/hubs/crm/contacts`,
			),
		).toMatch(/host/);
	});
});

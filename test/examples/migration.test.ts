import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { IDataObject } from 'n8n-workflow';

import { mintState } from '../../lib/security/state';
import { EXAMPLE, startSandbox, type Sandbox } from '../../sandbox';
import {
	changes,
	exampleCredentialEntries,
	exampleWorkflow,
	instancesOf,
	outputOf,
	REST_KEYS,
	runFrom,
	seedInstance,
	serveCallbacks,
	type CallbackHalf,
} from './exampleSupport';

/**
 * examples/migrate-to-keap-rest.json, run as it is through n8n's engine against the stand-in:
 * the link half from "Start the move", the callback half behind its OAuth Callback Trigger on a
 * real webhook, the customer's clicks on the stand-in's consent page.
 */
const migrate = exampleWorkflow('migrate-to-keap-rest.json');
const START = 'Start the move';
const TRIGGER = 'Customer came back';
const CALLBACK_NODES = [
	'Customer came back',
	'A move link?',
	'Create the Keap REST instance',
	'Keap REST instance in place?',
	'Test the Keap REST connection',
	'Connection works?',
	'Retire the legacy instance',
	'Moved',
];

const payloadOf = (state: string) =>
	JSON.parse(Buffer.from(state.split('.')[1], 'base64url').toString('utf8')) as IDataObject;
const stateOf = (url: string) => new URL(url).searchParams.get('state')!;
const linkIn = (text: unknown) => /https?:\/\/\S+/.exec(String(text))![0];

describe('examples/migrate-to-keap-rest.json', () => {
	let sb: Sandbox;
	let callbacks: CallbackHalf;

	beforeAll(async () => {
		sb = await startSandbox();
		callbacks = await serveCallbacks(migrate, TRIGGER, sb);
	});
	afterAll(async () => {
		await callbacks.close();
		await sb.close();
	});
	beforeEach(() => sb.reset());

	const linkHalf = () => runFrom(migrate, START, sb, { n8nUrl: callbacks.server.url });
	const legacy = (name: string, tags: string[]) =>
		seedInstance(sb, { element: 'infusionsoftcrm', name: `Infusionsoft – ${name}`, tags });
	const rest = (name: string, tags: string[]) =>
		seedInstance(sb, { element: 'infusionsoftrest', name: `Infusionsoft – ${name}`, tags });
	/** The link the link half made for a legacy instance, by its ID. */
	const linkFor = (run: Awaited<ReturnType<typeof linkHalf>>, id: number) =>
		linkIn(run.json('Not moved yet: send the link').find((r) => r.legacyInstanceId === id)!.text);

	it('uses a Keap app credential without Infusionsoft Server and Encrypted Key, called back on its own trigger', () => {
		const refs = migrate.nodes.flatMap((n) =>
			Object.entries(n.credentials ?? {}).filter(([type]) => type === 'infusionsoftCrmOAuth2Api'),
		);
		expect(new Set(refs.map(([, r]) => r.id)).size).toBe(1);
		const app = exampleCredentialEntries().find((c) => c.id === refs[0][1].id)!;
		expect(Object.keys(app.data).sort()).toEqual(['callbackUrl', 'clientId', 'clientSecret']);
		expect(new URL(app.data.callbackUrl as string).pathname).toBe('/webhook/infusionsoft-crm/move');
		// The Keap app of the other examples: same client, so the customer allows the same app.
		const other = exampleCredentialEntries().find((c) => c.id === 'isLocalStandIn01')!;
		expect(app.data.clientId).toBe(other.data.clientId);
	});

	it('the link half: a Keap REST link for each legacy customer who has not moved, a report line for one who has; nothing changes', async () => {
		const anna = await legacy('anna', ['customer', 'anna']);
		const bert = await legacy('bert', ['customer', 'bert', 'used-state:AAAAAAAAAAAAAAAA']);
		const carl = await legacy('carl', ['customer', 'carl']);
		const carlRest = await rest('carl', ['customer', 'carl']);
		await rest('dora', ['customer', 'dora']);
		const before = sb.requests.length;

		const run = await linkHalf();
		expect(run.error).toBeUndefined();
		const notMoved = run.json('Not moved yet: send the link');
		expect(notMoved.map((r) => [r.legacyInstanceId, r.name, r.status])).toEqual([
			[anna.id, 'Infusionsoft – anna', 'not moved yet: Keap REST link sent'],
			[bert.id, 'Infusionsoft – bert', 'not moved yet: Keap REST link sent'],
		]);
		expect(run.json('Moved: legacy instance left')).toEqual([
			{
				legacyInstanceId: carl.id,
				name: 'Infusionsoft – carl',
				status: 'moved to Keap REST; the legacy instance is still there',
			},
		]);
		expect(carlRest.id).not.toBe(carl.id);

		for (const [row, instance] of [
			[notMoved[0], anna],
			[notMoved[1], bert],
		] as const) {
			const url = new URL(linkIn(row.text));
			expect(url.searchParams.get('redirect_uri')).toBe(callbacks.server.productionUrl);
			const payload = payloadOf(stateOf(url.href));
			expect(payload.k).toBe('infusionsoftrest');
			expect(payload.c).toEqual({
				moveFrom: {
					id: instance.id,
					name: instance.name,
					tags: ['customer', instance.name.split(' – ')[1]],
				},
			});
			expect(Number(payload.e) - Number(payload.t)).toBe(7 * 24 * 60 * 60);
			expect(Date.parse(String(row.linkExpiresAt))).toBe(Number(payload.e) * 1000);
		}
		const calls = sb.requests.slice(before).filter((r) => r.path.startsWith('/elements/api-v2/'));
		expect(calls.map((r) => `${r.method} ${r.path.replace('/elements/api-v2', '')}`)).toEqual([
			'GET /instances',
			'GET /instances',
			'POST /elements/infusionsoftrest/oauth/url',
			'POST /elements/infusionsoftrest/oauth/url',
		]);
		expect(changes(sb, before)).toEqual([]);
	});

	it('no Keap REST instance yet, or no legacy one left: the link half still runs, or has nothing to do', async () => {
		const anna = await legacy('anna', ['customer']);
		const first = await linkHalf();
		expect(first.json('Not moved yet: send the link').map((r) => r.legacyInstanceId)).toEqual([
			anna.id,
		]);

		sb.reset();
		await rest('anna', ['customer']);
		const none = await linkHalf();
		expect(none.error).toBeUndefined();
		expect(none.executedNodes).toEqual([START, 'Keap REST instances', 'Legacy instances']);
	});

	it('end to end: the customer allows; the Keap REST instance is created with the same name and tags, then (only then) the legacy one is deleted; a rerun changes nothing', async () => {
		const anna = await legacy('anna', ['customer', 'anna', 'vip']);
		const bert = await legacy('bert', ['customer', 'bert']);
		const carl = await legacy('carl', ['customer', 'carl']);
		const links = await linkHalf();
		expect(instancesOf(sb).map((i) => i.id)).toEqual([anna.id, bert.id, carl.id]);

		const before = sb.requests.length;
		const run = await callbacks.click(linkFor(links, anna.id), 'allow');
		expect(run.executedNodes).toEqual(CALLBACK_NODES);
		const created = outputOf(run, 'Create the Keap REST instance')[0];
		expect(created).toMatchObject({
			action: 'created',
			name: 'Infusionsoft – anna',
			element: { key: 'infusionsoftrest' },
		});
		expect(changes(sb, before)).toEqual(['POST /instances', `DELETE /instances/${anna.id}`]);
		const post = sb.requests
			.slice(before)
			.find((r) => r.method === 'POST' && r.path.endsWith('/instances'))!;
		const body = post.body as IDataObject;
		expect(body.element).toEqual({ key: 'infusionsoftrest' });
		expect(Object.keys(body.configuration as IDataObject).sort()).toEqual(REST_KEYS);

		const after = instancesOf(sb);
		expect(after.filter((i) => i.element === 'infusionsoftcrm').map((i) => i.id)).toEqual([
			bert.id,
			carl.id,
		]);
		const moved = after.filter((i) => i.element === 'infusionsoftrest');
		expect(moved).toHaveLength(1);
		expect(moved[0]).toMatchObject({
			id: created.id,
			name: 'Infusionsoft – anna',
			keys: REST_KEYS,
		});
		expect(moved[0].tags.slice(0, 3)).toEqual(['customer', 'anna', 'vip']);
		expect(moved[0].tags[3]).toMatch(/^used-state:/);
		expect(outputOf(run, 'Moved')).toEqual([
			{
				name: 'Infusionsoft – anna',
				keapRestInstanceId: created.id,
				action: 'created',
				legacyInstanceId: anna.id,
				legacyAlreadyDeleted: false,
				status: 'moved',
			},
		]);

		// The same link again (a second click on Allow, or the browser's back button): a fresh code, the same state.
		const snapshot = instancesOf(sb);
		const tokens = [...sb.instances.values()].map((i) => i.token);
		const again = sb.requests.length;
		const rerun = await callbacks.click(linkFor(links, anna.id), 'allow');
		expect(rerun.executedNodes).toEqual(CALLBACK_NODES);
		expect(outputOf(rerun, 'Moved')[0]).toMatchObject({
			keapRestInstanceId: created.id,
			action: 'reused',
			legacyInstanceId: anna.id,
			legacyAlreadyDeleted: true,
		});
		expect(changes(sb, again)).toEqual([`DELETE /instances/${anna.id}`]);
		expect(instancesOf(sb)).toEqual(snapshot);
		expect([...sb.instances.values()].map((i) => i.token)).toEqual(tokens);

		// Who has not moved yet: the other two, each with a new link; anna is done.
		const report = await linkHalf();
		expect(
			report.json('Not moved yet: send the link').map((r) => [r.legacyInstanceId, r.name]),
		).toEqual([
			[bert.id, 'Infusionsoft – bert'],
			[carl.id, 'Infusionsoft – carl'],
		]);
		expect(report.json('Moved: legacy instance left')).toEqual([]);
	});

	it('the customer declines: nothing is created or deleted, the refusal is reported with the legacy instance', async () => {
		const anna = await legacy('anna', ['customer']);
		const links = await linkHalf();
		const before = sb.requests.length;
		const run = await callbacks.click(linkFor(links, anna.id), 'deny');
		expect(run.executedNodes).toEqual([TRIGGER, 'Not moved: link refused']);
		expect(outputOf(run, 'Not moved: link refused')).toEqual([
			{ legacyInstanceId: String(anna.id), reason: 'denied', details: expect.any(String) },
		]);
		expect(changes(sb, before)).toEqual([]);
		expect(instancesOf(sb).map((i) => i.id)).toEqual([anna.id]);
	});

	it('a forged link (the state changed to name another instance) or an expired one deletes nothing', async () => {
		const anna = await legacy('anna', ['customer']);
		const bert = await legacy('bert', ['customer']);
		const links = await linkHalf();
		const url = new URL(linkFor(links, anna.id));
		const [prefix, payload, signature] = stateOf(url.href).split('.');
		const forgedPayload = {
			...payloadOf(stateOf(url.href)),
			c: { moveFrom: { id: bert.id, name: bert.name, tags: [] } },
		};
		const forged = `${prefix}.${Buffer.from(JSON.stringify(forgedPayload)).toString('base64url')}.${signature}`;
		expect(forged).not.toContain(payload);
		const expired = mintState({
			clientId: EXAMPLE.clientId,
			clientSecret: EXAMPLE.clientSecret,
			context: { moveFrom: { id: anna.id, name: anna.name, tags: ['customer'] } },
			element: 'infusionsoftrest',
			now: Date.now() - 8 * 24 * 60 * 60 * 1000,
			lifetimeSeconds: 30 * 24 * 60 * 60,
		}).state;
		const before = sb.requests.length;
		for (const [state, reason] of [
			[forged, 'bad-signature'],
			[expired, 'expired'],
		]) {
			const code = sb.issueCode({
				clientId: EXAMPLE.clientId,
				callbackUrl: callbacks.server.productionUrl,
			});
			const { status, run } = await callbacks.open(
				`${callbacks.server.productionUrl}?${new URLSearchParams({ code, state })}`,
			);
			expect(status).toBe(400);
			expect(run!.executedNodes).toEqual([TRIGGER, 'Not moved: link refused']);
			expect(outputOf(run, 'Not moved: link refused')[0]).toMatchObject({
				legacyInstanceId: 'unknown (state not verified)',
				reason,
			});
		}
		expect(changes(sb, before)).toEqual([]);
		expect(instancesOf(sb).map((i) => i.id)).toEqual([anna.id, bert.id]);
	});

	it('a genuine state that names no legacy instance, or was made for the legacy element: nothing is created or deleted', async () => {
		const anna = await legacy('anna', ['customer']);
		const before = sb.requests.length;
		for (const [context, element] of [
			['customer-42', 'infusionsoftrest'],
			[{ moveFrom: { id: anna.id, name: anna.name, tags: [] } }, 'infusionsoftcrm'],
		] as const) {
			const { state } = mintState({
				clientId: EXAMPLE.clientId,
				clientSecret: EXAMPLE.clientSecret,
				context,
				element,
				now: Date.now(),
				lifetimeSeconds: 600,
			});
			const code = sb.issueCode({
				clientId: EXAMPLE.clientId,
				callbackUrl: callbacks.server.productionUrl,
			});
			const { status, run } = await callbacks.open(
				`${callbacks.server.productionUrl}?${new URLSearchParams({ code, state })}`,
			);
			expect(status).toBe(200);
			expect(run!.executedNodes).toEqual([TRIGGER, 'A move link?', 'Not moved: not a move link']);
			expect(outputOf(run, 'Not moved: not a move link')[0]).toMatchObject({ element });
		}
		expect(changes(sb, before)).toEqual([]);
		expect(instancesOf(sb).map((i) => i.id)).toEqual([anna.id]);
	});

	it.each([
		['invalid', (id: number) => sb.breakInstance(id)],
		['disabled', (id: number) => sb.disableInstance(id)],
	])(
		'a broken (%s) Keap REST twin: it gets a link, the new code mends it, and only then is the legacy instance retired',
		async (_, breakIt) => {
			const anna = await legacy('anna', ['customer', 'anna']);
			const twin = await rest('anna', ['customer', 'anna']);
			breakIt(twin.id);
			const links = await linkHalf();
			expect(links.json('Moved: legacy instance left')).toEqual([]);
			const tokenBefore = sb.instances.get(twin.id)!.token;

			const before = sb.requests.length;
			const run = await callbacks.click(linkFor(links, anna.id), 'allow');
			expect(run.executedNodes).toEqual(CALLBACK_NODES);
			expect(outputOf(run, 'Create the Keap REST instance')[0]).toMatchObject({
				action: 'reauthenticated',
				id: twin.id,
			});
			expect(outputOf(run, 'Test the Keap REST connection')[0]).toMatchObject({
				ok: true,
				status: 'ok',
				instanceId: twin.id,
			});
			const mended = changes(sb, before);
			expect(mended[0]).toBe(`PUT /instances/${twin.id}`);
			expect(mended.at(-1)).toBe(`DELETE /instances/${anna.id}`);
			const stored = sb.instances.get(twin.id)!;
			expect([stored.valid, stored.disabled, stored.token === tokenBefore]).toEqual([
				true,
				false,
				false,
			]);
			expect(instancesOf(sb).map((i) => i.id)).toEqual([twin.id]);
		},
	);

	it('the Keap REST connection still does not work after Create: the legacy instance is kept, and the report says why', async () => {
		const anna = await legacy('anna', ['customer']);
		const links = await linkHalf();
		// Keap refuses the new connection's token at the first call (the customer revoked the app at once).
		sb.fail({
			method: 'GET',
			path: '/hubs/crm/oauth/connect/userinfo',
			status: 401,
			body: { requestId: 'r1', message: 'Invalid access token' },
		});
		const before = sb.requests.length;
		const run = await callbacks.click(linkFor(links, anna.id), 'allow');
		expect(run.executedNodes).not.toContain('Retire the legacy instance');
		const [report] = outputOf(run, 'Not moved: the new connection does not work');
		expect(report).toMatchObject({
			legacyInstanceId: anna.id,
			testStatus: 'needs-reauthentication',
		});
		expect(String(report.status)).toMatch(/^not moved: .*legacy instance is kept/);
		expect(changes(sb, before)).toEqual(['POST /instances']);
		expect(instancesOf(sb).map((i) => i.element)).toEqual(['infusionsoftcrm', 'infusionsoftrest']);
	});

	it('Create fails (the platform refuses the code): the legacy instance stays', async () => {
		const anna = await legacy('anna', ['customer']);
		const links = await linkHalf();
		sb.fail({
			method: 'POST',
			path: '/instances',
			status: 400,
			body: { requestId: 'r1', message: 'Failed to create instance' },
		});
		const before = sb.requests.length;
		const run = await callbacks.click(linkFor(links, anna.id), 'allow');
		expect(run.run?.data.resultData.error?.message).toMatch(/Failed to create instance/);
		expect(run.executedNodes).not.toContain('Retire the legacy instance');
		expect(changes(sb, before)).toEqual(['POST /instances']);
		expect(instancesOf(sb).map((i) => [i.id, i.element])).toEqual([[anna.id, 'infusionsoftcrm']]);
	});
});

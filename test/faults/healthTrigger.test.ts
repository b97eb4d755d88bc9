/**
 * The Connection Health Trigger under every fault of the suite (faults.ts), aimed at each call a
 * poll makes: the listing, and the look-up that confirms a deletion. The stand-in knows only the
 * sentinel account; echoing faults repeat the account's secrets (the trigger is handed no other
 * credential). For each fault, polled as an active workflow (test/trigger/healthPoller.ts):
 *
 * - the poll either fires exactly the changes, or fails with a clear error and records nothing;
 *   then the next good poll fires exactly what is left: each change once, never a false "deleted";
 * - no secret and no instance token, in any form, in the emitted items, the run, the error
 *   (every property), the static data or the logs.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { IDataObject } from 'n8n-workflow';

import { useVirtualClock } from '../support/virtualClock';
import type { PollOutcome } from '../trigger/healthPoller';
import { FAULTS, type FaultSpec } from './faults';
import { healthPoller, healthScene, SENT, TRIGGER, type Scene } from './healthTriggerSupport';
import type { Target } from './operations';
import {
	allText,
	expectNoSecretsIn,
	findLeak,
	SECRET_SENTINELS,
	SENTINEL,
	sentinelCredentials,
	TYPE_ERROR_WORDS,
	type Sandbox,
} from './support';

const changesOf = (outcome: PollOutcome) =>
	(outcome.emitted?.[0] ?? []).map((i) => `${String(i.json.instanceId)} ${String(i.json.change)}`);

/** Everything of a poll a user or an operator can see. */
const visibleOf = (outcome: PollOutcome, saved: IDataObject) =>
	allText([outcome.emitted, outcome.run, outcome.error, outcome.logs, outcome.logText, saved]);

/** Clears the faults still queued (a persistent fault outlives the poll), keeping the instances. */
function clearFaults(sb: Sandbox): void {
	const instances = [...sb.instances.entries()];
	sb.reset();
	for (const [id, instance] of instances) sb.instances.set(id, instance);
}

const targets = (s: Scene): Target[] => [
	{ label: 'GET /instances (the listing)', method: 'GET', path: /^\/instances$/ },
	{
		label: 'GET /instances/{id} (the look-up that confirms a deletion)',
		method: 'GET',
		path: new RegExp(`^/instances/${s.deleted}$`),
	},
];

async function runFault(fault: FaultSpec, targetIndex: number): Promise<void> {
	const s = await healthScene();
	try {
		const target = targets(s)[targetIndex];
		const p = healthPoller(s.sb, fault.requestOptions);
		expect(changesOf(await p.poll())).toEqual([]);
		const baseline = p.current();

		s.sb.instances.get(s.broken)!.valid = false;
		s.sb.instances.delete(s.deleted);
		const expected = [`${s.broken} invalid`, `${s.deleted} deleted`];

		const credentials = { cloudElementsApi: sentinelCredentials(s.sb).cloudElementsApi };
		fault.adjust?.({ credentials, items: [] });
		p.setCredentials(credentials as never);
		fault.inject(s.sb, target, SENT);
		const faulty = await p.poll();
		const afterFault = p.current();
		expectNoSecretsIn(visibleOf(faulty, p.saved()), [...SECRET_SENTINELS, ...s.tokens]);

		clearFaults(s.sb);
		p.setCredentials({ cloudElementsApi: sentinelCredentials(s.sb).cloudElementsApi as never });
		const next = await p.poll();
		expectNoSecretsIn(visibleOf(next, p.saved()), [...SECRET_SENTINELS, ...s.tokens]);

		if (faulty.error) {
			// A clear error, and nothing recorded: the next poll reports every change.
			expect(['NodeApiError', 'NodeOperationError']).toContain(faulty.error.name);
			expect(faulty.error.message).not.toMatch(TYPE_ERROR_WORDS);
			expect((faulty.error as { description?: string }).description).toMatch(
				/Nothing was recorded/,
			);
			expect(faulty.emitted).toBeUndefined();
			expect(afterFault).toEqual(baseline);
			expect(changesOf(next)).toEqual(expected);
		} else {
			// Survived: each change once, then nothing.
			expect(changesOf(faulty)).toEqual(expected);
			expect(changesOf(next)).toEqual([]);
		}
		expect(changesOf(await p.poll())).toEqual([]);
	} finally {
		await s.sb.close();
	}
}

describe('Connection Health Trigger under faults: each change once or a clear error that records nothing; no secret anywhere', () => {
	// Backoff and Retry-After take no real time.
	beforeAll(() => void useVirtualClock());
	afterAll(() => jest.restoreAllMocks());

	const cases = FAULTS.flatMap((fault) =>
		[0, 1].map(
			(targetIndex) =>
				[
					fault.name,
					targetIndex === 0 ? 'the listing' : 'the look-up',
					fault,
					targetIndex,
				] as const,
		),
	);

	it.concurrent.each(cases)(
		'%s, on %s',
		async (_name, _target, fault, targetIndex) => {
			await runFault(fault, targetIndex);
		},
		60_000,
	);

	it('the check is not blind: it finds the tokens and secrets in what the platform answers', async () => {
		const s = await healthScene();
		try {
			const listing = await fetch(`${s.sb.apiRoot}/instances`, {
				headers: {
					authorization: `User ${SENTINEL.userSecret}, Organization ${SENTINEL.organizationSecret}`,
				},
			});
			const text = await listing.text();
			expect(findLeak(text, s.tokens)).toBeDefined();
			expect(
				findLeak(
					allText(new Error(`Authorization: User ${encodeURIComponent(SENTINEL.userSecret)}`)),
					SECRET_SENTINELS,
				),
			).toBeDefined();
		} finally {
			await s.sb.close();
		}
	});

	it('"Fetch Test Event" with a platform that echoes the secrets: a clear error, no secret in it or the logs', async () => {
		const s = await healthScene();
		try {
			const p = healthPoller(s.sb, { maxRetries: 0 });
			s.sb.fail({ method: 'GET', path: /^\/instances$/, status: 401, echoRequest: true });
			const run = await p.testEvent();
			expect(run.error?.name).toBe('NodeApiError');
			expectNoSecretsIn(allText([run.run, run.error, run.logs, run.logText]), [
				...SECRET_SENTINELS,
				...s.tokens,
			]);
			s.sb.instances.get(s.broken)!.valid = false;
			const sample = await p.testEvent();
			expect(sample.outputOf(TRIGGER).map((i) => i.json.instanceId)).toEqual([s.broken]);
			expectNoSecretsIn(allText([sample.run, sample.logs, sample.logText]), [
				...SECRET_SENTINELS,
				...s.tokens,
			]);
		} finally {
			await s.sb.close();
		}
	});
});

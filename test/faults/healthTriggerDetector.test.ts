/**
 * The Connection Health Trigger's leak checks are not blind: with the Redactor switched off
 * (this file only), a poll against a platform that repeats the secrets back is caught.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';

import { Redactor } from '../../lib/security/redact';
import { FAULTS } from './faults';
import { allText, expectNoSecretsIn, SECRET_SENTINELS } from './support';
import { healthPoller, healthScene, SENT } from './healthTriggerSupport';

describe('the Connection Health Trigger’s leak check', () => {
	beforeAll(() => {
		jest.spyOn(Redactor.prototype, 'text').mockImplementation((value: string) => value);
		jest.spyOn(Redactor.prototype, 'json').mockImplementation(<T>(value: T) => value);
	});
	afterAll(() => jest.restoreAllMocks());

	it('catches the secrets a platform repeats back when the trigger does not redact', async () => {
		const s = await healthScene();
		try {
			const p = healthPoller(s.sb, { maxRetries: 0 });
			FAULTS.find((f) => f.name === '401 whose body repeats every secret')!.inject(
				s.sb,
				{ label: 'listing', method: 'GET', path: /^\/instances$/ },
				SENT,
			);
			const outcome = await p.poll();
			expect(outcome.error?.name).toBe('NodeApiError');
			expect(() =>
				expectNoSecretsIn(allText([outcome.error, outcome.logs]), SECRET_SENTINELS),
			).toThrow(/A sentinel leaked/);
		} finally {
			await s.sb.close();
		}
	});
});

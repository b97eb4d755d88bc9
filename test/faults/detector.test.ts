/**
 * The leak detector itself: with the node's redaction switched off (this file only), every
 * operation's run against a platform that repeats the secrets back must be caught. If this
 * fails, the fault suite's "no sentinel anywhere" checks have gone blind.
 */
import { describe, expect, it, jest } from '@jest/globals';

jest.mock('../../lib/security/redact', () => {
	class Redactor {
		with() {
			return this;
		}

		text(value: string) {
			return value;
		}

		json<T>(value: T) {
			return value;
		}
	}
	const actual = jest.requireActual<Record<string, unknown>>('../../lib/security/redact');
	return { ...actual, Redactor };
});

import { FAULTS } from './faults';
import { OPERATIONS } from './operations';
import { expectNoSentinels, runWith, secretsSent, startSentinelSandbox } from './support';

describe('the leak detector', () => {
	const echo = FAULTS.find((fault) => fault.name === '401 whose body repeats every secret')!;

	it.each(OPERATIONS.filter((op) => op.targets.length > 0).map((op) => [op.name, op] as const))(
		'catches the secrets a platform repeats back when %s does not redact',
		async (_name, op) => {
			const sb = await startSentinelSandbox();
			try {
				const prepared = await op.prepare(sb, 1, 'detector');
				echo.inject(sb, op.targets[0], secretsSent(op.usesApp, []));
				const run = await runWith(
					sb,
					{ ...op.parameters, requestOptions: { maxRetries: 0 } },
					prepared.items,
				);
				expect(run.error?.name).toBe('NodeApiError');
				expect(() => expectNoSentinels(run, prepared.secrets)).toThrow(/A sentinel leaked/);
			} finally {
				await sb.close();
			}
		},
	);
});

import { jest } from '@jest/globals';
import { WorkflowExecute } from 'n8n-core';

/**
 * The executions n8n's engine starts from now on are cancelled when `signal` fires, as the
 * editor's Stop button does. Undo with the returned spy's `mockRestore()` (or `jest.restoreAllMocks()`).
 */
export function cancelExecutionOn(signal: AbortSignal) {
	const run = WorkflowExecute.prototype.run;
	return jest.spyOn(WorkflowExecute.prototype, 'run').mockImplementation(function (
		this: WorkflowExecute,
		...args
	) {
		const execution = run.apply(this, args);
		signal.addEventListener('abort', () => execution.cancel(), { once: true });
		return execution;
	});
}

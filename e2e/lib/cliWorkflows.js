'use strict';
/**
 * Small workflows for `n8n execute`: a Manual Trigger, then nodes in a line (our node, version 2,
 * unless a step names another type), run with `--rawOutput`, and their outputs read back.
 */
const assert = require('node:assert/strict');

const n8n = require('./n8n');
const demo = require('./demo');

/** The Instance field, By ID. */
const byId = (instance) => ({ __rl: true, mode: 'id', value: String(instance.id) });
/**
 * The Instance field picked From List, as the editor saves it. Its By ID regex is run by n8n
 * 2.x in a vm with a 250 ms timeout before every run: on a loaded machine that check alone
 * has failed a run ("Regular expression execution timed out"); From List has no regex.
 */
const fromList = (instance) => ({ __rl: true, mode: 'list', value: String(instance.id) });

/**
 * Manual Trigger → the steps, in a line. A step is [name, parameters, settings?] of our node
 * (version 2, the account credential), or { name, type, typeVersion, parameters } of another node.
 */
function lineWorkflow(id, name, ceRef, steps) {
	const nodes = [
		{
			id: `${id}-0`,
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		...steps.map((step, i) => {
			const at = { id: `${id}-${i + 1}`, position: [(i + 1) * 220, 0] };
			if (!Array.isArray(step)) return { ...at, ...step };
			const [stepName, parameters, settings = {}] = step;
			return {
				...at,
				name: stepName,
				type: demo.NODE_TYPE,
				typeVersion: 2,
				parameters,
				credentials: { cloudElementsApi: ceRef },
				...settings,
			};
		}),
	];
	const connections = Object.fromEntries(
		nodes
			.slice(0, -1)
			.map((node, i) => [
				node.name,
				{ main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] },
			]),
	);
	return { id, name, nodes, connections, settings: { executionOrder: 'v1' }, active: false };
}

/**
 * `n8n execute --id ID --rawOutput`: resolves { run, printed } (everything the CLI printed);
 * rejects unless the run finished successfully (a SIGSEGV at exit after a complete run is
 * tolerated, as n8n.executeWorkflow does).
 */
async function execute(flavor, folder, id) {
	const r = await n8n.n8nCli(flavor, folder, ['execute', `--id=${id}`, '--rawOutput']);
	const run = n8n.parseExecuteOutput(r.stdout);
	const complete =
		run && run.finished === true && run.status === 'success' && !run.data?.resultData?.error;
	if (!complete || (r.code !== 0 && r.signal !== 'SIGSEGV')) {
		const tail = (text) => text.split('\n').slice(-30).join('\n');
		throw new Error(
			`execute --id=${id}: exit ${r.code}${r.signal ? ` (${r.signal})` : ''}, ${run ? `status ${run.status}: ${run.data?.resultData?.error?.message ?? ''}` : 'no run JSON'}\n--- stdout\n${tail(r.stdout)}\n--- stderr\n${tail(r.stderr)}`,
		);
	}
	return { run, printed: r.stdout + r.stderr };
}

/** The items a node output (its last run), failing when it did not run. */
const out = (run, name) => n8n.nodeOutput(run, name) ?? assert.fail(`${name} did not run`);
/** The one item a node output. */
const one = (run, name) => {
	const items = out(run, name);
	assert.equal(items.length, 1, `${name}: one item`);
	return items[0];
};

module.exports = { byId, fromList, lineWorkflow, execute, out, one };

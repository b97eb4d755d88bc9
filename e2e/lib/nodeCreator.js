'use strict';
/**
 * Adding this package's nodes through the n8n 2.x editor's node creator (its data-test-id
 * attributes), in headless Chromium: for the walkthrough's panel check (e2e/walkthrough.js) and
 * the README screenshots (scripts/screenshot-editor.js).
 */

const NODE = 'Infusionsoft CRM (Cloud Elements)';
/** What a user types to find the package's nodes. */
const SEARCH = 'Infusionsoft';

/** Waits for CSS transitions (panels sliding in, dropdowns) to end. */
const settle = (page, ms = 600) => page.waitForTimeout(ms);

/** Opens a new, empty workflow in the editor at `url`. */
async function openNewWorkflow(page, url) {
	await page.goto(`${url}/workflow/new`);
	await page
		.locator('[data-test-id=canvas-plus-button], [data-test-id=canvas-add-button]')
		.first()
		.waitFor();
}

/** Opens the node creator and searches `text`, until the node is listed. */
async function searchNodeCreator(page, text = SEARCH) {
	await page.click('[data-test-id=node-creator-plus-button]');
	await page.locator('[data-test-id=node-creator-search-bar]').fill(text);
	await page.locator('[data-test-id=node-creator-item-name]', { hasText: NODE }).first().waitFor();
	await settle(page);
}

/** Opens a listed item: a node's actions, or a trigger. */
async function openCreatorItem(page, name) {
	await page.locator(`[data-test-id=node-creator-item-name]:text-is("${name}")`).click();
	await settle(page);
}

/** Picks one of the open node's actions, e.g. "Create an instance": the node is added and its panel opens. */
async function pickAction(page, action) {
	const item = page.getByText(action, { exact: true });
	// In a workflow with no trigger yet, n8n opens a node's page with its Triggers shown and its
	// Actions folded: unfold them.
	if (!(await item.isVisible())) {
		await page
			.locator('[data-test-id=node-creator-category-item]', { hasText: /^\s*Actions/ })
			.first()
			.click();
		await settle(page);
	}
	await item.click();
	await page.locator('[data-test-id=ndv]').waitFor();
}

/** Search, the node, one of its actions: the node is on the canvas with its panel open. */
async function addNodeByAction(page, action) {
	await searchNodeCreator(page);
	await openCreatorItem(page, NODE);
	await pickAction(page, action);
}

/** Adds a trigger (n8n asks to confirm some with "Add to workflow"); its panel opens. */
async function addTrigger(page, name) {
	await searchNodeCreator(page);
	await openCreatorItem(page, name);
	const add = page.getByRole('button', { name: 'Add to workflow' });
	if (await add.isVisible()) await add.click();
	await page.locator('[data-test-id=ndv]').waitFor();
}

/** The value of a parameter's input in the open panel, or null when the panel does not show it. */
async function parameterValue(page, name) {
	const input = page.locator(`[data-test-id=parameter-input-${name}] input`).first();
	return (await input.count()) > 0 ? await input.inputValue() : null;
}

module.exports = {
	NODE,
	addNodeByAction,
	addTrigger,
	openCreatorItem,
	openNewWorkflow,
	parameterValue,
	pickAction,
	searchNodeCreator,
	settle,
};

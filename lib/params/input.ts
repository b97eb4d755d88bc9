import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ElementKey } from '../keap/elements';
import { ELEMENT_KEYS, isElementKey } from '../keap/elements';
import { MIN_SECRET_LENGTH, secretTooShort } from '../security/redact';

export function inputError(
	ctx: IExecuteFunctions,
	itemIndex: number,
	message: string,
	description?: string,
): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), `${message} [item ${itemIndex}]`, {
		itemIndex,
		description,
	});
}

/** True when a parameter's raw value holds an n8n expression anywhere (a text starting with `=`). */
export function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.charAt(0) === '=';
	if (Array.isArray(value)) return value.some(holdsExpression);
	if (value !== null && typeof value === 'object')
		return Object.values(value).some(holdsExpression);
	return false;
}

const copyOf = <T>(value: T): T =>
	value !== null && typeof value === 'object' ? structuredClone(value) : value;

/** A parameter that is one path into the item, `={{ $json.customer }}`: its keys. */
type JsonPath = { path: string[] };

/**
 * Per execution (n8n makes a new context for each), what is known of a parameter: the value of
 * one that holds no expression, that it is a path into the item, or that it holds another
 * expression (its raw value is the same for every item).
 */
const itemIndependent = new WeakMap<
	object,
	Map<string, { value: unknown } | JsonPath | 'expression'>
>();

/**
 * The keys of `={{ $json.a.b }}` (the whole parameter, dotted names only); undefined for any
 * other text. n8n 2.x evaluates every expression in an isolated VM (about a millisecond each).
 */
function jsonPathOf(raw: unknown): string[] | undefined {
	if (typeof raw !== 'string' || !raw.startsWith('={{')) return undefined;
	const match = /^=\{\{\s*\$json((?:\.[A-Za-z_$][\w$]*)+)\s*\}\}$/.exec(raw);
	return match ? match[1].slice(1).split('.') : undefined;
}

/**
 * What `$json.<path>` gives for the item when that is a text, a finite number or a boolean
 * (n8n's expression answers exactly that value, and hands it over unchanged as long as the
 * parameter declares no validateType: a test keeps it so); undefined for anything else, which
 * n8n then evaluates itself.
 */
function scalarAtPath(
	ctx: IExecuteFunctions,
	itemIndex: number,
	path: string[],
): string | number | boolean | undefined {
	let value: unknown = ctx.getInputData()[itemIndex]?.json;
	for (const key of path) {
		if (
			value === null ||
			typeof value !== 'object' ||
			!Object.prototype.hasOwnProperty.call(value, key)
		)
			return undefined;
		value = (value as Record<string, unknown>)[key];
	}
	if (typeof value === 'string' || typeof value === 'boolean') return value;
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	return undefined;
}

/**
 * `ctx.getNodeParameter(name, itemIndex, fallback)`, read once per execution when the
 * parameter holds no expression: such a value is the same for every item, and n8n's read
 * (the value checked against the node's whole description) costs more than the item's own
 * work. A parameter with an expression anywhere in it is read for every item, as before (its
 * raw value is looked at once), except a plain `={{ $json.a.b }}` whose value is a text, number
 * or boolean: that is the item's own value, read directly (n8n answers the very same value, and
 * an expression costs n8n 2.x an isolated VM call). Objects come out as copies, so that no item
 * sees another's changes.
 */
export function nodeParameter(
	ctx: IExecuteFunctions,
	name: string,
	itemIndex: number,
	fallback?: unknown,
): unknown {
	const key = fallback === undefined ? name : `${name}\u0000${JSON.stringify(fallback)}`;
	let known = itemIndependent.get(ctx);
	const hit = known?.get(key);
	if (hit !== undefined && hit !== 'expression') {
		if ('value' in hit) return copyOf(hit.value);
		const scalar = scalarAtPath(ctx, itemIndex, hit.path);
		if (scalar !== undefined) return scalar;
	}
	if (hit !== undefined) return ctx.getNodeParameter(name, itemIndex, fallback) as unknown;
	const raw = ctx.getNodeParameter(name, itemIndex, fallback, { rawExpressions: true }) as unknown;
	const value = ctx.getNodeParameter(name, itemIndex, fallback) as unknown;
	if (!known) itemIndependent.set(ctx, (known = new Map()));
	known.set(
		key,
		holdsExpression(raw) ? expressionKind(ctx, raw, itemIndex, value) : { value: copyOf(value) },
	);
	return value;
}

/**
 * A path into the item is read directly from the next item on, once n8n's own answer for this
 * item was the same value: otherwise every item is evaluated by n8n.
 */
function expressionKind(
	ctx: IExecuteFunctions,
	raw: unknown,
	itemIndex: number,
	evaluated: unknown,
): JsonPath | 'expression' {
	const path = jsonPathOf(raw);
	if (!path) return 'expression';
	const direct = scalarAtPath(ctx, itemIndex, path);
	return direct !== undefined && direct === evaluated ? { path } : 'expression';
}

/** A text parameter as a trimmed string; numbers from expressions are accepted as text. */
export function textParameter(
	ctx: IExecuteFunctions,
	name: string,
	label: string,
	itemIndex: number,
	{ required = false, hint }: { required?: boolean; hint?: string } = {},
): string {
	const value = nodeParameter(ctx, name, itemIndex, '');
	let result: string;
	if (value === undefined || value === null) result = '';
	else if (typeof value === 'string') result = value.trim();
	else if (typeof value === 'number' && Number.isFinite(value)) result = String(value);
	else {
		throw inputError(
			ctx,
			itemIndex,
			`${label} must be text, not ${Array.isArray(value) ? 'a list' : typeof value}`,
			hint,
		);
	}
	if (required && result === '') {
		throw inputError(ctx, itemIndex, `${label} is empty`, hint);
	}
	return result;
}

/** The authorization code of a callback; never echoed in a message. */
export function codeParameter(ctx: IExecuteFunctions, itemIndex: number): string {
	const hint = 'Map the "code" of the callback, for example {{ $json.code }}.';
	const code = textParameter(ctx, 'code', 'Authorization Code', itemIndex, {
		required: true,
		hint,
	});
	if (secretTooShort(code)) {
		throw inputError(
			ctx,
			itemIndex,
			`Authorization Code is shorter than ${MIN_SECRET_LENGTH} characters, which no real code is`,
			hint,
		);
	}
	return code;
}

/** `true`/`false`, or their text from an expression (any case); anything else is refused by name. */
export function readBoolean(value: unknown): boolean | undefined {
	if (typeof value === 'boolean') return value;
	if (typeof value === 'string') {
		const text = value.trim().toLowerCase();
		if (text === 'true') return true;
		if (text === 'false') return false;
	}
	return undefined;
}

export function booleanParameter(
	ctx: IExecuteFunctions,
	name: string,
	label: string,
	itemIndex: number,
	fallback: boolean,
): boolean {
	const value = readBoolean(nodeParameter(ctx, name, itemIndex, fallback));
	if (value === undefined) throw inputError(ctx, itemIndex, `${label} must be true or false`);
	return value;
}

/** Tags from a comma-separated text or a list (from an expression), trimmed and without repeats. */
export function parseTags(value: unknown): string[] | undefined {
	let parts: unknown[];
	if (value === undefined || value === null || value === '') return [];
	if (typeof value === 'string') parts = value.split(',');
	else if (Array.isArray(value)) parts = value;
	else return undefined;
	const tags: string[] = [];
	for (const part of parts) {
		if (typeof part !== 'string' && typeof part !== 'number') return undefined;
		const tag = String(part).trim();
		if (tag && !tags.includes(tag)) tags.push(tag);
	}
	return tags;
}

export function tagsParameter(ctx: IExecuteFunctions, name: string, itemIndex: number): string[] {
	const tags = parseTags(nodeParameter(ctx, name, itemIndex, ''));
	if (tags === undefined) {
		throw inputError(
			ctx,
			itemIndex,
			'Tags must be a comma-separated text or a list of texts',
			'For example: customer-42, production',
		);
	}
	return tags;
}

/** An instance ID: a positive whole number, given as a number or as digits. */
/** A record ID (an instance, a contact, a task): a positive whole number, given as a number or as digits. */
export function idParameter(
	ctx: IExecuteFunctions,
	itemIndex: number,
	name: string,
	label: string,
	hint: string,
): string {
	const raw = nodeParameter(ctx, name, itemIndex, '');
	const id = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
	if (!/^[1-9][0-9]{0,18}$/.test(id)) {
		throw inputError(
			ctx,
			itemIndex,
			id === '' ? `${label} is empty` : `${label} must be a whole number`,
			hint,
		);
	}
	return id;
}

export function instanceIdParameter(ctx: IExecuteFunctions, itemIndex: number): string {
	return idParameter(
		ctx,
		itemIndex,
		'instanceId',
		'Instance ID',
		'Use the "id" of an instance, for example from Create Instance or Get Many Instances.',
	);
}

/** Return All, or the Limit (a whole number of 1 or more). */
export function limitParameter(ctx: IExecuteFunctions, itemIndex: number): number | undefined {
	if (booleanParameter(ctx, 'returnAll', 'Return All', itemIndex, false)) return undefined;
	const limit = nodeParameter(ctx, 'limit', itemIndex, 50);
	if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
		throw inputError(ctx, itemIndex, 'Limit must be a whole number of 1 or more');
	}
	return limit;
}

/** The Element field (its default depends on the node's version). */
export function elementParameter(ctx: IExecuteFunctions, itemIndex: number): ElementKey {
	const value = nodeParameter(ctx, 'element', itemIndex);
	const key = typeof value === 'string' ? value.trim() : value;
	if (!isElementKey(key)) {
		throw inputError(
			ctx,
			itemIndex,
			'Element has an unknown value',
			`Use one of: ${ELEMENT_KEYS.join(', ')}.`,
		);
	}
	return key;
}

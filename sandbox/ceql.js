// @ts-check
'use strict';

/**
 * CEQL, the platform's `where` language, as far as the hub's lists need it:
 *
 *   column = 'text'    != < > <= >=   (a doubled '' inside quotes is one quote; numbers bare)
 *   column LIKE '%text%'              (% is any run of characters; case-insensitive)
 *   column IN ('a', 'b', 3)
 *   column IS NULL | column IS NOT NULL
 *   a AND b, a OR b, ( ... )          (AND binds tighter than OR)
 *
 * Columns are bare words (letters, digits, _) or in backticks (anything but a backtick, dots
 * included: `company.company_name`). Keywords are case-insensitive. `true` and `false` are
 * accepted as values too (they compare with a boolean field like 'true' and 'false').
 *
 * parse() gives a tree or throws a CeqlError; matches() evaluates a tree against a record
 * through a column reader the caller gives (it knows which columns exist, and the virtual ones).
 */

class CeqlError extends Error {}

/**
 * @typedef {string | number | boolean} Literal
 * @typedef {{ type: 'or' | 'and', items: Node[] }} Group
 * @typedef {{ type: 'cmp', column: string, op: '=' | '!=' | '<' | '>' | '<=' | '>=', value: Literal }
 *   | { type: 'like', column: string, pattern: string }
 *   | { type: 'in', column: string, values: Literal[] }
 *   | { type: 'null', column: string, not: boolean }} Leaf
 * @typedef {Group | Leaf} Node
 * @typedef {{ kind: 'word' | 'column' | 'string' | 'number' | 'op' | 'punct' | 'end', text: string, pos: number, value?: string | number }} Token
 */

const KEYWORDS = new Set(['AND', 'OR', 'LIKE', 'IN', 'IS', 'NOT', 'NULL', 'TRUE', 'FALSE']);

/** @param {string} source @returns {Token[]} */
function tokenize(source) {
	/** @type {Token[]} */
	const tokens = [];
	let i = 0;
	while (i < source.length) {
		const c = source[i];
		if (/\s/.test(c)) {
			i += 1;
			continue;
		}
		const pos = i + 1;
		if (c === '(' || c === ')' || c === ',') {
			tokens.push({ kind: 'punct', text: c, pos });
			i += 1;
		} else if (c === '<' || c === '>' || c === '=' || c === '!') {
			const two = source.slice(i, i + 2);
			if (two === '<=' || two === '>=' || two === '!=') {
				tokens.push({ kind: 'op', text: two, pos });
				i += 2;
			} else if (c === '!') {
				throw new CeqlError(`unexpected '!' at position ${pos} (not equal is !=)`);
			} else {
				tokens.push({ kind: 'op', text: c, pos });
				i += 1;
			}
		} else if (c === "'") {
			let value = '';
			let j = i + 1;
			for (;;) {
				if (j >= source.length)
					throw new CeqlError(`unterminated string starting at position ${pos}`);
				if (source[j] === "'") {
					if (source[j + 1] === "'") {
						value += "'";
						j += 2;
						continue;
					}
					break;
				}
				value += source[j];
				j += 1;
			}
			tokens.push({ kind: 'string', text: source.slice(i, j + 1), pos, value });
			i = j + 1;
		} else if (c === '`') {
			const end = source.indexOf('`', i + 1);
			if (end === -1) throw new CeqlError(`unterminated backtick at position ${pos}`);
			const name = source.slice(i + 1, end);
			if (name.trim() === '') throw new CeqlError(`empty column name at position ${pos}`);
			tokens.push({ kind: 'column', text: source.slice(i, end + 1), pos, value: name });
			i = end + 1;
		} else {
			const number = /^-?\d+(?:\.\d+)?(?![\w.])/.exec(source.slice(i));
			const word = /^[A-Za-z_]\w*/.exec(source.slice(i));
			if (number) {
				tokens.push({ kind: 'number', text: number[0], pos, value: Number(number[0]) });
				i += number[0].length;
			} else if (word) {
				tokens.push({ kind: 'word', text: word[0], pos });
				i += word[0].length;
			} else {
				const hint =
					c === '.'
						? ' (a column name with dots goes in backticks)'
						: c === '"'
							? ' (strings take single quotes)'
							: '';
				throw new CeqlError(`unexpected '${c}' at position ${pos}${hint}`);
			}
		}
	}
	tokens.push({ kind: 'end', text: 'the end', pos: source.length + 1 });
	return tokens;
}

/**
 * @param {string} source  the `where` value, already URL-decoded
 * @returns {Node}
 */
function parse(source) {
	const tokens = tokenize(source);
	let at = 0;
	const peek = () => tokens[at];
	const next = () => tokens[at++];
	/** @param {Token} token @param {string} keyword */
	const isKeyword = (token, keyword) =>
		token.kind === 'word' && token.text.toUpperCase() === keyword;
	/** @param {Token} token */
	const shown = (token) =>
		token.kind === 'end' ? 'the end' : `'${token.text}' at position ${token.pos}`;

	/** @returns {Node} */
	function orExpression() {
		const items = [andExpression()];
		while (isKeyword(peek(), 'OR')) {
			next();
			items.push(andExpression());
		}
		return items.length === 1 ? items[0] : { type: 'or', items };
	}

	/** @returns {Node} */
	function andExpression() {
		const items = [primary()];
		while (isKeyword(peek(), 'AND')) {
			next();
			items.push(primary());
		}
		return items.length === 1 ? items[0] : { type: 'and', items };
	}

	/** @returns {Node} */
	function primary() {
		const token = peek();
		if (token.kind === 'punct' && token.text === '(') {
			next();
			const inner = orExpression();
			const close = next();
			if (close.kind !== 'punct' || close.text !== ')')
				throw new CeqlError(`expected ')' but found ${shown(close)}`);
			return inner;
		}
		return predicate();
	}

	/** @returns {Node} */
	function predicate() {
		const token = next();
		/** @type {string} */
		let column;
		if (token.kind === 'column') column = /** @type {string} */ (token.value);
		else if (token.kind === 'word' && !KEYWORDS.has(token.text.toUpperCase())) column = token.text;
		else throw new CeqlError(`expected a column name but found ${shown(token)}`);

		const op = next();
		if (op.kind === 'op') {
			return {
				type: 'cmp',
				column,
				op: /** @type {'=' | '!=' | '<' | '>' | '<=' | '>='} */ (op.text),
				value: literal(op.text),
			};
		}
		if (isKeyword(op, 'LIKE')) {
			const pattern = next();
			if (pattern.kind !== 'string')
				throw new CeqlError(`LIKE needs a quoted pattern, found ${shown(pattern)}`);
			return { type: 'like', column, pattern: /** @type {string} */ (pattern.value) };
		}
		if (isKeyword(op, 'IN')) {
			const open = next();
			if (open.kind !== 'punct' || open.text !== '(')
				throw new CeqlError(`IN needs a list in parentheses, found ${shown(open)}`);
			const values = [literal('IN (')];
			for (;;) {
				const separator = next();
				if (separator.kind === 'punct' && separator.text === ')') break;
				if (separator.kind !== 'punct' || separator.text !== ',')
					throw new CeqlError(`expected ',' or ')' in the IN list but found ${shown(separator)}`);
				values.push(literal(','));
			}
			return { type: 'in', column, values };
		}
		if (isKeyword(op, 'IS')) {
			let not = false;
			if (isKeyword(peek(), 'NOT')) {
				next();
				not = true;
			}
			const nullToken = next();
			if (!isKeyword(nullToken, 'NULL'))
				throw new CeqlError(`IS must be followed by NULL or NOT NULL, found ${shown(nullToken)}`);
			return { type: 'null', column, not };
		}
		throw new CeqlError(
			`expected an operator (= != < > <= >= LIKE IN IS) after column '${column}' but found ${shown(op)}`,
		);
	}

	/** @param {string} after @returns {Literal} */
	function literal(after) {
		const token = next();
		if (token.kind === 'string' || token.kind === 'number')
			return /** @type {string | number} */ (token.value);
		if (isKeyword(token, 'TRUE')) return true;
		if (isKeyword(token, 'FALSE')) return false;
		if (isKeyword(token, 'NULL'))
			throw new CeqlError(`compare with NULL using IS NULL or IS NOT NULL (position ${token.pos})`);
		throw new CeqlError(
			`expected a value ('text' or a number) after ${after} but found ${shown(token)}`,
		);
	}

	if (peek().kind === 'end') throw new CeqlError('the clause is empty');
	const tree = orExpression();
	if (peek().kind !== 'end') throw new CeqlError(`unexpected ${shown(peek())}`);
	return tree;
}

/** @param {Node} node @returns {node is Group} */
function isGroup(node) {
	return node.type === 'or' || node.type === 'and';
}

/** Every column a tree names. @param {Node} node @returns {string[]} */
function columnsOf(node) {
	return isGroup(node) ? node.items.flatMap(columnsOf) : [node.column];
}

/**
 * A copy of the tree with `fn` applied to every predicate (leaf).
 * @param {Node} node @param {(leaf: Leaf) => Node} fn @returns {Node}
 */
function mapLeaves(node, fn) {
	return isGroup(node)
		? { type: node.type, items: node.items.map((item) => mapLeaves(item, fn)) }
		: fn(node);
}

const ISO_DATE =
	/^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Milliseconds of an ISO 8601 date ('2018-03-19', '2018-03-19T06:30:04.000Z', ...), or undefined.
 * A date-time without a zone is taken as UTC.
 * @param {unknown} value @returns {number | undefined}
 */
function parseIsoDate(value) {
	if (typeof value !== 'string') return undefined;
	const match = ISO_DATE.exec(value);
	if (!match) return undefined;
	const ms = Date.parse(value.includes('T') && !match[1] ? `${value}Z` : value);
	return Number.isNaN(ms) ? undefined : ms;
}

/** @param {unknown} value @returns {number} */
function toNumber(value) {
	if (typeof value === 'number') return value;
	if (typeof value === 'string' && /^-?\d+(?:\.\d+)?$/.test(value)) return Number(value);
	return Number.NaN;
}

/**
 * -1, 0 or 1; NaN when the two cannot be compared (an object or array value). Numbers compare
 * as numbers (a numeric string against a number too), dates as dates when both sides are ISO
 * dates, booleans as 'true'/'false', everything else as strings (case-sensitive).
 * @param {unknown} recordValue @param {Literal} literal
 */
function order(recordValue, literal) {
	if (typeof recordValue === 'object' && recordValue !== null) return Number.NaN;
	const a = typeof recordValue === 'boolean' ? String(recordValue) : recordValue;
	const b = typeof literal === 'boolean' ? String(literal) : literal;
	if (typeof a === 'number' || typeof b === 'number') {
		const x = toNumber(a);
		const y = toNumber(b);
		if (!Number.isNaN(x) && !Number.isNaN(y)) return Math.sign(x - y);
	}
	const dateA = parseIsoDate(a);
	const dateB = dateA === undefined ? undefined : parseIsoDate(b);
	if (dateA !== undefined && dateB !== undefined) return Math.sign(dateA - dateB);
	const sa = String(a);
	const sb = String(b);
	return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** @param {string} pattern @returns {RegExp} */
function likePattern(pattern) {
	const source = pattern
		.split('%')
		.map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
		.join('.*');
	return new RegExp(`^${source}$`, 'is');
}

/**
 * A predicate for a tree. `read(record, column)` gives the column's values in a record: none
 * (missing, null, an empty list) means NULL; several (a list field, or a path through one)
 * mean "any of them". Comparisons with NULL are false, `!=` included (as in SQL).
 * @template R
 * @param {Node} node
 * @param {(record: R, column: string) => unknown[]} read
 * @returns {(record: R) => boolean}
 */
function compile(node, read) {
	switch (node.type) {
		case 'or': {
			const items = node.items.map((item) => compile(item, read));
			return (record) => items.some((test) => test(record));
		}
		case 'and': {
			const items = node.items.map((item) => compile(item, read));
			return (record) => items.every((test) => test(record));
		}
		case 'null': {
			const { column, not } = node;
			return (record) => (read(record, column).length === 0) !== not;
		}
		case 'like': {
			const { column } = node;
			const regex = likePattern(node.pattern);
			return (record) =>
				read(record, column).some(
					(value) => typeof value !== 'object' && regex.test(String(value)),
				);
		}
		case 'in': {
			const { column, values } = node;
			return (record) =>
				read(record, column).some((value) => values.some((literal) => order(value, literal) === 0));
		}
		case 'cmp': {
			const { column, op, value: literal } = node;
			/** @type {(o: number) => boolean} */
			const holds = {
				'=': (/** @type {number} */ o) => o === 0,
				'!=': (/** @type {number} */ o) => o === 1 || o === -1,
				'<': (/** @type {number} */ o) => o === -1,
				'>': (/** @type {number} */ o) => o === 1,
				'<=': (/** @type {number} */ o) => o === -1 || o === 0,
				'>=': (/** @type {number} */ o) => o === 1 || o === 0,
			}[op];
			return (record) => read(record, column).some((value) => holds(order(value, literal)));
		}
		default:
			throw new Error('unreachable');
	}
}

module.exports = { CeqlError, parse, compile, columnsOf, mapLeaves, parseIsoDate };

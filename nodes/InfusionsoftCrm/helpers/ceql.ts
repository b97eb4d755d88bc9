/**
 * What is wrong with a user's CEQL condition before the node ANDs it with its own filters:
 * a parenthesis closed that it did not open (or left open) outside quoted text would let the
 * condition undo the filters, e.g. `x = 'a') OR (x != 'a'`. Undefined when it is well formed.
 */
export function whereProblem(where: string): string | undefined {
	let depth = 0;
	let quote: string | undefined;
	for (const char of where) {
		if (quote) {
			// A doubled quote closes and reopens: the text stays quoted, as CEQL reads it.
			if (char === quote) quote = undefined;
		} else if (char === "'" || char === '`') {
			quote = char;
		} else if (char === '(') {
			depth++;
		} else if (char === ')') {
			depth--;
			if (depth < 0) return 'closes a parenthesis it did not open';
		}
	}
	if (quote) return `leaves a ${quote === "'" ? 'quoted text' : 'backtick name'} open`;
	if (depth > 0) return 'leaves a parenthesis open';
	return undefined;
}

export const WHERE_HINT =
	"Balance every parenthesis outside quoted text, and close every quote; a quote inside text is written twice, e.g. 'O''Brien'.";

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { inputError } from '../../../lib/params/input';
import { WHERE_HINT, whereProblem } from './ceql';
import { readText } from './collectionValues';

/** Filters → Where (CEQL) of a Keap REST list; `examples` names a few of the resource's fields. */
export function whereFilterField(placeholder: string, examples: string): INodeProperties {
	return {
		displayName: 'Where (CEQL)',
		name: 'where',
		type: 'string',
		default: '',
		placeholder,
		description: `A raw CEQL condition in Keap REST’s field names (e.g. ${examples}), combined with the filter above by AND`,
	};
}

/** The Where (CEQL) filter given, refused when it could undo the other filters. */
export function readWhereFilter(
	ctx: IExecuteFunctions,
	itemIndex: number,
	filters: IDataObject,
): string | undefined {
	const where = readText(ctx, itemIndex, filters, 'where', 'Filters → Where (CEQL)');
	const problem = where === undefined ? undefined : whereProblem(where);
	if (problem) throw inputError(ctx, itemIndex, `Filters → Where (CEQL) ${problem}`, WHERE_HINT);
	return where;
}

/** The conditions ANDed (a user's Where in parentheses), or undefined when there are none. */
export function allOf(conditions: string[]): string | undefined {
	return conditions.length > 0 ? conditions.join(' AND ') : undefined;
}

import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

/** Names the fields left out of an item an AI agent gets, so that the model knows they were withheld. */
export const WITHHELD_FIELD = 'credentialsWithheld';

/**
 * Whether n8n runs the node as an AI tool. n8n makes a tool variant of every node that is
 * `usableAsTool`, typed `<type>Tool` (it can only be connected to an agent), in 1.x and 2.x alike;
 * n8n's own nodes tell it the same way (`isToolType`). `isToolExecution()` exists in 2.x only,
 * and is true only when the agent calls the tool itself: AI Agent 3 has the engine run the tool
 * variant as a regular node, where it says false.
 */
export function runsAsAiTool(
	ctx: Pick<IExecuteFunctions, 'getNode'> & Partial<Pick<IExecuteFunctions, 'isToolExecution'>>,
): boolean {
	return ctx.getNode().type.endsWith('Tool') || ctx.isToolExecution?.() === true;
}

/** An instance's `token`, and the Keap access and refresh tokens a platform may show in its configuration. */
const TOKEN_KEY = /token$/i;

/** Parse Callback's `code` is an authorization code; elsewhere (a custom call's answer) `code` is ordinary data. */
const AUTHORIZATION_CODE_RESOURCES = new Set(['oauth']);

type Withheld = (key: string, depth: number) => boolean;

function withheldBy(resource: string): Withheld {
	const codes = AUTHORIZATION_CODE_RESOURCES.has(resource);
	return (key, depth) => TOKEN_KEY.test(key) || (codes && depth === 0 && key === 'code');
}

function strip(
	value: unknown,
	path: string,
	depth: number,
	withheld: Withheld,
	found: string[],
): unknown {
	if (Array.isArray(value))
		return value.map((v, i) => strip(v, `${path}[${i}]`, depth + 1, withheld, found));
	if (value === null || typeof value !== 'object') return value;
	const out: IDataObject = {};
	for (const [key, v] of Object.entries(value as IDataObject)) {
		const at = path ? `${path}.${key}` : key;
		if (withheld(key, depth)) found.push(at);
		else out[key] = strip(v, at, depth + 1, withheld, found) as IDataObject[string];
	}
	return out;
}

/**
 * One output item as an AI agent gets it: without the credentials an operation hands to a
 * workflow (an instance's token, the authorization code of a callback), and with the paths of
 * those it left out in `credentialsWithheld`.
 */
export function withoutCredentials(json: IDataObject, resource: string): IDataObject {
	const found: string[] = [];
	const out = strip(json, '', 0, withheldBy(resource), found) as IDataObject;
	return found.length > 0 ? { ...out, [WITHHELD_FIELD]: found } : out;
}

/**
 * How the router shapes every output item of this run: as it is for a workflow, without
 * credentials for an AI agent (the node itself still uses the token it reads).
 */
export function outputShape(ctx: IExecuteFunctions): (json: IDataObject) => IDataObject {
	if (!runsAsAiTool(ctx)) return (json) => json;
	const resource = ctx.getNodeParameter('resource', 0) as string;
	return (json) => withoutCredentials(json, resource);
}

/**
 * The calls the node makes, by class. What a fault does to a call is decided at the door
 * (lib/platform/), by two things only: whether the call goes to the account's API or through an
 * instance to its CRM hub (the hub's token travels with it, the hub's wording names the
 * instance), and whether it is safe to repeat or sent once (`sendOnce`: a create or a spent
 * code, looked up or reported as unknown after a lost answer, never sent again blindly). Which
 * operation made the call matters only for what the operation makes of the answer: that is
 * its expected outcome under each fault (`faults.ts`). So the matrix runs every fault on one
 * call of each class for each set of expected outcomes (`REPRESENTATIVES`), and a test fails
 * when a call's outcomes are those of no representative of its class.
 */
import { FAULTS, type Expectation } from './faults';
import { OPERATIONS, type OperationSpec, type Target } from './operations';

export const CALL_CLASSES = [
	'account call, safe to repeat',
	'account call, sent once',
	'hub call, safe to repeat',
	'hub call, sent once',
] as const;

export type CallClass = (typeof CALL_CLASSES)[number];

export interface Call {
	op: OperationSpec;
	target: Target;
}

export function classOf(target: Target): CallClass {
	return `${target.carriesToken ? 'hub' : 'account'} call, ${target.sentOnce ? 'sent once' : 'safe to repeat'}`;
}

export const callName = ({ op, target }: Call) => `${op.name} · ${target.label}`;

/** Every call of every operation, in the order the operations make them. */
export const CALLS: Call[] = OPERATIONS.flatMap((op) =>
	op.targets.map((target) => ({ op, target })),
);

/** The faults aimed at one call (the others hit an operation's first call whatever it is). */
export const AIMED_FAULTS = FAULTS.filter((fault) => !fault.anyTarget);

/** What the call must end in under each aimed fault, by fault. */
export function outcomesOf({ op, target }: Call): Record<string, Expectation> {
	return Object.fromEntries(AIMED_FAULTS.map((fault) => [fault.name, fault.expect(op, target)]));
}

/**
 * One call per class and set of expected outcomes, and what sets it apart. Several stand for
 * many: the first of its class stands for every call of that class whose outcomes are the
 * same (`faultMatrix.test.ts` checks that every call has a representative).
 */
export const REPRESENTATIVES: Array<{ call: string; why: string }> = [
	{
		call: 'instance/get · GET /instances/{id}',
		why: 'a read whose answer is needed: a 404 is an error, an odd 2xx body is tried again. Stands for Get OAuth URL, Update, both calls of Configure Events and the read before Re-Authenticate',
	},
	{
		call: 'contact/get · GET /instances/{id} (the instance and its token)',
		why: 'the look-up of the instance and its token that opens every hub operation (actions/hub.ts): outcomes of a read, errors worded by the hub',
	},
	{
		call: 'instance/testConnection · GET /instances/{id} (the instance and its token)',
		why: 'Test Connection reads the platform’s 404 of the instance as its answer (deleted)',
	},
	{
		call: 'instance/getAll · GET /instances',
		why: 'a list: the platform’s own 404 is an empty list',
	},
	{
		call: 'instance/delete · DELETE /instances/{id}',
		why: 'a 404 is done (already gone), and any JSON or none is taken as done',
	},
	{
		call: 'instance/enable · PUT /instances/{id}/enabled',
		why: 'needs no answer: any JSON or none is taken as done, a 404 is an error (stands for Disable)',
	},
	{
		call: 'instance/create (onExisting reuse, new name) · GET /instances (look-up)',
		why: 'the look-up by name before a create: finding nothing (a 404 included), it creates',
	},
	{
		call: 'instance/create (onExisting reauthenticate, existing name) · GET /instances (look-up)',
		why: 'the look-up that finds the instance to re-authenticate (its 404 would make it create: the new-name path above)',
	},
	{
		call: 'instance/create (onExisting reuse, new name) · POST /instances',
		why: 'a create, sent once: after a lost answer it is looked up by name',
	},
	{
		call: 'instance/reauthenticate · PUT /instances/{id}',
		why: 'spends a code, sent once: the same outcomes as a create, but looked up by the instance’s new token',
	},
	{
		call: 'contact/get · GET /hubs/crm/contacts/{id}',
		why: 'a hub read or write whose answer is needed. Stands for Update, Add Tags and Remove Tags of contacts, Get and Update of tasks, and Get, Update and Move to Stage of opportunities',
	},
	{
		call: 'contact/getAll · GET /hubs/crm/contacts',
		why: 'a hub list: the platform’s own 404 is an empty list (stands for tasks, tags, opportunities and a contact’s tags too)',
	},
	{
		call: 'contact/delete · DELETE /hubs/crm/contacts/{id}',
		why: 'a hub delete: a 404 is done, any JSON or none is taken as done (stands for tasks and opportunities too)',
	},
	{
		call: 'customApiCall/request · GET /hubs/crm/contacts/{id}',
		why: 'Custom API Call passes any 2xx answer through as it came',
	},
	{
		call: 'instance/testConnection · GET /hubs/crm/oauth/connect/userinfo',
		why: 'Test Connection reads the hub’s 401 as its answer (needs re-authentication)',
	},
	{
		call: 'contact/create · POST /hubs/crm/contacts',
		why: 'a hub create, sent once: after a lost answer it is looked up by email (stands for a tag, looked up by name)',
	},
	{
		call: 'email/send · POST /hubs/crm/emails/queue',
		why: 'a hub send, sent once, that needs no answer (Keap answers a send with none): any JSON or none is taken as sent; a lost answer is a clear “outcome unknown” error, never a second email',
	},
	{
		call: 'task/create · POST /hubs/crm/tasks',
		why: 'a hub create with no natural key: after a lost answer a clear “outcome unknown” error, never a second task (stands for opportunities too)',
	},
];

/** The representatives as calls, by class, in the table's order. */
export function representativesByClass(): Array<[CallClass, Call[]]> {
	const byName = new Map(CALLS.map((call) => [callName(call), call]));
	const calls = REPRESENTATIVES.map(({ call }) => {
		const found = byName.get(call);
		if (!found) throw new Error(`REPRESENTATIVES names no call of operations.ts: ${call}`);
		return found;
	});
	return CALL_CLASSES.map((cls) => [cls, calls.filter((call) => classOf(call.target) === cls)]);
}

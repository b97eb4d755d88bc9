import type { IDataObject } from 'n8n-workflow';

import type { ElementKey } from '../../../lib/keap/elements';

/**
 * A contact's common fields, mapped onto each element's own shape: Keap REST's
 * (`given_name`, `email_addresses[{ email, field: "EMAIL1" }]`, …) and the legacy element's
 * XML-RPC names (`FirstName`, `Email`, …). Outputs keep the element's record and add these
 * fields, so a workflow can switch element without rewiring.
 */
export interface CommonContact {
	firstName?: string;
	lastName?: string;
	email?: string;
	phone?: string;
	companyName?: string;
}

export const COMMON_CONTACT_FIELDS: Array<keyof CommonContact> = [
	'firstName',
	'lastName',
	'email',
	'phone',
	'companyName',
];

export interface ContactFilters extends CommonContact {
	/** ISO date: contacts changed since then. */
	updatedSince?: string;
}

export interface ContactShape {
	/** The record's ID field. */
	idField: string;
	/** The element's fields for the common fields given (only those given). */
	toElement(common: CommonContact): IDataObject;
	/** The common fields of a record, plus its `id`. */
	fromElement(record: IDataObject): IDataObject;
	/** CEQL conditions for the filters given. */
	where(filters: ContactFilters): string[];
	/** The CEQL condition that finds a contact by email (a create whose answer was lost). */
	byEmail(email: string): string;
}

/** A CEQL string literal: single quotes, a quote inside doubled. */
export function ceqlText(value: string): string {
	return `'${value.replace(/'/g, "''")}'`;
}

const text = (value: unknown): string | undefined =>
	typeof value === 'string' && value !== '' ? value : undefined;

function firstOf(list: unknown, field: string, key: string): string | undefined {
	if (!Array.isArray(list)) return undefined;
	const entries = list.filter(
		(entry): entry is IDataObject => entry !== null && typeof entry === 'object',
	);
	const chosen = entries.find((entry) => entry.field === field) ?? entries[0];
	return text(chosen?.[key]);
}

function defined(values: IDataObject): IDataObject {
	return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
}

const keapRest: ContactShape = {
	idField: 'id',
	toElement: (c) =>
		defined({
			given_name: c.firstName,
			family_name: c.lastName,
			email_addresses: c.email === undefined ? undefined : [{ email: c.email, field: 'EMAIL1' }],
			phone_numbers: c.phone === undefined ? undefined : [{ number: c.phone, field: 'PHONE1' }],
			company: c.companyName === undefined ? undefined : { company_name: c.companyName },
		}),
	fromElement: (r) => ({
		id: r.id,
		firstName: text(r.given_name) ?? null,
		lastName: text(r.family_name) ?? null,
		email: firstOf(r.email_addresses, 'EMAIL1', 'email') ?? null,
		phone: firstOf(r.phone_numbers, 'PHONE1', 'number') ?? null,
		companyName: text((r.company as IDataObject | null | undefined)?.company_name) ?? null,
	}),
	where: (f) =>
		[
			f.firstName === undefined ? undefined : `given_name = ${ceqlText(f.firstName)}`,
			f.lastName === undefined ? undefined : `family_name = ${ceqlText(f.lastName)}`,
			f.email === undefined ? undefined : `email = ${ceqlText(f.email)}`,
			f.updatedSince === undefined ? undefined : `since = ${ceqlText(f.updatedSince)}`,
		].filter((c): c is string => c !== undefined),
	byEmail: (email) => `email = ${ceqlText(email)}`,
};

const legacy: ContactShape = {
	idField: 'Id',
	toElement: (c) =>
		defined({
			FirstName: c.firstName,
			LastName: c.lastName,
			Email: c.email,
			Phone1: c.phone,
			Company: c.companyName,
		}),
	fromElement: (r) => ({
		id: r.Id,
		firstName: text(r.FirstName) ?? null,
		lastName: text(r.LastName) ?? null,
		email: text(r.Email) ?? null,
		phone: text(r.Phone1) ?? null,
		companyName: text(r.Company) ?? null,
	}),
	where: (f) =>
		[
			f.firstName === undefined ? undefined : `FirstName = ${ceqlText(f.firstName)}`,
			f.lastName === undefined ? undefined : `LastName = ${ceqlText(f.lastName)}`,
			f.email === undefined ? undefined : `Email = ${ceqlText(f.email)}`,
			f.updatedSince === undefined ? undefined : `LastUpdated >= ${ceqlText(f.updatedSince)}`,
		].filter((c): c is string => c !== undefined),
	byEmail: (email) => `Email = ${ceqlText(email)}`,
};

export const CONTACT_SHAPES: Record<ElementKey, ContactShape> = {
	infusionsoftrest: keapRest,
	infusionsoftcrm: legacy,
};

/** The record as the element gave it, with the common fields on top (the record's own keys win). */
export function withCommonFields(shape: ContactShape, record: IDataObject): IDataObject {
	// Object.assign, not two spreads: this runs for every contact of a list (measured in bench/).
	return Object.assign(shape.fromElement(record), record);
}

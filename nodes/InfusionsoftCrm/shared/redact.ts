export const REDACTED = '[redacted]';

/** The forms a secret can take once it is put in a URL, a form body or JSON. */
function variants(secret: string): string[] {
	const forms = new Set<string>([secret]);
	forms.add(encodeURIComponent(secret));
	forms.add(new URLSearchParams({ s: secret }).toString().slice(2));
	forms.add(JSON.stringify(secret).slice(1, -1));
	return [...forms];
}

/**
 * Removes secrets from any text that may reach a user: error messages and descriptions,
 * platform answers, logs. Short values are left alone so that a one-letter "secret" does
 * not blank out every message.
 */
export class Redactor {
	private readonly secrets: string[];

	private readonly forms: string[];

	constructor(secrets: Array<string | undefined>) {
		this.secrets = secrets.filter(
			(s): s is string => typeof s === 'string' && s.trim().length >= 4,
		);
		const all = this.secrets.flatMap(variants);
		// Longest first, so a secret that contains another is removed whole.
		this.forms = [...new Set(all)].sort((a, b) => b.length - a.length);
	}

	with(more: Array<string | undefined>): Redactor {
		return new Redactor([...this.secrets, ...more]);
	}

	text(value: string): string {
		let out = value;
		for (const form of this.forms) {
			if (out.includes(form)) out = out.split(form).join(REDACTED);
		}
		return out;
	}

	/** A deep copy of a JSON value with every string redacted. */
	json<T>(value: T): T {
		if (typeof value === 'string') return this.text(value) as T;
		if (Array.isArray(value)) return value.map((v) => this.json(v)) as T;
		if (value !== null && typeof value === 'object') {
			const out: Record<string, unknown> = {};
			for (const [key, v] of Object.entries(value)) out[key] = this.json(v);
			return out as T;
		}
		return value;
	}
}

/** Secrets shorter than this cannot be told apart from ordinary text: they are refused, not redacted. */
export const MIN_SECRET_LENGTH = 8;

/** A secret that is set but too short to be redacted safely. */
export function secretTooShort(value: string): boolean {
	const sent = value.replace(/[\r\n]/g, '').trim();
	return sent.length > 0 && sent.length < MIN_SECRET_LENGTH;
}

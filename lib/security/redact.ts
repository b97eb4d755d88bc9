export const REDACTED = '[redacted]';

/**
 * Secrets shorter than this (once trimmed and stripped of CR/LF) cannot be told apart from
 * ordinary text: redacting them would blank out words and URLs. Callers refuse them.
 */
export const MIN_SECRET_LENGTH = 8;

/**
 * A secret as it travels in a header: n8n's HTTP stack strips CR/LF and trims header values,
 * so a pasted secret with a trailing newline still authenticates. The node uses that form
 * everywhere, so that what it redacts is what was sent. Not a text: empty.
 */
export function sentForm(secret: unknown): string {
	return typeof secret === 'string' ? secret.replace(/[\r\n]/g, '').trim() : '';
}

/**
 * A secret outside printable ASCII: a header cannot carry it as typed (n8n's HTTP stack mangles
 * it), and its other forms escape the redactor. No platform or Keap secret is like that.
 */
export function secretNotPrintable(value: string): boolean {
	return /[^\x20-\x7e]/.test(sentForm(value));
}

/**
 * True when a secret is set but too short to be redacted safely: the caller refuses such a
 * credential field or code, naming it. Empty (or blank) values are not "too short".
 */
export function secretTooShort(value: string): boolean {
	const sent = sentForm(value);
	return sent.length > 0 && sent.length < MIN_SECRET_LENGTH;
}

/** One form a secret can take: a regular-expression source that matches exactly `length` characters. */
interface Form {
	source: string;
	length: number;
}

const REGEXP_SPECIAL = /[.*+?^${}()|[\]\\]/g;

function escapeRegExp(text: string): string {
	REGEXP_SPECIAL.lastIndex = 0;
	return REGEXP_SPECIAL.test(text) ? text.replace(REGEXP_SPECIAL, '\\$&') : text;
}

/** `%XX` in a percent-encoded text (every `%` there starts one). */
const PERCENT_ESCAPE = /%[0-9A-Fa-f]{2}/g;
/** `&#xXX;` in HTML text. */
const HTML_HEX_ESCAPE = /&#[xX][0-9A-Fa-f]+;/g;
/** `\uXXXX` in JSON text, as it stands once escaped for a regular expression. */
const JSON_UNICODE_ESCAPE = /\\\\u[0-9A-Fa-f]{4}/g;

/**
 * The source matching a form: literal, except that the hex digits (and `x`) of the given
 * escapes may be written in either case: `%2F` → `%2[fF]`, `&#x2F;` → `&#[xX]2[fF];`.
 */
function sourceOf(text: string, escapes: ReadonlySet<RegExp>): string {
	let source = escapeRegExp(text);
	for (const escape of escapes) {
		source = source.replace(escape, (found) =>
			found.replace(/[a-fA-FxX]/g, (c) => `[${c.toLowerCase()}${c.toUpperCase()}]`),
		);
	}
	return source;
}

function tryEncode(encode: () => string): string | undefined {
	try {
		return encode(); // encodeURIComponent throws on a lone surrogate
	} catch {
		return undefined;
	}
}

function eachChar(value: string, encode: (char: string, codePoint: number) => string): string {
	let out = '';
	for (const char of value) out += encode(char, char.codePointAt(0) ?? 0);
	return out;
}

const ALPHANUMERIC = /^[A-Za-z0-9]$/;
const HTML_MINIMAL: Record<string, string> = {
	'&': '&amp;',
	'<': '&lt;',
	'>': '&gt;',
	'"': '&quot;',
};

function jsonEscaped(value: string): string {
	return JSON.stringify(value).slice(1, -1);
}

/**
 * The characters of a base64 text that only the secret's bytes determine, for each of the
 * three alignments the secret can have inside a larger base64-encoded text; standard and
 * url alphabets. Only cores long enough to be distinctive.
 */
function base64Cores(value: string): string[] {
	const bytes = Buffer.from(value, 'utf8');
	const cores: string[] = [];
	for (let offset = 0; offset < 3; offset++) {
		const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
		const core = encoded.slice(
			Math.ceil((8 * offset) / 6),
			Math.floor((8 * (offset + bytes.length)) / 6),
		);
		if (core.length < MIN_SECRET_LENGTH) continue;
		cores.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
	}
	return cores;
}

/** The values a server or the HTTP stack may make of a secret before anything repeats it. */
function valuesOf(secret: string): Set<string> {
	const values = new Set<string>();
	for (const value of [secret, secret.trim(), secret.replace(/[\r\n]/g, ''), sentForm(secret)]) {
		values.add(value);
		// A raw secret in a form body or a query string is read back with every `+` as a space…
		const plusAsSpace = value.replace(/\+/g, ' ');
		values.add(plusAsSpace);
		// …and its `%XX` decoded.
		const formDecoded = tryEncode(() => decodeURIComponent(plusAsSpace));
		if (formDecoded !== undefined) values.add(formDecoded);
	}
	return values;
}

/** Every form of one secret that can travel: as it is, in a URL, a form, JSON, HTML or base64. */
function formsOf(secret: string): Form[] {
	// Each distinct text once, with the escapes in it whose hex may change case.
	const texts = new Map<string, Set<RegExp>>();
	const add = (text: string | undefined, escapes?: RegExp, marker?: string): void => {
		if (text === undefined || text.length < MIN_SECRET_LENGTH) return;
		let set = texts.get(text);
		if (set === undefined) texts.set(text, (set = new Set()));
		if (escapes !== undefined && marker !== undefined && text.includes(marker)) set.add(escapes);
	};
	const form = (v: string) => new URLSearchParams({ s: v }).toString().slice(2);

	for (const value of valuesOf(secret)) {
		add(value);
		add(
			tryEncode(() => encodeURIComponent(value)),
			PERCENT_ESCAPE,
			'%',
		);
		add(
			tryEncode(() => encodeURI(value)),
			PERCENT_ESCAPE,
			'%',
		);
		add(form(value), PERCENT_ESCAPE, '%');
		// A URL (a callback, a redirect) carried inside another URL's query.
		add(
			tryEncode(() => encodeURIComponent(encodeURIComponent(value))),
			PERCENT_ESCAPE,
			'%',
		);

		// JSON text; with `\/` (PHP and others); JSON text inside a JSON string.
		const json = jsonEscaped(value);
		for (const text of [json, json.replace(/\//g, '\\/'), jsonEscaped(json)])
			add(text, JSON_UNICODE_ESCAPE, '\\u');

		// HTML: every character but letters and digits as `&#xHH;` or `&#DD;`; or the minimal escaping.
		add(
			eachChar(value, (c, code) =>
				ALPHANUMERIC.test(c) ? c : `&#x${code.toString(16).toUpperCase()};`,
			),
			HTML_HEX_ESCAPE,
			'&#',
		);
		add(eachChar(value, (c, code) => (ALPHANUMERIC.test(c) ? c : `&#${code};`)));
		for (const apostrophe of ['&#39;', '&#x27;', '&apos;']) {
			add(
				eachChar(value, (c) => HTML_MINIMAL[c] ?? (c === "'" ? apostrophe : c)),
				HTML_HEX_ESCAPE,
				'&#',
			);
		}
	}
	// Base64 of a text holding the secret as sent (a header, a Basic credential, a token), or
	// URL-encoded (a query string, a form body).
	for (const value of new Set([
		secret,
		secret.trim(),
		secret.replace(/[\r\n]/g, ''),
		sentForm(secret),
	])) {
		for (const text of new Set([value, tryEncode(() => encodeURIComponent(value)), form(value)])) {
			if (text !== undefined) base64Cores(text).forEach((core) => add(core));
		}
	}
	return [...texts].map(([text, escapes]) => ({
		source: sourceOf(text, escapes),
		length: text.length,
	}));
}

type Span = [start: number, end: number];

/** Where the marker already stands in a text: a match that lies within one is left alone. */
function markerSpans(text: string): Span[] {
	const spans: Span[] = [];
	for (let at = text.indexOf(REDACTED); at !== -1; at = text.indexOf(REDACTED, at + 1)) {
		spans.push([at, at + REDACTED.length]);
	}
	return spans;
}

/** One regular expression for the forms of some secrets (a Redactor's own, or those `with` added). */
class Matcher {
	/** Finds the leftmost form; there, the longest. */
	private readonly first: RegExp;

	/** At every position, the longest form that starts there. */
	private readonly every: RegExp;

	/** No text shorter than this can hold a form. */
	readonly shortest: number;

	constructor(forms: Form[]) {
		const bySource = new Map<string, number>();
		for (const form of forms) bySource.set(form.source, form.length);
		// Longest first: at a given position the alternation then matches the longest form.
		const sources = [...bySource.entries()].sort((a, b) => b[1] - a[1]);
		const alternation = sources.map(([source]) => source).join('|');
		this.first = new RegExp(alternation);
		this.every = new RegExp(`(?=(${alternation}))`, 'g');
		this.shortest = sources[sources.length - 1][1];
	}

	/** The first position a form starts at, or -1. */
	find(text: string): number {
		return text.length < this.shortest ? -1 : (this.first.exec(text)?.index ?? -1);
	}

	/** Every occurrence from `from` on, overlapping ones included, except those inside a marker. */
	spans(text: string, from: number, markers: Span[], out: Span[]): void {
		const every = this.every;
		every.lastIndex = from;
		for (let match = every.exec(text); match !== null; match = every.exec(text)) {
			const start = match.index;
			const end = start + match[1].length;
			every.lastIndex = start + 1;
			if (!markers.some(([s, e]) => s <= start && end <= e)) out.push([start, end]);
		}
	}
}

function usable(secret: unknown): secret is string {
	return typeof secret === 'string' && sentForm(secret).length >= MIN_SECRET_LENGTH;
}

/**
 * Removes secrets from any text that may reach a user: error messages and descriptions,
 * platform answers, logs. Every form a secret can travel in is removed (see `formsOf`), in
 * one pass: a marker put in is never read again. Secrets shorter than MIN_SECRET_LENGTH are
 * ignored (the callers refuse them), so that ordinary text is never mangled.
 */
export class Redactor {
	private readonly secrets: ReadonlySet<string>;

	/** The Redactor's own matcher, then one per `with` that added a secret: all run on the same text. */
	private readonly matchers: readonly Matcher[];

	/** A secret made of digits could be a number in a JSON answer. */
	private readonly numeric: boolean;

	constructor(secrets: Array<string | undefined>);

	constructor(secrets: Array<string | undefined>, base?: Redactor) {
		const own = [...new Set(secrets.filter(usable))].filter((s) => !base?.secrets.has(s));
		this.secrets = new Set([...(base?.secrets ?? []), ...own]);
		const forms = own.flatMap(formsOf);
		this.matchers = [...(base?.matchers ?? []), ...(forms.length > 0 ? [new Matcher(forms)] : [])];
		this.numeric = [...this.secrets].some((secret) => /^[\s\d.eE+-]+$/.test(secret));
	}

	/** This Redactor and more secrets (per-item codes): only the new secrets' forms are computed. */
	with(more: Array<string | undefined>): Redactor {
		if (!more.some((s) => usable(s) && !this.secrets.has(s))) return this;
		return new (Redactor as unknown as new (
			s: Array<string | undefined>,
			base: Redactor,
		) => Redactor)(more, this);
	}

	text(value: string): string {
		// The hot path: every output string of every item goes through here.
		if (typeof value !== 'string') return value;
		let spans: Span[] | undefined;
		let markers: Span[] | undefined;
		for (const matcher of this.matchers) {
			const at = matcher.find(value);
			if (at === -1) continue;
			markers ??= markerSpans(value);
			matcher.spans(value, at, markers, (spans ??= []));
		}
		return spans === undefined ? value : replaceSpans(value, spans, this.matchers.length > 1);
	}

	/**
	 * A deep copy of a JSON value with every string redacted, keys included. Objects come out
	 * plain, with own properties only; a `__proto__` key is dropped, so that it can never
	 * become the copy's prototype.
	 */
	json<T>(value: T): T {
		return this.copy(value) as T;
	}

	private copy(value: unknown): unknown {
		if (typeof value === 'string') return this.text(value);
		if (typeof value === 'number' && this.numeric) {
			const text = String(value);
			return this.text(text) === text ? value : REDACTED;
		}
		if (Array.isArray(value)) return value.map((v) => this.copy(v));
		if (value !== null && typeof value === 'object') {
			const out: Record<string, unknown> = {};
			for (const key of Object.keys(value)) {
				const redacted = this.text(key);
				if (key === '__proto__' || redacted === '__proto__') continue;
				// Two keys that differ only in a secret would otherwise overwrite each other.
				let name = redacted;
				for (let n = 2; Object.prototype.hasOwnProperty.call(out, name); n++)
					name = `${redacted} (${n})`;
				out[name] = this.copy((value as Record<string, unknown>)[key]);
			}
			return out;
		}
		return value;
	}
}

/** The text with each union of overlapping spans replaced by one marker, in one pass. */
function replaceSpans(value: string, spans: Span[], unsorted: boolean): string {
	if (unsorted) spans.sort((a, b) => a[0] - b[0]);
	let out = '';
	let at = 0;
	let open: Span | undefined;
	for (const [start, end] of spans) {
		if (open !== undefined && start < open[1]) {
			open[1] = Math.max(open[1], end);
			continue;
		}
		if (open !== undefined) {
			out += value.slice(at, open[0]) + REDACTED;
			at = open[1];
		}
		open = [start, end];
	}
	if (open !== undefined) out += value.slice(at, open[0]) + REDACTED + value.slice(open[1]);
	else out += value.slice(at);
	return out;
}

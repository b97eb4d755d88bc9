import type { LogMetadata } from 'n8n-workflow';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

export interface LogEntry {
	level: LogLevel;
	message: string;
	metadata?: LogMetadata;
}

/**
 * Stands in for n8n's `Logger` (@n8n/backend-common) in the DI container and for
 * n8n-workflow's `LoggerProxy`, so everything the engine, n8n-core and the nodes
 * (`this.logger`) log during a run is recorded instead of printed.
 */
export class RecordingLogger {
	readonly entries: LogEntry[] = [];

	error(message: string, metadata?: LogMetadata) {
		this.record('error', message, metadata);
	}

	warn(message: string, metadata?: LogMetadata) {
		this.record('warn', message, metadata);
	}

	info(message: string, metadata?: LogMetadata) {
		this.record('info', message, metadata);
	}

	debug(message: string, metadata?: LogMetadata) {
		this.record('debug', message, metadata);
	}

	/** `Logger.scoped()` returns a child logger; ours records into the same list. */
	scoped(_scopes: unknown) {
		return this;
	}

	private record(level: LogLevel, message: string, metadata?: LogMetadata) {
		this.entries.push({ level, message: String(message), metadata });
	}
}

/**
 * Serialises log entries (message and metadata, including Error messages and
 * stacks) into one string, e.g. for `expect(logText(logs)).not.toContain(secret)`.
 */
export function logText(entries: LogEntry[]): string {
	const seen = new WeakSet<object>();
	const replacer = (_key: string, value: unknown) => {
		if (value instanceof Error) {
			return { ...value, name: value.name, message: value.message, stack: value.stack };
		}
		if (typeof value === 'object' && value !== null) {
			if (seen.has(value)) return '[Circular]';
			seen.add(value);
		}
		if (typeof value === 'bigint') return value.toString();
		return value;
	};
	return entries
		.map((e) => `${e.level}: ${e.message} ${JSON.stringify(e.metadata ?? {}, replacer)}`)
		.join('\n');
}

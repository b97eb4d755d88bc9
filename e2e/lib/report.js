'use strict';
/**
 * A tiny reporter for the e2e runner: each check prints one line ("ok" or "FAIL" with the
 * reason), and the runner ends with "N passed, N failed".
 */

class Report {
	constructor() {
		this.results = [];
		this.started = Date.now();
	}

	/**
	 * Run one check. `fn` may return a short detail to print. A failed check is recorded and
	 * returns undefined, so later independent checks still run; `fatal: true` rethrows (for
	 * steps the rest of a suite depends on).
	 */
	async check(group, name, fn, { fatal = false } = {}) {
		const t0 = Date.now();
		const took = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
		try {
			const detail = await fn();
			this.results.push({ group, name, ok: true, ms: Date.now() - t0 });
			console.log(`ok   ${group} | ${name} (${took()})${detail ? ` — ${detail}` : ''}`);
			return detail === undefined ? true : detail;
		} catch (error) {
			this.results.push({ group, name, ok: false, ms: Date.now() - t0, error: error.message });
			console.log(`FAIL ${group} | ${name} (${took()})\n${indent(error.stack || String(error))}`);
			if (fatal)
				throw Object.assign(
					new Error(`${group}: "${name}" failed; the rest of this suite depends on it`),
					{ reported: true },
				);
			return undefined;
		}
	}

	/** A check that could not run (e.g. its prerequisite failed): counted as failed. */
	skipFailed(group, name, why) {
		this.results.push({ group, name, ok: false, ms: 0, error: why });
		console.log(`FAIL ${group} | ${name} — not run: ${why}`);
	}

	get failed() {
		return this.results.filter((r) => !r.ok).length;
	}

	summary() {
		const failed = this.failed;
		return `${this.results.length - failed} passed, ${failed} failed`;
	}
}

function indent(text) {
	return text
		.split('\n')
		.slice(0, 60)
		.map((l) => `     ${l}`)
		.join('\n');
}

module.exports = { Report };

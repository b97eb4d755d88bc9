'use strict';
const os = require('node:os');
const fs = require('node:fs');

const median = (values) => {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const summary = (values) => ({
	median: median(values),
	min: Math.min(...values),
	max: Math.max(...values),
	runs: values,
});

const round = (value, digits = 1) => Number(value.toFixed(digits));

function machine() {
	let cpu = os.cpus()[0]?.model ?? 'unknown';
	try {
		const line = fs
			.readFileSync('/proc/cpuinfo', 'utf8')
			.split('\n')
			.find((l) => l.startsWith('model name'));
		if (line) cpu = line.split(':')[1].trim();
	} catch {
		// not Linux
	}
	const version = (name) => {
		try {
			return require(`${name}/package.json`).version;
		} catch {
			return 'unknown';
		}
	};
	return {
		cpus: os.cpus().length,
		cpu,
		memoryGiB: round(os.totalmem() / 2 ** 30, 1),
		node: process.version,
		platform: `${os.type()} ${os.release()} ${os.arch()}`,
		n8nCore: version('n8n-core'),
		n8nWorkflow: version('n8n-workflow'),
	};
}

/** Prints rows (arrays of cells) as an aligned text table. */
function table(header, rows) {
	const all = [header, ...rows].map((row) => row.map(String));
	const widths = header.map((_, i) => Math.max(...all.map((row) => row[i].length)));
	const line = (row) => row.map((cell, i) => cell.padEnd(widths[i])).join('  ');
	return [
		line(all[0]),
		widths.map((w) => '-'.repeat(w)).join('  '),
		...all.slice(1).map(line),
	].join('\n');
}

const gc = () => {
	if (typeof global.gc === 'function') global.gc();
};

module.exports = { median, summary, round, machine, table, gc };

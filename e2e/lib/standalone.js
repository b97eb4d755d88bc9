'use strict';
/**
 * One e2e suite run on its own (`node e2e/<suite>.js [n8n-2] [n8n-1]`): build and pack the
 * package once, run the suite for each flavor asked (default: `defaults`), print the report and
 * exit 1 on any failure. e2e/run.js runs the same suites together.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const n8n = require('./n8n');
const demo = require('./demo');
const { Report } = require('./report');
const { stopDescendants } = require('./processes');

function runStandalone(name, suite, defaults = n8n.FLAVORS) {
	(async () => {
		const flavors = process.argv.slice(2);
		for (const f of flavors)
			if (!n8n.FLAVORS.includes(f))
				throw new Error(`unknown flavor ${f} (${n8n.FLAVORS.join(', ')})`);
		if (flavors.length === 0) flavors.push(...defaults);
		const report = new Report();
		const t0 = Date.now();
		const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `e2e-${name}-pack-`));
		try {
			await demo.build();
			const pkg = await demo.pack(tmp);
			for (const flavor of flavors) {
				try {
					await suite(flavor, pkg, report);
				} catch (error) {
					if (!error.reported)
						report.skipFailed(`${flavor} ${name}`, 'suite', error.stack || error.message);
				}
			}
		} finally {
			fs.rmSync(tmp, { recursive: true, force: true });
			await stopDescendants(5000);
		}
		console.log(`\n${name} e2e took ${((Date.now() - t0) / 1000).toFixed(0)} s`);
		console.log(report.summary());
		process.exitCode = report.failed > 0 ? 1 : 0;
	})().catch((error) => {
		console.error(error);
		console.log('0 passed, 1 failed');
		process.exit(1);
	});
}

module.exports = { runStandalone };

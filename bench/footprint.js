'use strict';
/**
 * Benchmark 4, footprint:
 * - the packed tarball (`npm pack` of the repository, dist/ built);
 * - the install: as n8n 2.x installs a community package (extract the tarball, drop dev, peer
 *   and optional dependencies from its package.json, `npm install --ignore-scripts
 *   --install-strategy=shallow ...` in its folder), the size on disk;
 * - start-up: n8n requires every node and credential file a community package lists and
 *   instantiates its classes. Timed in fresh Node processes (n8n-workflow already loaded, as
 *   it is in n8n), against n8n's own HTTP Request node file (n8n-nodes-base from the e2e
 *   runtime, when installed). n8n loads its own nodes lazily; the comparison is of the files.
 * - start-up as n8n 2.x loads a community package: n8n-core's LazyPackageDirectoryLoader on the
 *   package (it reads dist/known and dist/types, written by `npm run build`, and requires no
 *   node file) and, for comparison, PackageDirectoryLoader (every file required), each with
 *   every credential then loaded as n8n's postProcessLoaders does; vs the same HTTP Request file.
 */
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { round, summary } = require('./lib/stats');
const demo = require('../e2e/lib/demo');

const ROOT = demo.ROOT;
const HTTP_REQUEST_NODE = path.join(
	ROOT,
	'e2e/runtime/n8n-2/node_modules/n8n-nodes-base/dist/nodes/HttpRequest/HttpRequest.node.js',
);

function npm(args, cwd) {
	return execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Bytes and files under a folder (apparent size, as `du -sb`). */
function sizeOf(dir) {
	let bytes = 0;
	let files = 0;
	const walk = (p) => {
		const stat = fs.lstatSync(p);
		if (stat.isDirectory()) fs.readdirSync(p).forEach((name) => walk(path.join(p, name)));
		else {
			bytes += stat.size;
			files += 1;
		}
	};
	walk(dir);
	return { bytes, files };
}

async function packAndInstall() {
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-footprint-'));
	try {
		const { tarball, info: packed } = await demo.pack(work);
		const packageDir = path.join(work, 'installed');
		fs.mkdirSync(packageDir);
		execFileSync('tar', ['-xzf', tarball, '-C', packageDir, '--strip-components=1']);
		const manifestPath = path.join(packageDir, 'package.json');
		const { devDependencies, peerDependencies, optionalDependencies, ...manifest } = JSON.parse(
			fs.readFileSync(manifestPath, 'utf8'),
		);
		fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
		const started = process.hrtime.bigint();
		npm(
			[
				'install',
				'--audit=false',
				'--fund=false',
				'--bin-links=false',
				'--install-strategy=shallow',
				'--ignore-scripts=true',
				'--package-lock=false',
				'--offline',
			],
			packageDir,
		);
		const installMs = Number(process.hrtime.bigint() - started) / 1e6;
		const installed = sizeOf(packageDir);
		const byKind = {};
		for (const file of packed.files) {
			const kind =
				/(\.d\.ts|\.js\.map|\.node\.json|\.js|\.tsbuildinfo|\.svg|\.png|\.json|\.md)$/.exec(
					file.path,
				)?.[1] ?? path.basename(file.path);
			byKind[kind] ??= { files: 0, bytes: 0 };
			byKind[kind].files += 1;
			byKind[kind].bytes += file.size;
		}
		return {
			tarball: {
				file: packed.filename,
				bytes: fs.statSync(tarball).size,
				unpackedBytes: packed.unpackedSize,
				files: packed.entryCount,
				byKind,
			},
			install: {
				...installed,
				dependencies: Object.keys(manifest.dependencies ?? {}),
				npmInstallMs: round(installMs, 0),
			},
			packageFiles: (manifest.n8n?.nodes ?? []).concat(manifest.n8n?.credentials ?? []),
		};
	} finally {
		fs.rmSync(work, { recursive: true, force: true });
	}
}

/**
 * In a fresh process: require n8n-workflow (untimed), then time requiring the files and
 * instantiating every exported class, as n8n's loader does.
 */
const PROBE = `
const files = JSON.parse(process.argv[1]);
const { createRequire } = require('node:module');
createRequire(files[0])('n8n-workflow');
const started = process.hrtime.bigint();
for (const file of files) {
  const exported = require(file);
  for (const value of Object.values(exported)) if (typeof value === 'function') new value();
}
process.stdout.write(String(Number(process.hrtime.bigint() - started) / 1e6));
`;

/**
 * In a fresh process: require n8n-core and make n8n's logger (untimed), then time what n8n 2.x does at start-up with
 * a community package in ~/.n8n/nodes (scanDirectoryForPackages → LazyPackageDirectoryLoader):
 * loadAll(), which reads dist/known and dist/types when they are there (else requires every
 * file, as PackageDirectoryLoader), then postProcessLoaders' getCredential of every credential.
 * argv: the package folder, the loader's class name.
 */
const LOADER_PROBE = `
const [dir, loaderName] = process.argv.slice(1);
const core = require('n8n-core');
// n8n's logger exists long before any package is loaded.
require('@n8n/di').Container.get(require('@n8n/backend-common').Logger);
(async () => {
  const started = process.hrtime.bigint();
  const loader = new core[loaderName](dir);
  await loader.loadAll();
  for (const name of Object.keys(loader.known.credentials)) loader.getCredential(name);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  process.stdout.write(JSON.stringify({ ms, lazy: loader.isLazyLoaded }));
})();
`;

function loaderTimes(dir, loaderName, runs) {
	const samples = [];
	let lazy;
	for (let i = 0; i < runs; i++) {
		const child = spawnSync(process.execPath, ['-e', LOADER_PROBE, dir, loaderName], {
			encoding: 'utf8',
			cwd: ROOT,
		});
		if (child.status !== 0) throw new Error(`loader probe failed: ${child.stderr}`);
		const out = JSON.parse(child.stdout);
		samples.push(out.ms);
		lazy = out.lazy;
	}
	const s = summary(samples);
	return { ...s, median: round(s.median, 2), lazy };
}

function requireTimes(files, runs) {
	const samples = [];
	for (let i = 0; i < runs; i++) {
		const child = spawnSync(process.execPath, ['-e', PROBE, JSON.stringify(files)], {
			encoding: 'utf8',
		});
		if (child.status !== 0) throw new Error(`require probe failed: ${child.stderr}`);
		samples.push(Number(child.stdout));
	}
	const s = summary(samples);
	return { ...s, median: round(s.median, 2) };
}

/** @param {{ runs: number, log: (line: string) => void }} options */
async function footprint({ runs, log }) {
	const packed = await packAndInstall();
	log(
		`  tarball ${packed.tarball.file}: ${round(packed.tarball.bytes / 1024, 1)} KiB (${packed.tarball.files} files, ${round(packed.tarball.unpackedBytes / 1024, 1)} KiB unpacked)`,
	);
	const kinds = Object.entries(packed.tarball.byKind).sort((a, b) => b[1].bytes - a[1].bytes);
	log(
		`    by kind: ${kinds.map(([kind, k]) => `${kind} ${k.files} files ${round(k.bytes / 1024, 1)} KiB`).join('; ')}`,
	);
	log(
		`  installed as n8n does: ${round(packed.install.bytes / 1024, 1)} KiB in ${packed.install.files} files, dependencies: ${packed.install.dependencies.length ? packed.install.dependencies.join(', ') : 'none'}`,
	);

	const ours = packed.packageFiles.map((file) => path.join(ROOT, file));
	const oursTime = requireTimes(ours, runs);
	log(
		`  require + instantiate our ${ours.length} node and credential files: ${oursTime.median} ms (median of ${runs} fresh processes)`,
	);
	let httpRequest;
	if (fs.existsSync(HTTP_REQUEST_NODE)) {
		httpRequest = requireTimes([HTTP_REQUEST_NODE], runs);
		log(`  require + instantiate n8n's HTTP Request node file: ${httpRequest.median} ms`);
	} else {
		log(
			'  n8n-nodes-base is not installed (bash e2e/install-n8n.sh n8n-2): no HTTP Request node to compare with',
		);
	}
	const lazyLoad = loaderTimes(ROOT, 'LazyPackageDirectoryLoader', runs);
	const eagerLoad = loaderTimes(ROOT, 'PackageDirectoryLoader', runs);
	log(
		`  n8n's start-up loader on our package: ${lazyLoad.median} ms lazily (${lazyLoad.lazy ? 'dist/known and dist/types read, no node file required' : 'NOT lazy: the manifests are missing'}), ${eagerLoad.median} ms with every file required (PackageDirectoryLoader)`,
	);
	if (httpRequest) {
		log(
			`  load ratio vs the HTTP Request node file: ${round(lazyLoad.median / httpRequest.median, 3)} lazily, ${round(eagerLoad.median / httpRequest.median, 3)} eagerly, ${round(oursTime.median / httpRequest.median, 3)} require + instantiate`,
		);
	}
	return {
		...packed,
		loaderMs: { lazy: lazyLoad, eager: eagerLoad },
		lazyRatio: httpRequest ? round(lazyLoad.median / httpRequest.median, 3) : undefined,
		eagerLoaderRatio: httpRequest ? round(eagerLoad.median / httpRequest.median, 3) : undefined,
		requireMs: {
			ours: { files: packed.packageFiles, ...oursTime },
			httpRequestNode: httpRequest && {
				file: path.relative(ROOT, HTTP_REQUEST_NODE),
				...httpRequest,
			},
		},
		ratio: httpRequest ? round(oursTime.median / httpRequest.median, 3) : undefined,
	};
}

module.exports = { footprint };

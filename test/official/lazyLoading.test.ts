import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from '@jest/globals';
import { LazyPackageDirectoryLoader, PackageDirectoryLoader } from 'n8n-core';
import type { INodeType, INodeTypeDescription } from 'n8n-workflow';

import { InfusionsoftCrm } from '../../nodes/InfusionsoftCrm/InfusionsoftCrm.node';
import { InfusionsoftCrmEventsTrigger } from '../../nodes/InfusionsoftCrmEventsTrigger/InfusionsoftCrmEventsTrigger.node';
import { InfusionsoftCrmHealthTrigger } from '../../nodes/InfusionsoftCrmHealthTrigger/InfusionsoftCrmHealthTrigger.node';
import { InfusionsoftCrmOAuthTrigger } from '../../nodes/InfusionsoftCrmOAuthTrigger/InfusionsoftCrmOAuthTrigger.node';

/**
 * n8n loads a community package lazily when it ships dist/known/*.json and dist/types/*.json
 * (`npm run build` writes them with n8n-core's n8n-generate-metadata): the editor then shows the
 * descriptions in those files and a node's code is required when a workflow first uses it. They
 * must be what n8n would read from the code itself.
 */
const ROOT = join(__dirname, '..', '..');
const MANIFESTS = [
	'known/nodes.json',
	'known/credentials.json',
	'types/nodes.json',
	'types/credentials.json',
];
const readDist = (file: string): unknown =>
	JSON.parse(readFileSync(join(ROOT, 'dist', file), 'utf8'));
const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('lazy loading manifests (dist/known, dist/types)', () => {
	if (!MANIFESTS.every((file) => existsSync(join(ROOT, 'dist', file))))
		throw new Error('dist/known and dist/types are missing: run npm run build');

	it('match what n8n reads from the built nodes and credentials', async () => {
		const eager = new PackageDirectoryLoader(ROOT);
		await eager.loadAll();
		expect(readDist('known/nodes.json')).toEqual(asJson(eager.known.nodes));
		expect(readDist('known/credentials.json')).toEqual(asJson(eager.known.credentials));
		const descriptions = Object.values(eager.nodeTypes).flatMap(({ type }) =>
			eager.getVersionedNodeTypeAll(type).map(({ description }) => {
				const { __loadOptionsMethods, ...rest } = description as INodeTypeDescription & {
					__loadOptionsMethods?: string[];
				};
				return rest;
			}),
		);
		expect(readDist('types/nodes.json')).toEqual(asJson(descriptions));
		expect(readDist('types/credentials.json')).toEqual(
			asJson(Object.values(eager.credentialTypes).map(({ type }) => type)),
		);
	});

	it('carry the parameters of the sources', () => {
		const types = readDist('types/nodes.json') as INodeTypeDescription[];
		const sources: INodeType[] = [
			new InfusionsoftCrm(),
			new InfusionsoftCrmOAuthTrigger(),
			new InfusionsoftCrmEventsTrigger(),
			new InfusionsoftCrmHealthTrigger(),
		];
		for (const source of sources) {
			const shipped = types.find((t) => t.name === source.description.name);
			// n8n's loader adds Poll Times to a polling trigger; everything else is the source's.
			const properties = shipped?.properties.filter((p) => p.name !== 'pollTimes');
			expect(properties).toEqual(asJson(source.description.properties));
		}
	});

	it('make n8n load the package lazily, and a node on first use', async () => {
		const lazy = new LazyPackageDirectoryLoader(ROOT);
		await lazy.loadAll();
		expect(lazy.isLazyLoaded).toBe(true);
		expect(Object.keys(lazy.nodeTypes)).toEqual([]);
		expect(lazy.types.nodes.map((t) => t.name)).toEqual([
			'infusionsoftCrm',
			'infusionsoftCrmOAuthTrigger',
			'infusionsoftCrmEventsTrigger',
			'infusionsoftCrmHealthTrigger',
			'infusionsoftCrmTrigger',
		]);
		const loaded = lazy.getNode('infusionsoftCrm').type as INodeType;
		expect(loaded.description.name).toBe('infusionsoftCrm');
	});
});

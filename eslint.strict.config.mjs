import js from '@eslint/js';
import tsParser from '@typescript-eslint/parser';
import tseslint from 'typescript-eslint';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';

// Our own rules, run by `npm run lint` after n8n's (eslint.config.mjs, which must stay n8n's default:
// `n8n-node lint` in strict mode refuses any other). Stricter on the shipped sources, and the tests.
const sources = ['lib/**/*.ts', 'credentials/**/*.ts', 'nodes/**/*.ts'];
const tests = ['test/**/*.ts'];

export default [
	{
		ignores: ['dist/**', 'node_modules/**', 'e2e/runtime/**', '**/*.js', '**/*.mjs', 'bench/**'],
	},
	{
		files: [...sources, 'package.json'],
		languageOptions: {
			parser: tsParser,
			parserOptions: { sourceType: 'module', extraFileExtensions: ['.json'] },
		},
	},
	// As `@n8n/node-cli lint` does on a package's sources: the JS and TypeScript recommended rules, no console.
	...[js.configs.recommended, ...tseslint.configs.recommended].map((config) => ({
		...config,
		files: sources,
	})),
	{ files: sources, rules: { 'prefer-spread': 'off', 'no-console': 'error' } },
	{
		files: ['package.json'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: n8nNodesBase.configs.community.rules,
	},
	{
		files: ['credentials/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			// As in n8n-nodes-starter: community credentials link to full documentation URLs, not n8n doc slugs.
			'n8n-nodes-base/cred-class-field-documentation-url-missing': 'off',
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			// These want the literal ['main']; n8n now uses NodeConnectionTypes, which
			// @n8n/community-nodes/node-connection-type-literal requires.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
		},
	},
	{ files: [...sources, 'package.json'], ...n8nCommunityNodesPlugin.configs.recommended },
	// The tests run in Node under jest: they may use the file system, timers, require and console.
	...[js.configs.recommended, ...tseslint.configs.recommended].map((config) => ({
		...config,
		files: tests,
	})),
	{
		files: tests,
		// Tests load modules lazily with require(); their older eslint-disable comments for it stay harmless.
		linterOptions: { reportUnusedDisableDirectives: 'off' },
		rules: {
			'@typescript-eslint/no-require-imports': 'off',
			// Prettier lays out `a\n[key]()` chains; this rule would fight it.
			'no-unexpected-multiline': 'off',
			'@typescript-eslint/no-explicit-any': 'off',
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
			],
		},
	},
];

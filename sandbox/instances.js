// @ts-check
'use strict';

/**
 * The sandbox's instances (`sb.instances`): a Map id -> instance that also indexes the names,
 * so that `GET /instances?searchText=` stays cheap with 10,000 instances (the node searches by
 * name twice for every instance it creates: a scan would make creating n instances O(n²)).
 *
 * The index holds the trigrams of each lower-cased name. A search of 3 characters or more reads
 * the ids of its rarest trigram and checks only those; a shorter one scans. Every `set` (also a
 * test planting an instance directly) and `delete` keeps the index right; the platform sets an
 * instance again after renaming it. A name changed directly on a stored object, without a `set`,
 * is not seen by searches until the instance is set again.
 */

/** @typedef {import('./index').SandboxInstance} SandboxInstance */

const GRAM = 3;

/** @param {string} text @returns {Set<string>} */
function gramsOf(text) {
	const grams = new Set();
	for (let i = 0; i + GRAM <= text.length; i++) grams.add(text.slice(i, i + GRAM));
	return grams;
}

/** @extends {Map<number, SandboxInstance>} */
class InstanceMap extends Map {
	constructor() {
		super();
		/** @type {Map<string, Set<number>>} trigram -> ids */
		this.byGram = new Map();
		/** @type {Map<number, string>} id -> the lower-cased name indexed */
		this.indexed = new Map();
	}

	/** @param {number} id @param {SandboxInstance} instance */
	set(id, instance) {
		super.set(id, instance);
		if (!this.byGram) return this; // Map's constructor, before the index exists
		const name = typeof instance?.name === 'string' ? instance.name.toLowerCase() : '';
		if (this.indexed.get(id) === name) return this;
		this.unindex(id);
		this.indexed.set(id, name);
		for (const gram of gramsOf(name)) {
			let ids = this.byGram.get(gram);
			if (!ids) {
				ids = new Set();
				this.byGram.set(gram, ids);
			}
			ids.add(id);
		}
		return this;
	}

	/** @param {number} id */
	delete(id) {
		this.unindex(id);
		return super.delete(id);
	}

	clear() {
		this.byGram.clear();
		this.indexed.clear();
		super.clear();
	}

	/** @param {number} id */
	unindex(id) {
		const name = this.indexed.get(id);
		if (name === undefined) return;
		this.indexed.delete(id);
		for (const gram of gramsOf(name)) {
			const ids = this.byGram.get(gram);
			ids?.delete(id);
			if (ids?.size === 0) this.byGram.delete(gram);
		}
	}

	/**
	 * The instances whose name may contain `text` (lower-cased): a superset to check, fewer than
	 * all when `text` has 3 characters or more.
	 * @param {string} text @returns {Iterable<SandboxInstance>}
	 */
	candidates(text) {
		if (text.length < GRAM) return this.values();
		/** @type {Set<number> | undefined} */
		let rarest;
		for (const gram of gramsOf(text)) {
			const ids = this.byGram.get(gram);
			if (!ids) return [];
			if (!rarest || ids.size < rarest.size) rarest = ids;
		}
		return [...(rarest ?? [])].flatMap((id) => this.get(id) ?? []);
	}
}

module.exports = { InstanceMap };

// @ts-check
'use strict';

/**
 * What `npm start` keeps of the stand-in between runs: the instances (with their tokens and
 * configuration, so event subscriptions too) and the records behind them, as JSON. Without it a
 * restart forgot every customer connection while n8n still had workflows registered with them,
 * and no event arrived. Codes, faults, requests and deliveries in flight are not kept.
 */

const { resetState } = require('./state');
const { syncEvents } = require('./events');

const SNAPSHOT_VERSION = 1;

/** @typedef {import('./state').State} State */

/** @param {State} state @returns {Record<string, unknown>} */
function takeSnapshot(state) {
	return {
		version: SNAPSHOT_VERSION,
		nextId: state.nextId,
		nextConfigId: state.nextConfigId,
		instances: [...state.instances.values()],
		configIds: [...state.configIds].map(([id, keys]) => [id, [...keys]]),
		records: [...state.records].map(([id, objects]) => [
			id,
			[...objects].map(([name, table]) => [
				name,
				{ nextId: table.nextId, byId: [...table.byId], deleted: [...table.deleted] },
			]),
		]),
	};
}

/**
 * Replaces the stand-in's instances and records with a snapshot's (a reset first), and starts
 * polling for the instances whose events are on. A snapshot of another version is refused.
 * @param {State} state @param {any} snapshot @returns {number} how many instances came back
 */
function restoreSnapshot(state, snapshot) {
	if (!snapshot || snapshot.version !== SNAPSHOT_VERSION)
		throw new TypeError(`not a stand-in snapshot of version ${SNAPSHOT_VERSION}`);
	resetState(state);
	state.nextId = snapshot.nextId;
	state.nextConfigId = snapshot.nextConfigId;
	for (const instance of snapshot.instances) {
		state.instances.set(instance.id, instance);
		state.tokens.set(instance.token, instance);
	}
	for (const [id, keys] of snapshot.configIds) state.configIds.set(id, new Map(keys));
	for (const [id, objects] of snapshot.records) {
		state.records.set(
			id,
			new Map(
				objects.map((/** @type {[string, any]} */ [name, table]) => [
					name,
					{ nextId: table.nextId, byId: new Map(table.byId), deleted: new Map(table.deleted) },
				]),
			),
		);
	}
	for (const instance of snapshot.instances) syncEvents(state, instance.id);
	return snapshot.instances.length;
}

module.exports = { takeSnapshot, restoreSnapshot };

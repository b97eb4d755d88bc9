import type { IDataObject } from 'n8n-workflow';

import type { Platform } from '../../../../../../lib/platform/cloudElements';
import { mapWithConcurrency } from '../../../../../../lib/platform/concurrency';
import { CreateBatch } from '../../../../../../nodes/InfusionsoftCrm/actions/instance/helpers/createBatch';

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** A platform whose every listing answers `answer` (one page), counting the calls. */
function listingPlatform(answer: () => IDataObject[]): { platform: Platform; calls: string[] } {
	const calls: string[] = [];
	const platform = {
		request: async (req: { method: string; path: string }) => {
			calls.push(`${req.method} ${req.path}`);
			await tick();
			return { statusCode: 200, body: answer(), headers: {} };
		},
	} as unknown as Platform;
	return { platform, calls };
}

describe('CreateBatch', () => {
	it('runs items of one name one after another, each waiting outside its slot', async () => {
		const batch = new CreateBatch(3);
		const log: string[] = [];
		let open!: () => void;
		const gate = new Promise<void>((resolve) => (open = resolve));
		const names = ['a', 'a', 'b'];
		// Concurrency 1: item 1 waits for item 0 outside its slot, so item 2 gets to run and opens the gate.
		await mapWithConcurrency(3, 1, async (i, slot) => {
			await batch.inTurn(names[i], slot, async () => {
				log.push(`start ${names[i]}${i}`);
				if (i === 0) await slot.outside(gate);
				if (i === 2) open();
				await tick();
				log.push(`end ${names[i]}${i}`);
			});
		});
		expect(log).toEqual(['start a0', 'start b2', 'end b2', 'end a0', 'start a1', 'end a1']);
	});

	it('lists the instances once per element for every item, and not at all for one item', async () => {
		const { platform, calls } = listingPlatform(() => [
			{ id: 7, name: 'Customer 7', element: { key: 'infusionsoftrest' } },
		]);
		expect(await new CreateBatch(1).instanceIndex(platform, 'infusionsoftrest')).toBeUndefined();
		expect(calls).toEqual([]);

		const batch = new CreateBatch(5);
		const indexes = await Promise.all([
			batch.instanceIndex(platform, 'infusionsoftrest'),
			batch.instanceIndex(platform, 'infusionsoftrest'),
			batch.instanceIndex(platform, 'infusionsoftcrm'),
		]);
		expect(calls).toEqual(['GET /instances', 'GET /instances']);
		expect(indexes[0]).toBe(indexes[1]);
		expect(indexes[0]?.instancesNamed('Customer 7').map((i) => i.id)).toEqual([7]);
		expect(indexes[2]?.instancesNamed('Customer 7')).toEqual([]);
	});

	it('a failed listing is the error of the item that read it; the others get no index', async () => {
		const platform = {
			request: async () => {
				await tick();
				throw new Error('listing failed');
			},
		} as unknown as Platform;
		const batch = new CreateBatch(3);
		const first = batch.instanceIndex(platform, 'infusionsoftrest');
		const second = batch.instanceIndex(platform, 'infusionsoftrest');
		await expect(first).rejects.toThrow('listing failed');
		await expect(second).resolves.toBeUndefined();
	});
});

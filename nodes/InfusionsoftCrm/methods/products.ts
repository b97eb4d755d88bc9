import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { KEAP_REST_ONLY } from '../../../lib/keap/elements';
import { elementRefusal } from '../actions/hub';
import { productLabel } from '../actions/product/fields';
import { hubOptions, openInstanceHub } from './instanceHub';

/**
 * Order → Create's Product dropdown: the products of the instance chosen in the node. A legacy
 * instance is refused by name (its products are in other names, and Order refuses it anyway)
 * rather than shown as an empty list; that check reads the instance once more, in the editor only.
 */
export async function getProducts(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const { instance } = await openInstanceHub(this);
	const refusal = elementRefusal(KEAP_REST_ONLY, instance, 'Product list');
	if (refusal) {
		throw new NodeOperationError(this.getNode(), refusal.message, {
			description: `${refusal.fix} Or type the product ID into the field.`,
		});
	}
	return await hubOptions(this, '/products', 'products', productLabel);
}

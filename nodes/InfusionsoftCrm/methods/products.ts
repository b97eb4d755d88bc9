import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { productLabel } from '../actions/product/fields';
import { hubOptions } from './instanceHub';

/** Order → Create's Product dropdown: the products of the instance chosen in the node. */
export async function getProducts(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return await hubOptions(this, '/products', 'products', productLabel);
}

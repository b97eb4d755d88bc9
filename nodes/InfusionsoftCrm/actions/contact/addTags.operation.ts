import { tagOperation } from './tags';

export const addTags = tagOperation('addTags');

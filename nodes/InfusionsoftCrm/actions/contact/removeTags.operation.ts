import { tagOperation } from './tags';

export const removeTags = tagOperation('removeTags');

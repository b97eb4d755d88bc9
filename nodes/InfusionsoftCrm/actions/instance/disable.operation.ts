import { enabledOperation } from './helpers/setEnabled';

export const disable = enabledOperation('disable');

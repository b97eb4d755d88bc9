import { enabledOperation } from './helpers/setEnabled';

export const enable = enabledOperation('enable');

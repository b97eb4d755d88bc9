import { defineResource } from '../resource';
import * as getOAuthUrl from './getOAuthUrl.operation';
import * as parseCallback from './parseCallback.operation';

export const oauth = defineResource('oauth', 'OAuth', [getOAuthUrl, parseCallback], 'getOAuthUrl');

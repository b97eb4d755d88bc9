import { defineResource } from '../resource';
import * as getOAuthUrl from './getOAuthUrl';
import * as parseCallback from './parseCallback';

export const oauth = defineResource('oauth', 'OAuth', [getOAuthUrl, parseCallback], 'getOAuthUrl');

import { defineResource } from '../resource';
import * as getAll from './getAll.operation';
import * as record from './record.operation';
import * as send from './send.operation';

export const email = defineResource('email', 'Email (Keap REST)', [send, record, getAll], 'send');

import { defineResource } from '../resource';
import * as request from './request';

export const customApiCall = defineResource('customApiCall', 'Custom API Call', [request], 'request');

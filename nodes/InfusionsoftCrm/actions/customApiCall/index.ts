import { defineResource } from '../resource';
import * as request from './request.operation';

export const customApiCall = defineResource(
	'customApiCall',
	'Custom API Call',
	[request],
	'request',
);

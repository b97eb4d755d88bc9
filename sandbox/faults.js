// @ts-check
'use strict';

/**
 * Fault injection: `sb.fail({ method?, path?, times?, ...kind })`. Faults are consumed FIFO by
 * the first matching platform API request (path after the API root, e.g. '/instances').
 */

const http = require('node:http');
const { errorReply } = require('./routing');
const { checkMs } = require('./state');

/** @typedef {import('./index').SandboxFault} SandboxFault */
/** @typedef {import('./state').State} State */
/** @typedef {import('./consent').Reply} Reply */
/** @typedef {SandboxFault & { remaining: number }} QueuedFault */

/** @param {SandboxFault} fault @returns {QueuedFault} */
function normalizeFault(fault) {
  if (!fault || typeof fault !== 'object') throw new TypeError('A fault must be an object');
  const { status, drop, delayMs, path, method, times = 1 } = fault;
  if (status === undefined && drop === undefined && delayMs === undefined) {
    throw new TypeError('A fault needs status, drop or delayMs');
  }
  if (status !== undefined && !(Number.isInteger(status) && status >= 200 && status <= 599)) {
    throw new TypeError(`Invalid fault status: ${status}`);
  }
  if (drop !== undefined && drop !== 'before' && drop !== 'after') throw new TypeError("drop must be 'before' or 'after'");
  if (delayMs !== undefined) checkMs(delayMs, 'delayMs');
  if (!Number.isInteger(times) || times < 1) throw new TypeError('times must be a positive integer');
  if (path !== undefined && typeof path !== 'string' && !(path instanceof RegExp)) {
    throw new TypeError('path must be a string prefix or a RegExp');
  }
  if (method !== undefined && typeof method !== 'string') throw new TypeError('method must be a string');
  return {
    ...fault,
    method: method?.toUpperCase(),
    path: path instanceof RegExp ? new RegExp(path.source, path.flags.replace(/[gy]/g, '')) : path,
    remaining: times,
  };
}

/** FIFO: the first queued fault that matches answers. @param {State} state @param {string} method @param {string} apiPath */
function takeFault(state, method, apiPath) {
  const index = state.faults.findIndex((f) => (f.method === undefined || f.method === method)
    && (f.path === undefined || (typeof f.path === 'string' ? apiPath.startsWith(f.path) : f.path.test(apiPath))));
  if (index === -1) return undefined;
  const fault = state.faults[index];
  fault.remaining -= 1;
  if (fault.remaining === 0) state.faults.splice(index, 1);
  return fault;
}

/** @param {QueuedFault} fault @returns {Record<string, unknown>} */
function describeFault(fault) {
  const { remaining: _remaining, times: _times, ...rest } = fault;
  return { ...rest, path: fault.path instanceof RegExp ? String(fault.path) : fault.path };
}

/** @param {QueuedFault} fault @returns {Reply} */
function faultReply(fault) {
  const status = /** @type {number} */ (fault.status);
  /** @type {Record<string, string>} */
  const headers = fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {};
  if (fault.html) {
    const title = `${status} ${http.STATUS_CODES[status] ?? 'Error'}`;
    return {
      status,
      headers: { ...headers, 'content-type': 'text/html' },
      body: `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n`
        + '<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
    };
  }
  if (fault.body !== undefined) {
    const body = typeof fault.body === 'string' ? fault.body : JSON.stringify(fault.body);
    const contentType = fault.contentType ?? (body === '' ? undefined : 'application/json');
    return { status, headers: contentType ? { ...headers, 'content-type': contentType } : headers, body };
  }
  if (status === 429) {
    return errorReply(429, 'Too many requests: the provider rate limit was exceeded', { providerMessage: 'Developer Over Qps' }, headers);
  }
  return errorReply(status, http.STATUS_CODES[status] ?? 'Error', {}, headers);
}

module.exports = { normalizeFault, takeFault, describeFault, faultReply };

// @ts-check
'use strict';

/**
 * A local stand-in for Cloud Elements / SAP Open Connectors (platform API under
 * /elements/api-v2), the fake Infusionsoft consent page (/app/oauth/authorize) and a control
 * API for tests (/__sandbox). Node's `http` only. See README.md.
 *
 * Internal: outsiders use the entry point, `require('./sandbox')` (index.js, types index.d.ts).
 * This module keeps exporting `startSandbox` and `EXAMPLE` for callers not switched yet.
 *
 * All state lives in the object that `startSandbox` creates: several sandboxes can run
 * side by side in one process.
 */

const http = require('node:http');
const consent = require('./consent');
const { EXAMPLE, createState, resetState, issueCode, checkMs } = require('./state');
const { HttpError, jsonReply, errorReply, route, dispatch, requireJsonObject, queryObject, firstValues, isFilled } = require('./routing');
const { normalizeFault, takeFault, describeFault, faultReply } = require('./faults');
const { answerPlatform, present } = require('./platform');

/** @typedef {import('./index').SandboxOptions} SandboxOptions */
/** @typedef {import('./index').Sandbox} Sandbox */
/** @typedef {import('./index').SandboxFault} SandboxFault */
/** @typedef {import('./index').RecordedRequest} RecordedRequest */
/** @typedef {import('./consent').Reply} Reply */
/** @typedef {import('./state').State} State */
/** @typedef {import('./routing').Body} Body */
/** @typedef {import('./routing').Ctx} Ctx */
/**
 * @template C
 * @typedef {import('./routing').Handler<C>} Handler
 */
/**
 * @template C
 * @typedef {import('./routing').Route<C>} Route
 */

const API_ROOT = '/elements/api-v2';
const CONTROL_ROOT = '/__sandbox';
const MAX_BODY_BYTES = 1024 * 1024;
const MAX_RECORDED_REQUESTS = 10000;

// Start and stop

/**
 * @param {SandboxOptions} [options]
 * @returns {Promise<Sandbox>}
 */
async function startSandbox(options = {}) {
  const state = createState(options);
  const server = http.createServer((req, res) => {
    handle(state, req, res).catch((error) => send(res, errorReply(500, `Sandbox error: ${error.message}`)));
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy();
  });
  const port = await listen(server, options.port ?? 0);
  state.url = `http://127.0.0.1:${port}`;

  return {
    url: state.url,
    apiRoot: state.url + API_ROOT,
    requests: state.requests,
    instances: state.instances,
    issueCode: (grant) => issueCode(state, grant),
    fail: (fault) => { state.faults.push(normalizeFault(fault)); },
    setLatency: (ms) => { state.latencyMs = checkMs(ms, 'latency'); },
    reset: () => resetState(state),
    close: () => closeServer(state, server),
  };
}

/** @param {http.Server} server @param {number} port @returns {Promise<number>} */
function listen(server, port) {
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new TypeError(`Invalid port: ${port}`);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

/** @param {State} state @param {http.Server} server */
function closeServer(state, server) {
  if (!state.closing) {
    for (const timer of state.timers) clearTimeout(timer);
    state.timers.clear();
    state.closing = new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    server.closeAllConnections();
  }
  return state.closing;
}

// The request pipeline: control API | consent page | platform API (latency, faults, routes)

/**
 * @param {State} state
 * @param {http.IncomingMessage} req
 * @param {http.ServerResponse} res
 */
async function handle(state, req, res) {
  const body = await readBody(req);
  const url = parseRequestUrl(req.url ?? '/');
  if (!url) return send(res, errorReply(400, `Malformed request URL: ${req.url}`));
  /** @type {Ctx} */
  const ctx = {
    state, method: req.method ?? 'GET', path: url.pathname, query: queryObject(url.searchParams), headers: req.headers, body,
  };
  if (body.tooLarge) return send(res, errorReply(413, `Request body larger than ${MAX_BODY_BYTES} bytes`));
  if (isUnder(ctx.path, CONTROL_ROOT)) return send(res, dispatch(CONTROL_ROUTES, ctx, ctx.path.slice(CONTROL_ROOT.length)));

  const record = recordRequest(ctx);
  if (!isUnder(ctx.path, API_ROOT)) return send(res, dispatch(CONSENT_ROUTES, ctx, ctx.path));

  const apiPath = ctx.path.slice(API_ROOT.length) || '/';
  await pause(state, state.latencyMs);
  const fault = takeFault(state, ctx.method, apiPath);
  if (fault) record.fault = describeFault(fault);
  if (fault?.drop === 'before') return void req.socket.destroy();
  const reply = fault?.status !== undefined ? faultReply(fault) : answerPlatform(ctx, apiPath);
  if (fault?.drop === 'after') return void req.socket.destroy();
  if (fault?.delayMs) await pause(state, fault.delayMs);
  return send(res, reply);
}

/** @param {string} target  the request target, e.g. '/instances?x=1' */
function parseRequestUrl(target) {
  try {
    return new URL(`http://127.0.0.1${target.startsWith('/') ? '' : '/'}${target}`);
  } catch {
    return undefined;
  }
}

/** @param {http.IncomingMessage} req @returns {Promise<Body>} */
function readBody(req) {
  return new Promise((resolve, reject) => {
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    req.on('data', (/** @type {Buffer} */ chunk) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('error', reject);
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      /** @type {Body} */
      const body = { raw, json: undefined, jsonError: false, tooLarge: size > MAX_BODY_BYTES };
      if (raw.trim() !== '') {
        try {
          body.json = JSON.parse(raw);
        } catch {
          body.jsonError = true;
        }
      }
      resolve(body);
    });
  });
}

/** @param {http.ServerResponse} res @param {Reply} reply */
function send(res, reply) {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(reply.status, { ...reply.headers, 'content-length': Buffer.byteLength(reply.body) });
  res.end(reply.body);
}

/** @param {Ctx} ctx @returns {RecordedRequest} */
function recordRequest(ctx) {
  const { raw, json, jsonError } = ctx.body;
  /** @type {RecordedRequest} */
  const record = {
    method: ctx.method,
    path: ctx.path,
    query: ctx.query,
    headers: { ...ctx.headers },
    body: raw === '' ? undefined : jsonError ? raw : json,
    time: Date.now(),
  };
  const { requests } = ctx.state;
  requests.push(record);
  if (requests.length > MAX_RECORDED_REQUESTS) requests.shift();
  return record;
}

/** A timer that `close()` cancels. @param {State} state @param {number} ms @returns {Promise<void>} */
function pause(state, ms) {
  if (!(ms > 0)) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      state.timers.delete(timer);
      resolve();
    }, ms);
    state.timers.add(timer);
  });
}

// Control API (no auth, no latency, no faults, not recorded)

/** @type {Handler<Ctx>} */
function controlHealth(ctx) {
  const { state } = ctx;
  return jsonReply(200, {
    ok: true, url: state.url, apiRoot: state.url + API_ROOT, instances: state.instances.size, latencyMs: state.latencyMs,
  });
}

/** @type {Handler<Ctx>} */
function controlFault(ctx) {
  const body = requireJsonObject(ctx, { anyContentType: true });
  /** @type {SandboxFault} */
  const fault = { ...body };
  if (typeof body.pathRegExp === 'string') {
    try {
      fault.path = new RegExp(body.pathRegExp);
    } catch {
      throw new HttpError(400, `Invalid pathRegExp: ${body.pathRegExp}`);
    }
    delete (/** @type {Record<string, unknown>} */ (fault)).pathRegExp;
  }
  try {
    ctx.state.faults.push(normalizeFault(fault));
  } catch (error) {
    throw new HttpError(400, error instanceof Error ? error.message : String(error));
  }
  return jsonReply(200, { ok: true, queued: ctx.state.faults.length });
}

/** @type {Handler<Ctx>} */
function controlLatency(ctx) {
  const { ms } = requireJsonObject(ctx, { anyContentType: true });
  if (typeof ms !== 'number' || !(ms >= 0) || !Number.isFinite(ms)) throw new HttpError(400, 'ms must be a number >= 0');
  ctx.state.latencyMs = ms;
  return jsonReply(200, { ok: true, latencyMs: ms });
}

/** @type {Handler<Ctx>} */
function controlIssueCode(ctx) {
  const { clientId, callbackUrl } = requireJsonObject(ctx, { anyContentType: true });
  if (!isFilled(clientId) || !isFilled(callbackUrl)) throw new HttpError(400, 'clientId and callbackUrl are required');
  return jsonReply(200, { code: issueCode(ctx.state, { clientId: String(clientId), callbackUrl: String(callbackUrl) }) });
}

/** @type {Handler<Ctx>} */
function controlInstanceState(ctx, { id }) {
  const body = requireJsonObject(ctx, { anyContentType: true });
  const instance = ctx.state.instances.get(Number(id));
  if (!/^\d+$/.test(id) || !instance) throw new HttpError(404, `No instance found with id ${id}`);
  for (const flag of /** @type {const} */ (['valid', 'disabled'])) {
    const value = body[flag];
    if (value === undefined) continue;
    if (typeof value !== 'boolean') throw new HttpError(400, `${flag} must be a boolean`);
    instance[flag] = value;
  }
  return jsonReply(200, present(instance));
}

/** @param {State} state @returns {import('./consent').ConsentServices} */
function consentServices(state) {
  return {
    findApp: (clientId) => state.apps.find((app) => app.clientId === clientId),
    issueCode: (grant) => issueCode(state, grant),
  };
}

/** @type {Route<Ctx>[]} */
const CONSENT_ROUTES = [
  route(consent.AUTHORIZE_PATH, { GET: (ctx) => consent.authorizePage(firstValues(ctx.query), consentServices(ctx.state)) }),
  route(consent.DECISION_PATH, { GET: (ctx) => consent.decide(firstValues(ctx.query), consentServices(ctx.state)) }),
];

/** @type {Route<Ctx>[]} */
const CONTROL_ROUTES = [
  route('/health', { GET: controlHealth }),
  route('/requests', { GET: (ctx) => jsonReply(200, ctx.state.requests) }),
  route('/reset', { POST: (ctx) => { resetState(ctx.state); return jsonReply(200, { ok: true }); } }),
  route('/faults', { POST: controlFault }),
  route('/latency', { POST: controlLatency }),
  route('/codes', { POST: controlIssueCode }),
  route('/instances/:id/state', { POST: controlInstanceState }),
];

/** @param {string} path @param {string} root */
function isUnder(path, root) {
  return path === root || path.startsWith(`${root}/`);
}

module.exports = { startSandbox, EXAMPLE };

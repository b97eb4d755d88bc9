'use strict';
/**
 * TEMPORARY (until the stand-in's own 25 requests/s limiter, branch `events-engine`, is merged):
 * a loopback proxy in front of the stand-in that lets at most `perSecond` platform requests
 * through in any sliding second and answers the others 429 with `Retry-After: 1`, the way Keap
 * throttles. The control API (/__sandbox/...) passes unthrottled and uncounted. Counts what it
 * let through and what it refused. Once the stand-in limits by itself, point the bench at it
 * directly and delete this file.
 */
const http = require('node:http');

/** @returns {Promise<{ url: string, apiRoot: string, stats(): { passed: number, throttled: number, firstAt?: number, lastAt?: number }, resetStats(): void, close(): Promise<void> }>} */
async function startLimiter({ target, apiPath = '/elements/api-v2', perSecond = 25 }) {
	const upstream = new URL(target);
	const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
	let sent = [];
	let stats = { passed: 0, throttled: 0 };
	const server = http.createServer((req, res) => {
		const control = req.url.startsWith('/__sandbox');
		if (!control) {
			const now = Date.now();
			sent = sent.filter((t) => now - t < 1000);
			if (sent.length >= perSecond) {
				stats.throttled += 1;
				req.resume();
				res.writeHead(429, { 'Content-Type': 'application/json', 'Retry-After': '1' });
				res.end(
					JSON.stringify({
						message: 'Too many requests: the provider rate limit was exceeded',
						providerMessage: 'Developer Over Qps',
					}),
				);
				return;
			}
			sent.push(now);
			stats.passed += 1;
			stats.firstAt ??= now;
			stats.lastAt = now;
		}
		const forward = http.request(
			{
				host: upstream.hostname,
				port: upstream.port,
				method: req.method,
				path: req.url,
				headers: req.headers,
				agent,
			},
			(answer) => {
				res.writeHead(answer.statusCode, answer.headers);
				answer.pipe(res);
			},
		);
		forward.on('error', () => {
			res.writeHead(502);
			res.end();
		});
		req.pipe(forward);
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${server.address().port}`;
	return {
		url,
		apiRoot: `${url}${apiPath}`,
		stats: () => ({ ...stats }),
		resetStats: () => {
			stats = { passed: 0, throttled: 0 };
			sent = [];
		},
		close: () =>
			new Promise((resolve) => {
				agent.destroy();
				server.closeAllConnections?.();
				server.close(() => resolve());
			}),
	};
}

module.exports = { startLimiter };

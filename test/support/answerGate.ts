import http from 'node:http';
import type { AddressInfo } from 'node:net';

import type { Sandbox } from '../../sandbox';

const API_ROOT = '/elements/api-v2';

/** Hop-by-hop headers, and the length the proxy sets itself once it holds the whole body. */
const NOT_FORWARDED = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length']);

export interface AnswerGate {
	/** The API root to give the node instead of the stand-in's. */
	apiRoot: string;
	close(): Promise<void>;
}

/**
 * A proxy in front of the stand-in that makes executions meet on any machine, at any load:
 * the first `count` requests matching `method` and `path` (a prefix after the API root) go to
 * the stand-in as they come, so each is processed when it arrives, but none of their answers
 * is given before the stand-in has answered all `count`. Every other request passes straight.
 */
export async function answerGate(
	sb: Sandbox,
	gated: { method: string; path: string; count: number },
): Promise<AnswerGate> {
	const upstream = new URL(sb.url);
	let taken = 0;
	const held: Array<() => void> = [];

	const server = http.createServer((req, res) => {
		const target = new URL(req.url ?? '/', sb.url);
		const apiPath = target.pathname.startsWith(API_ROOT)
			? target.pathname.slice(API_ROOT.length)
			: undefined;
		const isGated =
			req.method === gated.method &&
			apiPath?.startsWith(gated.path) === true &&
			taken < gated.count;
		if (isGated) taken++;
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const forward = http.request(
				{
					hostname: upstream.hostname,
					port: upstream.port,
					method: req.method,
					path: req.url,
					headers: req.headers,
				},
				(answer) => {
					const body: Buffer[] = [];
					answer.on('data', (chunk: Buffer) => body.push(chunk));
					answer.on('error', () => res.destroy());
					answer.on('end', () => {
						const give = () => {
							const whole = Buffer.concat(body);
							const headers = Object.fromEntries(
								Object.entries(answer.headers).filter(([name]) => !NOT_FORWARDED.has(name)),
							);
							res.writeHead(answer.statusCode ?? 502, {
								...headers,
								'content-length': whole.length,
							});
							res.end(whole);
						};
						if (!isGated) return give();
						held.push(give);
						if (held.length === gated.count) for (const release of held) release();
					});
				},
			);
			forward.on('error', () => res.destroy());
			forward.end(Buffer.concat(chunks));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		apiRoot: `http://127.0.0.1:${port}${API_ROOT}`,
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

'use strict';
/**
 * A scripted stand-in for an OpenAI-compatible chat model (POST <url>/chat/completions), for
 * running an AI Agent in a real n8n without a model or the internet: point an `openAiApi`
 * credential's Base URL at `url`. Plain Node, no dependencies.
 *
 *   const model = await startFakeChatModel((request, n) => ({ content: 'hi' }));
 *   // or: ({ toolCalls: [{ name: 'Find_contacts', arguments: { email: 'a@b.c' } }] })
 *   model.url;  model.requests;  await model.close();
 *
 * `script(request, index)` gets each request body (messages, tools, ...) and its index, and
 * answers with a final `content` or with `toolCalls` (the tool's name as the request's `tools`
 * list has it). Streaming requests (`stream: true`) get the same answer as server-sent events.
 */
const http = require('node:http');

function completion(request, answer, index) {
	const message = answer.toolCalls
		? {
				role: 'assistant',
				content: null,
				tool_calls: answer.toolCalls.map((call, i) => ({
					id: `call_${index}_${i}`,
					type: 'function',
					function: { name: call.name, arguments: JSON.stringify(call.arguments ?? {}) },
				})),
			}
		: { role: 'assistant', content: answer.content ?? '' };
	return {
		id: `chatcmpl-fake-${index}`,
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model: request.model ?? 'fake',
		choices: [
			{
				index: 0,
				message,
				logprobs: null,
				finish_reason: answer.toolCalls ? 'tool_calls' : 'stop',
			},
		],
		usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
	};
}

/** The same answer as the chunks of a streamed completion. */
function chunks(body) {
	const { message, finish_reason } = body.choices[0];
	const base = {
		id: body.id,
		object: 'chat.completion.chunk',
		created: body.created,
		model: body.model,
	};
	const delta = message.tool_calls
		? {
				role: 'assistant',
				content: null,
				tool_calls: message.tool_calls.map((call, index) => ({ index, ...call })),
			}
		: { role: 'assistant', content: message.content };
	return [
		{ ...base, choices: [{ index: 0, delta, finish_reason: null }] },
		{ ...base, choices: [{ index: 0, delta: {}, finish_reason }] },
	];
}

/** Starts the fake model on 127.0.0.1 (a free port). Resolves { url, requests, close() }; `url` ends in /v1. */
function startFakeChatModel(script) {
	const requests = [];
	const server = http.createServer((req, res) => {
		let raw = '';
		req.on('data', (d) => (raw += d));
		req.on('end', () => {
			const send = (status, body) => {
				res.writeHead(status, { 'content-type': 'application/json' });
				res.end(JSON.stringify(body));
			};
			if (req.method !== 'POST' || !req.url.endsWith('/chat/completions')) {
				return send(404, {
					error: {
						message: `The fake chat model only answers POST /v1/chat/completions, not ${req.method} ${req.url}`,
					},
				});
			}
			let request;
			try {
				request = JSON.parse(raw);
			} catch {
				return send(400, { error: { message: 'not JSON' } });
			}
			const index = requests.length;
			requests.push({ headers: req.headers, body: request });
			let answer;
			try {
				answer = script(request, index);
			} catch (error) {
				return send(500, { error: { message: `fake chat model script: ${error.message}` } });
			}
			const body = completion(request, answer, index);
			if (!request.stream) return send(200, body);
			res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
			for (const chunk of chunks(body)) res.write(`data: ${JSON.stringify(chunk)}\n\n`);
			res.end('data: [DONE]\n\n');
		});
	});
	return new Promise((resolve, reject) => {
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			resolve({
				url: `http://127.0.0.1:${port}/v1`,
				requests,
				close: () => new Promise((done) => server.close(() => done())),
			});
		});
	});
}

module.exports = { startFakeChatModel };

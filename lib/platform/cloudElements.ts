import type { IDataObject, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { RetryPolicy } from '../params/requestOptions';
import { requestRateProblem } from '../params/requestOptions';
import type { CloudElementsAccount } from '../security/account';
import { authorizationHeader } from '../security/account';
import type { Redactor } from '../security/redact';
import type { NetworkFailure } from './answers';
import {
	backoffMs,
	fitsShape,
	lowerCaseHeaders,
	MAYBE_PROCESSED_STATUSES,
	networkFailure,
	parseBody,
	RETRYABLE_STATUSES,
	retryAfterMs,
} from './answers';
import { apiError, networkError, redirectError, statusError } from './errors';
import type { Clock } from './pacer';
import { REAL_CLOCK, RequestPacer } from './pacer';
import { keapThrottleHoldMs } from './keapQuota';
import { foreignAnswer, isPlatformAnswer } from './platformAnswer';
import type { PlatformRequest, PlatformResponse } from './request';
import { buildUrl, HUB, hubUrlProblem } from './request';

/** What the transport needs of n8n: an execution, or the editor loading a list (listSearch). */
export type TransportContext = Pick<IExecuteFunctions, 'logger' | 'getNode'> & {
	helpers: Pick<IExecuteFunctions['helpers'], 'httpRequest'>;
	getExecutionCancelSignal?: () => AbortSignal | undefined;
};

/** An unsafe call was sent and no usable answer came back: it may or may not have taken effect. */
export class OutcomeUnknownError extends Error {
	constructor(readonly cause: NodeApiError) {
		super(cause.message);
		this.name = 'OutcomeUnknownError';
	}
}

type Outcome =
	| { response: PlatformResponse; failure?: undefined }
	| { response?: undefined; failure: NetworkFailure };

/**
 * The one door to the platform: every operation's call passes here, so the URL, the
 * Authorization header, retries, error wording and redaction are written once.
 */
export class CloudElementsTransport {
	readonly apiRoot: string;

	private readonly authorization: string;

	private readonly account: CloudElementsAccount;

	/** One per transport, so one per execution: every item's calls share it. */
	private readonly pacer: RequestPacer;

	constructor(
		private readonly ctx: TransportContext,
		account: CloudElementsAccount,
		readonly policy: RetryPolicy,
		/** What every wait of the door reads: the pacer's, the backoff's and Retry-After's. */
		readonly clock: Clock = REAL_CLOCK,
	) {
		const rateProblem = requestRateProblem(policy.maxRequestsPerSecond);
		if (rateProblem) {
			throw new NodeOperationError(ctx.getNode(), rateProblem, {
				description:
					'Open Request Options and set Max Requests per Second to a number of at least 0.01, such as 10, or to 0 for no limit.',
			});
		}
		this.apiRoot = account.apiRoot;
		this.account = account;
		this.authorization = authorizationHeader(account);
		this.pacer = new RequestPacer(policy.maxRequestsPerSecond ?? 0, clock);
	}

	/** The transport as one item sees it: its errors name the item and are redacted with its secrets. */
	forItem(itemIndex: number, redactor: Redactor): Platform {
		return new Platform(this, itemIndex, redactor);
	}

	async request<T = unknown>(
		req: PlatformRequest,
		itemIndex: number,
		redactor: Redactor,
	): Promise<PlatformResponse<T>> {
		const budget = req.budget ?? { waitedMs: 0 };
		const shape = req.expect ?? 'any';
		const url = buildUrl(this.apiRoot, req.path, req.query);
		if (req.elementToken) {
			const problem = hubUrlProblem(this.apiRoot, url);
			if (problem) throw this.refusedHubCall(problem, itemIndex);
		}
		for (let attempt = 0; ; attempt++) {
			await this.pacer.turn(this.ctx.getExecutionCancelSignal?.());
			const sentAt = this.clock.now();
			const { response, failure } = await this.send(req, url);
			if (response) this.learnFrom(response, sentAt);

			let unusable = false;
			if (response) {
				const status = response.statusCode;
				if (status >= 300 && status < 400)
					throw redirectError(this.ctx.getNode(), this.apiRoot, req, response, itemIndex, redactor);
				if (status < 300) {
					if (fitsShape(response.body, shape)) return response as PlatformResponse<T>;
					unusable = true;
				} else if (req.accept?.includes(status)) {
					if (isPlatformAnswer(response.body)) return response as PlatformResponse<T>;
					const { message, description } = foreignAnswer(req, response);
					throw apiError(
						this.ctx.getNode(),
						redactor.text(message),
						redactor.text(description),
						status,
						itemIndex,
					);
				} else if (!RETRYABLE_STATUSES.has(status)) {
					throw statusError(this.ctx.getNode(), req, response, itemIndex, redactor);
				}
			}

			const maybeProcessed = failure
				? failure.sent
				: unusable || MAYBE_PROCESSED_STATUSES.has(response.statusCode);
			const finalError = () =>
				response
					? statusError(this.ctx.getNode(), req, response, itemIndex, redactor, attempt)
					: networkError(
							this.ctx.getNode(),
							{ apiRoot: this.apiRoot, timeoutMs: this.policy.timeoutMs },
							req,
							failure,
							itemIndex,
							attempt,
						);
			if (req.unsafeToRepeat && maybeProcessed) {
				throw new OutcomeUnknownError(finalError());
			}

			const retryAfter = retryAfterMs(response?.headers['retry-after']);
			const delay = retryAfter ?? backoffMs(attempt);
			if (attempt >= this.policy.maxRetries || budget.waitedMs + delay > this.policy.maxWaitMs) {
				throw finalError();
			}
			// The platform throttles the account, not this item: every item of the execution waits
			// (only for a wait this call accepted: a Retry-After beyond Max Retry Wait holds no one).
			if (retryAfter !== undefined && response?.statusCode === 429) this.pacer.pause(retryAfter);
			this.ctx.logger.debug(
				`Cloud Elements: ${req.method} ${req.path} got ${response?.statusCode ?? failure?.code}${unusable ? ' (unusable body)' : ''}; try ${attempt + 2} in ${delay} ms`,
			);
			await this.retryWait(delay);
			budget.waitedMs += delay;
		}
	}

	/** What an answer tells the pacer: a 429 lowers the learned rate; Keap's throttle headers, when passed through, can hold every call. */
	private learnFrom(response: PlatformResponse, sentAt: number): void {
		if (response.statusCode === 429) this.pacer.throttled(sentAt);
		else this.pacer.answered(sentAt);
		const holdMs = keapThrottleHoldMs(response.headers);
		if (holdMs !== undefined) this.pacer.pause(holdMs);
	}

	/** A wait before the next try, which a cancelled execution ends at once. */
	private async retryWait(ms: number): Promise<void> {
		const cancel = this.ctx.getExecutionCancelSignal?.();
		await this.clock.sleep(ms, cancel);
		if (cancel?.aborted)
			throw new NodeOperationError(this.ctx.getNode(), 'The execution was cancelled');
	}

	/** Nothing was sent: an instance's token goes to its CRM hub and nowhere else. */
	private refusedHubCall(problem: string, itemIndex: number): NodeOperationError {
		return new NodeOperationError(
			this.ctx.getNode(),
			`A call through an instance was refused before it was sent: ${problem} [item ${itemIndex}]`,
			{
				itemIndex,
				description: `Calls through an instance may only reach ${HUB}/… under the API Root. Check the Path (leave out "..", percent-encoded dots, slashes or backslashes, and control characters) and any ID mapped into it.`,
			},
		);
	}

	private async send(req: PlatformRequest, url: string): Promise<Outcome> {
		// The helper's own timeout only bounds silence between bytes; this bounds the whole try.
		const deadline = AbortSignal.timeout(this.policy.timeoutMs);
		const cancel = this.ctx.getExecutionCancelSignal?.();
		const options: IHttpRequestOptions = {
			method: req.method,
			url,
			headers: {
				Authorization: req.elementToken
					? authorizationHeader(this.account, req.elementToken)
					: this.authorization,
				Accept: 'application/json',
				...(req.body ? { 'Content-Type': 'application/json' } : {}),
			},
			body: req.body ? JSON.stringify(req.body) : undefined,
			json: false,
			encoding: 'text',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			timeout: this.policy.timeoutMs,
			abortSignal: cancel ? AbortSignal.any([deadline, cancel]) : deadline,
		};
		try {
			const raw = (await this.ctx.helpers.httpRequest(options)) as {
				statusCode: number;
				body: unknown;
				headers: unknown;
			};
			return {
				response: {
					statusCode: raw.statusCode,
					body: parseBody(raw.body),
					headers: lowerCaseHeaders(raw.headers),
				},
			};
		} catch (error) {
			if (cancel?.aborted)
				throw new NodeOperationError(this.ctx.getNode(), 'The execution was cancelled');
			return { failure: networkFailure(error, deadline.aborted) };
		}
	}

	apiError(
		message: string,
		description: string,
		status: number | undefined,
		itemIndex: number,
	): NodeApiError {
		return apiError(this.ctx.getNode(), message, description, status, itemIndex);
	}
}

/** How `sendOnce` learns what a call whose answer was lost did. */
export interface SendOnce {
	/** What the call would have made, if it is there now. */
	lookUp?: () => Promise<IDataObject | undefined>;
	/** Without `lookUp`: what the user should check, added to the error. */
	ifUnknown?: string;
}

/** The platform for one item: its index and its redactor are bound, so calls name neither. */
export class Platform {
	constructor(
		private readonly transport: CloudElementsTransport,
		readonly itemIndex: number,
		readonly redactor: Redactor,
	) {}

	get policy(): RetryPolicy {
		return this.transport.policy;
	}

	async request<T = unknown>(req: PlatformRequest): Promise<PlatformResponse<T>> {
		return await this.transport.request<T>(req, this.itemIndex, this.redactor);
	}

	/**
	 * Sends a call that must not be sent twice (it creates something or spends a single-use
	 * code): at most once, as far as anyone can tell. When its answer is lost, `lookUp` looks at
	 * the platform for what the call would have made: found, that is the answer; not found, the
	 * call is sent again (at most Max Retries times). Without `lookUp` the outcome stays unknown
	 * and the error says so with `ifUnknown`.
	 */
	async sendOnce(req: PlatformRequest, once: SendOnce = {}): Promise<IDataObject> {
		for (let attempt = 0; ; attempt++) {
			// Only a lost answer is caught here; every other failure goes on to the caller as it is.
			const sent = await this.request<IDataObject>({ ...req, unsafeToRepeat: true }).then(
				(response) => ({ answer: response.body }),
				(error: unknown) => {
					if (error instanceof OutcomeUnknownError) return { unknown: error.cause };
					throw error;
				},
			);
			if ('answer' in sent) return sent.answer;
			if (!once.lookUp) {
				if (once.ifUnknown)
					sent.unknown.description = `${sent.unknown.description ?? ''} ${once.ifUnknown}`.trim();
				throw sent.unknown;
			}
			const found = await once.lookUp();
			if (found) return found;
			if (attempt >= this.policy.maxRetries) throw sent.unknown;
			await this.transport.clock.sleep(backoffMs(attempt));
		}
	}

	/** An error about the platform's answers that no single call shows (e.g. endless paging). */
	error(message: string, description: string): NodeApiError {
		return this.transport.apiError(
			this.redactor.text(message),
			this.redactor.text(description),
			undefined,
			this.itemIndex,
		);
	}
}

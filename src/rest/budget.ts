import { HttpError } from '../shared';

const kBudgetSpent = Symbol.for('n8n-nodes-zendesk-chat.RestBudgetSpentError');

/**
 * A call made with `waitForBudget: false` that was not sent, or was refused with 429, because the
 * credential's 200 requests a minute (NOTES.md section 3) had no room. It is an HttpError 429, the
 * answer Zendesk gives a request over the limit, so code that handles a 429 handles it too; `sent`
 * says whether the request reached Zendesk.
 */
export class RestBudgetSpentError extends HttpError {
	constructor(
		readonly sent: boolean,
		message: string,
		retryAfterMs: number | undefined,
		body: unknown = undefined,
		headers: Record<string, string | string[] | undefined> = {},
	) {
		super('rest', 429, message, body, headers, retryAfterMs);
		this.name = 'RestBudgetSpentError';
		Object.defineProperty(this, kBudgetSpent, { value: true });
	}

	static [Symbol.hasInstance](value: unknown): boolean {
		return (
			typeof value === 'object' &&
			value !== null &&
			(value as Record<symbol, unknown>)[kBudgetSpent] === true
		);
	}
}

/** The credential's Chat REST budget as this process sees it (its shared rate limiter). */
export interface RestBudget {
	/** Requests that could be sent at once now (0 while other calls wait for a turn). */
	remaining: number;
	/** Requests allowed per window (200 a minute by default). */
	limit: number;
	windowMs: number;
}

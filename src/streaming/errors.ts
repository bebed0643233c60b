import { ZendeskError } from '../shared/errors';

/**
 * The Streaming API answered a frame with a `status_code` other than 200 (NOTES.md section 4:
 * "Errors carry status_code ≠ 200 plus a message"; zendesk-go reads 401 as "unauthenticated" and
 * 500 as "unsupported message sent"). `topic` is set when the server named the topic it concerns.
 */
export class StreamingStatusError extends ZendeskError {
	constructor(
		readonly statusCode: number,
		readonly serverMessage: string | undefined,
		readonly topic: string | undefined,
		readonly raw: unknown,
	) {
		super(
			'ZCHAT_ERR_STREAMING_STATUS',
			`the Streaming API answered status_code ${statusCode}${serverMessage ? `: ${serverMessage}` : ''}`,
			// 500 means "unsupported message sent" (our request was wrong): sending it again won't help.
			{
				api: 'streaming',
				retryable: statusCode === 429 || (statusCode >= 502 && statusCode <= 504),
			},
		);
		this.name = 'StreamingStatusError';
	}

	static [Symbol.hasInstance](value: unknown): boolean {
		return (
			value instanceof ZendeskError && (value as ZendeskError).code === 'ZCHAT_ERR_STREAMING_STATUS'
		);
	}
}

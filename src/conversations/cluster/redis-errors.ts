import { ConnectionError, ZendeskError } from '../../shared';

/** Runs a Redis step; a failure that is not already ours becomes a ConnectionError naming Redis. */
export async function withRedis<T>(run: () => Promise<T>): Promise<T> {
	try {
		return await run();
	} catch (error) {
		throw error instanceof ZendeskError ? error : redisError(error);
	}
}

export function redisError(error: unknown): ConnectionError {
	const message = error instanceof Error ? error.message : String(error);
	return new ConnectionError(
		'conversations',
		`n8n's Redis (queue mode) could not be reached for the agent session: ${message}`,
		error,
	);
}

/** A command that timed out may still have reached Redis (a relayed request may be on its way): not safe to repeat. */
export function isAmbiguousRedisError(error: unknown): boolean {
	return error instanceof Error && /timed out/i.test(error.message);
}

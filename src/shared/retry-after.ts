/**
 * One reading of Retry-After for every client in src/ (REST, Streaming, Messaging).
 *
 * Reads a Retry-After header: either delay-seconds or an HTTP date (RFC 9110 section 10.2.3), as
 * undici's RetryHandler does. Returns milliseconds to wait, or undefined when absent or unreadable.
 */
export function parseRetryAfter(
	value: string | string[] | undefined,
	now: number = Date.now(),
): number | undefined {
	const raw = (Array.isArray(value) ? value[0] : value)?.trim();
	if (!raw) return undefined;
	if (/^\d+$/.test(raw)) return Number(raw) * 1000;
	// An HTTP date always names its day and month ("Wed, 21 Oct 2015 07:28:00 GMT"); "-1" is not one.
	if (!/[A-Za-z]/.test(raw)) return undefined;
	const date = Date.parse(raw);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - now);
}

/**
 * An API time as ISO 8601, or null. The Conversations API's `timestamp` is epoch milliseconds
 * (unverified unit): a number below 1e11 is taken as seconds, a text that is not a number is
 * parsed as a date.
 */
export function isoTime(value: unknown): string | null {
	if (value === null || value === undefined || value === '') return null;
	const numeric = typeof value === 'number' ? value : /^\d+(\.\d+)?$/.test(String(value)) ? Number(value) : Number.NaN;
	const ms = Number.isFinite(numeric) ? (numeric < 1e11 ? numeric * 1000 : numeric) : Date.parse(String(value));
	return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

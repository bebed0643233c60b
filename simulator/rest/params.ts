import { badRequest } from './errors';

/**
 * An optional non-negative integer query parameter. Present but not an integer, or below `min`,
 * is a 400 naming the parameter; above `max` is clamped to `max` (the documented maxima read
 * "default and max", and public clients ask for more, e.g. singer's agents limit of 500).
 */
export function integerParam(
	url: URL,
	name: string,
	bounds: { min: number; max?: number },
): number | undefined {
	const raw = url.searchParams.get(name);
	if (raw === null) return undefined;
	if (!/^\d{1,15}$/.test(raw)) throw badRequest(`${name} must be an integer, not "${raw}"`);
	const value = Number(raw);
	if (value < bounds.min) throw badRequest(`${name} must be at least ${bounds.min}`);
	return bounds.max !== undefined ? Math.min(value, bounds.max) : value;
}

/** A comma-separated id list (`ids=a,b,c`): trimmed, empty items dropped, duplicates removed. */
export function idList(raw: string): string[] {
	return [
		...new Set(
			raw
				.split(',')
				.map((id) => id.trim())
				.filter(Boolean),
		),
	];
}

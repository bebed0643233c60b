/**
 * An event's field names and JSON types, never its values: a chat event holds customer data
 * (their words, email, IP), and a bug report only needs to know which fields came and how.
 * `{ id: 'x', from: { __typename: 'Visitor' }, options: null, tags: ['a'] }` reads
 * `{ id: string, from: { __typename: string }, options: null, tags: string[] }`.
 */
export function shapeOf(value: unknown, depth = 0): string {
	if (value === null) return 'null';
	if (value === undefined) return 'undefined';
	if (Array.isArray(value)) {
		if (value.length === 0) return '[]';
		const kinds = [...new Set(value.map((item) => shapeOf(item, depth + 1)))];
		return kinds.length === 1 ? `${wrap(kinds[0])}[]` : `(${kinds.join(' | ')})[]`;
	}
	if (typeof value === 'object') {
		if (depth > 8) return '{…}';
		const entries = Object.entries(value as Record<string, unknown>);
		if (entries.length === 0) return '{}';
		return `{ ${entries.map(([key, v]) => `${safeKey(key)}: ${shapeOf(v, depth + 1)}`).join(', ')} }`;
	}
	return typeof value;
}

function wrap(kind: string): string {
	return kind.startsWith('{') || /^[a-z]+$/.test(kind) || kind === '[]' || kind.endsWith('[]')
		? kind
		: `(${kind})`;
}

/** Field names come from the schema, but a key is data too: anything unusual is not shown as is. */
function safeKey(key: string): string {
	return /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(key) ? key : '<key>';
}

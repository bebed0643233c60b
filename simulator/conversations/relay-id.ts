/**
 * Relay global ids. NOTES.md section 1: `W1sibG9jYWxJZCIsIjY3MTcxNzQ4ODgiXSxbInR5cGUiLCJBR0VOVCJdXQ==`
 * is base64 of `[["localId","6717174888"],["type","AGENT"]]`; they are not the REST API's ids.
 * Only AGENT is attested; the other type names are (unverified) the same pattern.
 */
export type RelayType = 'AGENT' | 'DEPARTMENT' | 'CHANNEL' | 'VISITOR' | 'MESSAGE' | 'CHAT_LOG';

export function encodeRelayId(type: RelayType, localId: string | number): string {
	return Buffer.from(
		JSON.stringify([
			['localId', String(localId)],
			['type', type],
		]),
		'utf8',
	).toString('base64');
}

/** The local id inside a Relay id of `type`, or undefined when it is not one (e.g. a REST id). */
export function decodeRelayId(id: string, type: RelayType): string | undefined {
	if (!/^[A-Za-z0-9+/]+={0,2}$/.test(id)) return undefined;
	let parsed: unknown;
	try {
		parsed = JSON.parse(Buffer.from(id, 'base64').toString('utf8'));
	} catch {
		return undefined;
	}
	if (!Array.isArray(parsed)) return undefined;
	const fields = new Map<string, unknown>();
	for (const pair of parsed) {
		if (Array.isArray(pair) && pair.length === 2 && typeof pair[0] === 'string')
			fields.set(pair[0], pair[1]);
	}
	const localId = fields.get('localId');
	if (fields.get('type') !== type || typeof localId !== 'string') return undefined;
	return localId;
}

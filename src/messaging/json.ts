/** JSON.parse without exceptions: parse failures are an expected outcome for bodies from the network. */
export function tryParseJson(text: string): { ok: true; value: unknown } | { ok: false } {
	try {
		return { ok: true, value: JSON.parse(text) };
	} catch {
		return { ok: false };
	}
}

/**
 * An AbortSignal that aborts when any of the given ones does, with a `dispose` that removes its
 * listeners. Written out instead of AbortSignal.any because the client's own close signal lives as
 * long as the client, and AbortSignal.any keeps a reference per combined signal on it (Node 20).
 */
export interface LinkedSignal {
	readonly signal: AbortSignal;
	dispose(): void;
}

export function linkSignals(...sources: Array<AbortSignal | undefined>): LinkedSignal {
	const controller = new AbortController();
	const present = sources.filter((s): s is AbortSignal => s !== undefined);
	const onAbort = () => controller.abort();
	const dispose = () => {
		for (const source of present) source.removeEventListener('abort', onAbort);
	};
	for (const source of present) {
		if (source.aborted) {
			controller.abort();
			dispose();
			break;
		}
		source.addEventListener('abort', onAbort, { once: true });
	}
	return { signal: controller.signal, dispose };
}

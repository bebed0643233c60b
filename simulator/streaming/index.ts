import type { SimContext, SimModule } from '../module';

/** Placeholder until the streaming API is built: serves nothing. */
export function createStreamingModule(_ctx: SimContext) {
	const module: SimModule = {
		api: 'streaming',
		handles: () => false,
		handleRequest: async () => undefined,
		control: {},
		close: async () => undefined,
	};
	return module;
}

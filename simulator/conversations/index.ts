import type { SimContext, SimModule } from '../module';

/** Placeholder until the conversations API is built: serves nothing. */
export function createConversationsModule(_ctx: SimContext) {
	const module: SimModule = {
		api: 'conversations',
		handles: () => false,
		handleRequest: async () => undefined,
		control: {},
		close: async () => undefined,
	};
	return module;
}

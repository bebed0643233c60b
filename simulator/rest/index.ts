import type { SimContext, SimModule } from '../module';

/** Placeholder until the rest API is built: serves nothing. */
export function createRestModule(_ctx: SimContext) {
	const module: SimModule = {
		api: 'rest',
		handles: () => false,
		handleRequest: async () => undefined,
		control: {},
		close: async () => undefined,
	};
	return module;
}

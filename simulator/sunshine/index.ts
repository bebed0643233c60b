import type { SimContext, SimModule } from '../module';

/** Placeholder until the sunshine API is built: serves nothing. */
export function createSunshineModule(_ctx: SimContext) {
	const module: SimModule = {
		api: 'sunshine',
		handles: () => false,
		handleRequest: async () => undefined,
		control: {},
		close: async () => undefined,
	};
	return module;
}

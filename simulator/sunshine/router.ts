import type { Caller } from './types';

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface RouteRequest {
	params: Record<string, string>;
	query: URLSearchParams;
	/** The parsed JSON body; undefined when there was none. */
	body: unknown;
	caller: Caller;
}

export interface RouteResult {
	status: number;
	body: unknown;
}

export interface Route {
	method: Method;
	/** Below /v2/apps/{appId}; `:name` segments are parameters. */
	path: string;
	/**
	 * Scopes that may call it (openapi.yaml `security` of each operation; the account scope does not
	 * exist on Zendesk, NOTES.md section 5).
	 */
	scopes: ReadonlyArray<Caller['scope']>;
	handle(request: RouteRequest): RouteResult | Promise<RouteResult>;
}

/** Both scopes: users, conversations, messages, switchboard actions and webhooks. */
export const ANY_SCOPE = ['app', 'integration'] as const;
/** App scope only: integrations, their keys, switchboards. */
export const APP_SCOPE = ['app'] as const;

export type RouteMatch =
	| { route: Route; params: Record<string, string> }
	| { methodNotAllowed: true }
	| undefined;

export function matchRoute(routes: Route[], method: string, segments: string[]): RouteMatch {
	let pathMatched = false;
	for (const route of routes) {
		const pattern = route.path.split('/');
		if (pattern.length !== segments.length) continue;
		const params: Record<string, string> = {};
		const fits = pattern.every((part, i) => {
			if (part.startsWith(':')) {
				params[part.slice(1)] = segments[i];
				return segments[i].length > 0;
			}
			return part === segments[i];
		});
		if (!fits) continue;
		pathMatched = true;
		if (route.method === method) return { route, params };
	}
	return pathMatched ? { methodNotAllowed: true } : undefined;
}

export const ok = (body: unknown): RouteResult => ({ status: 200, body });
export const created = (body: unknown): RouteResult => ({ status: 201, body });

import { SIM_TOKENS, type Simulator } from '../../simulator';

export interface RestAnswer {
	status: number;
	headers: Headers;
	/** Parsed JSON, or undefined for an empty body. */
	body: any;
}

/** A bare HTTP client for the simulated Chat REST API, over a real socket (global fetch). */
export function restClient(sim: Simulator, defaultToken: string | null = SIM_TOKENS.bot) {
	return async function call(
		method: string,
		pathOrUrl: string,
		options: {
			token?: string | null;
			body?: unknown;
			rawBody?: string;
			authorization?: string;
		} = {},
	): Promise<RestAnswer> {
		const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${sim.urls.rest}${pathOrUrl}`;
		const token = options.token === undefined ? defaultToken : options.token;
		const headers: Record<string, string> = {};
		if (options.authorization !== undefined) headers.authorization = options.authorization;
		else if (token !== null) headers.authorization = `Bearer ${token}`;
		let body: string | undefined;
		if (options.rawBody !== undefined) body = options.rawBody;
		else if (options.body !== undefined) body = JSON.stringify(options.body);
		if (body !== undefined) headers['content-type'] = 'application/json';
		const res = await fetch(url, { method, headers, body });
		const text = await res.text();
		return {
			status: res.status,
			headers: res.headers,
			body: text === '' ? undefined : JSON.parse(text),
		};
	};
}

/** GETs `first`, then each next link `nextOf(body)` gives, until it gives none; returns every body. */
export async function walk(
	call: ReturnType<typeof restClient>,
	first: string,
	nextOf: (body: any) => string | null | undefined,
	maxPages = 500,
): Promise<any[]> {
	const bodies: any[] = [];
	let next: string | null | undefined = first;
	while (next) {
		const answer = await call('GET', next);
		if (answer.status !== 200)
			throw new Error(`GET ${next} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
		bodies.push(answer.body);
		if (bodies.length > maxPages) throw new Error(`more than ${maxPages} pages`);
		next = nextOf(answer.body);
	}
	return bodies;
}

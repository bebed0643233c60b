import { SIM_SUPPORT, type Simulator } from '../../simulator';

/** Test helpers for the simulated Zendesk Support API: the credentials' headers and a caller. */

/** Basic auth as n8n's zendeskApi credential sends it: `{email}/token` and the API token. */
export function apiTokenAuth(
	email: string = SIM_SUPPORT.email,
	apiToken: string = SIM_SUPPORT.apiToken,
): string {
	return `Basic ${Buffer.from(`${email}/token:${apiToken}`).toString('base64')}`;
}

export const bearer = (token: string = SIM_SUPPORT.oauthToken) => `Bearer ${token}`;

export interface SupportAnswer {
	status: number;
	body: any;
	headers: Headers;
}

/** GET {support base}{path} with `authorization` (none when null). */
export async function supportGet(
	sim: Simulator,
	path: string,
	authorization: string | null = apiTokenAuth(),
): Promise<SupportAnswer> {
	const res = await fetch(`${sim.urls.support}${path}`, {
		headers: authorization ? { authorization } : {},
	});
	const text = await res.text();
	return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

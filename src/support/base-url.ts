import { InvalidInputError } from '../shared/errors';

const SUBDOMAIN = /^[a-z0-9][a-z0-9-]{0,62}$/i;
const API_PATH = '/api/v2';

/**
 * The Support API base (`https://{subdomain}.zendesk.com/api/v2`, as n8n's own Zendesk node builds
 * it in GenericFunctions.ts `getUri`) from the Subdomain of n8n's Zendesk credentials.
 *
 * Those credentials have no host field, so a Subdomain that is a whole http(s) URL is taken as the
 * host instead: a proxy, a test server or the local simulator (`http://127.0.0.1:4010`). `/api/v2`
 * is added unless the URL already ends with it. `acme.zendesk.com` is accepted for `acme`.
 * @throws InvalidInputError naming the credential's Subdomain when it is neither.
 */
export function supportBaseUrl(subdomain: string | undefined): string {
	const raw = (subdomain ?? '').trim();
	if (/^https?:\/\//i.test(raw)) {
		let url: URL;
		try {
			url = new URL(raw);
		} catch {
			throw invalidSubdomain(raw);
		}
		const path = url.pathname.replace(/\/+$/, '');
		return `${url.origin}${path.endsWith(API_PATH) ? path : `${path}${API_PATH}`}`;
	}
	const name = raw.replace(/\.zendesk\.com$/i, '');
	if (!SUBDOMAIN.test(name)) throw invalidSubdomain(raw);
	return `https://${name.toLowerCase()}.zendesk.com${API_PATH}`;
}

function invalidSubdomain(raw: string): InvalidInputError {
	return new InvalidInputError(
		'Subdomain (Zendesk Support credential)',
		`The Zendesk Support credential's Subdomain "${raw}" is neither a Zendesk subdomain nor an http(s) URL`,
		'Set it to the part before .zendesk.com, e.g. "acme" for acme.zendesk.com (or a full URL such as http://127.0.0.1:4010 for a proxy or the simulator).',
	);
}

import {
	NodeApiError,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type INodeProperties,
	type JsonObject,
} from 'n8n-workflow';

import { InvalidInputError } from '../../src/shared/errors';
import {
	SupportClient,
	supportBaseUrl,
	type SupportResponse,
	type SupportTransport,
} from '../../src/support';

/**
 * The optional Zendesk Support API credential behind the Escalate pickers. It reuses n8n's own
 * built-in Zendesk credentials (n8n-nodes-base `zendeskApi`: subdomain, email, API token, sent as
 * basic auth `{email}/token:{apiToken}`; `zendeskOAuth2Api`: an OAuth2 client with the subdomain),
 * so a user who already has one for n8n's Zendesk node picks it again instead of creating another.
 */
export type SupportAuthentication = 'none' | 'apiToken' | 'oAuth2';

/** The built-in credential type of each choice (the values n8n's Zendesk node uses for it). */
export function supportCredentialType(authentication: 'apiToken' | 'oAuth2'): string {
	return authentication === 'oAuth2' ? 'zendeskOAuth2Api' : 'zendeskApi';
}

export const SUPPORT_AUTHENTICATION_LABEL = 'Support API Credential';

export const supportAuthenticationProperty: INodeProperties = {
	displayName: SUPPORT_AUTHENTICATION_LABEL,
	name: 'supportAuthentication',
	type: 'options',
	options: [
		{
			name: 'None (Enter IDs)',
			value: 'none',
			description: 'Type the numeric IDs of groups, agents, brands and so on',
		},
		{
			name: 'API Token',
			value: 'apiToken',
			description: "Pick them from lists, with n8n's Zendesk API credential (email and API token)",
		},
		{
			name: 'OAuth2',
			value: 'oAuth2',
			description: "Pick them from lists, with n8n's Zendesk OAuth2 API credential",
		},
	],
	default: 'none',
	description:
		"Optional: a Zendesk Support credential (the one n8n's Zendesk node uses) fills the Ticket Fields pickers with your groups, agents, brands, organizations, ticket forms and custom fields. It only reads; the handoff itself still goes through Zendesk Messaging.",
};

type SupportContext = ILoadOptionsFunctions | IExecuteFunctions;

/**
 * A client for the node's chosen Support credential.
 * @throws InvalidInputError naming the Support API Credential when none is chosen or it cannot be read.
 */
export async function supportClient(
	ctx: SupportContext,
	authentication: SupportAuthentication,
): Promise<SupportClient> {
	if (authentication !== 'apiToken' && authentication !== 'oAuth2') {
		throw new InvalidInputError(
			SUPPORT_AUTHENTICATION_LABEL,
			'No Support API Credential is chosen: this list comes from the Zendesk Support API',
			"Set Support API Credential to API Token or OAuth2 and select your Zendesk credential (n8n's Zendesk API or Zendesk OAuth2 API), or switch the field to By ID and type the numeric ID.",
		);
	}
	const type = supportCredentialType(authentication);
	let subdomain: unknown;
	try {
		({ subdomain } = await ctx.getCredentials(type));
	} catch (error) {
		throw credentialProblem(error);
	}
	return new SupportClient({
		baseUrl: supportBaseUrl(typeof subdomain === 'string' ? subdomain : undefined),
		transport: n8nTransport(ctx, type),
	});
}

/**
 * Requests through n8n's httpRequestWithAuthentication, so that n8n applies the credential (and
 * renews an OAuth2 token when Zendesk answers 401, which it only does for a request that fails):
 * a failed request's answer is taken back out of the error n8n throws.
 */
function n8nTransport(ctx: SupportContext, type: string): SupportTransport {
	return async ({ method, url, signal }) => {
		const options: IHttpRequestOptions = { method, url, json: true, returnFullResponse: true };
		if (signal) options.abortSignal = signal;
		try {
			const response = (await ctx.helpers.httpRequestWithAuthentication.call(
				ctx,
				type,
				options,
			)) as {
				statusCode: number;
				headers?: SupportResponse['headers'];
				body: unknown;
			};
			return { status: response.statusCode, headers: response.headers ?? {}, body: response.body };
		} catch (error) {
			const answer = answerOf(error);
			if (answer) return answer;
			const cause = (error as { cause?: unknown }).cause;
			if (isN8nSetupError(cause)) throw credentialProblem(cause);
			// No answer at all (refused, reset, aborted): the client reports it as a connection failure.
			throw new NodeApiError(ctx.getNode(), error as JsonObject);
		}
	};
}

/**
 * The HTTP answer inside a failed request's error: n8n wraps the HTTP client's error (which holds
 * `response`) in a NodeApiError as its `cause`, in n8n 1.x and 2.x alike.
 */
function answerOf(error: unknown): SupportResponse | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
		const response = (
			current as {
				response?: { status?: unknown; headers?: unknown; data?: unknown; body?: unknown };
			}
		).response;
		if (response && typeof response.status === 'number') {
			return {
				status: response.status,
				headers: (typeof response.headers === 'object' && response.headers !== null
					? response.headers
					: {}) as SupportResponse['headers'],
				body: response.data ?? response.body,
			};
		}
		current = (current as { cause?: unknown }).cause;
	}
	// Failing that, the status n8n put on its own error (and the body it kept, if any).
	const { httpCode, context } = (error ?? {}) as {
		httpCode?: unknown;
		context?: { data?: unknown };
	};
	const status = Number(httpCode);
	if (Number.isInteger(status) && status >= 400 && status <= 599)
		return { status, headers: {}, body: context?.data };
	return undefined;
}

/** n8n's own refusals before any request: no credential selected, an OAuth2 credential never connected. */
function isN8nSetupError(error: unknown): boolean {
	const name = (error as { constructor?: { name?: string } } | undefined)?.constructor?.name;
	return name === 'NodeOperationError' || name === 'UserError';
}

function credentialProblem(error: unknown): InvalidInputError {
	const message = error instanceof Error ? error.message : String(error);
	return new InvalidInputError(
		SUPPORT_AUTHENTICATION_LABEL,
		`The Zendesk Support credential cannot be used: ${message}`,
		'Select a Zendesk credential for the Support API Credential chosen (for OAuth2, connect it first), or set Support API Credential to None and type the IDs.',
	);
}

import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	ILoadOptionsFunctions,
	ITriggerFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';

import { MessagingClient } from '../../src/messaging/client';
import { credentialKey, staticToken, type TokenProvider } from '../../src/shared/credentials';
import { InvalidInputError } from '../../src/shared/errors';
import {
	chatEndpoints,
	messagingBaseUrl,
	type ChatEndpoints,
	type ChatHost,
	type MessagingHost,
} from '../../src/shared/endpoints';

/** Node contexts that can read credentials and make authenticated requests. */
export type CredentialContext =
	| IExecuteFunctions
	| ITriggerFunctions
	| ILoadOptionsFunctions
	| IHookFunctions
	| IWebhookFunctions;

export type ChatAuthentication = 'accessToken' | 'oAuth2';

/** The credential type a node's Authentication parameter selects. */
export function chatCredentialType(authentication: ChatAuthentication): string {
	return authentication === 'oAuth2' ? 'zendeskChatOAuth2Api' : 'zendeskChatApi';
}

export interface ChatConnection {
	endpoints: ChatEndpoints;
	tokens: TokenProvider;
	/**
	 * Identifies the agent for the session pool and the shared rate limits, never the token in
	 * clear: a hash of the token for a pre-issued token (two credentials with one token are one
	 * agent), of the n8n credential for OAuth2 (whose token changes on every refresh).
	 */
	credentialKey: string;
}

/** Reads a Zendesk Chat credential and turns it into what the core clients take. */
export async function chatConnection(
	ctx: CredentialContext,
	authentication: ChatAuthentication,
): Promise<ChatConnection> {
	const type = chatCredentialType(authentication);
	const credentials = await ctx.getCredentials(type);
	const endpoints = chatEndpoints({
		host: (credentials.host as ChatHost | undefined) ?? 'zendesk',
		subdomain: credentials.subdomain as string | undefined,
		customBaseUrl: credentials.customBaseUrl as string | undefined,
	});
	if (authentication === 'accessToken') {
		const token = String(credentials.accessToken ?? '').trim();
		if (token === '') {
			// Refused here, before any request: Zendesk would only answer "unauthorized".
			throw new InvalidInputError(
				'Access Token (credential)',
				'The Zendesk Chat credential has no access token',
				'Open the credential and paste a Chat OAuth access token with the scopes read, write and chat.',
			);
		}
		return {
			endpoints,
			tokens: staticToken(token),
			credentialKey: credentialKey(type, endpoints.restBaseUrl, token),
		};
	}
	const credentialId = ctx.getNode().credentials?.[type]?.id ?? String(credentials.clientId ?? '');
	return {
		endpoints,
		tokens: oauth2Tokens(ctx, type, endpoints),
		credentialKey: credentialKey(type, endpoints.restBaseUrl, credentialId),
	};
}

/**
 * Tokens of an OAuth2 credential, kept fresh by n8n: only n8n's request helper can refresh an
 * OAuth2 token and store it (it does so when an API answers 401, and fetches the first token of a
 * client-credentials grant), so `refresh` makes one cheap authenticated REST call and then reads
 * the credential again (ARCHITECTURE.md: "the core takes a token provider").
 */
function oauth2Tokens(
	ctx: CredentialContext,
	type: string,
	endpoints: ChatEndpoints,
): TokenProvider {
	const read = async () => accessTokenOf(await ctx.getCredentials(type));
	const refresh = async () => {
		await ctx.helpers.httpRequestWithAuthentication.call(ctx, type, {
			method: 'GET',
			url: `${endpoints.restBaseUrl}/agents/me`,
			json: true,
		});
		const token = await read();
		if (!token)
			throw new Error('n8n holds no OAuth2 access token for this credential: connect it again');
		return token;
	};
	return { getToken: async () => (await read()) ?? (await refresh()), refresh };
}

function accessTokenOf(credentials: ICredentialDataDecryptedObject): string | undefined {
	const data = credentials.oauthTokenData as IDataObject | undefined;
	const token = data?.access_token;
	return typeof token === 'string' && token ? token : undefined;
}

export interface MessagingConnection {
	client: MessagingClient;
	appId: string;
	credentialKey: string;
}

/** Reads a Zendesk Messaging credential and opens a client on it (close it when done). */
export async function messagingConnection(
	ctx: CredentialContext,
	options: { originTag?: string; deadlineMs?: number; signal?: AbortSignal } = {},
): Promise<MessagingConnection> {
	const credentials = await ctx.getCredentials('zendeskMessagingApi');
	const baseUrl = messagingBaseUrl({
		host: (credentials.host as MessagingHost | undefined) ?? 'zendesk',
		subdomain: credentials.subdomain as string | undefined,
		customBaseUrl: credentials.customBaseUrl as string | undefined,
	});
	const appId = String(credentials.appId ?? '');
	const keyId = String(credentials.keyId ?? '');
	const client = new MessagingClient({
		baseUrl,
		appId,
		auth: {
			type: credentials.authType === 'jwt' ? 'jwt' : 'basic',
			keyId,
			keySecret: String(credentials.keySecret ?? ''),
		},
		originTag: options.originTag,
		deadlineMs: options.deadlineMs,
		signal: options.signal,
	});
	return {
		client,
		appId,
		credentialKey: credentialKey('zendeskMessagingApi', baseUrl, appId, keyId),
	};
}

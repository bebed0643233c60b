import type { ICredentialDataDecryptedObject, ICredentialType } from 'n8n-workflow';

import { ZendeskChatApi } from '../../credentials/ZendeskChatApi.credentials';
import { ZendeskChatOAuth2Api } from '../../credentials/ZendeskChatOAuth2Api.credentials';
import { SIM_OAUTH_CLIENT, SIM_TOKENS, type Simulator } from '../../simulator';
import { credentialKey } from '../../src/shared/credentials';

/** Both Zendesk Chat credential types (and n8n's oAuth2Api parent, so n8n treats one as OAuth2). */
export function chatCredentialTypes(): Record<string, ICredentialType> {
	return {
		oAuth2Api: { name: 'oAuth2Api', displayName: 'OAuth2', properties: [] },
		zendeskChatApi: new ZendeskChatApi(),
		zendeskChatOAuth2Api: new ZendeskChatOAuth2Api(),
	};
}

/**
 * Both Zendesk Chat credentials pointed at the simulator: an access token, and OAuth2 with the
 * simulator's client (client-credentials grant; n8n fetches the token on first use).
 */
export function chatCredentialsFor(
	sim: Simulator,
	accessToken: string = SIM_TOKENS.bot,
): Record<string, ICredentialDataDecryptedObject> {
	return {
		zendeskChatApi: { accessToken, host: 'custom', customBaseUrl: sim.urls.base },
		zendeskChatOAuth2Api: {
			grantType: 'clientCredentials',
			host: 'custom',
			customBaseUrl: sim.urls.base,
			clientId: SIM_OAUTH_CLIENT.clientId,
			clientSecret: SIM_OAUTH_CLIENT.clientSecret,
			accessTokenUrl: `${sim.urls.base}/oauth2/chat/token`,
			authUrl: `${sim.urls.base}/oauth2/chat/authorizations/new`,
			scope: 'read write chat',
			authentication: 'body',
		},
	};
}

/**
 * The session pool key the nodes use for the simulator's agent `agentId` (nodes/shared/sessionPool.ts:
 * keyed by the agent that GET /agents/me names, so two credentials of one agent share a session).
 */
export function simAgentKey(sim: Simulator, agentId: number): string {
	return credentialKey('zendeskChatAgent', sim.urls.rest, String(agentId));
}

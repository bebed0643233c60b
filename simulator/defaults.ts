/**
 * The simulated account that every test, the demo and offline users start from. Names are
 * exported so that tests, the demo and the README all speak of the same agent, token and app.
 */
export const SIM_SUBDOMAIN = 'sim';
export const SIM_ACCOUNT_ID = 10001;

/** Agent ids are the Chat REST API's numeric ids (not the Conversations API's Relay ids). */
export const SIM_BOT_AGENT_ID = 1001;
export const SIM_HUMAN_AGENT_ID = 1002;

/** OAuth access tokens (Chat OAuth: scopes read write chat are needed by the Conversations API). */
export const SIM_TOKENS = {
	/** The bot agent, scopes read write chat: everything works. */
	bot: 'sim-token-bot',
	/** The human agent, scopes read write chat. */
	human: 'sim-token-human',
	/** The bot agent with scope read only: REST and Streaming work, startAgentSession is FORBIDDEN. */
	readOnly: 'sim-token-read-only',
	/** A token that was revoked: every API answers as for an invalid token. */
	revoked: 'sim-token-revoked',
} as const;

export const SIM_DEPARTMENTS = {
	sales: 2001,
	support: 2002,
	billing: 2003,
} as const;

/** Sunshine Conversations (Zendesk Messaging) app and its app-scope API key. */
export const SIM_SUNSHINE = {
	appId: '5f0a1b2c3d4e5f6a7b8c9d0e',
	keyId: 'app_5f0a1b2c3d4e5f6a7b8c9d0f',
	keySecret: 'sim-sunshine-secret-0123456789abcdef',
	/** The bot's own switchboard integration, which has control of new conversations. */
	botIntegrationName: 'bot',
	/** Zendesk's agent workspace, which creates the ticket when it gets control. */
	agentWorkspaceName: 'zd-agentWorkspace',
} as const;

/** The Chat OAuth client (Zendesk Chat › Settings › Account › API & SDKs › Add API client). */
export const SIM_OAUTH_CLIENT = {
	clientId: 'sim-chat-oauth-client',
	clientSecret: 'sim-chat-oauth-client-secret',
	/** Tokens it issues act as this agent. */
	agentId: SIM_BOT_AGENT_ID,
	/** NOTES.md section 2: the documented token example expires 10 hours after creation. */
	tokenLifetimeSeconds: 10 * 3600,
} as const;

/**
 * Zendesk Support API (the Escalate pickers' optional credential: n8n's built-in zendeskApi /
 * zendeskOAuth2Api). The account's API token works with the email of any active agent or admin
 * (basic auth `{email}/token:{apiToken}`); the OAuth tokens act as the admin. In n8n, put the
 * simulator's URL (e.g. http://127.0.0.1:4010) in the credential's Subdomain: a URL is taken as the
 * host.
 */
export const SIM_SUPPORT = {
	subdomain: SIM_SUBDOMAIN,
	/** The account owner, an admin. */
	email: 'ada.admin@sim-support.example',
	apiToken: 'sim-support-api-token-6f1c2d9e4b7a',
	/** An OAuth access token with the scopes read write, acting as the admin. */
	oauthToken: 'sim-support-oauth-token-read-write',
	/** An OAuth access token with the scope write only: every read is 403. */
	writeOnlyOauthToken: 'sim-support-oauth-token-write-only',
	/**
	 * An agent whose custom role only reaches users of their own organization: listing
	 * organizations is 403 for them (Organizations API, "List Organizations", Allowed For).
	 */
	restrictedAgentEmail: 'rita.restricted@sim-support.example',
	/** An end user: the API token does not let them in. */
	endUserEmail: 'eve.enduser@customer.example',
	/** The Support OAuth client (Admin Center › Apps and integrations › APIs › OAuth Clients). */
	oauthClient: {
		clientId: 'sim-support-oauth-client',
		clientSecret: 'sim-support-oauth-client-secret',
	},
} as const;

/**
 * The scripted chat model (simulator/model): an OpenAI-compatible endpoint for n8n's OpenAI Chat
 * Model node. In n8n's OpenAI credential, Base URL is `<simulator>/v1`.
 */
export const SIM_MODEL = {
	apiKey: 'sk-sim-scripted-model',
	model: 'sim-support-assistant',
} as const;

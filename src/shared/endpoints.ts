import { InvalidInputError } from './errors';

/**
 * Where each API lives, derived from a credential's settings, so that a token only ever goes where
 * the credential says (hosts are never node parameters). Custom is for a Zendesk proxy or the local
 * simulator, which serves every API on one origin.
 */
export type ChatHost = 'zendesk' | 'zopim' | 'custom';
export type MessagingHost = 'zendesk' | 'smooch' | 'smoochEu' | 'custom';

export interface ChatEndpoints {
	/** startAgentSession is POSTed here (seeds: https://chat-api.zopim.com/graphql/request). */
	conversationsHttpUrl: string;
	/** Streaming API WebSocket (NOTES.md section 4: wss://rtm.zopim.com/stream). */
	streamingUrl: string;
	/** Chat REST API base, without a trailing slash (NOTES.md section 3). */
	restBaseUrl: string;
}

const SUBDOMAIN = /^[a-z0-9][a-z0-9-]{0,62}$/i;

export function chatEndpoints(settings: {
	host?: ChatHost;
	subdomain?: string;
	customBaseUrl?: string;
}): ChatEndpoints {
	const host = settings.host ?? 'zendesk';
	if (host === 'custom') {
		const base = parseBaseUrl(settings.customBaseUrl);
		return {
			conversationsHttpUrl: `${base}/graphql/request`,
			streamingUrl: `${base.replace(/^http/, 'ws')}/stream`,
			restBaseUrl: `${base}/api/v2/chat`,
		};
	}
	const shared = {
		conversationsHttpUrl: 'https://chat-api.zopim.com/graphql/request',
		streamingUrl: 'wss://rtm.zopim.com/stream',
	};
	// zenpy 2.0.54: the Chat API goes through {subdomain}.zendesk.com; www.zopim.com is the legacy host.
	if (host === 'zopim') return { ...shared, restBaseUrl: 'https://www.zopim.com/api/v2' };
	return {
		...shared,
		restBaseUrl: `https://${requireSubdomain(settings.subdomain)}.zendesk.com/api/v2/chat`,
	};
}

/** Sunshine Conversations base URL; API paths follow as /v2/apps/{appId}/… (NOTES.md section 5). */
export function messagingBaseUrl(settings: {
	host?: MessagingHost;
	subdomain?: string;
	customBaseUrl?: string;
}): string {
	switch (settings.host ?? 'zendesk') {
		case 'smooch':
			return 'https://api.smooch.io';
		case 'smoochEu':
			return 'https://api.eu-1.smooch.io';
		case 'custom':
			return `${parseBaseUrl(settings.customBaseUrl)}/sc`;
		default:
			return `https://${requireSubdomain(settings.subdomain)}.zendesk.com/sc`;
	}
}

function requireSubdomain(subdomain: string | undefined): string {
	const value = (subdomain ?? '').trim().replace(/\.zendesk\.com$/i, '');
	if (!SUBDOMAIN.test(value)) {
		throw new InvalidInputError(
			'subdomain',
			`The credential's Subdomain "${subdomain ?? ''}" is not a Zendesk subdomain`,
			'Set it in the credential to the part before .zendesk.com, e.g. "acme" for acme.zendesk.com',
		);
	}
	return value.toLowerCase();
}

function parseBaseUrl(raw: string | undefined): string {
	let url: URL;
	try {
		url = new URL((raw ?? '').trim());
	} catch {
		throw new InvalidInputError(
			'customBaseUrl',
			`The credential's Custom Base URL "${raw ?? ''}" is not a URL`,
			'Set it in the credential, e.g. http://127.0.0.1:4010 for the local simulator',
		);
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw new InvalidInputError(
			'customBaseUrl',
			"The credential's Custom Base URL must start with http:// or https://",
		);
	}
	return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

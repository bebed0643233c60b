import type {
	ICredentialDataDecryptedObject,
	ICredentialTestFunctions,
	ICredentialsDecrypted,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { MessagingClient } from '../../src/messaging/client';
import { ChatRestClient } from '../../src/rest';
import { credentialKey, staticToken } from '../../src/shared/credentials';
import {
	chatEndpoints,
	messagingBaseUrl,
	type ChatHost,
	type MessagingHost,
} from '../../src/shared/endpoints';
import { HttpError, InvalidInputError } from '../../src/shared/errors';

/**
 * The credentials' "Test" button, as node methods (`testedBy`) rather than a declarative `test`
 * request: n8n 1.x (n8n-workflow 1.120) loses an HTTP failure's response on the way to the credential
 * tester (its ExecutionBaseError declares a `cause` field that wipes the native cause), so a
 * declarative test's `responseCode` rules never apply there and every refusal reads "Authorization
 * failed - please check your credentials". Here the status is ours to read, on 1.x and 2.x alike,
 * and the request goes through the same client and host rules the nodes use.
 */

const OK: INodeCredentialTestResult = { status: 'OK', message: 'Connection successful!' };

/** One try, no retries: the user is waiting on the button. */
const TEST_TIMEOUT_MS = 15_000;

function failure(error: unknown, byStatus: Record<number, string>): INodeCredentialTestResult {
	if (error instanceof HttpError) {
		const http = error as HttpError;
		return { status: 'Error', message: byStatus[http.statusCode] ?? http.message };
	}
	if (error instanceof InvalidInputError) {
		const input = error as InvalidInputError;
		return { status: 'Error', message: [input.message, input.hint].filter(Boolean).join('. ') };
	}
	return { status: 'Error', message: error instanceof Error ? error.message : String(error) };
}

const CHAT_REFUSALS: Record<number, string> = {
	401: 'Zendesk refused the access token: it is wrong, expired or revoked. Create a new one.',
	403: 'The token lacks a scope: it needs read (and write and chat for the Chat Trigger and messages).',
	404: 'No Chat API at this host: check the subdomain (or the custom base URL).',
};

/** Zendesk Chat access token: `GET /agents/me` on the credential's Chat REST API. */
export async function zendeskChatApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data: ICredentialDataDecryptedObject = credential.data ?? {};
	let rest: ChatRestClient | undefined;
	try {
		const { restBaseUrl } = chatEndpoints({
			host: (data.host as ChatHost | undefined) ?? 'zendesk',
			subdomain: data.subdomain as string | undefined,
			customBaseUrl: data.customBaseUrl as string | undefined,
		});
		const token = String(data.accessToken ?? '').trim();
		if (token === '') return { status: 'Error', message: 'The credential has no access token.' };
		rest = new ChatRestClient({
			baseUrl: restBaseUrl,
			token: staticToken(token),
			credentialKey: credentialKey('zendeskChatApi', restBaseUrl, token),
			maxAttempts: 1,
			timeoutMs: TEST_TIMEOUT_MS,
		});
		await rest.getCurrentAgent();
		return OK;
	} catch (error) {
		return failure(error, CHAT_REFUSALS);
	} finally {
		await rest?.close();
	}
}

const MESSAGING_REFUSALS: Record<number, string> = {
	401: 'The key id or secret is wrong (or the key was deleted).',
	403: 'This key is not an app-scope key: create one under Conversations API in Admin Center.',
	404: 'No such app: check the App ID and the subdomain.',
};

/** Zendesk Messaging app key: `GET /v2/apps/{appId}/switchboards`, basic or JWT as the credential says. */
export async function zendeskMessagingApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data: ICredentialDataDecryptedObject = credential.data ?? {};
	let client: MessagingClient | undefined;
	try {
		client = new MessagingClient({
			baseUrl: messagingBaseUrl({
				host: (data.host as MessagingHost | undefined) ?? 'zendesk',
				subdomain: data.subdomain as string | undefined,
				customBaseUrl: data.customBaseUrl as string | undefined,
			}),
			appId: String(data.appId ?? ''),
			auth: {
				type: data.authType === 'jwt' ? 'jwt' : 'basic',
				keyId: String(data.keyId ?? ''),
				keySecret: String(data.keySecret ?? ''),
			},
			maxRetries: 0,
			timeoutMs: TEST_TIMEOUT_MS,
		});
		await client.listSwitchboards();
		return OK;
	} catch (error) {
		return failure(error, MESSAGING_REFUSALS);
	} finally {
		await client?.close();
	}
}

/** For `methods.credentialTest` of every node that uses these credentials (`testedBy` names them). */
export const credentialTest = { zendeskChatApiTest, zendeskMessagingApiTest };

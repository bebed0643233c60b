import { LoadOptionsContext } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeListSearchResult,
} from 'n8n-workflow';

import { ZendeskMessagingApi } from '../../../credentials/ZendeskMessagingApi.credentials';
import { ZendeskMessaging } from '../../../nodes/ZendeskMessaging/ZendeskMessaging.node';
import { SIM_SUPPORT, type Simulator } from '../../../simulator';
import { N8nHarness } from '../../helpers/n8n/harness';
import { ZendeskApi, ZendeskOAuth2Api } from '../../helpers/n8n/zendesk-support-credentials';
import { messagingCredentials, NODE_NAME, NODE_TYPE } from './helpers';

export type PickerMethod =
	| 'searchGroups'
	| 'searchAssignees'
	| 'searchBrands'
	| 'searchOrganizations'
	| 'searchTicketForms'
	| 'searchTicketFields';

/** n8n's zendeskApi data pointed at the simulator: its URL in the Subdomain. */
export function apiTokenCredential(
	sim: Simulator,
	overrides: IDataObject = {},
): ICredentialDataDecryptedObject {
	return {
		subdomain: sim.urls.base,
		email: SIM_SUPPORT.email,
		apiToken: SIM_SUPPORT.apiToken,
		...overrides,
	};
}

/**
 * n8n's zendeskOAuth2Api data as n8n holds it once connected: the client, the token URL (the
 * credential's hidden default names {subdomain}.zendesk.com, so it is given here), and the token.
 */
export function oauth2Credential(
	sim: Simulator,
	oauthTokenData: IDataObject = { access_token: SIM_SUPPORT.oauthToken, token_type: 'bearer' },
): ICredentialDataDecryptedObject {
	return {
		subdomain: sim.urls.base,
		grantType: 'authorizationCode',
		clientId: SIM_SUPPORT.oauthClient.clientId,
		clientSecret: SIM_SUPPORT.oauthClient.clientSecret,
		authUrl: `${sim.urls.base}/oauth/authorizations/new`,
		accessTokenUrl: `${sim.urls.base}/oauth/tokens`,
		scope: 'read write',
		authentication: 'body',
		oauthTokenData,
	};
}

/** The Messaging node with n8n's two Zendesk Support credential types beside its own. */
export function pickerHarness(
	sim: Simulator,
	support: {
		zendeskApi?: ICredentialDataDecryptedObject;
		zendeskOAuth2Api?: ICredentialDataDecryptedObject;
	} = {},
): N8nHarness {
	const credentials: Record<string, ICredentialDataDecryptedObject> = {
		zendeskMessagingApi: messagingCredentials(sim) as ICredentialDataDecryptedObject,
	};
	credentials.zendeskApi = support.zendeskApi ?? apiTokenCredential(sim);
	credentials.zendeskOAuth2Api = support.zendeskOAuth2Api ?? oauth2Credential(sim);
	return new N8nHarness({
		nodeTypes: { [NODE_TYPE]: new ZendeskMessaging() },
		credentialTypes: {
			// n8n's OAuth2 parent, so that n8n-core treats zendeskOAuth2Api as OAuth2.
			oAuth2Api: { name: 'oAuth2Api', displayName: 'OAuth2', properties: [] },
			zendeskMessagingApi: new ZendeskMessagingApi(),
			zendeskApi: new ZendeskApi(),
			zendeskOAuth2Api: new ZendeskOAuth2Api(),
		},
		credentials,
	});
}

export type SupportChoice = 'none' | 'apiToken' | 'oAuth2';

/** An Escalate node with its Support API Credential choice and the matching credential selected. */
export function escalateNode(
	parameters: IDataObject,
	support: SupportChoice,
	options: { selectCredential?: boolean } = {},
): INode {
	const credentials: INode['credentials'] = {
		zendeskMessagingApi: { id: 'cred-messaging', name: 'Zendesk Messaging' },
	};
	if (options.selectCredential !== false) {
		if (support === 'apiToken')
			credentials.zendeskApi = { id: 'cred-support-token', name: 'Zendesk account' };
		if (support === 'oAuth2')
			credentials.zendeskOAuth2Api = { id: 'cred-support-oauth', name: 'Zendesk OAuth2 account' };
	}
	return {
		id: 'zm',
		name: NODE_NAME,
		type: NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {
			resource: 'conversation',
			operation: 'escalate',
			userExternalId: 'picker-user',
			summary: 'A summary',
			supportAuthentication: support,
			...parameters,
		} as INode['parameters'],
		credentials,
	};
}

/** Calls a listSearch method the way the editor's resource locator does. */
export async function pick(
	harness: N8nHarness,
	node: INode,
	method: PickerMethod,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const workflow = harness.workflow({ nodes: [node] });
	const context = new LoadOptionsContext(
		workflow,
		node,
		harness.additionalData('manual', workflow),
		'parameters.ticketFields',
	);
	const nodeType = harness.nodeTypes.getByNameAndVersion(node.type, 1) as unknown as {
		methods: {
			listSearch: Record<
				PickerMethod,
				(this: unknown, filter?: string, token?: string) => Promise<INodeListSearchResult>
			>;
		};
	};
	return await nodeType.methods.listSearch[method].call(context, filter, paginationToken);
}

/** Every page of a picker, handing each paginationToken back until there is none. */
export async function pickAll(
	harness: N8nHarness,
	node: INode,
	method: PickerMethod,
	filter?: string,
): Promise<{ pages: INodeListSearchResult[]; values: string[] }> {
	const pages: INodeListSearchResult[] = [];
	let token: string | undefined;
	do {
		const page = await pick(harness, node, method, filter, token);
		pages.push(page);
		token = page.paginationToken;
	} while (token !== undefined);
	return {
		pages,
		values: pages.flatMap((page) => page.results.map((result) => String(result.value))),
	};
}

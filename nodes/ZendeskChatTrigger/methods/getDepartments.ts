import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { ChatRestClient } from '../../../src/rest';
import { chatConnection, type ChatAuthentication } from '../../shared/connection';
import { toNodeError } from '../../shared/errors';

/**
 * The account's departments for the Department filters, from the Chat REST API: the value is the
 * department's numeric REST id, which the Streaming API and the REST chat's department_id use.
 */
export async function getDepartments(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	let rest: ChatRestClient | undefined;
	try {
		const authentication = this.getNodeParameter(
			'authentication',
			'accessToken',
		) as ChatAuthentication;
		const { endpoints, tokens, credentialKey } = await chatConnection(this, authentication);
		rest = new ChatRestClient({ baseUrl: endpoints.restBaseUrl, token: tokens, credentialKey });
		const departments = await rest.listDepartments();
		return departments
			.map((department) => ({
				name:
					typeof department.name === 'string' && department.name
						? department.name
						: `Department ${department.id}`,
				value: String(department.id),
				description: `ID ${department.id}`,
			}))
			.sort((a, b) => a.name.localeCompare(b.name));
	} catch (error) {
		throw toNodeError(this.getNode(), error);
	} finally {
		await rest?.close();
	}
}

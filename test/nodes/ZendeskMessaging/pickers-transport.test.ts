import { NodeApiError, NodeOperationError, UserError, type INode } from 'n8n-workflow';

import { supportClient } from '../../../nodes/shared/supportApi';
import { HttpError, InvalidInputError, ZendeskError } from '../../../src/shared/errors';

/**
 * The n8n transport of the pickers reads Zendesk's answer back out of the error n8n's
 * httpRequestWithAuthentication throws for a failed request, however it was wrapped (n8n 2.x keeps
 * the HTTP client's error as `cause`; without it, n8n's own httpCode is used).
 */
const node: INode = {
	id: 'n',
	name: 'Zendesk Messaging',
	type: 'x',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

function contextThrowing(error: unknown) {
	const requests: unknown[] = [];
	const ctx = {
		getNode: () => node,
		getCredentials: async () => ({ subdomain: 'acme' }),
		helpers: {
			httpRequestWithAuthentication: async (_type: string, options: unknown) => {
				requests.push(options);
				throw error;
			},
		},
	};
	return { ctx: ctx as never, requests };
}

async function failure(error: unknown): Promise<unknown> {
	const { ctx } = contextThrowing(error);
	return await (await supportClient(ctx, 'apiToken')).list('group').catch((e: unknown) => e);
}

describe("the pickers' n8n transport", () => {
	it('asks n8n for the full response of a GET to https://{subdomain}.zendesk.com/api/v2', async () => {
		const { ctx, requests } = contextThrowing(new Error('stop'));
		await (await supportClient(ctx, 'apiToken')).list('group').catch(() => undefined);
		expect(requests).toEqual([
			{
				method: 'GET',
				url: 'https://acme.zendesk.com/api/v2/groups?exclude_deleted=true&page%5Bsize%5D=100',
				json: true,
				returnFullResponse: true,
			},
		]);
	});

	it("finds the answer in the HTTP client's error n8n wrapped (status, Retry-After, body)", async () => {
		const axiosLike = Object.assign(new Error('Request failed with status code 429'), {
			response: {
				status: 429,
				headers: { 'Retry-After': '9' },
				data: { error: 'APIRateLimitExceeded' },
			},
		});
		const error = await failure(new NodeApiError(node, axiosLike as never));
		expect(error).toBeInstanceOf(HttpError);
		expect(error).toMatchObject({
			statusCode: 429,
			retryAfterMs: 9000,
			body: { error: 'APIRateLimitExceeded' },
		});
	});

	it('falls back to the status n8n put on its error', async () => {
		const error = await failure(
			Object.assign(new Error('Forbidden'), {
				httpCode: '403',
				context: { data: { error: 'Forbidden', description: 'no' } },
			}),
		);
		expect(error).toMatchObject({
			statusCode: 403,
			body: { error: 'Forbidden', description: 'no' },
		});
	});

	it("turns n8n's own refusals (no credential, OAuth2 not connected) into a Support API Credential problem", async () => {
		for (const cause of [
			new UserError('OAuth credentials not connected'),
			new NodeOperationError(node, 'Node does not have any credentials set'),
		]) {
			const error = await failure(new NodeApiError(node, cause as never));
			expect(error).toBeInstanceOf(InvalidInputError);
			expect(error).toMatchObject({
				field: 'Support API Credential',
				message: `The Zendesk Support credential cannot be used: ${cause.message}`,
			});
		}
	});

	it('reports no answer at all as a retryable connection error', async () => {
		const error = await failure(
			new NodeApiError(
				node,
				Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
					code: 'ECONNREFUSED',
				}) as never,
			),
		);
		expect(error).toBeInstanceOf(ZendeskError);
		expect(error).toMatchObject({ code: 'ZCHAT_ERR_CONNECTION', retryable: true });
		expect((error as Error).message).toContain('Zendesk Support GET /groups: ');
	});
});

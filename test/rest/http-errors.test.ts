import { httpErrorFrom } from '../../src/rest/http-errors';

describe('httpErrorFrom', () => {
	const response = (statusCode: number, text: string) => ({
		statusCode,
		text,
		headers: {} as Record<string, string>,
	});

	it('mentions the search page cap only for searches', () => {
		const search = httpErrorFrom(
			'GET',
			'/api/v2/chat/chats/search',
			response(400, '{"error":"Bad Request","description":"page 251"}'),
		);
		expect(search.message).toBe(
			'Chat REST API answered 400 to GET /api/v2/chat/chats/search (Bad Request: page 251). The search was refused as invalid; check the query (a search cannot go past page 250).',
		);
		const update = httpErrorFrom(
			'PUT',
			'/api/v2/chat/chats/1',
			response(400, '{"error":"Bad Request","description":"bad tag"}'),
		);
		expect(update.message).toBe(
			'Chat REST API answered 400 to PUT /api/v2/chat/chats/1 (Bad Request: bad tag). The request was refused as invalid; check its parameters.',
		);
		expect(update.retryable).toBe(false);
	});
});

import {
	ManualClock,
	SIM_BOT_AGENT_ID,
	SIM_DEPARTMENTS,
	SIM_TOKENS,
	startSimulator,
	type Simulator,
} from '../../simulator';
import type { ChatRecord } from '../../simulator/world/types';
import { restClient, walk } from './rest-helpers';

/** Chat REST API chats: auth, list, ids map, show, update, delete, faults (seeds/chat-rest-api-chats.txt). */
describe('Chat REST API: chats', () => {
	let sim: Simulator;
	let clock: ManualClock;
	let call: ReturnType<typeof restClient>;
	let scripted: ChatRecord;

	const UNAUTHORIZED = {
		error: 'Unauthorized',
		description:
			'The server could not verify that you are authorized to access the requested resource',
	};

	/** A chat with known times: the expected REST object below is written out field by field. */
	function scriptChat(): ChatRecord {
		const chat = sim.world.startChat({
			visitor: { name: 'Harry', email: 'harry@example.com' },
			departmentId: SIM_DEPARTMENTS.sales,
			message: 'Do you sell chocolate?',
		});
		clock.advance(30_000);
		sim.world.agentSays(chat.id, SIM_BOT_AGENT_ID, { text: 'We do!' });
		clock.advance(15_000);
		sim.world.visitorSays(chat.id, 'Great, how much?');
		clock.advance(45_000);
		sim.world.agentSays(chat.id, SIM_BOT_AGENT_ID, { text: 'Two galleons.' });
		sim.world.addTags(chat.id, ['sweets'], { agentId: SIM_BOT_AGENT_ID });
		clock.advance(10_000);
		sim.world.endChat(chat.id);
		sim.world.rate(chat.id, 'good', 'Lovely');
		return chat;
	}

	function expectedScriptedChat(chat: ChatRecord) {
		const v = chat.visitor;
		const channel = `#supportchat:${v.id.replace('.', '-')}`;
		const visitor = { channel, name: 'Harry', nick: `visitor:${v.id}` };
		const agent = { channel, name: 'Ada Bot', nick: 'agent:1001' };
		const msg = (k: number, text: string, sender: 'Visitor' | 'Agent') => ({
			msg: text,
			msg_id: chat.history[k].msgId,
			options: '',
			sender_type: sender,
			type: 'chat.msg',
		});
		return {
			agent_ids: ['1001'],
			agent_names: ['Ada Bot'],
			comment: 'Lovely',
			conversions: [],
			count: { agent: 2, total: 4, visitor: 2 },
			department_id: 2001,
			department_name: 'Sales',
			duration: 100,
			end_timestamp: '2026-01-05T09:01:40Z',
			history: [
				{ ...visitor, timestamp: '2026-01-05T09:00:00Z', type: 'chat.memberjoin' },
				{
					...visitor,
					timestamp: '2026-01-05T09:00:00Z',
					...msg(1, 'Do you sell chocolate?', 'Visitor'),
				},
				{ ...agent, timestamp: '2026-01-05T09:00:30Z', type: 'chat.memberjoin' },
				{ ...agent, timestamp: '2026-01-05T09:00:30Z', ...msg(3, 'We do!', 'Agent') },
				{ ...visitor, timestamp: '2026-01-05T09:00:45Z', ...msg(4, 'Great, how much?', 'Visitor') },
				{ ...agent, timestamp: '2026-01-05T09:01:30Z', ...msg(5, 'Two galleons.', 'Agent') },
				{
					...agent,
					timestamp: '2026-01-05T09:01:30Z',
					type: 'chat.tag',
					tags: [],
					new_tags: ['sweets'],
				},
				{ ...visitor, timestamp: '2026-01-05T09:01:40Z', type: 'chat.memberleave' },
				{ ...agent, timestamp: '2026-01-05T09:01:40Z', type: 'chat.memberleave' },
			],
			id: chat.id,
			missed: false,
			rating: 'good',
			response_time: { avg: 37.5, first: 30, max: 45 },
			session: {
				browser: 'Chrome',
				city: 'Dublin',
				country_code: 'IE',
				country_name: 'Ireland',
				end_date: '2026-01-05T09:01:40Z',
				id: chat.sessionId,
				ip: v.ip,
				platform: 'Linux',
				region: 'Leinster',
				start_date: '2026-01-05T09:00:00Z',
				user_agent: v.userAgent,
			},
			started_by: 'visitor',
			tags: ['sweets'],
			timestamp: '2026-01-05T09:00:00Z',
			triggered: false,
			triggered_response: null,
			type: 'chat',
			unread: false,
			update_timestamp: '2026-01-05T09:01:40Z',
			visitor: { email: 'harry@example.com', id: v.id, name: 'Harry', notes: '', phone: '' },
			webpath: [],
			zendesk_ticket_id: null,
		};
	}

	beforeAll(async () => {
		clock = new ManualClock('2026-01-05T09:00:00Z');
		sim = await startSimulator({ clock });
		call = restClient(sim);
		scripted = scriptChat();
	});
	afterAll(() => sim.close());
	beforeEach(() => {
		// These tests are about chats, not the 200/min budget (rest-limits.test.ts covers it).
		sim.rest.control.resetBudget();
		sim.faults.reset();
	});

	describe('authentication and scopes', () => {
		it.each([
			['no Authorization header', { token: null }],
			['an unknown token', { token: 'nope' }],
			['a revoked token', { token: SIM_TOKENS.revoked }],
			['a Basic header', { authorization: 'Basic c2ltOnNpbQ==' }],
			['an empty Bearer', { authorization: 'Bearer ' }],
		])('answers 401 for %s, without counting it against the budget', async (_name, options) => {
			const before = sim.rest.control.budgetUsed().used;
			const res = await call('GET', '/chats', options);
			expect(res.status).toBe(401);
			expect(res.body).toEqual(UNAUTHORIZED);
			expect(res.headers.get('www-authenticate')).toBe('Bearer');
			expect(sim.rest.control.budgetUsed().used).toBe(before);
		});

		it('answers 401 for an expired token and for any path, known or not', async () => {
			sim.world.addToken({
				accessToken: 'expired',
				agentId: SIM_BOT_AGENT_ID,
				expiresAt: clock.now() - 1,
			});
			expect((await call('GET', '/chats', { token: 'expired' })).status).toBe(401);
			expect((await call('GET', '/nowhere', { token: null })).body).toEqual(UNAUTHORIZED);
		});

		it('lets a read-only token read but answers 403 to writes', async () => {
			expect(
				(await call('GET', `/chats/${scripted.id}`, { token: SIM_TOKENS.readOnly })).status,
			).toBe(200);
			const put = await call('PUT', `/chats/${scripted.id}`, {
				token: SIM_TOKENS.readOnly,
				body: { unread: true },
			});
			expect(put.status).toBe(403);
			expect(put.body).toEqual({
				error: 'Forbidden',
				description: `this OAuth token lacks the "write" scope that PUT /api/v2/chat/chats/${scripted.id} needs`,
			});
			const del = await call('DELETE', `/chats/${scripted.id}`, { token: SIM_TOKENS.readOnly });
			expect(del.status).toBe(403);
			expect(sim.world.chats.has(scripted.id)).toBe(true);
			expect(sim.world.requireChat(scripted.id).unread).toBe(false);
		});

		it('answers 403 to a read without the read scope', async () => {
			sim.world.addToken({
				accessToken: 'write-only',
				agentId: SIM_BOT_AGENT_ID,
				scopes: ['write'],
			});
			const res = await call('GET', '/chats', { token: 'write-only' });
			expect(res.status).toBe(403);
			expect(res.body).toEqual({
				error: 'Forbidden',
				description: 'this OAuth token lacks the "read" scope that GET /api/v2/chat/chats needs',
			});
		});
	});

	describe('show', () => {
		it('renders a chat with the documented fields, field by field', async () => {
			const res = await call('GET', `/chats/${scripted.id}`);
			expect(res.status).toBe(200);
			expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
			expect(res.body).toEqual(expectedScriptedChat(scripted));
		});

		it('renders an offline message in its own documented shape', async () => {
			const offline = sim.world.addOfflineMessage({
				visitor: { name: 'Luna', email: 'luna@example.com', phone: '+353 1 555 0100' },
				departmentId: SIM_DEPARTMENTS.support,
				message: 'Call me back',
			});
			const res = await call('GET', `/chats/${offline.id}`);
			const v = offline.visitor;
			expect(res.body).toEqual({
				department_id: 2002,
				department_name: 'Support',
				id: offline.id,
				message: 'Call me back',
				session: {
					browser: 'Chrome',
					city: 'Dublin',
					country_code: 'IE',
					country_name: 'Ireland',
					end_date: '2026-01-05T09:01:40Z',
					id: offline.sessionId,
					ip: v.ip,
					platform: 'Linux',
					region: 'Leinster',
					start_date: '2026-01-05T09:01:40Z',
					user_agent: v.userAgent,
				},
				started_by: 'visitor',
				timestamp: '2026-01-05T09:01:40Z',
				type: 'offline_msg',
				unread: true,
				visitor: {
					email: 'luna@example.com',
					id: v.id,
					name: 'Luna',
					notes: '',
					phone: '+353 1 555 0100',
				},
				webpath: [],
				zendesk_ticket_id: null,
			});
			sim.world.deleteChat(offline.id);
		});

		it('answers 404 for an unknown chat', async () => {
			const res = await call('GET', '/chats/2601.10001.doesnotexist1');
			expect(res.status).toBe(404);
			expect(res.body).toEqual({
				error: 'Not Found',
				description: 'chat 2601.10001.doesnotexist1 not found',
			});
		});

		it('shows a chat a visitor is still in, and finds it by search and export', async () => {
			clock.advance(60_000);
			const chat = sim.world.startChat({ visitor: { name: 'Neville' } });
			sim.world.visitorSays(chat.id, 'My remembrall turned red');
			const startedAt = Math.floor(clock.now() / 1000);

			const shown = await call('GET', `/chats/${chat.id}`);
			expect(shown.status).toBe(200);
			expect(shown.body).toMatchObject({
				id: chat.id,
				end_timestamp: null,
				agent_ids: [],
				missed: false,
				unread: true,
				duration: 0,
			});
			expect(shown.body.session.end_date).toBeNull();
			expect(shown.body.history.map((h: any) => [h.type, h.msg])).toEqual([
				['chat.memberjoin', undefined],
				['chat.msg', 'My remembrall turned red'],
			]);

			const found = await call(
				'GET',
				`/chats/search?q=${encodeURIComponent('remembrall AND visitor_name:Neville')}`,
			);
			expect(found.body).toEqual({
				count: 1,
				next_url: null,
				prev_url: null,
				results: [
					{
						id: chat.id,
						preview: 'My remembrall turned red',
						timestamp: shown.body.timestamp,
						type: 'chat',
						url: `${sim.urls.rest}/chats/${chat.id}`,
					},
				],
			});

			// The export only takes a start_time 5 minutes old (NOTES.md section 3).
			clock.advance(5 * 60_000);
			const exported = await call('GET', `/incremental/chats?start_time=${startedAt}`);
			expect(exported.status).toBe(200);
			expect(exported.body.chats.map((c: any) => c.id)).toEqual([chat.id]);
			expect(exported.body.chats[0].history[1].msg).toBe('My remembrall turned red');
			sim.world.endChat(chat.id);
			sim.world.deleteChat(chat.id);
		});
	});

	describe('list', () => {
		let ids: string[];

		beforeAll(() => {
			const seeded = sim.rest.control.seedChats({ count: 249, to: clock.now() - 3_600_000 });
			// Oldest first: the seeded chats (from before) and then the scripted one.
			ids = [...seeded.ids, scripted.id];
		});

		it('pages through every chat, oldest first, with next_url and prev_url', async () => {
			const pages = await walk(call, '/chats', (b) => (b.next_url === 'null' ? null : b.next_url));
			expect(pages.map((p) => p.count)).toEqual([100, 100, 50]);
			expect(pages.map((p) => p.chats.length)).toEqual([100, 100, 50]);
			expect(pages.flatMap((p) => p.chats.map((c: any) => c.id))).toEqual(ids);
			expect(pages[0].next_url).toBe(`${sim.urls.rest}/chats?page=2&limit=100`);
			expect(pages[1].prev_url).toBe(`${sim.urls.rest}/chats?page=1&limit=100`);
			// The doc's List Chats example: the *string* "null" where there is no page.
			expect(pages[0].prev_url).toBe('null');
			expect(pages[2].next_url).toBe('null');
			expect(pages[2].chats[49]).toEqual(expectedScriptedChat(scripted));
		});

		it('takes a smaller limit, clamps a larger one to 100, and refuses bad paging', async () => {
			const small = await call('GET', '/chats?limit=7&page=3');
			expect(small.body.chats.map((c: any) => c.id)).toEqual(ids.slice(14, 21));
			expect(small.body.next_url).toBe(`${sim.urls.rest}/chats?page=4&limit=7`);
			expect((await call('GET', '/chats?limit=500')).body.count).toBe(100);
			const past = await call('GET', '/chats?page=9');
			expect(past.body).toEqual({
				chats: [],
				count: 0,
				next_url: 'null',
				prev_url: `${sim.urls.rest}/chats?page=8&limit=100`,
			});
			for (const bad of ['page=0', 'page=two', 'limit=0', 'limit=-5', 'page=1.5']) {
				const res = await call('GET', `/chats?${bad}`);
				expect(res.status).toBe(400);
				expect(res.body.error).toBe('Bad Request');
			}
			expect((await call('GET', '/chats?page=0')).body.description).toBe('page must be at least 1');
		});

		it('answers ids=a,b,c with a docs map; unknown ids are absent', async () => {
			const res = await call('GET', `/chats?ids=${ids[0]},${scripted.id},nope.1.2`);
			expect(res.status).toBe(200);
			expect(Object.keys(res.body)).toEqual(['count', 'docs']);
			expect(res.body.count).toBe(2);
			expect(Object.keys(res.body.docs).sort()).toEqual([ids[0], scripted.id].sort());
			expect(res.body.docs[scripted.id]).toEqual(expectedScriptedChat(scripted));
			expect(res.body.docs[ids[0]].id).toBe(ids[0]);
		});

		it('takes up to 50 ids and refuses 51', async () => {
			const fifty = await call('GET', `/chats?ids=${ids.slice(0, 50).join(',')}`);
			expect(fifty.body.count).toBe(50);
			const many = await call('GET', `/chats?ids=${ids.slice(0, 51).join(',')}`);
			expect(many.status).toBe(400);
			expect(many.body).toEqual({
				error: 'Bad Request',
				description: 'ids accepts up to 50 chat ids, got 51',
			});
		});

		it('lists as usual for an empty ids= (as in the doc code samples)', async () => {
			const res = await call('GET', '/chats?ids=');
			expect(res.body.count).toBe(100);
			expect(res.body.docs).toBeUndefined();
		});
	});

	describe('update', () => {
		it('changes tags, comment, rating and unread, and answers with the chat', async () => {
			clock.advance(60_000);
			const res = await call('PUT', `/chats/${scripted.id}`, {
				body: {
					tags: ['vip', 'sweets', 'café_2-x', 'vip'],
					comment: 'Changed',
					rating: 'bad',
					unread: true,
				},
			});
			expect(res.status).toBe(200);
			expect(res.body).toEqual({
				...expectedScriptedChat(scripted),
				tags: ['vip', 'sweets', 'café_2-x'],
				comment: 'Changed',
				rating: 'bad',
				unread: true,
				update_timestamp: new Date(clock.now()).toISOString().replace('.000', ''),
			});
			expect((await call('GET', `/chats/${scripted.id}`)).body).toEqual(res.body);
			const cleared = await call('PUT', `/chats/${scripted.id}`, {
				body: { rating: null, comment: null },
			});
			expect(cleared.body).toMatchObject({
				rating: null,
				comment: null,
				tags: ['vip', 'sweets', 'café_2-x'],
			});
		});

		it.each([
			[
				{ agent_ids: ['1'] },
				'agent_ids is read-only; writable fields of a chat: tags, comment, rating, unread',
			],
			[
				{ unread: true, history: [] },
				'history is read-only; writable fields of a chat: tags, comment, rating, unread',
			],
			[{ colour: 'red' }, 'colour is not a field of the chat object'],
			[{ tags: 'vip' }, 'tags must be an array of non-empty strings'],
			[{ tags: ['ok', ''] }, 'tags must be an array of non-empty strings'],
			[{ tags: ['ok', 'two words'] }, 'tag "two words" may hold only letters, digits, - and _'],
			[{ rating: 'great' }, 'rating must be "good", "bad" or null'],
			[{ comment: 5 }, 'comment must be a string or null'],
			[{ unread: 'yes' }, 'unread must be true or false'],
			[{}, 'nothing to update; writable fields: tags, comment, rating, unread'],
			[['tags'], 'the body must be a JSON object of the fields to change'],
		])('refuses %j', async (body, description) => {
			const before = JSON.stringify(sim.world.requireChat(scripted.id));
			const res = await call('PUT', `/chats/${scripted.id}`, { body });
			expect(res.status).toBe(400);
			expect(res.body).toEqual({ error: 'Bad Request', description });
			expect(JSON.stringify(sim.world.requireChat(scripted.id))).toBe(before);
		});

		it('refuses malformed JSON, an empty body and an unknown chat', async () => {
			const bad = await call('PUT', `/chats/${scripted.id}`, { rawBody: '{"tags": [' });
			expect(bad.status).toBe(400);
			expect(bad.body).toEqual({
				error: 'Bad Request',
				description: 'the request body is not valid JSON',
			});
			expect((await call('PUT', `/chats/${scripted.id}`)).status).toBe(400);
			expect((await call('PUT', '/chats/nope', { body: { unread: true } })).status).toBe(404);
		});

		it('lets only unread change on an offline message', async () => {
			const offline = sim.world.addOfflineMessage({ message: 'Hello?' });
			const tags = await call('PUT', `/chats/${offline.id}`, { body: { tags: ['x'] } });
			expect(tags.body).toEqual({
				error: 'Bad Request',
				description: 'tags is not a field of the chat object',
			});
			const message = await call('PUT', `/chats/${offline.id}`, { body: { message: 'Edited' } });
			expect(message.body.description).toBe(
				'message is read-only; writable fields of an offline message: unread',
			);
			const read = await call('PUT', `/chats/${offline.id}`, { body: { unread: false } });
			expect(read.status).toBe(200);
			expect(read.body.unread).toBe(false);
			sim.world.deleteChat(offline.id);
		});
	});

	describe('delete', () => {
		it('deletes one chat with 204, then it is gone', async () => {
			const chat = sim.world.startChat({ message: 'delete me' });
			const res = await call('DELETE', `/chats/${chat.id}`);
			expect(res.status).toBe(204);
			expect(res.body).toBeUndefined();
			expect((await call('GET', `/chats/${chat.id}`)).status).toBe(404);
			expect((await call('DELETE', `/chats/${chat.id}`)).status).toBe(404);
		});

		it('deletes several with DELETE /chats?ids=, ignoring unknown ids', async () => {
			const a = sim.world.startChat({ message: 'a' });
			const b = sim.world.startChat({ message: 'b' });
			const keep = sim.world.startChat({ message: 'keep' });
			const res = await call('DELETE', `/chats?ids=${a.id},${b.id},nope`);
			expect(res.status).toBe(204);
			expect(sim.world.chats.has(a.id)).toBe(false);
			expect(sim.world.chats.has(b.id)).toBe(false);
			expect(sim.world.chats.has(keep.id)).toBe(true);
			sim.world.deleteChat(keep.id);
		});

		it('never deletes everything: DELETE /chats without ids, or with 51, is a 400', async () => {
			const count = sim.world.chats.size;
			const none = await call('DELETE', '/chats');
			expect(none.status).toBe(400);
			expect(none.body).toEqual({
				error: 'Bad Request',
				description: 'ids is required: a comma-separated list of chat ids to delete',
			});
			const many = Array.from({ length: 51 }, (_, i) => `x${i}`).join(',');
			expect((await call('DELETE', `/chats?ids=${many}`)).status).toBe(400);
			expect(sim.world.chats.size).toBe(count);
		});
	});

	describe('routing and faults', () => {
		it('answers 404 for unknown paths and 405 with Allow for other methods', async () => {
			const unknown = await call('GET', '/tickets');
			expect(unknown.status).toBe(404);
			expect(unknown.body).toEqual({
				error: 'Not Found',
				description: 'no Chat REST API endpoint at /api/v2/chat/tickets',
			});
			expect((await call('GET', '/chats/')).status).toBe(404);
			expect((await call('GET', '')).status).toBe(404);
			const patch = await call('PATCH', `/chats/${scripted.id}`, { body: {} });
			expect(patch.status).toBe(405);
			expect(patch.headers.get('allow')).toBe('GET, PUT, DELETE');
			const post = await call('POST', '/chats', { body: {} });
			expect(post.status).toBe(405);
			expect(post.body).toEqual({
				error: 'Method Not Allowed',
				description: 'POST /chats (an agent creates an offline message) is not simulated',
			});
		});

		it('passes an injected 503 to the client, then serves again', async () => {
			sim.faults.failNextHttp({ api: 'rest', status: 503, retryAfter: 7 });
			const failed = await call('GET', `/chats/${scripted.id}`);
			expect(failed.status).toBe(503);
			expect(failed.headers.get('retry-after')).toBe('7');
			expect((await call('GET', `/chats/${scripted.id}`)).status).toBe(200);
		});

		it('passes faults injected over the control API, with their body', async () => {
			const queued = await fetch(`${sim.urls.control}/faults/failNextHttp`, {
				method: 'POST',
				body: JSON.stringify({
					api: 'rest',
					status: 500,
					count: 2,
					body: { error: 'Internal Server Error', description: 'boom' },
				}),
			});
			expect(queued.status).toBe(200);
			for (let i = 0; i < 2; i++) {
				const res = await call('GET', '/chats?limit=1');
				expect(res.status).toBe(500);
				expect(res.body).toEqual({ error: 'Internal Server Error', description: 'boom' });
			}
			expect((await call('GET', '/chats?limit=1')).status).toBe(200);
		});
	});
});

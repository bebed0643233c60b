import { ManualClock } from '../../simulator/clock';
import {
	matchesQuery,
	parseDateSpan,
	parseSearchQuery,
	SearchQueryError,
} from '../../simulator/rest/search-query';
import { ChatWorld } from '../../simulator/world/chat-world';
import type { ChatRecord } from '../../simulator/world/types';

/** The search query language on its own: parsing, refusals and matching (seeds/chat-rest-api-chats.txt). */
describe('Chat REST search query', () => {
	const at = (iso: string) => Date.parse(iso);

	describe('parsing', () => {
		it('parses field:value terms joined by AND, as in the doc examples', () => {
			expect(parseSearchQuery('agent_names:Tom AND visitor_name:Harry').terms).toEqual([
				{ kind: 'name', field: 'agent_names', words: ['tom'] },
				{ kind: 'name', field: 'visitor_name', words: ['harry'] },
			]);
			expect(parseSearchQuery('type:chat AND chocolate').terms).toEqual([
				{ kind: 'type', value: 'chat' },
				{ kind: 'text', words: ['chocolate'] },
			]);
			expect(parseSearchQuery('chat_type:offline_msg').terms).toEqual([
				{ kind: 'type', value: 'offline_msg' },
			]);
			expect(parseSearchQuery('visitor_email:Harry@Example.com AND rating:good').terms).toEqual([
				{ kind: 'email', email: 'harry@example.com' },
				{ kind: 'rating', value: 'good' },
			]);
		});

		it('parses ranges with dates, times and * for an open end', () => {
			expect(parseSearchQuery('timestamp:[2014-10-10 TO 2014-12-12]').terms).toEqual([
				{
					kind: 'time',
					field: 'timestamp',
					from: at('2014-10-10T00:00:00Z'),
					to: at('2014-12-13T00:00:00Z') - 1,
				},
			]);
			expect(
				parseSearchQuery('timestamp:[2016-02-02T16:00:00 TO *] AND rating:good').terms,
			).toEqual([
				{ kind: 'time', field: 'timestamp', from: at('2016-02-02T16:00:00Z'), to: null },
				{ kind: 'rating', value: 'good' },
			]);
			expect(parseSearchQuery('end_timestamp:[* TO 2014-10-25]').terms).toEqual([
				{ kind: 'time', field: 'end_timestamp', from: null, to: at('2014-10-26T00:00:00Z') - 1 },
			]);
		});

		it('reads a single date or time as the span it names, with offsets (singer sends +00:00)', () => {
			expect(parseDateSpan('timestamp', '2014-10-10')).toEqual({
				from: at('2014-10-10T00:00:00Z'),
				to: at('2014-10-11T00:00:00Z') - 1,
			});
			expect(parseDateSpan('timestamp', '2016-02-02T16:00:00')).toEqual({
				from: at('2016-02-02T16:00:00Z'),
				to: at('2016-02-02T16:00:01Z') - 1,
			});
			expect(parseDateSpan('timestamp', '2016-02-02T16:00')).toEqual({
				from: at('2016-02-02T16:00:00Z'),
				to: at('2016-02-02T16:01:00Z') - 1,
			});
			expect(parseDateSpan('timestamp', '2016-02-02T16:00:00.250Z')).toEqual({
				from: at('2016-02-02T16:00:00.250Z'),
				to: at('2016-02-02T16:00:00.250Z'),
			});
			expect(parseDateSpan('timestamp', '2020-01-01T00:00:00+02:00').from).toBe(
				at('2019-12-31T22:00:00Z'),
			);
			expect(
				parseSearchQuery(
					'type:chat AND end_timestamp:[2020-01-01T00:00:00+00:00 TO 2020-01-15T00:00:00+00:00]',
				).terms[1],
			).toEqual({
				kind: 'time',
				field: 'end_timestamp',
				from: at('2020-01-01T00:00:00Z'),
				to: at('2020-01-15T00:00:01Z') - 1,
			});
		});

		it('takes quoted values and phrases, and terms side by side as all required', () => {
			expect(parseSearchQuery('visitor_name:"Harry Potter" "late delivery" refund').terms).toEqual([
				{ kind: 'name', field: 'visitor_name', words: ['harry', 'potter'] },
				{ kind: 'text', words: ['late', 'delivery'] },
				{ kind: 'text', words: ['refund'] },
			]);
		});

		it.each([
			['', 'empty'],
			['   ', 'empty'],
			['AND chocolate', 'AND'],
			['chocolate AND', 'AND'],
			['chocolate AND AND refund', 'AND'],
			['chocolate OR refund', 'only AND'],
			['NOT chocolate', 'only AND'],
			['-chocolate', 'prefixes'],
			['choc*', 'wildcards'],
			['(chocolate)', 'not supported'],
			['colour:red', 'unknown field'],
			['rating:great', 'good or bad'],
			['type:ticket', 'chat or offline_msg'],
			['timestamp:yesterday', 'not a date'],
			['timestamp:2014-02-30', 'not a valid date'],
			['timestamp:2014-10-10T25:00:00', 'not a valid date'],
			['timestamp:[2014-10-10 2014-12-12]', 'not a range'],
			['timestamp:[2014-10-10 TO 2014-12-12', 'not closed'],
			['timestamp:{2014-10-10 TO *}', 'exclusive'],
			['timestamp:[2014-12-12 TO 2014-10-10]', 'ends before'],
			['rating:[good TO bad]', 'ranges are only'],
			['visitor_name:"Harry', 'not closed'],
			['agent_names:', 'no value'],
			['!!!', 'no words'],
		])('refuses %j (%s)', (q, message) => {
			expect(() => parseSearchQuery(q)).toThrow(SearchQueryError);
			expect(() => parseSearchQuery(q)).toThrow(message);
		});
	});

	describe('matching', () => {
		let world: ChatWorld;
		let clock: ManualClock;
		let chocolate: ChatRecord;
		let offline: ChatRecord;
		const context = { agentName: (id: number) => world.agents.get(id)?.displayName };
		const match = (q: string, chat: ChatRecord) => matchesQuery(parseSearchQuery(q), chat, context);

		beforeAll(() => {
			clock = new ManualClock('2014-10-15T16:31:25Z');
			world = new ChatWorld(clock, 10001);
			world.addAgent({ id: 1, displayName: 'Tom Riddle' });
			chocolate = world.startChat({
				visitor: { name: 'Harry Potter', email: 'harry@hogwarts.example' },
				message: 'Do you sell Chocolate frogs?',
			});
			clock.advance(60_000);
			world.agentSays(chocolate.id, 1, { text: 'We do!' });
			world.endChat(chocolate.id);
			world.rate(chocolate.id, 'good');
			offline = world.addOfflineMessage({
				visitor: { name: 'Luna' },
				message: 'Call me about my late delivery',
			});
		});

		it('matches each field', () => {
			expect(match('agent_names:Tom', chocolate)).toBe(true);
			expect(match('agent_names:"tom riddle"', chocolate)).toBe(true);
			expect(match('agent_names:Harry', chocolate)).toBe(false);
			expect(match('visitor_name:harry', chocolate)).toBe(true);
			expect(match('visitor_name:Har', chocolate)).toBe(false);
			expect(match('visitor_email:HARRY@hogwarts.example', chocolate)).toBe(true);
			expect(match('visitor_email:harry@hogwarts', chocolate)).toBe(false);
			expect(match('rating:good', chocolate)).toBe(true);
			expect(match('rating:bad', chocolate)).toBe(false);
			expect(match('type:chat', chocolate)).toBe(true);
			expect(match('chat_type:offline_msg', chocolate)).toBe(false);
			expect(match('chat_type:offline_msg', offline)).toBe(true);
		});

		it('matches timestamps and end timestamps, exact, ranged and open', () => {
			expect(match('timestamp:2014-10-15', chocolate)).toBe(true);
			expect(match('timestamp:2014-10-15T16:31:25', chocolate)).toBe(true);
			expect(match('timestamp:2014-10-15T16:31:26', chocolate)).toBe(false);
			expect(match('timestamp:[2014-10-16 TO *]', chocolate)).toBe(false);
			expect(match('timestamp:[* TO 2014-10-15]', chocolate)).toBe(true);
			expect(match('end_timestamp:[2014-10-15T16:32:25 TO 2014-10-15T16:32:25]', chocolate)).toBe(
				true,
			);
			expect(match('end_timestamp:[2014-10-15T16:32:26 TO *]', chocolate)).toBe(false);
			const open = world.startChat({ message: 'still here' });
			expect(match('end_timestamp:[* TO *]', open)).toBe(false);
			expect(match('timestamp:[* TO *]', open)).toBe(true);
		});

		it('matches free text as whole words and phrases in messages, case-insensitively', () => {
			expect(match('chocolate', chocolate)).toBe(true);
			expect(match('CHOCOLATE AND frogs', chocolate)).toBe(true);
			expect(match('"chocolate frogs"', chocolate)).toBe(true);
			expect(match('"frogs chocolate"', chocolate)).toBe(false);
			expect(match('choc', chocolate)).toBe(false);
			expect(match('"we do"', chocolate)).toBe(true);
			expect(match('delivery', offline)).toBe(true);
			expect(match('type:chat AND delivery', offline)).toBe(false);
			// Free text is about what was said, not who said it.
			expect(match('harry', chocolate)).toBe(false);
		});
	});
});

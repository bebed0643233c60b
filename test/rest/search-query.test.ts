import { InvalidInputError } from '../../src/shared';
import { buildSearchQuery, searchTerm } from '../../src/rest';
import { normalizeSearchCriteria } from '../../src/rest/search-query';

function invalidField(run: () => unknown): string {
	try {
		run();
	} catch (error) {
		if (error instanceof InvalidInputError) return error.field;
		throw error;
	}
	throw new Error('expected an InvalidInputError');
}

describe('buildSearchQuery: every documented field', () => {
	it('writes each field as the documented examples do', () => {
		expect(buildSearchQuery({ agentNames: 'Tom' })).toBe('agent_names:Tom');
		expect(buildSearchQuery({ visitorName: 'Harry' })).toBe('visitor_name:Harry');
		expect(buildSearchQuery({ visitorEmail: 'harry@example.com' })).toBe(
			'visitor_email:harry@example.com',
		);
		expect(buildSearchQuery({ chatType: 'chat' })).toBe('type:chat');
		expect(buildSearchQuery({ chatType: 'offline_msg' })).toBe('type:offline_msg');
		expect(buildSearchQuery({ rating: 'good' })).toBe('rating:good');
		expect(buildSearchQuery({ rating: 'bad' })).toBe('rating:bad');
		expect(buildSearchQuery({ text: 'chocolate' })).toBe('chocolate');
	});

	it('joins criteria with AND, like "agent_names:Tom AND visitor_name:Harry"', () => {
		expect(buildSearchQuery({ agentNames: 'Tom', visitorName: 'Harry' })).toBe(
			'agent_names:Tom AND visitor_name:Harry',
		);
		expect(buildSearchQuery({ chatType: 'chat', text: 'chocolate' })).toBe(
			'type:chat AND chocolate',
		);
		expect(
			buildSearchQuery({ agentNames: ['Tom', 'Ann'], rating: 'good', text: 'refund order' }),
		).toBe('agent_names:Tom AND agent_names:Ann AND rating:good AND refund AND order');
	});

	it('writes time ranges [a TO b] in UTC seconds, with * for an open end', () => {
		// A date-only "to" is the whole day, as "[2014-10-10 TO 2014-12-12]" ("between" the two) reads.
		expect(buildSearchQuery({ timestamp: { from: '2014-10-10', to: '2014-12-12' } })).toBe(
			'timestamp:[2014-10-10T00:00:00 TO 2014-12-12T23:59:59]',
		);
		expect(
			buildSearchQuery({ timestamp: { from: '2014-10-10', to: '2014-12-12T00:00:00Z' } }),
		).toBe('timestamp:[2014-10-10T00:00:00 TO 2014-12-12T00:00:00]');
		expect(buildSearchQuery({ timestamp: { from: '2016-02-02T16:00:00Z' }, rating: 'good' })).toBe(
			'rating:good AND timestamp:[2016-02-02T16:00:00 TO *]',
		);
		expect(
			buildSearchQuery({ endTimestamp: { to: new Date(Date.UTC(2014, 9, 25, 1, 2, 3)) } }),
		).toBe('end_timestamp:[* TO 2014-10-25T01:02:03]');
		// An offset is honoured; a text without one is UTC (as Zendesk writes its own).
		expect(buildSearchQuery({ timestamp: { from: '2020-01-01T02:00:00+02:00' } })).toBe(
			'timestamp:[2020-01-01T00:00:00 TO *]',
		);
		expect(buildSearchQuery({ timestamp: { from: '2020-01-01T02:00:00' } })).toBe(
			'timestamp:[2020-01-01T02:00:00 TO *]',
		);
	});

	it('never widens a range: from rounds up to the second, to rounds down', () => {
		expect(
			buildSearchQuery({
				timestamp: { from: '2020-01-01T00:00:00.001Z', to: '2020-01-01T00:00:09.999Z' },
			}),
		).toBe('timestamp:[2020-01-01T00:00:01 TO 2020-01-01T00:00:09]');
	});

	it('reproduces the documented example queries', () => {
		expect(
			buildSearchQuery({
				visitorEmail: 'jane@example.com',
				timestamp: { from: '2014-10-10', to: '2014-12-12' },
			}),
		).toBe(
			'visitor_email:jane@example.com AND timestamp:[2014-10-10T00:00:00 TO 2014-12-12T23:59:59]',
		);
		expect(buildSearchQuery({ endTimestamp: { from: '2014-10-25' }, rating: 'good' })).toBe(
			'rating:good AND end_timestamp:[2014-10-25T00:00:00 TO *]',
		);
	});
});

describe('searchTerm: a user value can never change the query structure', () => {
	it('leaves plain values as they are', () => {
		expect(searchTerm('Tom')).toBe('Tom');
		expect(searchTerm('José')).toBe('José');
		expect(searchTerm('jane.doe@example.com')).toBe('jane.doe@example.com');
		expect(searchTerm('agent_007')).toBe('agent_007');
	});

	it('quotes anything with a meaning in the syntax; " and \\ never appear inside a phrase', () => {
		expect(searchTerm('John Smith')).toBe('"John Smith"');
		expect(searchTerm('Tom AND rating:bad')).toBe('"Tom AND rating:bad"');
		expect(searchTerm('x OR y')).toBe('"x OR y"');
		expect(searchTerm('[* TO *]')).toBe('"[* TO *]"');
		expect(searchTerm('Tom*')).toBe('"Tom*"');
		expect(searchTerm('-Tom')).toBe('"-Tom"');
		expect(searchTerm('(a)')).toBe('"(a)"');
		expect(searchTerm('say "hi"')).toBe('"say hi"');
		expect(searchTerm('back\\slash')).toBe('"back slash"');
		expect(searchTerm('O"Brien')).toBe('"O Brien"');
		expect(searchTerm('" OR rating:good OR "')).toBe('"OR rating:good OR"');
		expect(searchTerm('x\\" OR y')).toBe('"x OR y"');
		expect(searchTerm('jane+tag@example.com')).toBe('"jane+tag@example.com"');
	});

	it('quotes the operator words themselves, in any case', () => {
		expect(searchTerm('AND')).toBe('"AND"');
		expect(searchTerm('or')).toBe('"or"');
		expect(searchTerm('NOT')).toBe('"NOT"');
		expect(searchTerm('TO')).toBe('"TO"');
	});

	it('keeps an injected value inside its own clause', () => {
		const query = buildSearchQuery({ visitorName: 'x" OR visitor_name:"y', rating: 'good' });
		expect(query).toBe('visitor_name:"x OR visitor_name: y" AND rating:good');
		// Exactly one pair of quotes: the whole value is one phrase, whatever reads it.
		expect(query.match(/"/g)).toHaveLength(2);
	});

	it('quotes free-text words that carry syntax, one term per word', () => {
		expect(buildSearchQuery({ text: 'rating:bad  (urgent)' })).toBe('"rating:bad" AND "(urgent)"');
		expect(buildSearchQuery({ text: 'late * delivery -' })).toBe('late AND delivery');
	});
});

describe('buildSearchQuery: validation before anything is sent', () => {
	it('names the criterion to fix', () => {
		expect(invalidField(() => buildSearchQuery({}))).toBe('query');
		expect(invalidField(() => buildSearchQuery({ visitorName: '   ' }))).toBe('query.visitorName');
		expect(invalidField(() => buildSearchQuery({ visitorName: 'a\nb' }))).toBe('query.visitorName');
		expect(invalidField(() => buildSearchQuery({ visitorName: '"*"' }))).toBe('query.visitorName');
		expect(invalidField(() => buildSearchQuery({ text: '* ?' }))).toBe('query.text');
		expect(invalidField(() => buildSearchQuery({ visitorName: 'x'.repeat(256) }))).toBe(
			'query.visitorName',
		);
		expect(invalidField(() => buildSearchQuery({ agentNames: ['Tom', ''] }))).toBe(
			'query.agentNames[1]',
		);
		expect(invalidField(() => buildSearchQuery({ visitorEmail: 'not an email' }))).toBe(
			'query.visitorEmail',
		);
		expect(invalidField(() => buildSearchQuery({ visitorEmail: 'a"@b.c' }))).toBe(
			'query.visitorEmail',
		);
		expect(invalidField(() => buildSearchQuery({ chatType: 'ticket' as never }))).toBe(
			'query.chatType',
		);
		expect(invalidField(() => buildSearchQuery({ rating: 'great' as never }))).toBe('query.rating');
		expect(invalidField(() => buildSearchQuery({ timestamp: {} }))).toBe('query.timestamp');
		expect(invalidField(() => buildSearchQuery({ timestamp: { from: 'yesterday' } }))).toBe(
			'query.timestamp.from',
		);
		expect(
			invalidField(() => buildSearchQuery({ timestamp: { to: 1_700_000_000 as never } })),
		).toBe('query.timestamp.to');
		expect(
			invalidField(() => buildSearchQuery({ timestamp: { from: '2020-02-01', to: '2020-01-01' } })),
		).toBe('query.timestamp');
		expect(
			invalidField(() => buildSearchQuery({ endTimestamp: { form: '2020-01-01' } as never })),
		).toBe('query.endTimestamp.form');
		expect(invalidField(() => buildSearchQuery({ department: 'Sales' } as never))).toBe(
			'query.department',
		);
		expect(invalidField(() => buildSearchQuery(null as never))).toBe('query');
	});

	it('keeps ranges in whole seconds for slicing', () => {
		expect(
			normalizeSearchCriteria({ timestamp: { from: '1970-01-01T00:00:10Z' }, text: 'hi' }),
		).toEqual({
			agentNames: [],
			textTerms: ['hi'],
			timestamp: { from: 10, to: null },
		});
	});
});

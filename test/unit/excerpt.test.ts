/**
 * How errors quote a value the user gave (src/shared/excerpt.ts): whole when short, a marked
 * excerpt with the length when long, so a 100 KB value never becomes a 100 KB error.
 */
import { ticketMetadata } from '../../src/messaging/ticket-metadata';
import { chatChangesBody } from '../../src/rest/update-chat';
import { clipText, EXCERPT_LENGTH, InvalidInputError, quoteValue } from '../../src/shared';

const HUGE = 'a b'.repeat(33_334); // 100,002 characters, not a valid tag

function refusal(action: () => unknown): InvalidInputError {
	try {
		action();
	} catch (error) {
		if (error instanceof InvalidInputError) return error;
		throw error;
	}
	throw new Error('expected an InvalidInputError');
}

describe('quoteValue', () => {
	it('quotes a short string whole, with JSON escapes', () => {
		expect(quoteValue('vip')).toBe('"vip"');
		expect(quoteValue('two "words"\n')).toBe('"two \\"words\\"\\n"');
		expect(quoteValue('')).toBe('""');
	});

	it('cuts a long string to its first 60 characters, marked, with its length', () => {
		expect(quoteValue('x'.repeat(100_000))).toBe(`"${'x'.repeat(60)}…" (100000 characters)`);
		expect(quoteValue('x'.repeat(60))).toBe(`"${'x'.repeat(60)}"`);
		expect(quoteValue('x'.repeat(61))).toBe(`"${'x'.repeat(60)}…" (61 characters)`);
	});

	it('never splits a character, counts an emoji as one, and bounds escapes too', () => {
		expect(quoteValue('😀'.repeat(100))).toBe(`"${'😀'.repeat(60)}…" (100 characters)`);
		const controls = quoteValue('\u0001'.repeat(1_000));
		expect(controls.length).toBeLessThan(EXCERPT_LENGTH + 30);
		expect(controls).toMatch(/^"(\\u0001)+…" \(1000 characters\)$/);
	});

	it('shows numbers, booleans, null and undefined as themselves, lists and objects as JSON cut the same way', () => {
		expect(quoteValue(42)).toBe('42');
		expect(quoteValue(false)).toBe('false');
		expect(quoteValue(null)).toBe('null');
		expect(quoteValue(undefined)).toBe('undefined');
		expect(quoteValue(['a', 1])).toBe('["a",1]');
		expect(quoteValue({ text: 'y'.repeat(1_000) })).toBe(
			`{"text":"${'y'.repeat(51)}… (1011 characters of JSON)`,
		);
	});
});

describe('clipText', () => {
	it('keeps short text and marks a cut with the length', () => {
		expect(clipText('short')).toBe('short');
		expect(clipText('z'.repeat(1_000), 10)).toBe('zzzzzzzzzz… (1000 characters)');
	});
});

describe('errors of the core quote a 100 KB value as an excerpt', () => {
	it.each([
		['a Chat REST tag (Chat › Update)', () => chatChangesBody({ tags: [HUGE] })],
		['a Messaging ticket tag (Escalate)', () => ticketMetadata({ tags: [HUGE] })],
	])('%s', (_name, action) => {
		const error = refusal(action);
		expect(error.message.length).toBeLessThan(300);
		expect(error.message).toContain('(100002 characters)');
	});
});

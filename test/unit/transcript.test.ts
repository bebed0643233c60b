/** The shared transcript formatter: lines in, text or Markdown out, the maximum-length rule, escaping. */
import { escapeMarkdown, formatTranscript, type TranscriptLine } from '../../src/shared/transcript';

const line = (text: string, extra: Partial<TranscriptLine> = {}): TranscriptLine => ({
	time: '2024-05-01T09:00:05Z',
	speaker: 'Jane',
	role: 'visitor',
	text,
	...extra,
});

describe('formatTranscript', () => {
	it('writes one text line per message, with UTC time, speaker and role', () => {
		const out = formatTranscript([
			line('Hello'),
			line('Hi Jane', { speaker: 'Ann', role: 'agent', time: '2024-05-01T09:01:00.250Z' }),
		]);
		expect(out).toEqual({
			transcript:
				'[2024-05-01 09:00:05 UTC] Jane (visitor): Hello\n[2024-05-01 09:01:00 UTC] Ann (agent): Hi Jane',
			lines: [
				line('Hello'),
				line('Hi Jane', { speaker: 'Ann', role: 'agent', time: '2024-05-01T09:01:00.250Z' }),
			],
			truncated: false,
		});
	});

	it('keeps each message on one line, and shows a missing or unreadable time and name plainly', () => {
		const out = formatTranscript([
			line('two\r\nlines\u2028here', { time: '' }),
			line('x', { time: 'yesterday', speaker: ' ' }),
		]);
		expect(out.transcript).toBe('Jane (visitor): two lines here\n[yesterday] Unknown (visitor): x');
	});

	it('writes events as "* who what"', () => {
		expect(formatTranscript([line('joined the chat', { role: 'system' })]).transcript).toBe(
			'[2024-05-01 09:00:05 UTC] * Jane joined the chat',
		);
		expect(
			formatTranscript([line('joined the chat', { role: 'system' })], { format: 'markdown' })
				.transcript,
		).toBe('- 2024-05-01 09:00:05 UTC _Jane joined the chat_');
	});

	it('writes Markdown list items with every inline Markdown character of names and texts escaped', () => {
		const out = formatTranscript(
			[line('**bold** [l](http://x) <img src=x> `c` _i_ | ~s~ &amp; \\', { speaker: '*Eve*' })],
			{ format: 'markdown' },
		);
		expect(out.transcript).toBe(
			'- 2024-05-01 09:00:05 UTC **\\*Eve\\*** (visitor): \\*\\*bold\\*\\* \\[l\\](http://x) \\<img src=x\\> \\`c\\` \\_i\\_ \\| \\~s\\~ \\&amp; \\\\',
		);
		expect(escapeMarkdown('plain text, 1. # - + ok')).toBe('plain text, 1. # - + ok');
	});

	it('with maxLength, keeps the latest lines that fit and says how many earlier ones were left out', () => {
		const lines = Array.from({ length: 10 }, (_, i) => line(`message ${i + 1}`, { time: '' }));
		// Each line is "Jane (visitor): message N": 25 characters (26 for message 10); the notice 26.
		const out = formatTranscript(lines, { maxLength: 105 });
		expect(out.transcript).toBe(
			'[7 earlier lines left out]\nJane (visitor): message 8\nJane (visitor): message 9\nJane (visitor): message 10',
		);
		expect(out.transcript.length).toBe(105);
		expect(formatTranscript(lines, { maxLength: 104 }).transcript.split('\n')[0]).toBe(
			'[8 earlier lines left out]',
		);
		expect(out.lines).toEqual(lines.slice(7));
		expect(out.truncated).toBe(true);
		expect(
			formatTranscript(lines, { maxLength: 100, format: 'markdown' }).transcript.split('\n')[0],
		).toMatch(/^_\\\[\d+ earlier lines left out\\\]_$/);
	});

	it('says "line" for one left out, and is not truncated when everything fits exactly', () => {
		const lines = [line('a'.repeat(40), { time: '' }), line('b', { time: '' })];
		const whole = formatTranscript(lines).transcript;
		expect(formatTranscript(lines, { maxLength: whole.length })).toMatchObject({
			transcript: whole,
			truncated: false,
		});
		expect(formatTranscript(lines, { maxLength: whole.length - 1 }).transcript).toBe(
			'[1 earlier line left out]\nJane (visitor): b',
		);
	});

	it('keeps the end of the latest line when not even it fits whole', () => {
		const out = formatTranscript([line('old', { time: '' }), line('x'.repeat(200), { time: '' })], {
			maxLength: 60,
		});
		expect(out.transcript.length).toBe(60);
		expect(out.transcript).toMatch(/^\[1 earlier line left out\]\n…x+$/);
		expect(out.truncated).toBe(true);
		expect(out.lines).toHaveLength(1);
		expect(
			formatTranscript([line('y'.repeat(50), { time: '' })], { maxLength: 10 }).transcript,
		).toBe(`…${'y'.repeat(9)}`);
	});

	it('gives an empty transcript for no lines, and refuses a maxLength that is not a positive integer', () => {
		expect(formatTranscript([])).toEqual({ transcript: '', lines: [], truncated: false });
		for (const maxLength of [0, -3, 1.5, Number.NaN])
			expect(() => formatTranscript([line('a')], { maxLength })).toThrow(RangeError);
	});
});

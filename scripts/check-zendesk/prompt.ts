/**
 * The two questions the check may ask on a terminal: the token (typed without echo) and the
 * go-ahead. Both read from the terminal in raw mode, so nothing typed is shown and Ctrl-C cancels.
 */
import type { Readable, Writable } from 'node:stream';

/** stdin as the check sees it; a terminal has isTTY and setRawMode. */
export type CheckInput = Readable & { isTTY?: boolean; setRawMode?(mode: boolean): unknown };

export class PromptCancelled extends Error {
	constructor() {
		super('cancelled');
		this.name = 'PromptCancelled';
	}
}

export function isInteractive(input: CheckInput): boolean {
	return input.isTTY === true && typeof input.setRawMode === 'function';
}

/** Reads one line in raw mode, showing what is typed unless `hidden`. */
function readLine(
	input: CheckInput,
	output: Writable,
	question: string,
	hidden: boolean,
): Promise<string> {
	return new Promise((resolve, reject) => {
		let line = '';
		output.write(question);
		const finish = (error?: Error) => {
			input.off('data', onData);
			input.setRawMode?.(false);
			input.pause();
			output.write('\n');
			if (error) reject(error);
			else resolve(line);
		};
		const onData = (chunk: Buffer | string) => {
			const chars = [...chunk.toString('utf8')];
			for (const [i, ch] of chars.entries()) {
				if (ch === '\r' || ch === '\n') {
					// Typed ahead (the next answer already in this chunk): left for the next question.
					const rest = chars
						.slice(i + 1)
						.join('')
						.replace(/^\n/, '');
					finish();
					if (rest !== '') input.unshift(Buffer.from(rest, 'utf8'));
					return;
				}
				// Ctrl-C, or Ctrl-D on an empty line.
				if (ch === '\u0003' || (ch === '\u0004' && line === ''))
					return finish(new PromptCancelled());
				if (ch === '\u007f' || ch === '\b') {
					if (line.length > 0) {
						line = [...line].slice(0, -1).join('');
						if (!hidden) output.write('\b \b');
					}
					continue;
				}
				if (ch < ' ') continue;
				line += ch;
				if (!hidden) output.write(ch);
			}
		};
		input.setRawMode?.(true);
		input.resume();
		input.on('data', onData);
	});
}

/** Asks for the token; nothing typed is echoed (not even a star per character: its length stays private). */
export async function promptToken(input: CheckInput, output: Writable): Promise<string> {
	const token = await readLine(
		input,
		output,
		'Zendesk Chat OAuth access token (input hidden): ',
		true,
	);
	return token.trim();
}

/** Asks a yes/no question; only y or yes is a yes. */
export async function confirm(
	input: CheckInput,
	output: Writable,
	question: string,
): Promise<boolean> {
	const answer = await readLine(input, output, `${question} [y/N] `, false);
	return /^y(es)?$/i.test(answer.trim());
}

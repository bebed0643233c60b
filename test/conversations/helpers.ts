import type { Simulator } from '../../simulator';
import { SIM_TOKENS } from '../../simulator';
import {
	AgentSession,
	createStartBudget,
	type AgentSessionOptions,
	type SubscriptionSink,
} from '../../src/conversations';
import { exponentialBackoff, staticToken, type Logger, type ZendeskError } from '../../src/shared';

/** Session options for tests: quick retries, and a start budget of its own (the per-process one is tested separately). */
export function testSessionOptions(
	sim: Simulator,
	extra: Partial<AgentSessionOptions> = {},
): AgentSessionOptions {
	return {
		tokenProvider: staticToken(SIM_TOKENS.bot),
		httpUrl: sim.urls.conversationsHttp,
		retryWait: exponentialBackoff({ initialMs: 20, maxMs: 200 }),
		requestRetryWait: exponentialBackoff({ initialMs: 20, maxMs: 200 }),
		subscribeRetryWait: exponentialBackoff({ initialMs: 20, maxMs: 200 }),
		startBudget: createStartBudget(),
		...extra,
	};
}

export function newSession(sim: Simulator, extra: Partial<AgentSessionOptions> = {}): AgentSession {
	return new AgentSession(testSessionOptions(sim, extra));
}

/** A sink that records everything it hears. */
export class Recorder<T> implements SubscriptionSink<T> {
	readonly events: T[] = [];
	readonly errors: ZendeskError[] = [];
	ended = false;
	endError: ZendeskError | undefined;
	next(event: T): void {
		this.events.push(event);
	}
	error(error: ZendeskError): void {
		this.errors.push(error);
	}
	end(error?: ZendeskError): void {
		this.ended = true;
		this.endError = error;
	}
}

/** Polls `check` until it is true; fails with `what` after `timeoutMs`. */
export async function waitFor(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}

/** Resolves with the next value `session` emits for `event`. */
export function nextEvent<V>(
	on: (listener: (value: V) => void) => () => void,
	match: (value: V) => boolean = () => true,
): Promise<V> {
	return new Promise((resolve) => {
		const off = on((value) => {
			if (!match(value)) return;
			off();
			resolve(value);
		});
	});
}

/** A logger that keeps what it is told, to check what a user would find in n8n's log. */
export class LogRecorder implements Logger {
	readonly entries: Array<{
		level: keyof Logger;
		message: string;
		meta?: Record<string, unknown>;
	}> = [];
	debug(message: string, meta?: Record<string, unknown>): void {
		this.entries.push({ level: 'debug', message, meta });
	}
	info(message: string, meta?: Record<string, unknown>): void {
		this.entries.push({ level: 'info', message, meta });
	}
	warn(message: string, meta?: Record<string, unknown>): void {
		this.entries.push({ level: 'warn', message, meta });
	}
	error(message: string, meta?: Record<string, unknown>): void {
		this.entries.push({ level: 'error', message, meta });
	}
	lines(level: keyof Logger): string[] {
		return this.entries.filter((e) => e.level === level).map((e) => e.message);
	}
	/** Everything logged, messages and metadata, as one text (to look for what must never be there). */
	text(): string {
		return this.entries
			.map((e) => `${e.level} ${e.message} ${JSON.stringify(e.meta ?? {})}`)
			.join('\n');
	}
}

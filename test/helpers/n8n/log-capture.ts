import { createRequire } from 'node:module';

// n8n-core brings its own copies of @n8n/di and @n8n/backend-common: the Logger its contexts ask the
// container for is that copy's class, in that copy's container.
const fromCore = createRequire(require.resolve('n8n-core'));
const { Container } = fromCore('@n8n/di') as typeof import('@n8n/di');
const { Logger } = fromCore('@n8n/backend-common') as typeof import('@n8n/backend-common');
type Logger = import('@n8n/backend-common').Logger;

export interface CapturedLine {
	level: 'error' | 'warn' | 'info' | 'debug';
	message: string;
	meta?: unknown;
}

/**
 * Captures what nodes write to n8n's log: n8n-core's contexts hand out `Container.get(Logger)` as
 * `this.logger`, so the lines our nodes (and the pooled sessions they lease) log land here.
 */
export class N8nLogCapture {
	readonly lines: CapturedLine[] = [];
	private previous: unknown;

	install(): this {
		this.previous = Container.has(Logger) ? Container.get(Logger) : undefined;
		const record = (level: CapturedLine['level']) => (message: string, meta?: unknown) =>
			void this.lines.push({ level, message, meta });
		const logger = {
			error: record('error'),
			warn: record('warn'),
			info: record('info'),
			debug: record('debug'),
			scoped: () => logger,
		};
		Container.set(Logger, logger as unknown as Logger);
		return this;
	}

	uninstall(): void {
		if (this.previous !== undefined) Container.set(Logger, this.previous as Logger);
	}

	messages(level: CapturedLine['level']): string[] {
		return this.lines.filter((l) => l.level === level).map((l) => l.message);
	}

	/** Every line, message and metadata, as one text (to look for what must never be in a log). */
	text(): string {
		return this.lines
			.map((l) => `${l.level} ${l.message} ${JSON.stringify(l.meta ?? {})}`)
			.join('\n');
	}

	clear(): void {
		this.lines.length = 0;
	}
}

import WebSocket from 'ws';

/**
 * A raw WebSocket client for tests: collects every frame it receives, so a test can wait for the
 * next frame that matches, and see everything that came before or after.
 */
export class WsProbe {
	readonly frames: unknown[] = [];
	readonly rawFrames: string[] = [];
	closeCode: number | undefined;
	closeReason = '';
	private waiters: Array<{
		match: (f: unknown) => boolean;
		from: number;
		resolve: (f: unknown) => void;
	}> = [];
	private closeWaiters: Array<() => void> = [];

	private constructor(readonly ws: WebSocket) {
		ws.on('message', (data) => {
			const text = data.toString();
			this.rawFrames.push(text);
			let frame: unknown;
			try {
				frame = JSON.parse(text);
			} catch {
				frame = { __unparsed: text };
			}
			this.frames.push(frame);
			const index = this.frames.length - 1;
			for (const w of [...this.waiters]) {
				if (index >= w.from && w.match(frame)) {
					this.waiters = this.waiters.filter((x) => x !== w);
					w.resolve(frame);
				}
			}
		});
		ws.on('close', (code, reason) => {
			this.closeCode = code;
			this.closeReason = reason.toString();
			for (const resolve of this.closeWaiters) resolve();
			this.closeWaiters = [];
		});
		ws.on('error', () => undefined);
	}

	/** Opens a socket and waits for it to be open; rejects with the HTTP status when refused. */
	static open(url: string, options: WebSocket.ClientOptions = {}): Promise<WsProbe> {
		return new Promise((resolve, reject) => {
			const ws = new WebSocket(url, options);
			const probe = new WsProbe(ws);
			ws.once('open', () => resolve(probe));
			ws.once('unexpected-response', (_req, res) => {
				let body = '';
				res.on('data', (c: Buffer) => (body += c.toString()));
				res.on('end', () => {
					const error = Object.assign(new Error(`upgrade refused: ${res.statusCode}`), {
						statusCode: res.statusCode,
						headers: res.headers,
						body,
					});
					reject(error);
				});
			});
			ws.once('error', reject);
		});
	}

	send(frame: unknown): void {
		this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
	}

	/** The first frame (at or after position `from`, default: any not yet seen by index) that matches. */
	next<T = any>(
		match: (frame: any) => boolean,
		options: { timeoutMs?: number; from?: number } = {},
	): Promise<T> {
		const from = options.from ?? 0;
		const existing = this.frames.slice(from).find(match);
		if (existing !== undefined) return Promise.resolve(existing as T);
		return new Promise<T>((resolve, reject) => {
			const timer = setTimeout(() => {
				this.waiters = this.waiters.filter((w) => w !== waiter);
				reject(
					new Error(
						`no matching frame within ${options.timeoutMs ?? 3000} ms; got ${JSON.stringify(this.frames.slice(-5))}`,
					),
				);
			}, options.timeoutMs ?? 3000);
			const waiter = {
				match,
				from,
				resolve: (f: unknown) => {
					clearTimeout(timer);
					resolve(f as T);
				},
			};
			this.waiters.push(waiter);
		});
	}

	/** Sends a frame and waits for the first later frame that matches. */
	async request<T = any>(
		frame: unknown,
		match: (frame: any) => boolean,
		timeoutMs?: number,
	): Promise<T> {
		const from = this.frames.length;
		this.send(frame);
		return this.next<T>(match, { from, timeoutMs });
	}

	/** Resolves once the socket has closed (from either side). */
	closed(timeoutMs = 3000): Promise<void> {
		if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error('socket did not close')), timeoutMs);
			this.closeWaiters.push(() => {
				clearTimeout(timer);
				resolve();
			});
		});
	}

	/** Waits a little and returns the frames that arrived after `from` (to assert that nothing came). */
	async framesAfter(from: number, waitMs = 100): Promise<unknown[]> {
		await new Promise((r) => setTimeout(r, waitMs));
		return this.frames.slice(from);
	}

	async close(): Promise<void> {
		if (this.ws.readyState === WebSocket.CLOSED) return;
		this.ws.close();
		await this.closed().catch(() => this.ws.terminate());
	}
}

export interface LoggedRequest {
	method: string;
	/** Path and query string as received, e.g. "/api/v2/chat/chats?page=2". */
	path: string;
	status: number;
	/** Simulator clock, ISO 8601. */
	at: string;
}

/**
 * Every request the REST module answered, in order, so a test can assert what a client sent (how
 * many pages, which cursor). Injected faults are answered by the server before the module and are
 * not here (see faults.served). The oldest entries go beyond `capacity`.
 */
export class RequestLog {
	private entries: LoggedRequest[] = [];

	constructor(private readonly capacity = 10_000) {}

	add(entry: LoggedRequest): void {
		this.entries.push(entry);
		if (this.entries.length > this.capacity)
			this.entries.splice(0, this.entries.length - this.capacity);
	}

	/** The last `limit` entries (all by default). */
	list(limit?: number): LoggedRequest[] {
		return limit === undefined
			? [...this.entries]
			: this.entries.slice(Math.max(0, this.entries.length - limit));
	}

	clear(): number {
		const cleared = this.entries.length;
		this.entries = [];
		return cleared;
	}
}

import WebSocket from 'ws';

import type { ClockTimer } from '../clock';
import type { TokenRecord } from '../world/types';
import type { MetricKey, MetricValue, MetricWindow, Topic } from './metric-keys';

/** One subscription of a connection, keyed by (topic, window, department_id). */
export interface Subscription {
	topic: Topic;
	key: MetricKey;
	window: MetricWindow | null;
	departmentId: number | null;
	/** The value this connection was last sent; undefined before the first message. */
	lastSent: MetricValue | undefined;
}

export function subscriptionKey(s: Pick<Subscription, 'key' | 'window' | 'departmentId'>): string {
	return `${s.key}|${s.window ?? ''}|${s.departmentId ?? ''}`;
}

/** One open Streaming API socket: whose token opened it and what it subscribed to. */
export class StreamConnection {
	readonly subscriptions = new Map<string, Subscription>();
	/** Fires when the token expires, to tell the client it is unauthenticated. */
	expiryTimer: ClockTimer | undefined;

	constructor(
		readonly id: number,
		readonly ws: WebSocket,
		readonly token: TokenRecord,
		readonly openedAt: number,
	) {}

	get agentId(): number {
		return this.token.agentId;
	}

	get isOpen(): boolean {
		return this.ws.readyState === WebSocket.OPEN;
	}

	/** Sends a JSON text frame; a socket that is closing is skipped (never throws). */
	send(message: unknown): boolean {
		return this.sendText(JSON.stringify(message));
	}

	sendText(text: string): boolean {
		if (!this.isOpen) return false;
		this.ws.send(text);
		return true;
	}

	describe() {
		return {
			id: this.id,
			agentId: this.agentId,
			openedAt: this.openedAt,
			subscriptions: [...this.subscriptions.values()].map((s) => ({
				topic: `${s.topic}.${s.key}`,
				window: s.window,
				department_id: s.departmentId,
				lastSent: s.lastSent ?? null,
			})),
		};
	}
}

import type { INode, Logger } from 'n8n-workflow';

import type { EmitJob } from '../helpers/emitQueue';

/** What a started source gives back: a way to let go of everything it holds. */
export interface EventSource {
	/** Releases subscriptions, the session lease, sockets and clients. Calling it again waits for the same stop. */
	stop(): Promise<void>;
}

/** How a source reports to the trigger's lifecycle (ZendeskChatTrigger.node.ts routes each by phase). */
export interface SourceHooks {
	/** The trigger node: errors name it, and its id keys executions (n8n skips a repeated key). */
	readonly node: INode;
	/** n8n's logger: the pooled session logs drops, EOS and refused starts through it. */
	readonly logger: Logger;
	/** "Listen for test event": a test run changes nothing in Zendesk that outlives it (the agent's status). */
	readonly manual: boolean;
	/** An event to turn into an execution, in arrival order. */
	push(job: EmitJob): void;
	/** A failure no retry can fix: the token was revoked, the account lost API access. */
	fatal(error: unknown): void;
	/** One event could not be handled; the listener itself is fine. */
	eventFailed(error: unknown): void;
	/** A fault the core recovers from on its own (a drop, a refused connect that is retried). */
	transient(error: unknown): void;
}

import type { AddressInfo } from 'node:net';

import { ManualClock, SystemClock, type Clock } from './clock';
import { SIM_ACCOUNT_ID } from './defaults';
import { Faults } from './faults';
import type { SimContext, SimModule } from './module';
import { SlidingWindowLimiter } from './rate-window';
import { SimulatorServer } from './server';
import { createModelModule } from './model';
import {
	createConversationsModule,
	type ConversationsOptions,
	type SchemaVariant,
} from './conversations';
import { schemaVariantFromFlags } from './conversations/variant-flags';
import { createOAuthModule } from './oauth';
import { createRestModule } from './rest';
import { createStreamingModule } from './streaming';
import { createSunshineModule } from './sunshine';
import { createSupportModule } from './support';
import { ChatWorld } from './world/chat-world';
import { createWorldControl } from './world/control';
import { seedChatWorld } from './world/seed';

export * from './defaults';
export { ManualClock, SystemClock, type Clock } from './clock';
export type { ApiName, HttpFault } from './faults';
export type { ConversationsOptions, SchemaVariant } from './conversations';

export interface SimulatorOptions {
	/** Loopback by default; the simulator is for this machine only. */
	host?: string;
	/** 0 (the default) picks a free port. */
	port?: number;
	/** A ManualClock lets tests cross per-hour limits and webhook retry windows instantly. */
	clock?: Clock;
	/** Log lines (requests that failed, webhook deliveries); silent by default. */
	log?: (message: string) => void;
	/** Conversations API options, e.g. `{ schemaVariant }`: the reading of the schema's unseen parts it serves. */
	conversations?: ConversationsOptions;
}

export interface SimulatorUrls {
	/** Base of every API on this simulator (http://host:port). */
	base: string;
	/** Conversations API: POST here runs startAgentSession (chat-api.zopim.com/graphql/request). */
	conversationsHttp: string;
	/** Conversations API WebSockets live under here (the websocket_url startAgentSession returns). */
	conversationsWs: string;
	/** Chat REST API base ({subdomain}.zendesk.com/api/v2/chat). */
	rest: string;
	/** Streaming API WebSocket (rtm.zopim.com/stream). */
	streaming: string;
	/** Sunshine Conversations base ({subdomain}.zendesk.com/sc); app paths follow /v2/apps/{appId}. */
	sunshine: string;
	/** Support API base ({subdomain}.zendesk.com/api/v2); in n8n's Zendesk credentials, `base` goes in the Subdomain. */
	support: string;
	/** The scripted chat model, OpenAI-compatible (not a Zendesk API): Base URL of n8n's OpenAI credential. */
	model: string;
	/** Control API: POST /_sim/<group>/<operation>. */
	control: string;
}

/** A running simulator: its URLs, the shared world, and the control API in process. */
export class Simulator {
	readonly faults = new Faults();
	readonly world: ChatWorld;
	readonly conversations: ReturnType<typeof createConversationsModule>;
	readonly rest: ReturnType<typeof createRestModule>;
	readonly streaming: ReturnType<typeof createStreamingModule>;
	readonly sunshine: ReturnType<typeof createSunshineModule>;
	readonly support: ReturnType<typeof createSupportModule>;
	readonly oauth: ReturnType<typeof createOAuthModule>;
	readonly model: ReturnType<typeof createModelModule>;
	readonly worldControl: ReturnType<typeof createWorldControl>;
	private readonly server: SimulatorServer;
	private readonly modules: SimModule[];
	private address: AddressInfo | undefined;

	constructor(
		readonly clock: Clock,
		log: (message: string) => void,
		options: Pick<SimulatorOptions, 'conversations'> = {},
	) {
		this.world = new ChatWorld(clock, SIM_ACCOUNT_ID);
		seedChatWorld(this.world);
		const ctx: SimContext = {
			world: this.world,
			clock,
			faults: this.faults,
			// seeds/chat-rest-api-chats.txt and NOTES.md section 3: 200 requests per minute.
			restBudget: new SlidingWindowLimiter(clock, 200, 60_000),
			baseUrl: () => this.urls.base,
			wsBaseUrl: () => this.urls.base.replace(/^http/, 'ws'),
			log,
		};
		this.conversations = createConversationsModule(ctx, options.conversations);
		this.rest = createRestModule(ctx);
		this.streaming = createStreamingModule(ctx);
		this.sunshine = createSunshineModule(ctx);
		this.oauth = createOAuthModule(ctx);
		this.support = createSupportModule(ctx);
		this.model = createModelModule(ctx);
		// support after rest: both live under /api/v2, and rest owns /api/v2/chat.
		this.modules = [
			this.conversations,
			this.rest,
			this.streaming,
			this.sunshine,
			this.oauth,
			this.support,
			this.model,
		];
		this.worldControl = createWorldControl(this.world);
		this.server = new SimulatorServer(
			this.modules,
			{
				world: this.worldControl,
				faults: this.faultControl(),
				clock: this.clockControl(),
				conversations: this.conversations.control,
				rest: this.rest.control,
				streaming: this.streaming.control,
				sunshine: this.sunshine.control,
				oauth: this.oauth.control,
				support: this.support.control,
				model: this.model.control,
			},
			this.faults,
			log,
		);
	}

	async listen(host: string, port: number): Promise<void> {
		await new Promise<void>((resolve, reject) => {
			this.server.http.once('error', reject);
			this.server.http.listen(port, host, () => {
				this.server.http.off('error', reject);
				resolve();
			});
		});
		this.address = this.server.http.address() as AddressInfo;
	}

	get port(): number {
		if (!this.address) throw new Error('the simulator is not listening');
		return this.address.port;
	}

	get urls(): SimulatorUrls {
		if (!this.address) throw new Error('the simulator is not listening');
		const host =
			this.address.family === 'IPv6' ? `[${this.address.address}]` : this.address.address;
		const base = `http://${host}:${this.address.port}`;
		const ws = base.replace(/^http/, 'ws');
		return {
			base,
			conversationsHttp: `${base}/graphql/request`,
			conversationsWs: `${ws}/stream/0.1/graphql/`,
			rest: `${base}/api/v2/chat`,
			streaming: `${ws}/stream`,
			sunshine: `${base}/sc`,
			support: `${base}/api/v2`,
			model: `${base}/v1`,
			control: `${base}/_sim`,
		};
	}

	/** Ends every open connection abruptly: clients see an abnormal close (1006) or a reset. */
	dropAllSockets(): number {
		return this.server.dropAllSockets();
	}

	async close(): Promise<void> {
		this.faults.cancelWaits();
		await Promise.all(this.modules.map((m) => m.close()));
		this.server.dropAllSockets();
		await new Promise<void>((resolve) => this.server.http.close(() => resolve()));
		if (this.clock instanceof SystemClock || this.clock instanceof ManualClock)
			this.clock.clearAll();
	}

	private faultControl() {
		return {
			failNextHttp: (a: Parameters<Faults['failNextHttp']>[0]) => {
				this.faults.failNextHttp(a);
				return { queued: a.count ?? 1 };
			},
			setDelay: (a: Parameters<Faults['setDelay']>[0]) => this.faults.setDelay(a),
			setPingSilenced: (a: Parameters<Faults['setPingSilenced']>[0]) =>
				this.faults.setPingSilenced(a),
			dropAllSockets: () => {
				// Answer the control request first, then drop everything else.
				setImmediate(() => this.server.dropAllSockets());
				return { dropping: true };
			},
			reset: () => this.faults.reset(),
			served: () => this.faults.served,
		};
	}

	private clockControl() {
		return {
			now: () => ({ now: this.clock.now(), iso: new Date(this.clock.now()).toISOString() }),
			advance: (a: { ms: number }) => {
				if (!(this.clock instanceof ManualClock))
					throw new Error(
						'the clock is the system clock; start the simulator with --manual-clock to move it',
					);
				this.clock.advance(a.ms);
				return { now: this.clock.now() };
			},
		};
	}
}

/** Starts a simulator on loopback; close it with `await sim.close()`. */
/**
 * ZENDESK_SIM_SCHEMA_VARIANT (the words of the CLI's --schema-variant, e.g.
 * "id-as-string,string-as-id,non-null") makes every simulator started without a schema variant of
 * its own serve that reading: how a whole test suite is run against another plausible real schema.
 */
function variantFromEnvironment(): SchemaVariant | undefined {
	const words = process.env.ZENDESK_SIM_SCHEMA_VARIANT;
	return words ? schemaVariantFromFlags(words) : undefined;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
	const schemaVariant = options.conversations?.schemaVariant ?? variantFromEnvironment();
	if (schemaVariant)
		options = { ...options, conversations: { ...options.conversations, schemaVariant } };
	const sim = new Simulator(
		options.clock ?? new SystemClock(),
		options.log ?? (() => undefined),
		options,
	);
	await sim.listen(options.host ?? '127.0.0.1', options.port ?? 0);
	return sim;
}

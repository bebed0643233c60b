import { SIM_DEPARTMENTS, SIM_TOKENS, startSimulator, type Simulator } from '../../simulator';
import { staticToken, type TokenProvider } from '../../src/shared/credentials';
import {
	AbortedError,
	ClosedError,
	ConnectionError,
	HttpError,
	InvalidInputError,
	ProtocolError,
} from '../../src/shared/errors';
import { RateLimiter } from '../../src/shared/rate-limiter';
import {
	acquireStreamingClient,
	StreamingStatusError,
	streamingSocketCount,
	type MetricReading,
	type MetricRequest,
	type StreamingClient,
	type StreamingClientOptions,
} from '../../src/streaming';
import { WsProbe } from '../helpers/ws-probe';
import { Recorder, waitFor } from './recorder';

/**
 * The Streaming API client over real sockets against the simulator: one socket per credential,
 * reference-counted topics, the live snapshot, errors, reconnects and keepalive.
 */
describe('streaming client', () => {
	let sim: Simulator;
	const clients: StreamingClient[] = [];
	const probes: WsProbe[] = [];
	let keys = 0;

	beforeAll(async () => {
		sim = await startSimulator();
	});
	afterAll(() => sim.close());

	afterEach(async () => {
		await Promise.all(clients.splice(0).map((c) => c.close()));
		await Promise.all(probes.splice(0).map((p) => p.close()));
		sim.faults.reset();
		sim.streaming.control.clearMetric();
		sim.streaming.control.setNotComputed({ notComputed: false });
		// Nothing is left open by the client, here or on the server.
		expect(streamingSocketCount()).toBe(0);
		await waitFor(
			() => sim.streaming.control.connections().total === 0,
			'the server to see every socket closed',
		);
	});

	const newKey = () => `credential-${++keys}`;

	function open(options: Partial<StreamingClientOptions> = {}): StreamingClient {
		const client = acquireStreamingClient({
			credentialKey: newKey(),
			tokens: staticToken(SIM_TOKENS.bot),
			url: sim.urls.streaming,
			backoff: () => 20,
			...options,
		});
		clients.push(client);
		return client;
	}

	/** Takes all 10 sockets an agent may hold (seeds/chat-streaming-api.txt "Rate Limits"). */
	async function fillAgentSockets(token: string): Promise<void> {
		for (let i = 0; i < 10; i++) {
			probes.push(
				await WsProbe.open(sim.urls.streaming, { headers: { Authorization: `Bearer ${token}` } }),
			);
		}
	}

	const connections = () => sim.streaming.control.connections().connections;
	/** The server's subscriptions on its only connection, without the values it sent. */
	function serverSubscriptions(): Array<{
		topic: string;
		window: number | null;
		department_id: number | null;
	}> {
		const all = connections();
		expect(all).toHaveLength(1);
		return all[0].subscriptions
			.map(({ topic, window, department_id }) => ({ topic, window, department_id }))
			.sort(byTopic);
	}
	const byTopic = (a: { topic: string }, b: { topic: string }) => a.topic.localeCompare(b.topic);

	const setMetric = (
		key: string,
		value: number | null,
		extra: { window?: 30 | 60; departmentId?: number } = {},
	) => sim.streaming.control.setMetric({ key, value, ...extra });

	function reading(
		partial: Partial<MetricReading> & Pick<MetricReading, 'topic' | 'metric' | 'value'>,
	): MetricReading {
		return {
			category: partial.topic.startsWith('agents.') ? 'agents' : 'chats',
			window: null,
			departmentId: null,
			updatedAt: expect.any(Date),
			...partial,
		};
	}

	describe('subscriptions', () => {
		it('subscribes, delivers every change with the documented fields, and unsubscribes', async () => {
			setMetric('incoming_chats', 3);
			const client = open();
			const listener = new Recorder();
			const subscription = client.subscribe({ metric: 'incoming_chats' }, listener);
			expect(client.snapshot()).toEqual([
				{
					...reading({ topic: 'chats.incoming_chats', metric: 'incoming_chats', value: null }),
					updatedAt: null,
				},
			]);
			await client.ready();
			expect(client.status).toBe('open');
			await waitFor(() => listener.updates.length === 1, 'the current value');
			expect(listener.updates[0]).toEqual(
				reading({ topic: 'chats.incoming_chats', metric: 'incoming_chats', value: 3 }),
			);
			expect(serverSubscriptions()).toEqual([
				{ topic: 'chats.incoming_chats', window: null, department_id: null },
			]);

			setMetric('incoming_chats', 4);
			await waitFor(() => listener.updates.length === 2, 'the change');
			expect(listener.values()).toEqual([3, 4]);
			expect(client.snapshot()).toEqual([
				reading({ topic: 'chats.incoming_chats', metric: 'incoming_chats', value: 4 }),
			]);
			expect(subscription.reading()?.value).toBe(4);

			subscription.unsubscribe();
			subscription.unsubscribe();
			await waitFor(() => connections()[0].subscriptions.length === 0, 'the unsubscribe');
			expect(setMetric('incoming_chats', 5).sent).toBe(0);
			expect(client.snapshot()).toEqual([]);
			expect(subscription.reading()).toBeUndefined();
			expect(listener.values()).toEqual([3, 4]);
			expect(listener.errors).toEqual([]);
		});

		it('keeps a metric at null until the server computed it', async () => {
			sim.streaming.control.setNotComputed({ notComputed: true });
			const client = open();
			const listener = new Recorder();
			client.subscribe({ metric: 'waiting_time_avg' }, listener);
			await waitFor(() => listener.updates.length === 1, 'the first update');
			expect(client.snapshot()).toEqual([
				reading({ topic: 'chats.waiting_time_avg', metric: 'waiting_time_avg', value: null }),
			]);
			setMetric('waiting_time_avg', 12);
			await waitFor(() => listener.updates.length === 2, 'the computed value');
			expect(listener.values()).toEqual([null, 12]);
		});

		it('shares one socket per credential and one server subscription per topic, window and department', async () => {
			const credentialKey = newKey();
			setMetric('missed_chats', 2, { window: 30 });
			const a = open({ credentialKey });
			const b = open({ credentialKey });
			const first = new Recorder();
			const second = new Recorder();
			const third = new Recorder();
			const subA = a.subscribe({ metric: 'missed_chats', window: 30 }, first);
			const subB = b.subscribe({ metric: 'chats.missed_chats', window: 30 }, second);
			// The same listener object twice holds two references.
			const subC1 = b.subscribe({ metric: 'missed_chats', window: 30 }, third);
			const subC2 = b.subscribe({ metric: 'missed_chats', window: 30 }, third);
			await Promise.all([a.ready(), b.ready()]);
			expect(sim.streaming.control.connections().total).toBe(1);
			expect(streamingSocketCount()).toBe(1);

			// The server answers frames in order: once a later topic has its value, every earlier
			// subscribe has been answered. One subscribe only, or the server would have sent 2 again.
			const marker = new Recorder();
			a.subscribe({ metric: 'active_chats' }, marker);
			await waitFor(() => marker.updates.length === 1, 'the marker topic');
			expect(first.values()).toEqual([2]);
			expect(second.values()).toEqual([2]);
			expect(third.values()).toEqual([2, 2]);

			setMetric('missed_chats', 3, { window: 30 });
			await waitFor(
				() => first.updates.length === 2 && second.updates.length === 2,
				'both listeners',
			);
			expect(first.values()).toEqual([2, 3]);
			expect(second.values()).toEqual([2, 3]);
			expect(third.values()).toEqual([2, 2, 3, 3]);
			expect(serverSubscriptions()).toEqual([
				{ topic: 'chats.active_chats', window: null, department_id: null },
				{ topic: 'chats.missed_chats', window: 30, department_id: null },
			]);

			subA.unsubscribe();
			subC1.unsubscribe();
			subB.unsubscribe();
			// One reference is left: still subscribed on the server.
			expect(setMetric('missed_chats', 4, { window: 30 }).sent).toBe(1);
			await waitFor(() => third.updates.length === 5, 'the last listener');
			expect(third.values()).toEqual([2, 2, 3, 3, 4]);
			expect(first.values()).toEqual([2, 3]);
			expect(second.values()).toEqual([2, 3]);

			subC2.unsubscribe();
			await waitFor(
				() => connections()[0].subscriptions.length === 1,
				'the unsubscribe after the last listener',
			);
			expect(serverSubscriptions()).toEqual([
				{ topic: 'chats.active_chats', window: null, department_id: null },
			]);

			await a.close();
			expect(streamingSocketCount()).toBe(1);
			expect(sim.streaming.control.connections().total).toBe(1);
			expect(b.status).toBe('open');
			await b.close();
			expect(streamingSocketCount()).toBe(0);
			await waitFor(
				() => sim.streaming.control.connections().total === 0,
				'the last client to close the socket',
			);
		});

		it('routes windowed and department metrics to their own listeners', async () => {
			setMetric('missed_chats', 1, { window: 30 });
			setMetric('missed_chats', 6, { window: 60 });
			setMetric('incoming_chats', 2);
			setMetric('incoming_chats', 7, { departmentId: SIM_DEPARTMENTS.sales });
			setMetric('agents_online', 3, { departmentId: SIM_DEPARTMENTS.support });
			const client = open();
			const missed30 = new Recorder();
			const missed60 = new Recorder();
			const incoming = new Recorder();
			const incomingSales = new Recorder();
			const agentsSupport = new Recorder();
			client.subscribe({ metric: 'missed_chats', window: 30 }, missed30);
			client.subscribe({ metric: 'missed_chats', window: 60 }, missed60);
			const all = client.subscribe({ metric: 'incoming_chats' }, incoming);
			client.subscribe(
				{ metric: 'incoming_chats', departmentId: SIM_DEPARTMENTS.sales },
				incomingSales,
			);
			client.subscribe(
				{ metric: 'agents_online', departmentId: SIM_DEPARTMENTS.support },
				agentsSupport,
			);
			const recorders = [missed30, missed60, incoming, incomingSales, agentsSupport];
			await waitFor(() => recorders.every((r) => r.updates.length === 1), 'every current value');
			expect(recorders.map((r) => r.values())).toEqual([[1], [6], [2], [7], [3]]);
			expect(agentsSupport.updates[0]).toEqual(
				reading({
					topic: 'agents.agents_online',
					metric: 'agents_online',
					departmentId: SIM_DEPARTMENTS.support,
					value: 3,
				}),
			);

			setMetric('missed_chats', 8, { window: 60 });
			await waitFor(() => missed60.updates.length === 2, 'the 60-minute change');
			expect(missed30.values()).toEqual([1]);
			expect(
				client
					.snapshot()
					.sort((x, y) =>
						`${x.metric}${x.window}${x.departmentId}`.localeCompare(
							`${y.metric}${y.window}${y.departmentId}`,
						),
					),
			).toEqual([
				reading({
					topic: 'agents.agents_online',
					metric: 'agents_online',
					departmentId: SIM_DEPARTMENTS.support,
					value: 3,
				}),
				reading({
					topic: 'chats.incoming_chats',
					metric: 'incoming_chats',
					departmentId: SIM_DEPARTMENTS.sales,
					value: 7,
				}),
				reading({ topic: 'chats.incoming_chats', metric: 'incoming_chats', value: 2 }),
				reading({ topic: 'chats.missed_chats', metric: 'missed_chats', window: 30, value: 1 }),
				reading({ topic: 'chats.missed_chats', metric: 'missed_chats', window: 60, value: 8 }),
			]);

			// Leaving the account-wide topic must not starve the department's listener, whatever the
			// server makes of an unsubscribe that names only the topic.
			all.unsubscribe();
			const incomingOnServer = () =>
				serverSubscriptions().filter((s) => s.topic === 'chats.incoming_chats');
			await waitFor(
				() =>
					incomingOnServer().length === 1 &&
					incomingOnServer()[0].department_id === SIM_DEPARTMENTS.sales,
				() =>
					`only the department's subscription; the server has ${JSON.stringify(incomingOnServer())}`,
			);
			setMetric('incoming_chats', 9, { departmentId: SIM_DEPARTMENTS.sales });
			await waitFor(() => incomingSales.updates.some((u) => u.value === 9), 'the department value');
			setMetric('incoming_chats', 10);
			expect(incoming.values()).toEqual([2]);
		});

		it('rejects invalid requests before anything is sent', async () => {
			const client = open();
			const general = new Recorder();
			client.onError(general.onError);
			await client.ready();
			const invalid: Array<[unknown, string]> = [
				[{ metric: 'incoming_chat' }, 'metric'],
				[{ metric: 'agents.incoming_chats' }, 'metric'],
				[{ metric: 'missed_chats' }, 'window'],
				[{ metric: 'satisfaction_good', window: 15 }, 'window'],
				[{ metric: 'incoming_chats', window: 30 }, 'window'],
				[{ metric: 'agents_away', window: 60 }, 'window'],
				[{ metric: 'agents_online', departmentId: 0 }, 'departmentId'],
				[{ metric: 'agents_online', departmentId: '2001' }, 'departmentId'],
			];
			for (const [request, field] of invalid) {
				expect(() => client.subscribe(request as MetricRequest, general)).toThrow(
					InvalidInputError,
				);
				try {
					client.subscribe(request as MetricRequest, general);
				} catch (error) {
					expect((error as InvalidInputError).field).toBe(field);
				}
			}
			// Frames arrive in order: had anything been sent, its error frame would come before this value.
			const listener = new Recorder();
			client.subscribe({ metric: 'active_chats' }, listener);
			await waitFor(() => listener.updates.length === 1, 'the valid subscription');
			expect(serverSubscriptions()).toEqual([
				{ topic: 'chats.active_chats', window: null, department_id: null },
			]);
			expect(general.errors).toEqual([]);
			expect(client.snapshot()).toHaveLength(1);
		});
	});

	describe('server errors and malformed frames', () => {
		it('surfaces error frames as StreamingStatusError to every listener, or to one topic', async () => {
			const client = open();
			const general = new Recorder();
			client.onError(general.onError);
			const incoming = new Recorder();
			const missed = new Recorder();
			client.subscribe({ metric: 'incoming_chats' }, incoming);
			client.subscribe({ metric: 'missed_chats', window: 30 }, missed);
			await waitFor(
				() => incoming.updates.length === 1 && missed.updates.length === 1,
				'the current values',
			);
			const connectionId = connections()[0].id;

			sim.streaming.control.sendError({ status_code: 500, message: 'unsupported message sent' });
			await waitFor(
				() =>
					general.errors.length === 1 && incoming.errors.length === 1 && missed.errors.length === 1,
				'the error',
			);
			for (const error of [general.errors[0], incoming.errors[0], missed.errors[0]]) {
				expect(error).toBeInstanceOf(StreamingStatusError);
				expect(error).toMatchObject({
					statusCode: 500,
					serverMessage: 'unsupported message sent',
					retryable: false,
					api: 'streaming',
				});
			}

			// An error that names its topic goes to that topic's listeners only.
			sim.streaming.control.sendMalformedFrame({
				text: JSON.stringify({
					status_code: 403,
					message: 'not allowed',
					content: { topic: 'chats.missed_chats' },
				}),
			});
			setMetric('incoming_chats', 11);
			await waitFor(
				() => incoming.updates.length === 2 && missed.errors.length === 2,
				'the topic error and the next update',
			);
			expect(missed.errors[1]).toMatchObject({ statusCode: 403, topic: 'chats.missed_chats' });
			expect(incoming.errors).toHaveLength(1);
			expect(general.errors).toHaveLength(1);

			expect(client.status).toBe('open');
			expect(connections()[0].id).toBe(connectionId);
		});

		it('survives malformed frames, reporting them as ProtocolError', async () => {
			const client = open();
			const general = new Recorder();
			client.onError(general.onError);
			const listener = new Recorder();
			client.subscribe({ metric: 'assigned_chats' }, listener);
			await waitFor(() => listener.updates.length === 1, 'the current value');
			const connectionId = connections()[0].id;

			sim.streaming.control.sendMalformedFrame();
			sim.streaming.control.sendMalformedFrame({
				text: '{"status_code":200,"content":{"type":"update","data":{"assigned_chats":"many"}}}',
			});
			setMetric('assigned_chats', 21);
			await waitFor(() => listener.updates.some((u) => u.value === 21), 'the next update');
			expect(general.errors.map((e) => e.constructor)).toEqual([ProtocolError, ProtocolError]);
			expect(listener.errors.map((e) => e.constructor)).toEqual([ProtocolError, ProtocolError]);
			expect(client.snapshot()[0].value).toBe(21);
			expect(client.status).toBe('open');
			expect(connections()[0].id).toBe(connectionId);
		});

		it('a listener that throws does not stop the others', async () => {
			const client = open();
			const listener = new Recorder();
			client.subscribe(
				{ metric: 'active_chats' },
				{
					onUpdate: () => {
						throw new Error('listener bug');
					},
				},
			);
			client.subscribe({ metric: 'active_chats' }, listener);
			setMetric('active_chats', 5);
			await waitFor(() => listener.updates.some((u) => u.value === 5), 'the second listener');
			expect(client.status).toBe('open');
		});
	});

	describe('reconnecting', () => {
		it('reconnects after dropSockets, subscribes every topic again and refreshes the snapshot', async () => {
			setMetric('incoming_chats', 1);
			setMetric('missed_chats', 4, { window: 60, departmentId: SIM_DEPARTMENTS.sales });
			setMetric('agents_online', 2);
			const client = open();
			const general = new Recorder();
			client.onError(general.onError);
			const incoming = new Recorder();
			client.subscribe({ metric: 'incoming_chats' }, incoming);
			client.subscribe({ metric: 'missed_chats', window: 60, departmentId: SIM_DEPARTMENTS.sales });
			client.subscribe({ metric: 'agents_online' });
			await client.ready();
			await waitFor(
				() => client.snapshot().every((r) => r.updatedAt !== null),
				'every current value',
			);
			const before = serverSubscriptions();
			const firstId = connections()[0].id;

			const statuses: string[] = [];
			client.onStatus((status) => {
				statuses.push(status);
				// The values change while the client is away: only the new subscription can tell it.
				if (status === 'reconnecting') {
					setMetric('incoming_chats', 50);
					setMetric('agents_online', 7);
				}
			});
			sim.streaming.control.dropSockets();
			await waitFor(
				() => incoming.updates.some((u) => u.value === 50),
				'the value after the reconnect',
			);
			await waitFor(
				() => client.snapshot().find((r) => r.metric === 'agents_online')?.value === 7,
				'the agents value',
			);
			expect(statuses).toEqual(['reconnecting', 'open']);
			expect(connections().map((c) => c.id)).not.toContain(firstId);
			expect(serverSubscriptions()).toEqual(before);
			expect(before).toHaveLength(3);
			expect(
				client
					.snapshot()
					.map((r) => r.value)
					.sort(),
			).toEqual([4, 50, 7].sort());
			expect(general.errors).toHaveLength(1);
			expect(general.errors[0]).toBeInstanceOf(ConnectionError);
			expect(general.errors[0].retryable).toBe(true);
		});

		it('takes a socket whose pings go unanswered as half-open and replaces it', async () => {
			const client = open({ pingIntervalMs: 20, pongTimeoutMs: 150 });
			const general = new Recorder();
			client.onError(general.onError);
			client.subscribe({ metric: 'chat_duration_avg' });
			await client.ready();
			await waitFor(() => connections()[0]?.subscriptions.length === 1, 'the subscription');
			const firstId = connections()[0].id;

			sim.faults.setPingSilenced({ api: 'streaming', silenced: true });
			await waitFor(() => general.errors.length > 0, 'the missing pong');
			sim.faults.setPingSilenced({ api: 'streaming', silenced: false });
			expect(general.errors[0]).toBeInstanceOf(ConnectionError);
			expect(general.errors[0].message).toMatch(/no pong within 150 ms/);

			await waitFor(
				() =>
					client.status === 'open' && connections().length === 1 && connections()[0].id !== firstId,
				'a new socket',
			);
			await waitFor(() => connections()[0].subscriptions.length === 1, 'the subscription again');
			expect(serverSubscriptions()).toEqual([
				{ topic: 'chats.chat_duration_avg', window: null, department_id: null },
			]);
		});
	});

	describe('authentication', () => {
		function provider(tokens: {
			first: string;
			refreshed?: string;
		}): TokenProvider & { calls: { get: number; refresh: number } } {
			const calls = { get: 0, refresh: 0 };
			return {
				calls,
				getToken: async () => {
					calls.get++;
					return tokens.first;
				},
				...(tokens.refreshed === undefined
					? {}
					: {
							refresh: async () => {
								calls.refresh++;
								return tokens.refreshed!;
							},
						}),
			};
		}

		it('fails for good on a 401 when the token cannot be refreshed', async () => {
			const client = open({ tokens: staticToken(SIM_TOKENS.revoked) });
			const general = new Recorder();
			client.onError(general.onError);
			const listener = new Recorder();
			client.subscribe({ metric: 'incoming_chats' }, listener);
			const error = await client.ready().then(
				() => undefined,
				(e: unknown) => e,
			);
			expect(error).toBeInstanceOf(HttpError);
			expect(error).toMatchObject({
				statusCode: 401,
				retryable: false,
				api: 'streaming',
				body: { status_code: 401, message: 'unauthenticated' },
			});
			expect(client.status).toBe('failed');
			expect(general.errors).toEqual([error]);
			expect(listener.errors).toEqual([error]);
			expect(() => client.subscribe({ metric: 'active_chats' })).toThrow(error as Error);
			// A new client of the credential tries afresh.
			expect(streamingSocketCount()).toBe(0);
		});

		it('refreshes the token once on a 401 and connects with the new one', async () => {
			const tokens = provider({ first: SIM_TOKENS.revoked, refreshed: SIM_TOKENS.bot });
			const client = open({ tokens });
			const general = new Recorder();
			client.onError(general.onError);
			await client.ready();
			expect(tokens.calls).toEqual({ get: 1, refresh: 1 });
			expect(general.errors).toEqual([]);
		});

		it('gives up after one refresh when the new token is refused too', async () => {
			const tokens = provider({ first: SIM_TOKENS.revoked, refreshed: 'sim-token-unknown' });
			const client = open({ tokens });
			await expect(client.ready()).rejects.toMatchObject({ statusCode: 401 });
			expect(tokens.calls).toEqual({ get: 1, refresh: 1 });
			expect(client.status).toBe('failed');
		});

		it('reconnects with a refreshed token after each in-band 401 (the token expired again later), with every topic', async () => {
			for (const accessToken of ['streaming-token-1', 'streaming-token-2', 'streaming-token-3']) {
				sim.world.addToken({ accessToken, agentId: 1001, scopes: ['read'] });
			}
			const refreshed = ['streaming-token-2', 'streaming-token-3'];
			const calls = { get: 0, refresh: 0 };
			const tokens: TokenProvider = {
				getToken: async () => {
					calls.get++;
					return 'streaming-token-1';
				},
				refresh: async () => refreshed[calls.refresh++],
			};
			const client = open({ tokens });
			const general = new Recorder();
			client.onError(general.onError);
			const listener = new Recorder();
			client.subscribe({ metric: 'response_time_max' }, listener);
			client.subscribe({ metric: 'satisfaction_bad', window: 30 });
			await client.ready();
			await waitFor(() => listener.updates.length === 1, 'the first value');

			for (const [i, expired] of ['streaming-token-1', 'streaming-token-2'].entries()) {
				const previousId = connections()[0].id;
				sim.world.revokeToken(expired);
				expect(sim.streaming.control.revalidateTokens()).toEqual({ closed: 1 });
				await waitFor(
					() =>
						connections().length === 1 &&
						connections()[0].id !== previousId &&
						connections()[0].subscriptions.length === 2,
					`socket ${i + 2}`,
				);
				// The new socket's first values show it healthy, which allows the next refresh.
				await waitFor(() => listener.updates.length === i + 2, `value ${i + 2}`);
			}
			expect(calls).toEqual({ get: 1, refresh: 2 });
			expect(client.status).toBe('open');
			// The refresh is the client's business: listeners hear nothing of the 401s.
			expect(general.errors).toEqual([]);
			expect(listener.errors).toEqual([]);
		});
	});

	describe('limits', () => {
		it('reports a 429 on the upgrade (too many connections) and retries until a slot frees', async () => {
			await fillAgentSockets(SIM_TOKENS.human);
			const client = open({ tokens: staticToken(SIM_TOKENS.human) });
			const general = new Recorder();
			client.onError(general.onError);
			client.subscribe({ metric: 'agents_away' });
			await waitFor(() => general.errors.length >= 2, 'two refused attempts');
			const refusal = general.errors[0] as HttpError;
			expect(refusal).toBeInstanceOf(HttpError);
			expect(refusal).toMatchObject({ statusCode: 429, retryable: true, api: 'streaming' });
			expect(refusal.message).toMatch(/too many concurrent connections/);
			expect(client.status).toBe('connecting');

			await probes.pop()!.close();
			await client.ready();
			expect(sim.streaming.control.connections().perAgent).toEqual({ 1002: 10 });
		});

		it('waits at least Retry-After after a 429', async () => {
			sim.faults.failNextHttp({ api: 'streaming', status: 429, retryAfter: 1 });
			const client = open();
			const general = new Recorder();
			client.onError(general.onError);
			await client.ready();
			expect(general.errors).toHaveLength(1);
			expect(general.errors[0]).toMatchObject({ statusCode: 429, retryAfterMs: 1000 });
		});

		it('counts every connect against the given REST budget', async () => {
			const connectBudget = new RateLimiter([{ limit: 1, windowMs: 60_000 }]);
			expect(connectBudget.delayMs()).toBe(0);
			const client = open({ connectBudget });
			await client.ready();
			expect(connectBudget.delayMs()).toBeGreaterThan(0);
		});
	});

	describe('closing', () => {
		it('closes while retrying, leaving nothing open, and refuses use afterwards', async () => {
			await fillAgentSockets(SIM_TOKENS.human);
			const client = open({ tokens: staticToken(SIM_TOKENS.human) });
			const general = new Recorder();
			client.onError(general.onError);
			client.subscribe({ metric: 'agents_invisible' });
			const ready = client.ready();
			await waitFor(() => general.errors.length >= 1, 'a refused attempt');
			await client.close();
			await expect(ready).rejects.toBeInstanceOf(ClosedError);
			expect(client.status).toBe('closed');
			expect(streamingSocketCount()).toBe(0);
			expect(() => client.subscribe({ metric: 'agents_invisible' })).toThrow(ClosedError);
			await expect(client.ready()).rejects.toBeInstanceOf(ClosedError);
			expect(client.snapshot()).toEqual([]);
			await client.close();
		});

		it('stops waiting for the socket when the signal aborts', async () => {
			await fillAgentSockets(SIM_TOKENS.human);
			const client = open({ tokens: staticToken(SIM_TOKENS.human) });
			const controller = new AbortController();
			const ready = client.ready(controller.signal);
			controller.abort();
			await expect(ready).rejects.toBeInstanceOf(AbortedError);
			expect(client.status).toBe('connecting');
		});

		it('closes right after acquiring, before the socket opened', async () => {
			const client = open();
			await client.close();
			expect(client.status).toBe('closed');
		});

		it('validates its options', () => {
			const url = sim.urls.streaming;
			const field = (options: Partial<StreamingClientOptions>) => {
				try {
					acquireStreamingClient({
						credentialKey: 'k',
						tokens: staticToken('t'),
						url,
						...options,
					} as StreamingClientOptions);
				} catch (error) {
					expect(error).toBeInstanceOf(InvalidInputError);
					return (error as InvalidInputError).field;
				}
				throw new Error('accepted');
			};
			expect(field({ credentialKey: '' })).toBe('credentialKey');
			expect(field({ tokens: {} as TokenProvider })).toBe('tokens');
			expect(field({ url: 'not a url' })).toBe('url');
			expect(field({ url: 'https://rtm.zopim.com/stream' })).toBe('url');
			expect(field({ pongTimeoutMs: 0 })).toBe('pongTimeoutMs');
			expect(field({ pingIntervalMs: -1 })).toBe('pingIntervalMs');
			expect(streamingSocketCount()).toBe(0);
		});

		it('refuses a second URL for a credential that already streams', async () => {
			const credentialKey = newKey();
			const client = open({ credentialKey });
			expect(() => open({ credentialKey, url: 'ws://127.0.0.1:1/stream' })).toThrow(
				InvalidInputError,
			);
			await client.ready();
		});
	});
});

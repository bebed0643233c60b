/**
 * `npm run check:zendesk`: checks this package's Conversations API client against a real Zendesk
 * Chat account, read-only (issue 9, "A check against a real account"). See README, "Checking against
 * your real Zendesk (check:zendesk)".
 *
 * It asks the server for its schema (introspection, over HTTP without a token, then over the
 * session), validates every document the client can send against it (validating is not sending),
 * runs the read-only queries, listens to the subscriptions for a few seconds, and prints what holds
 * and what does not. It starts one agent session and ends it with stopAgentSession; it never runs
 * an operation that changes anything.
 */
import { writeFileSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';

import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';

import {
	AgentSession,
	operationCatalog,
	START_DOCUMENT,
	STOP_SESSION_DOCUMENT,
	type CatalogEntry,
	type CatalogSample,
	type Operation,
	type SubscriptionHandle,
	type SubscriptionOperation,
} from '../../src/conversations';
import { DEFAULT_HTTP_URL } from '../../src/conversations/constants';
import { GraphqlError, ProtocolError } from '../../src/shared';
import { version as packageVersion } from '../../package.json';
import { confirm, isInteractive, promptToken, PromptCancelled, type CheckInput } from './prompt';
import {
	redact,
	renderText,
	summarize,
	type CheckReport,
	type Finding,
	type Holds,
	type SubscriptionEvents,
} from './report';
import {
	INTROSPECTION_DOCUMENT,
	introspectOverHttp,
	schemaFacts,
	schemaFromIntrospection,
	validateDocument,
	type IntrospectionOutcome,
	type SchemaFacts,
} from './schema-facts';
import { shapeOf } from './shape';

export const TOKEN_ENV = 'ZENDESK_CHAT_TOKEN';
export const DEFAULT_LISTEN_SECONDS = 10;
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * The two documents AgentSession sends itself (src/conversations/start-session.ts and
 * agent-session.ts), copied here because they are not exported: startAgentSession with the token
 * as a variable, and stopAgentSession from close().
 */
export const SESSION_DOCUMENTS = [
	{ label: 'startAgentSession (sent by the session over HTTP)', document: START_DOCUMENT },
	{ label: 'stopAgentSession (sent by close())', document: STOP_SESSION_DOCUMENT },
] as const;

/** Relay-shaped ids (base64 of `[["localId","0"],["type","…"]]`) for an account that has none: validation does not look at values. */
export const PLACEHOLDER_SAMPLE: CatalogSample = {
	channelId: relayId('CHANNEL'),
	agentId: relayId('AGENT'),
	departmentId: relayId('DEPARTMENT'),
	text: 'n8n check:zendesk (validated only, never sent)',
};

function relayId(type: string): string {
	return Buffer.from(
		JSON.stringify([
			['localId', '0'],
			['type', type],
		]),
	).toString('base64');
}

export const USAGE = `Usage: ZENDESK_CHAT_TOKEN=... npm run check:zendesk -- [options]

Checks this package against your real Zendesk Chat account, read-only: one agent session, the
schema by introspection, every document the client can send validated against it (never sent),
the read-only queries, and a short listen to the subscriptions.

Options:
  --http-url <url>        Conversations API HTTP endpoint (default ${DEFAULT_HTTP_URL})
  --listen-seconds <n>    how long to listen to the subscriptions (default ${DEFAULT_LISTEN_SECONDS})
  --yes, -y               do not ask before starting the session (needed when not on a terminal)
  --json                  print the findings as JSON instead of the table
  --schema-out <file>     also write the server's schema (SDL, from introspection) to <file>
  --help, -h              this text

The token comes from ZENDESK_CHAT_TOKEN, or is asked for (without echo) on a terminal.
Exit code: 0 when the check ran (MISMATCH rows are findings, not failures), 1 when it could not
run (no token, token refused, session ended by the server, cancelled), 2 for a usage error.
`;

export const BUG_REPORT_HINT =
	'For a bug report, paste the table above (or the --json output) into an issue at ' +
	'https://github.com/n8n-nodes-zendesk-chat/n8n-nodes-zendesk-chat/issues: it holds no token, no websocket_url and no customer data.';

export interface CheckOptions {
	httpUrl: string;
	listenSeconds: number;
	yes: boolean;
	json: boolean;
	schemaOut: string | undefined;
	help: boolean;
}

export function parseOptions(argv: readonly string[]): CheckOptions {
	const { values } = parseArgs({
		args: [...argv],
		strict: true,
		allowPositionals: false,
		options: {
			'http-url': { type: 'string' },
			'listen-seconds': { type: 'string' },
			yes: { type: 'boolean', short: 'y', default: false },
			json: { type: 'boolean', default: false },
			'schema-out': { type: 'string' },
			help: { type: 'boolean', short: 'h', default: false },
		},
	});
	const httpUrl = values['http-url'] ?? DEFAULT_HTTP_URL;
	let parsed: URL;
	try {
		parsed = new URL(httpUrl);
	} catch {
		throw new Error(`--http-url must be an http(s) URL, got ${JSON.stringify(httpUrl)}`);
	}
	if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
		throw new Error('--http-url must start with https:// or http://');
	const listenSeconds =
		values['listen-seconds'] === undefined
			? DEFAULT_LISTEN_SECONDS
			: Number(values['listen-seconds']);
	if (!Number.isFinite(listenSeconds) || listenSeconds < 0 || listenSeconds > 600) {
		throw new Error('--listen-seconds must be a number of seconds from 0 to 600');
	}
	return {
		httpUrl,
		listenSeconds,
		yes: values.yes === true,
		json: values.json === true,
		schemaOut: values['schema-out'],
		help: values.help === true,
	};
}

export function warningText(listenSeconds: number): string {
	return `This checks n8n-nodes-zendesk-chat against your real Zendesk Chat account. It is read-only:
  - It starts ONE Conversations API agent session for the token's agent. Zendesk allows one session
    per agent: any other session of that agent (an active n8n workflow with a Zendesk Chat trigger or
    node on the same agent, another bot) is ended with EOS "concurrent session limit reached" and has
    to start again.
  - It asks for the schema (introspection), reads departments, agents and open chats, and listens to
    chat messages and chat activity for ${listenSeconds} s.
  - It never sends a message and never changes a chat, a tag, a department or the agent's status:
    the write operations are only validated against the schema, never sent.
  - It ends with stopAgentSession, which ends the agent's sessions.
`;
}

/** Where the check writes; the CLI uses the process's streams, a test its own. */
export interface CheckIo {
	/** The table or the JSON. */
	out?: Writable;
	/** The warning, questions and progress. */
	err?: Writable;
	env?: Record<string, string | undefined>;
	stdin?: CheckInput;
	/** Aborting ends the check early (Ctrl-C); the session is still stopped. */
	signal?: AbortSignal;
}

/** Runs the check; resolves with the exit code. */
export async function main(argv: readonly string[], io: CheckIo = {}): Promise<number> {
	const out = io.out ?? process.stdout;
	const err = io.err ?? process.stderr;
	const env = io.env ?? process.env;
	const stdin = io.stdin ?? (process.stdin as CheckInput);
	let options: CheckOptions;
	try {
		options = parseOptions(argv);
	} catch (error) {
		err.write(`${(error as Error).message}\n\n${USAGE}`);
		return 2;
	}
	if (options.help) {
		out.write(USAGE);
		return 0;
	}
	const interactive = isInteractive(stdin);
	let token = env[TOKEN_ENV]?.trim() || undefined;
	if (!token && !interactive) {
		err.write(
			`No token: set ${TOKEN_ENV} to the Chat OAuth access token (scopes read write chat). stdin is not a terminal, so the check cannot ask for it.\n`,
		);
		return 1;
	}
	err.write(warningText(options.listenSeconds));
	try {
		if (!options.yes) {
			if (!interactive) {
				err.write(
					'\nNot on a terminal, so nobody can confirm: run again with --yes to go ahead.\n',
				);
				return 1;
			}
			if (!(await confirm(stdin, err, '\nStart the session?'))) {
				err.write('Nothing was done.\n');
				return 1;
			}
		}
		if (!token) token = await promptToken(stdin, err);
	} catch (error) {
		if (error instanceof PromptCancelled) {
			err.write('Cancelled; nothing was done.\n');
			return 1;
		}
		throw error;
	}
	if (!token) {
		err.write('No token given; nothing was done.\n');
		return 1;
	}

	const secrets = [token];
	let report: CheckReport;
	try {
		report = await new Check(options, token, err, io.signal).run();
	} catch (error) {
		err.write(
			redact(
				`The check failed unexpectedly: ${(error as Error)?.stack ?? String(error)}\n`,
				secrets,
			),
		);
		return 1;
	}
	if (options.json) {
		out.write(redact(`${JSON.stringify(report, null, 2)}\n`, secrets));
		err.write(`\n${BUG_REPORT_HINT}\n`);
	} else {
		out.write(redact(renderText(report), secrets));
		out.write(`\n${BUG_REPORT_HINT}\n`);
	}
	return report.completed ? 0 : 1;
}

interface SubscriptionRun {
	entry: CatalogEntry;
	state: SubscriptionEvents;
	handle: SubscriptionHandle | undefined;
	fullRefusal?: string;
	confirmedRefusal?: string;
	refusedByServer: boolean;
	firstError?: string;
}

/** One run of the check: its findings, in the order they were found. */
class Check {
	private readonly findings: Finding[] = [];
	private readonly events: SubscriptionEvents[] = [];
	private facts: SchemaFacts | null = null;
	private completed = true;
	private eosReason: string | undefined;
	/** Aborted by the caller's signal or an EOS: ends the listening early. */
	private readonly stop = new AbortController();

	constructor(
		private readonly options: CheckOptions,
		private readonly token: string,
		private readonly err: Writable,
		private readonly signal: AbortSignal | undefined,
	) {
		if (signal?.aborted) this.stop.abort();
		else signal?.addEventListener('abort', () => this.stop.abort(), { once: true });
	}

	async run(): Promise<CheckReport> {
		const ranAt = new Date().toISOString();
		await this.steps();
		return {
			tool: 'check:zendesk',
			package: `n8n-nodes-zendesk-chat@${packageVersion}`,
			node: process.version,
			endpoint: printableUrl(this.options.httpUrl),
			ranAt,
			completed: this.completed,
			summary: summarize(this.findings),
			findings: this.findings,
			events: this.events,
			schema: this.facts,
		};
	}

	private add(check: string, holds: Holds, detail: string): void {
		this.findings.push({ check, holds, detail: redact(detail, [this.token]) });
	}

	private progress(line: string): void {
		this.err.write(`${line}\n`);
	}

	/** True when the check must stop: interrupted, or the server ended the session. */
	private get stopped(): boolean {
		return this.stop.signal.aborted;
	}

	private async steps(): Promise<void> {
		this.progress('\nAsking the HTTP endpoint for its schema (introspection, without a token)…');
		const overHttp = await introspectOverHttp(
			this.options.httpUrl,
			REQUEST_TIMEOUT_MS,
			this.signal,
		);
		this.add(
			'introspection over HTTP (no token)',
			overHttp.ok ? 'yes' : 'no',
			overHttp.ok ? `answered: ${overHttp.types} types` : `refused: ${overHttp.reason}`,
		);
		if (this.signal?.aborted) return this.interrupted();

		this.progress('Starting one agent session…');
		let tokenGiven = false;
		const session = new AgentSession({
			// The token for one startAgentSession and no other: should the session ever want a new one
			// (after the server ended it, or its URL died), it fails instead.
			tokenProvider: {
				getToken: async () => {
					if (tokenGiven)
						throw new Error('check:zendesk starts one agent session only, and that one has ended');
					tokenGiven = true;
					return this.token;
				},
			},
			httpUrl: this.options.httpUrl,
			// One session and no other: nothing is retried by starting another.
			shouldRetry: () => false,
			requestTimeoutMs: REQUEST_TIMEOUT_MS,
			subscribeRetries: 1,
		});
		let closing = false;
		let failure: string | undefined;
		session.on('error', (error) => {
			failure = describe(error);
			this.stop.abort();
		});
		session.on('eos', (reason) => {
			// The EOS that follows our own stopAgentSession is the expected end.
			if (closing) return;
			// Another login as this agent (or Zendesk) ended the session: stop, do not fight for it.
			this.eosReason = reason;
			this.stop.abort();
			void session.close();
		});
		try {
			await session.connect();
		} catch (error) {
			this.add('startAgentSession', 'no', `the session could not start: ${describe(error)}`);
			this.completed = false;
			await session.close();
			return;
		}
		this.add('startAgentSession', 'yes', 'one agent session started; its WebSocket is open');
		try {
			await this.sessionSteps(session, overHttp);
		} finally {
			this.progress('Ending the session (stopAgentSession)…');
			closing = true;
			await session.close();
		}
		if (this.eosReason === undefined && failure !== undefined) {
			this.add(
				'session kept until the end',
				'no',
				`the session failed: ${failure}; the check is incomplete`,
			);
			this.completed = false;
		}
		if (this.eosReason !== undefined) {
			const hint = /concurrent/i.test(this.eosReason)
				? ': another session of this agent started (an n8n workflow, another bot?)'
				: '';
			this.add(
				'session kept until the end',
				'no',
				`the server ended the session early (EOS "${this.eosReason}")${hint}; the check is incomplete`,
			);
			this.completed = false;
		} else if (this.signal?.aborted) {
			this.interrupted();
		}
		const started = session.sessionsStarted;
		const ended =
			this.eosReason === undefined ? 'close() sent stopAgentSession' : 'the server had ended it';
		this.add(
			'one session, ended by stopAgentSession',
			started === 1 ? 'yes' : 'no',
			`${started} agent session(s) started; ${ended}`,
		);
	}

	private interrupted(): void {
		if (!this.completed) return;
		this.completed = false;
		this.add('check ran to the end', 'no', 'interrupted');
	}

	private async sessionSteps(session: AgentSession, overHttp: IntrospectionOutcome): Promise<void> {
		// Introspection over the session: the server the client really talks to.
		this.progress('Asking the session for its schema (introspection)…');
		const introspection: Operation<unknown> = {
			kind: 'query',
			name: 'IntrospectionQuery',
			document: INTROSPECTION_DOCUMENT,
			variables: {},
			idempotent: true,
			parse: (data) => data,
		};
		let overSocket: IntrospectionOutcome;
		try {
			overSocket = schemaFromIntrospection(
				await session.request(introspection, {
					timeoutMs: REQUEST_TIMEOUT_MS,
					signal: this.signal,
				}),
			);
		} catch (error) {
			overSocket = { ok: false, reason: describe(error) };
		}
		this.add(
			'introspection over the WebSocket',
			overSocket.ok ? 'yes' : 'no',
			overSocket.ok ? `answered: ${overSocket.types} types` : `refused: ${overSocket.reason}`,
		);
		if (this.stopped) return;

		let schema: GraphQLSchema | undefined;
		let source: SchemaFacts['source'] = 'the WebSocket';
		if (overSocket.ok) schema = overSocket.schema;
		else if (overHttp.ok) {
			schema = overHttp.schema;
			source = 'HTTP';
		}
		const served = overSocket.ok ? overSocket : overHttp.ok ? overHttp : undefined;
		if (served && served.problems.length > 0) {
			this.add(
				"the server's schema follows graphql's rules",
				'no',
				`${served.problems.join(' ')} (a server may serve such a schema; the documents are validated against it as it is)`,
			);
		}
		if (overSocket.ok && overHttp.ok) {
			const same = sdl(overSocket.schema) === sdl(overHttp.schema);
			this.add(
				'HTTP and WebSocket introspection agree',
				same ? 'yes' : 'no',
				same ? 'the same schema' : 'the two schemas differ; the WebSocket one is used',
			);
		}

		// The read-only queries; their answers give real ids to build the documents with.
		const placeholders = operationCatalog(PLACEHOLDER_SAMPLE);
		const answers: Record<string, unknown[]> = {};
		for (const entry of placeholders.filter(
			(e) => e.readOnly && e.operation.kind !== 'subscription',
		)) {
			if (this.stopped) return;
			this.progress(`Query ${entry.label}…`);
			try {
				const result = await runReadOnly(session, entry, this.signal);
				const list = Array.isArray(result) ? result : [];
				answers[entry.label] = list;
				this.add(`query ${entry.label}`, 'yes', `answered: ${list.length} ${entry.label}`);
			} catch (error) {
				this.add(`query ${entry.label}`, isMismatch(error) ? 'MISMATCH' : 'no', describe(error));
			}
		}
		const idOf = (label: string) => {
			const first = answers[label]?.[0] as { id?: unknown } | undefined;
			return typeof first?.id === 'string' && first.id !== '' ? first.id : undefined;
		};
		const sample: CatalogSample = {
			...PLACEHOLDER_SAMPLE,
			channelId: idOf('channels') ?? PLACEHOLDER_SAMPLE.channelId,
			agentId: idOf('agents') ?? PLACEHOLDER_SAMPLE.agentId,
			departmentId: idOf('departments') ?? PLACEHOLDER_SAMPLE.departmentId,
		};
		const catalog = operationCatalog(sample);

		// Every document, writes too: validating is not sending.
		const documents = documentsOf(catalog);
		if (schema) {
			this.progress(`Validating ${documents.length} documents against the server's schema…`);
			for (const { label, document, readOnly } of documents) {
				const problems = validateDocument(schema, document);
				const ok = problems.length === 0;
				const what = readOnly ? 'read-only' : 'validated only, never sent';
				this.add(
					`valid: ${label}`,
					ok ? 'yes' : 'MISMATCH',
					ok ? `valid (${what})` : `refused (${what}): ${problems.join(' ')}`,
				);
			}
			this.facts = schemaFacts(
				schema,
				documents.map((d) => d.document),
				source,
			);
			if (this.options.schemaOut) {
				writeFileSync(this.options.schemaOut, printSchema(schema));
				this.progress(`Wrote the server's schema to ${this.options.schemaOut}`);
			}
		} else {
			this.add(
				'valid: every document',
				'skipped',
				`introspection was refused both ways, so the ${documents.length} documents could not be validated; the queries and subscriptions still test theirs`,
			);
		}
		if (this.stopped) return;

		await this.listen(
			session,
			catalog.filter((e) => e.readOnly && e.operation.kind === 'subscription'),
		);
	}

	/** Subscribes to every read-only subscription, listens, then reports each. */
	private async listen(session: AgentSession, entries: CatalogEntry[]): Promise<void> {
		this.progress(`Subscribing to ${entries.length} subscriptions…`);
		const runs = await Promise.all(entries.map((entry) => this.subscribe(session, entry)));
		const live = runs.filter((run) => run.handle !== undefined);
		let seconds = 0;
		if (live.length > 0 && !this.stopped) {
			this.progress(
				`Listening for ${this.options.listenSeconds} s (only field names and types of events are kept)…`,
			);
			const started = Date.now();
			await sleep(this.options.listenSeconds * 1000, this.stop.signal);
			seconds = Math.round((Date.now() - started) / 100) / 10;
		}
		await Promise.all(live.map((run) => run.handle?.unsubscribe()));
		for (const run of runs) {
			this.events.push(run.state);
			const label = `subscription ${run.entry.label}`;
			const got = `${run.state.events} event(s) in ${seconds} s`;
			const errors =
				run.state.errors > 0
					? `; ${run.state.errors} error frame(s), first: ${run.firstError}`
					: '';
			if (run.state.document === 'full') {
				this.add(label, run.state.errors > 0 ? 'MISMATCH' : 'yes', `accepted; ${got}${errors}`);
			} else if (run.state.document === 'confirmed') {
				const dropped =
					(run.entry.operation as SubscriptionOperation<unknown>).confirmed?.dropped ?? [];
				this.add(
					label,
					'MISMATCH',
					`the full document was refused (${run.fullRefusal}); with only the confirmed fields it was accepted, ` +
						`so the server refuses (some of) ${dropped.join(', ')}; ${got}${errors}`,
				);
			} else {
				const also = run.confirmedRefusal
					? `; the confirmed fields only were refused too (${run.confirmedRefusal})`
					: '';
				this.add(
					label,
					run.refusedByServer ? 'MISMATCH' : 'no',
					`refused: ${run.fullRefusal}${also}`,
				);
			}
		}
	}

	/**
	 * Subscribes with the full document; when the server refuses it, with the confirmed fields only.
	 * The operation is handed to the session without `confirmed`, so the session cannot fall back on
	 * its own: the check reports what the server did to each document.
	 */
	private async subscribe(session: AgentSession, entry: CatalogEntry): Promise<SubscriptionRun> {
		const operation = entry.operation as SubscriptionOperation<unknown>;
		const run: SubscriptionRun = {
			entry,
			state: {
				subscription: entry.label,
				document: 'none',
				events: 0,
				errors: 0,
				firstEventFields: null,
			},
			handle: undefined,
			refusedByServer: false,
		};
		const sink = {
			next: (event: unknown) => {
				run.state.events += 1;
				if (run.state.events === 1) run.state.firstEventFields = shapeOf(event);
			},
			error: (error: unknown) => {
				run.state.errors += 1;
				run.firstError ??= describe(error);
			},
		};
		assertReadOnly(entry);
		const full = session.subscribe({ ...operation, confirmed: undefined }, sink);
		try {
			await full.ready;
			run.state.document = 'full';
			run.handle = full;
			return run;
		} catch (error) {
			run.fullRefusal = describe(error);
			run.refusedByServer = error instanceof GraphqlError;
		}
		if (!operation.confirmed || !run.refusedByServer || this.stopped) return run;
		const fallback = session.subscribe(
			{ ...operation, document: operation.confirmed.document, confirmed: undefined },
			sink,
		);
		try {
			await fallback.ready;
			run.state.document = 'confirmed';
			run.handle = fallback;
		} catch (error) {
			run.confirmedRefusal = describe(error);
		}
		return run;
	}
}

interface LabelledDocument {
	label: string;
	document: string;
	readOnly: boolean;
}

/** Every document of the catalog (a subscription's confirmed one too) and the session's own two. */
export function documentsOf(catalog: readonly CatalogEntry[]): LabelledDocument[] {
	const documents: LabelledDocument[] = [];
	for (const entry of catalog) {
		documents.push({
			label: entry.label,
			document: entry.operation.document,
			readOnly: entry.readOnly,
		});
		const confirmed =
			entry.operation.kind === 'subscription' ? entry.operation.confirmed : undefined;
		if (confirmed)
			documents.push({
				label: `${entry.label} (confirmed fields only)`,
				document: confirmed.document,
				readOnly: entry.readOnly,
			});
	}
	for (const { label, document } of SESSION_DOCUMENTS)
		documents.push({ label, document, readOnly: false });
	return documents;
}

/** The guard every operation the check runs goes through: only catalog entries marked readOnly. */
function assertReadOnly(entry: CatalogEntry): void {
	if (!entry.readOnly)
		throw new Error(`check:zendesk refuses to run ${entry.label}: it is not read-only`);
}

function runReadOnly(
	session: AgentSession,
	entry: CatalogEntry,
	signal: AbortSignal | undefined,
): Promise<unknown> {
	assertReadOnly(entry);
	if (entry.operation.kind === 'subscription') throw new Error(`${entry.label} is a subscription`);
	return session.request(entry.operation, { timeoutMs: REQUEST_TIMEOUT_MS, signal });
}

/** A refusal of the document (GRAPHQL_EXEC_ERROR) or an answer of another shape: the server and the client disagree. */
function isMismatch(error: unknown): boolean {
	return (
		(error instanceof GraphqlError && error.errorName === 'GRAPHQL_EXEC_ERROR') ||
		error instanceof ProtocolError
	);
}

function describe(error: unknown): string {
	if (error instanceof GraphqlError) return `${error.errorName}: ${error.message}`;
	return (error as Error)?.message ?? String(error);
}

function sdl(schema: GraphQLSchema): string {
	return printSchema(lexicographicSortSchema(schema));
}

/** The URL without a user:password part or query string. */
function printableUrl(url: string): string {
	const parsed = new URL(url);
	return `${parsed.origin}${parsed.pathname}`;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
	return new Promise((resolve) => {
		if (signal?.aborted) return resolve();
		const timer = setTimeout(done, ms);
		function done() {
			clearTimeout(timer);
			signal?.removeEventListener('abort', done);
			resolve();
		}
		signal?.addEventListener('abort', done, { once: true });
	});
}

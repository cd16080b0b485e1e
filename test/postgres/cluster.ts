import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../server-process';

/**
 * A PostgreSQL server of one's own, in a temp folder, on a free port: for tests that stop and
 * start the database (never the shared one at 127.0.0.1:5432) and for machines where none runs.
 * Debian's initdb and pg_ctl; as root, they run as the `postgres` user, since PostgreSQL refuses root.
 */
export interface ThrowawayCluster {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  /** Stops the server fast (connections are cut, as in an outage); the data stays. */
  stop(): void;
  /** Starts it again on the same port and data. */
  start(): void;
  /** Stops it and deletes its folder. */
  destroy(): void;
}

/** The newest installed PostgreSQL's bin folder, such as /usr/lib/postgresql/15/bin. */
export function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))) : [];
  if (versions.length === 0) throw new Error('PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): apt-get install postgresql');
  return join(root, versions.sort((a, b) => Number(b) - Number(a))[0], 'bin');
}

const asRoot = userInfo().uid === 0;

/** Runs a PostgreSQL tool, as the postgres user when we are root; throws with its output on failure. */
function run(tool: string, args: string[]): void {
  const [command, all] = asRoot ? ['runuser', ['-u', 'postgres', '--', tool, ...args]] : [tool, args];
  const result = spawnSync(command, all, { encoding: 'utf8', cwd: tmpdir() });
  if (result.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
}

export async function startThrowawayCluster(): Promise<ThrowawayCluster> {
  const bin = postgresBin();
  const dir = mkdtempSync(join(tmpdir(), 'pg-throwaway-'));
  const data = join(dir, 'data');
  if (asRoot) {
    chmodSync(dir, 0o755);
    chownSync(dir, Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })));
  }
  // C.UTF-8 as on the dev machines; the store does not depend on it (its collations are ICU's).
  run(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
  const port = await freePort();
  // Sockets in the temp folder (the system's socket folder may not be writable); no fsync: test data.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  const pgCtl = (...args: string[]) => run(join(bin, 'pg_ctl'), ['-D', data, '-l', join(dir, 'log'), ...args]);
  const start = () => pgCtl('-o', options, '-w', 'start');
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start,
    stop: () => pgCtl('-m', 'fast', '-w', 'stop'),
    destroy() {
      try {
        pgCtl('-m', 'immediate', '-w', 'stop');
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

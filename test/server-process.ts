import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SERVER_ENTRY = join(__dirname, '..', 'dist', 'server.mjs');

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

export interface RunningServer {
  child: ChildProcessWithoutNullStreams;
  url: string;
  stdout: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, wait for the exit, and remove the temp db.json folder if it made one. */
  stop(): Promise<void>;
}

/**
 * Starts the built server (`node dist/server.mjs`, as `npm start` runs it) on a free port and
 * resolves once it answers. Without a DB_FILE it gets a db.json in a temp folder of its own.
 * With a `--port` among `args`, or an empty PORT and an FC_SERVER_PORT, it waits for that port.
 * `openFiles` runs it under that `ulimit -n`.
 */
export async function startServer(
  env: Record<string, string> = {},
  { args = [], openFiles }: { args?: string[]; openFiles?: number } = {},
): Promise<RunningServer> {
  const portFlag = args.indexOf('--port');
  const port = portFlag >= 0 ? args[portFlag + 1] : env.PORT || env.FC_SERVER_PORT || String(await freePort());
  const dataDir = env.DB_FILE ? undefined : mkdtempSync(join(tmpdir(), 'todolist-server-'));
  const dbFile = env.DB_FILE ?? join(dataDir!, 'db.json');
  const [command, argv] = openFiles
    ? ['/bin/sh', ['-c', `ulimit -n ${openFiles} && exec "$0" "$@"`, process.execPath, SERVER_ENTRY, ...args]]
    : [process.execPath, [SERVER_ENTRY, ...args]];
  const child = spawn(command, argv, {
    env: { ...process.env, LOG_LEVEL: 'info', ...env, PORT: portFlag >= 0 || env.PORT === '' ? (env.PORT ?? '') : port, DB_FILE: dbFile },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  child.stderr.on('data', (chunk) => (err += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = `http://127.0.0.1:${port}`;
  // Ready when it answers, whatever the log level says.
  // Generous: a WORKERS cluster starts several processes, on a machine shared with other work.
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited: ${err}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not start: ${out}${err}`);
    }
    try {
      if ((await fetch(`${url}/api/currentUser`)).ok) break;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  return { child, url, stdout: () => out, exited, stop };
}

/** Runs the server expecting it to refuse to start; answers its exit code and output. */
export function runServer(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SERVER_ENTRY, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

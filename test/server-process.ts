import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
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

/** The parent pid of `pid` (Linux), or undefined once it has gone. */
function parentPid(pid: number): number | undefined {
  try {
    // /proc/<pid>/stat: "pid (command) state ppid ...", and the command may hold spaces.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/** True when the process that answered is `child` or one of its WORKERS. */
const isOurs = (child: ChildProcessWithoutNullStreams, pid: unknown) =>
  typeof pid === 'number' && (pid === child.pid || parentPid(pid) === child.pid);

/**
 * Starts the built server (`node dist/server.mjs`, as `npm start` runs it) on a free port and
 * resolves once it answers. Without a DB_FILE it gets a db.json in a temp folder of its own.
 * With a `--port` among `args`, or an empty PORT and an FC_SERVER_PORT, it waits for that port.
 * `openFiles` runs it under that `ulimit -n`.
 *
 * A free port is free only until someone takes it: between freePort() and the child's listen,
 * another process (a parallel jest worker, another checkout's tests) may take it too. The child
 * then exits with "already in use" while the other process answers on its port, and a test that
 * took any answer as its own would read and write another test's database. So the server is
 * ready only when /healthz answers with the child's pid (or one of its workers'), and a port
 * lost that way is traded for another.
 */
export async function startServer(
  env: Record<string, string> = {},
  { args = [], openFiles }: { args?: string[]; openFiles?: number } = {},
): Promise<RunningServer> {
  const portFlag = args.indexOf('--port');
  const given = portFlag >= 0 ? args[portFlag + 1] : env.PORT || env.FC_SERVER_PORT;
  const dataDir = env.DB_FILE ? undefined : mkdtempSync(join(tmpdir(), 'todolist-server-'));
  const dbFile = env.DB_FILE ?? join(dataDir!, 'db.json');
  for (let attempt = 1; ; attempt++) {
    const port = given ?? String(await freePort());
    try {
      return await startOn(port, portFlag >= 0 || env.PORT === '' ? (env.PORT ?? '') : port, { env, args, openFiles, dbFile, dataDir });
    } catch (error) {
      if (!(error instanceof PortTaken) || given !== undefined || attempt === 5) {
        if (dataDir) rmSync(dataDir, { recursive: true, force: true });
        throw error;
      }
    }
  }
}

class PortTaken extends Error {}

interface StartOptions {
  env: Record<string, string>;
  args: string[];
  openFiles: number | undefined;
  dbFile: string;
  dataDir: string | undefined;
}

/** Starts the server, whose PORT is `portEnv`, and waits for it to answer on `port`. */
async function startOn(port: string, portEnv: string, { env, args, openFiles, dbFile, dataDir }: StartOptions): Promise<RunningServer> {
  const [command, argv] = openFiles
    ? ['/bin/sh', ['-c', `ulimit -n ${openFiles} && exec "$0" "$@"`, process.execPath, SERVER_ENTRY, ...args]]
    : [process.execPath, [SERVER_ENTRY, ...args]];
  const child = spawn(command, argv, { env: { ...process.env, LOG_LEVEL: 'info', ...env, PORT: portEnv, DB_FILE: dbFile } });
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
    if (child.exitCode !== null || child.signalCode !== null) {
      await exited; // all of its output
      throw new (/already in use/.test(err) ? PortTaken : Error)(`server exited: ${err}`);
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not start: ${out}${err}`);
    }
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok && isOurs(child, ((await res.json()) as { pid?: unknown }).pid)) break;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 50));
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

/**
 * How many established TCP connections to local `port` process `pid` holds (Linux /proc). With
 * WORKERS, the primary accepts a connection and then hands it to a worker: this tells when it has.
 */
export function connectionsHeldBy(pid: number, port: number): number {
  const established = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').trim().split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const localPort = parseInt(fields[1].split(':')[1], 16);
      if (localPort === port && fields[3] === '01') established.add(fields[9]); // 01: ESTABLISHED; [9]: inode
    }
  }
  let held = 0;
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    const target = readlinkSync(`/proc/${pid}/fd/${fd}`, { encoding: 'utf8' }) as string;
    if (established.has(/^socket:\[(\d+)\]$/.exec(target)?.[1] ?? '')) held++;
  }
  return held;
}

/**
 * `count` creates, each connected with only the first bytes of its body sent: requests in flight
 * for a signal to arrive during. `finish()` sends the rest; `answers` are their statuses and keys.
 * `ownConnections`: one connection each, not a keep-alive agent's few, so that with WORKERS they
 * spread over the workers.
 */
export function halfSentCreates(url: string, count: number, { ownConnections = false } = {}) {
  const requests = Array.from({ length: count }, (_, i) => {
    const body = JSON.stringify({ name: `before stop ${i}` });
    const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
    const req = httpRequest(`${url}/api/rule`, { method: 'POST', headers, ...(ownConnections ? { agent: false } : {}) });
    const answer = new Promise<{ status: number; key: number }>((resolve, reject) => {
      req.on('response', (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk)).on('end', () => resolve({ status: res.statusCode!, key: JSON.parse(text).data?.key }));
      });
      req.on('error', reject);
    });
    req.write(body.slice(0, 10));
    return { req, rest: body.slice(10), answer };
  });
  return {
    finish: () => requests.forEach(({ req, rest }) => req.end(rest)),
    answers: Promise.all(requests.map(({ answer }) => answer)),
  };
}

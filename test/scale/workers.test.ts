import { availableParallelism } from 'node:os';
import pg from 'pg';
import { loadConfig } from '../../src/config';
import { freshDbPath, tempDir, waitFor } from '../helpers';
import { databasePerFile, emptyDatabase } from '../postgres/database';
import { connectionsHeldBy, freePort, halfSentCreates, runServer, startServer } from '../server-process';
import { answeringPids, send } from './http';

const dir = tempDir();
const database = databasePerFile();

describe('WORKERS', () => {
  it.each([
    [{ WORKERS: '2' }, 'Cannot start: WORKERS=2 needs STORE=postgres: a db.json has exactly one writer; run one process or use STORE=postgres'],
    [{ WORKERS: '3', STORE: 'memory' }, 'Cannot start: WORKERS=3 needs STORE=postgres: the memory store lives in one process; run one process or use STORE=postgres'],
    [{ WORKERS: 'two' }, 'Cannot start: WORKERS must be a whole number from 1, or "auto", got "two"'],
    [{ WORKERS: '0' }, 'Cannot start: WORKERS must be a whole number from 1, or "auto", got "0"'],
    [{ WORKERS: '1.5' }, 'Cannot start: WORKERS must be a whole number from 1, or "auto", got "1.5"'],
  ])('refuses %j at start with one line', async (env, message) => {
    const { code, stdout, stderr } = await runServer([], { DB_FILE: freshDbPath(dir), PORT: String(await freePort()), ...env });
    expect(code).toBe(1);
    expect(stderr).toBe(`${message}\n`);
    expect(stdout).toBe('');
  });

  it('"auto" is one per CPU, and defaults to 1', () => {
    const env = { STORE: 'postgres', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' };
    expect(loadConfig({ ...env, WORKERS: 'auto' }).workers).toBe(availableParallelism());
    expect(loadConfig(env).workers).toBe(1);
  });
});

// Spawned clusters on a machine shared with other work: give them time.
describe('WORKERS=2 STORE=postgres', () => {
  jest.setTimeout(90_000);
  beforeEach(() => emptyDatabase(database.url()));
  const start = () => startServer({ STORE: 'postgres', DATABASE_URL: database.url(), WORKERS: '2', LOG_LEVEL: 'info' });

  it('serves from two processes that share one set of todos', async () => {
    const server = await start();
    try {
      await waitFor(async () => (await answeringPids(server.url, 6)).size === 2);
      const pids = await answeringPids(server.url);
      expect(pids.size).toBe(2);
      expect(pids.has(server.child.pid!)).toBe(false); // the primary serves nothing itself

      // Creates land on both workers; every one of them lists them all.
      const created = await Promise.all(Array.from({ length: 10 }, (_, i) => send(`${server.url}/api/rule`, 'POST', { name: `worker test ${i}` })));
      expect(created.map((answer) => answer.status)).toEqual(Array(10).fill(201));
      for (let i = 0; i < 4; i++) {
        const page = await send(`${server.url}/api/rule?pageSize=100`);
        expect(page.body.total).toBe(11); // and the welcome todo
      }
    } finally {
      await server.stop();
    }
  });

  it('replaces a worker that dies, and says why in the log', async () => {
    const server = await start();
    try {
      await waitFor(async () => (await answeringPids(server.url, 6)).size === 2);
      const [victim, survivor] = [...(await answeringPids(server.url))];
      process.kill(victim, 'SIGKILL');
      // Until the primary has seen the death, node:cluster may still hand it a connection, which
      // then hangs (a known limit of its round-robin mode): a real client's timeout covers that.
      await waitFor(() => server.stdout().includes(`"worker":${victim},`));
      await waitFor(async () => {
        const pids = await answeringPids(server.url, 6);
        return pids.size === 2 && !pids.has(victim);
      });
      expect(await answeringPids(server.url)).toContain(survivor);
      const lines = server.stdout().trim().split('\n').map((line) => JSON.parse(line));
      expect(lines).toContainEqual(expect.objectContaining({ level: 50, worker: victim, signal: 'SIGKILL', msg: expect.stringContaining(`worker ${victim} died (signal SIGKILL)`) }));
    } finally {
      await server.stop();
    }
  });

  it('on SIGTERM, every worker answers its in-flight requests, then the primary exits 0', async () => {
    const server = await start();
    let workerPids: number[] = [];
    await waitFor(async () => (workerPids = [...(await answeringPids(server.url, 6))]).length === 2);
    // 20 creates on connections of their own (so on both workers), each with half its body sent.
    const creates = halfSentCreates(server.url, 20, { ownConnections: true });
    // Connected, and handed by the primary to the workers. (A connection the primary still holds
    // when the last worker stops listening is closed unanswered, as a single server's backlog is.)
    const port = Number(new URL(server.url).port);
    await waitFor(() => connectionsHeldBy(server.child.pid!, port) === 0 && workerPids.reduce((sum, pid) => sum + connectionsHeldBy(pid, port), 0) === 20);
    for (const pid of workerPids) expect(connectionsHeldBy(pid, port)).toBeGreaterThan(0); // both are draining
    server.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 100)); // the workers are stopping now
    creates.finish();

    const answers = await creates.answers;
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(201));
    expect(await server.exited).toEqual({ code: 0, signal: null });
    const stopped = server.stdout().trim().split('\n').map((line) => JSON.parse(line)).filter((line) => line.msg === 'stopped');
    expect(stopped).toHaveLength(3); // two workers, then the primary

    const client = new pg.Client({ connectionString: database.url() });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT key FROM todos WHERE key = ANY($1)', [answers.map((a) => a.key)]);
      expect(rows).toHaveLength(20);
    } finally {
      await client.end();
    }
  });

  it('stops with exit code 1, not a crash loop, when no worker can start', async () => {
    const closedPort = await freePort();
    const { code, stderr, stdout } = await runServer([], {
      STORE: 'postgres',
      DATABASE_URL: `postgres://postgres@127.0.0.1:${closedPort}/nowhere`,
      WORKERS: '2',
      PORT: String(await freePort()),
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(new RegExp(`^Cannot start: PostgreSQL at 127\\.0\\.0\\.1:${closedPort}, database nowhere: .*\\n`));
    expect(stdout).toMatch(/could not start \(exit code 1\); stopping/);
  });
});

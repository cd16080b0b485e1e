import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileStore } from '../../src/stores/file-store';
import { tempDir } from '../helpers';
import { startThrowawayCluster, type ThrowawayCluster } from '../postgres/cluster';
import { createDatabase, databasePerFile, dropDatabase, emptyDatabase, withDatabase } from '../postgres/database';
import { freePort, runServer, startServer, type RunningServer } from '../server-process';

// The built server (as `npm start` runs it) and the built database tool (as `npm run db:*` runs
// it) with STORE=postgres, on this file's own database.

const database = databasePerFile();
const dir = tempDir();
const DB_TOOL = join(__dirname, '..', '..', 'dist', 'db.mjs');

const postgresEnv = (url = database.url()) => ({ STORE: 'postgres', DATABASE_URL: url, LOG_LEVEL: 'warn' });

async function api(server: RunningServer, method: string, path: string, body?: object) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: await res.json() };
}

function dbTool(args: string[], url = database.url()) {
  const result = spawnSync(process.execPath, [DB_TOOL, ...args], { env: { ...process.env, DATABASE_URL: url }, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeEach(() => emptyDatabase(database.url()));

describe('STORE=postgres npm start', () => {
  it('serves the API from the database and keeps everything across a restart', async () => {
    const first = await startServer(postgresEnv());
    const created = await api(first, 'POST', '/api/rule', { name: '持久的待办', desc: 'kept' });
    expect(created.status).toBe(201);
    expect(first.stdout()).not.toContain('listening'); // LOG_LEVEL=warn
    await first.stop();

    const second = await startServer(postgresEnv());
    try {
      const listed = await api(second, 'GET', '/api/rule?sorter=key_ascend');
      expect(listed.body.data.map((todo: { name: string }) => todo.name)).toEqual(['欢迎使用 Serverless 待办事项', '持久的待办']);
      expect((await api(second, 'GET', `/api/rule/${created.body.data.key}`)).body.data).toEqual(created.body.data);
    } finally {
      await second.stop();
    }
  });

  it('says where todos are at start, without the password', async () => {
    const url = new URL(database.url());
    url.password = 'not-a-real-secret';
    const server = await startServer({ ...postgresEnv(url.toString()), LOG_LEVEL: 'info' });
    await server.stop();
    expect(server.stdout()).toContain(`todos in PostgreSQL at 127.0.0.1:${url.port || 5432}, database ${url.pathname.slice(1)}`);
    expect(server.stdout()).not.toContain('not-a-real-secret');
  });

  it('two instances on one database see each other’s writes', async () => {
    const [a, b] = await Promise.all([startServer(postgresEnv()), startServer(postgresEnv())]);
    try {
      const fromA = (await api(a, 'POST', '/api/rule', { name: 'written by a' })).body.data;
      expect((await api(b, 'GET', `/api/rule/${fromA.key}`)).body.data).toEqual(fromA);
      await api(b, 'PUT', '/api/rule', { key: fromA.key, status: 2 });
      expect((await api(a, 'GET', `/api/rule/${fromA.key}`)).body.data.status).toBe(2);
      await api(b, 'DELETE', `/api/rule/${fromA.key}`);
      expect((await api(a, 'GET', `/api/rule/${fromA.key}`)).status).toBe(404);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it('two instances updating different fields of the same todos at once keep both changes', async () => {
    const [a, b] = await Promise.all([startServer(postgresEnv()), startServer(postgresEnv())]);
    try {
      const todos = await Promise.all(Array.from({ length: 10 }, (_, i) => api(a, 'POST', '/api/rule', { name: `t${i}` }).then((res) => res.body.data)));
      const answers = await Promise.all(
        todos.flatMap((todo, i) => [api(a, 'PATCH', `/api/rule/${todo.key}`, { progress: 10 + i }), api(b, 'PUT', `/api/rule/${todo.key}`, { desc: `from b ${i}` })]),
      );
      expect(answers.every((answer) => answer.status === 200)).toBe(true);
      for (const [i, todo] of todos.entries()) {
        expect((await api(b, 'GET', `/api/rule/${todo.key}`)).body.data).toMatchObject({ progress: 10 + i, desc: `from b ${i}` });
      }
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});

describe('when the database is not there', () => {
  it('the server does not start, and says which database in one line without the password', async () => {
    const port = await freePort();
    const { code, stdout, stderr } = await runServer([], { STORE: 'postgres', DATABASE_URL: `postgres://todo:hunter2secret@127.0.0.1:${port}/todos` });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toEqual([expect.stringContaining(`127.0.0.1:${port}, database todos`)]);
    expect(stderr).toMatch(/^Cannot start: PostgreSQL at /);
    expect(stderr).not.toContain('hunter2secret');
  });

  it.each([
    [{ STORE: 'postgres' }, /STORE=postgres needs DATABASE_URL/],
    [{ STORE: 'postgres', DATABASE_URL: 'mysql://u:hunter2secret@h/db' }, /must start with postgres:\/\//],
    [{ STORE: 'postgres', DATABASE_URL: 'postgres://u:hunter2secret@h/db?sslmode=sometimes' }, /sslmode must be/],
    [{ STORE: 'postgres', DATABASE_URL: 'postgres://u:hunter2secret@h/db', DB_POOL_SIZE: '0' }, /DB_POOL_SIZE must be a whole number from 1/],
  ])('refuses %j with a clear line that never shows the password', async (env, message) => {
    const { code, stderr } = await runServer([], env);
    expect(code).toBe(1);
    expect(stderr).toMatch(message);
    expect(stderr).not.toContain('hunter2secret');
  });

  it('--help documents the settings and never shows a password', async () => {
    const { stdout } = await runServer(['--help'], { DATABASE_URL: 'postgres://u:hunter2secret@h/db' });
    for (const name of ['DATABASE_URL', 'DB_POOL_SIZE', 'DB_CONNECT_TIMEOUT_MS', 'DB_STATEMENT_TIMEOUT_MS']) expect(stdout).toContain(name);
    expect(stdout).not.toContain('hunter2secret');
  });
});

describe('the database stopped and started under a running server', () => {
  let cluster: ThrowawayCluster;
  beforeAll(async () => {
    cluster = await startThrowawayCluster();
  }, 60_000);
  afterAll(() => cluster?.destroy());

  it('answers 503 DATABASE_UNAVAILABLE while it is away, then serves again by itself', async () => {
    const url = await createDatabase(cluster.url);
    const server = await startServer({ ...postgresEnv(url), DB_CONNECT_TIMEOUT_MS: '2000' });
    try {
      const todo = (await api(server, 'POST', '/api/rule', { name: 'before the outage' })).body.data;
      cluster.stop();
      for (const [method, path, body] of [
        ['GET', '/api/rule', undefined],
        ['GET', `/api/rule/${todo.key}`, undefined],
        ['POST', '/api/rule', { name: 'during' }],
        ['GET', '/api/currentUser', undefined],
      ] as const) {
        const answer = await api(server, method, path, body);
        expect(answer).toEqual({ status: 503, body: { success: false, errorCode: 'DATABASE_UNAVAILABLE', errorMessage: expect.any(String), traceId: expect.any(String) } });
      }
      cluster.start();
      // The pool reconnects on the next request: no restart of the server.
      const listed = await api(server, 'GET', '/api/rule?sorter=key_ascend');
      expect(listed.status).toBe(200);
      expect(listed.body.data.map((t: { key: number }) => t.key)).toEqual([1, todo.key]);
      expect((await api(server, 'POST', '/api/rule', { name: 'after' })).status).toBe(201);
      expect(server.child.exitCode).toBeNull();
    } finally {
      await server.stop();
      await dropDatabase(url);
    }
  }, 60_000);
});

describe('npm run db:migrate, db:import and db:export', () => {
  it('db:migrate makes the schema of an empty database, and says so', () => {
    const { code, stdout } = dbTool(['migrate']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/schema of PostgreSQL at 127\.0\.0\.1:\d+, database \w+ is up to date/);
  });

  it('imports a course app db.json with its keys; new keys start past the highest', async () => {
    const path = join(dir, 'course.json');
    writeFileSync(
      path,
      JSON.stringify({
        todos: [
          { key: 3, name: '买牛奶', desc: '两盒', status: '2', updatedAt: '2020-08-01T10:00:00.000Z', createdAt: '2020-08-01T09:00:00.000Z', owner: 'x', href: 'https://ant.design', avatar: '', callNo: 5, progress: 10, disabled: false },
          { key: 70, name: '写作业', desc: '', status: 1, createdAt: 'Sat Aug 01 2020 10:00:00 GMT+0800' },
        ],
        user: { name: 'Serverless', avatar: '/a.png', userid: '00000001', email: 'kept@example.com' },
      }),
    );
    const imported = dbTool(['import', path]);
    expect(imported).toMatchObject({ code: 0, stdout: expect.stringContaining('Imported 2 todo(s)') });
    const server = await startServer(postgresEnv());
    try {
      const listed = (await api(server, 'GET', '/api/rule?sorter=key_ascend')).body.data;
      expect(listed).toEqual([
        expect.objectContaining({ key: 3, name: '买牛奶', status: 2, callNo: 5, createdAt: '2020-08-01T09:00:00.000Z', updatedAt: '2020-08-01T10:00:00.000Z' }),
        expect.objectContaining({ key: 70, name: '写作业', status: 1, createdAt: '2020-08-01T02:00:00.000Z', updatedAt: '2020-08-01T02:00:00.000Z' }),
      ]);
      expect((await api(server, 'GET', '/api/currentUser')).body.email).toBe('kept@example.com');
      expect((await api(server, 'POST', '/api/rule', { name: 'new' })).body.data.key).toBe(71);
    } finally {
      await server.stop();
    }
    // The database is in use now: a second import must be asked for.
    const refused = dbTool(['import', path]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/already holds 3 todo\(s\); run again with --replace/);
    expect(dbTool(['import', path, '--replace']).code).toBe(0);
  });

  it('our db.json goes in and comes back out as a file the file store reads, keys and lastKey kept', async () => {
    const source = join(dir, 'ours.json');
    const original = await FileStore.open(source);
    const fields = { name: '第一', desc: 'ü%_', status: 3, owner: 'o', href: 'h', avatar: 'a', callNo: 7, progress: 33.5, disabled: true, createdAt: '2024-02-29T23:59:59.999Z', updatedAt: '2024-03-01T00:00:00.001Z' } as const;
    const a = await original.create(fields);
    const b = await original.create({ ...fields, name: 'second' });
    await original.remove([b.key]); // lastKey is now above every key
    await original.close();
    expect(dbTool(['import', source]).code).toBe(0);

    const exported = join(dir, 'exported.json');
    expect(dbTool(['export', exported])).toMatchObject({ code: 0, stdout: expect.stringContaining('Exported 2 todo(s)') });
    expect(JSON.parse(readFileSync(exported, 'utf8'))).toEqual(JSON.parse(readFileSync(source, 'utf8')));
    const reopened = await FileStore.open(exported);
    expect(await reopened.get(a.key)).toEqual(a);
    expect((await reopened.create({ ...fields, name: 'next' })).key).toBe(b.key + 1);
    await reopened.close();

    const again = dbTool(['export', exported]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/exists; run again with --force/);
    expect(dbTool(['export', exported, '--force']).code).toBe(0);
  });

  it('refuses a file that is not a todo database and leaves the database as it was', () => {
    const path = join(dir, 'broken.json');
    writeFileSync(path, '{"todos": [{"name": "no key"}]}');
    const result = dbTool(['import', path]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/is not a todo database: todos\.0\.key/);
    expect(dbTool(['import', join(dir, 'missing.json')]).stderr).toMatch(/does not exist/);
    expect(existsSync(join(dir, 'missing.json'))).toBe(false);
  });

  it('without a database, says which one it could not reach and not the password', async () => {
    const port = await freePort();
    const result = dbTool(['migrate'], withDatabase(`postgres://u:hunter2secret@127.0.0.1:${port}/x`, 'todos'));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`127.0.0.1:${port}, database todos`);
    expect(result.stderr).not.toContain('hunter2secret');
  });
});

import pg from 'pg';
import { MIGRATIONS } from '../../src/stores/migrations';
import { copyPackage, FcInstance, node12, removePackage } from './fc-runtime';
import { databasePerFile } from '../postgres/database';
import { freePort } from '../server-process';

// The FC 2.0 package, copied alone, on real Node 12 through FC's call shape, with STORE=postgres:
// instances are separate processes that share nothing but the database.

const database = databasePerFile();
let node: string;
let codeDir: string;

beforeAll(() => {
  node = node12();
  codeDir = copyPackage();
}, 120_000);
afterAll(() => codeDir && removePackage(codeDir));

const postgresEnv = () => ({ STORE: 'postgres', DATABASE_URL: database.url(), LOG_LEVEL: 'warn' });

it('one instance creates a todo; a second, fresh one reads, completes and deletes it', async () => {
  const first = await FcInstance.start(node, codeDir, postgresEnv());
  let todo;
  try {
    // The initializer made the schema before the instance took its first request.
    const client = new pg.Client({ connectionString: database.url() });
    await client.connect();
    const { rows } = await client.query('SELECT version FROM schema_migrations ORDER BY version').finally(() => client.end());
    expect(rows).toEqual(MIGRATIONS.map(({ version }) => ({ version })));
    const created = await first.call('POST', '/api/rule', { body: { name: '函数计算共享的待办', desc: '两个实例' } });
    expect(created.status).toBe(201);
    todo = created.json().data;
  } finally {
    await first.stop();
  }

  const second = await FcInstance.start(node, codeDir, postgresEnv());
  try {
    expect((await second.call('GET', `/api/rule/${todo.key}`)).json()).toEqual({ success: true, data: todo });
    const listed = (await second.call('GET', `/api/rule?name=${encodeURIComponent('共享')}`)).json();
    expect(listed.data.map((t: { key: number }) => t.key)).toEqual([todo.key]);
    const completed = await second.call('PUT', '/api/rule', { body: { key: todo.key, status: 2, method: 'update' } });
    expect(completed.json().data).toMatchObject({ key: todo.key, status: 2, name: todo.name });
    // The Todo-Backend API over the same row: order kept in the database.
    const ordered = await second.call('PATCH', `/api/todos/${todo.key}`, { body: { order: 3 } });
    expect(ordered.json()).toMatchObject({ id: todo.key, title: todo.name, completed: true, order: 3 });
    expect((await second.call('GET', `/api/rule/${todo.key}`)).json().data.order).toBe(3);
    expect((await second.call('DELETE', `/api/rule/${todo.key}`)).status).toBe(200);
    expect((await second.call('GET', `/api/rule/${todo.key}`)).status).toBe(404);
  } finally {
    await second.stop();
  }
});

it('an instance whose database is away starts, and answers 503 DATABASE_UNAVAILABLE', async () => {
  const port = await freePort();
  const fc = await FcInstance.start(node, codeDir, { STORE: 'postgres', DATABASE_URL: `postgres://postgres:hunter2secret@127.0.0.1:${port}/todos`, LOG_LEVEL: 'warn' });
  try {
    const answer = await fc.call('GET', '/api/rule');
    expect(answer.status).toBe(503);
    expect(answer.json()).toMatchObject({ success: false, errorCode: 'DATABASE_UNAVAILABLE' });
    expect(await fc.logLine('not available')).toBeDefined();
    expect(fc.logs).not.toContain('hunter2secret');
  } finally {
    await fc.stop();
  }
});

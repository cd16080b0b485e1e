import { rmSync } from 'node:fs';
import request from 'supertest';
import { createApp } from '../../src/http/app';
import type { TodoStore } from '../../src/domain/store';
import { FileStore } from '../../src/stores/file-store';
import { MemoryStore } from '../../src/stores/memory-store';
import { freshDbPath, tempDir } from '../helpers';
import { databasePerFile, freshPostgresStore } from '../postgres/database';
import { startServer } from '../server-process';

const dir = tempDir();
const database = databasePerFile();
const stores: [string, () => Promise<TodoStore>][] = [
  ['memory store', async () => new MemoryStore()],
  ['file store', () => FileStore.open(freshDbPath(dir))],
  ['postgres store', () => freshPostgresStore(database.url())],
];

describe.each(stores)('health checks over the %s', (_name, openStore) => {
  let store: TodoStore;
  beforeEach(async () => (store = await openStore()));
  afterEach(() => store.close());

  it('/healthz: the process answers, and says which one', async () => {
    const res = await request(createApp({ store })).get('/healthz').expect(200);
    expect(res.body).toEqual({ success: true, status: 'ok', pid: process.pid });
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('/readyz: the store answers', async () => {
    const res = await request(createApp({ store })).get('/readyz').expect(200);
    expect(res.body).toEqual({ success: true, status: 'ready' });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('answers HEAD as load balancers send it', async () => {
    await request(createApp({ store })).head('/healthz').expect(200);
    await request(createApp({ store })).head('/readyz').expect(200);
  });
});

describe('/readyz over the file store', () => {
  it('answers 503 when its db.json is gone, and 200 once a write has put it back', async () => {
    const path = freshDbPath(dir);
    const store = await FileStore.open(path);
    const app = createApp({ store });
    try {
      rmSync(path);
      const res = await request(app).get('/readyz').expect(503);
      expect(res.body).toEqual({ success: false, errorCode: 'STORE_UNAVAILABLE', errorMessage: 'The store does not answer', traceId: expect.any(String) });
      await request(app).post('/api/rule').send({ name: 'written again' }).expect(201);
      await request(app).get('/readyz').expect(200);
    } finally {
      await store.close();
    }
  });
});

describe('health checks on the running server', () => {
  it('are not in the request log at info level', async () => {
    const server = await startServer({ LOG_LEVEL: 'info' });
    try {
      for (const path of ['/healthz', '/readyz', '/healthz']) expect((await fetch(server.url + path)).status).toBe(200);
      await fetch(`${server.url}/api/rule?current=1`);
      await new Promise((r) => setTimeout(r, 100));
      const urls = server.stdout().trim().split('\n').map((line) => JSON.parse(line).req?.url).filter(Boolean);
      expect(urls).toContain('/api/rule?current=1');
      expect(urls.filter((url: string) => /^\/(healthz|readyz)/.test(url))).toEqual([]);
    } finally {
      await server.stop();
    }
  });
});

import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import request from 'supertest';
import { createApp } from '../../src/http/app';
import { FileStore } from '../../src/stores/file-store';
import { freshDbPath, tempDir } from '../helpers';

const dir = tempDir();
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

describe('file store', () => {
  it('creates a missing db.json, and its folders, as a copy of the seed db.json', async () => {
    const path = join(dir, 'new', 'data', 'db.json');
    const store = await FileStore.open(path);
    await store.close();
    expect(readJson(path)).toEqual(readJson(join(__dirname, '..', '..', 'db.json')));
  });

  it('names the path it was given when it cannot create the file, not a temp file', async () => {
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, 'not a folder');
    await expect(FileStore.open(join(blocker, 'db.json'))).rejects.toThrow(`${join(blocker, 'db.json')} cannot be written (ENOTDIR: not a directory)`);
  });

  it('keeps every change across an app restart on the same file', async () => {
    const path = freshDbPath(dir);
    const first = await FileStore.open(path);
    const app = createApp({ store: first });
    const created = (await request(app).post('/api/rule').send({ name: '持久化', desc: 'survives' }).expect(201)).body.data;
    await request(app).put('/api/rule').send({ key: created.key, status: '2' }).expect(200);
    await request(app).delete('/api/rule/1').expect(200);
    await first.close();

    const second = await FileStore.open(path);
    const res = await request(createApp({ store: second })).get('/api/rule').expect(200);
    expect(res.body.total).toBe(1);
    expect(res.body.data[0]).toMatchObject({ key: created.key, name: '持久化', desc: 'survives', status: 2 });
    await second.close();
  });

  it("keeps a todo's order in the file, and loads files written before order existed", async () => {
    const path = freshDbPath(dir);
    const first = await FileStore.open(path);
    const app = createApp({ store: first });
    const { id } = (await request(app).post('/api/todos').send({ title: 'ordered', order: 12 }).expect(201)).body;
    await request(app).patch(`/api/todos/${id}`).send({ order: -3 }).expect(200);
    await first.close();
    const written = readJson(path);
    expect(written.todos.find((todo: { key: number }) => todo.key === id).order).toBe(-3);
    expect(written.todos.find((todo: { key: number }) => todo.key === 1)).not.toHaveProperty('order');

    const second = await FileStore.open(path);
    const listed = (await request(createApp({ store: second })).get('/api/todos').expect(200)).body;
    expect(listed.map((todo: { order?: number }) => todo.order)).toEqual([undefined, -3]);
    await second.close();
  });

  it('refuses an order that is not a whole number in a db.json, naming the field', async () => {
    const path = freshDbPath(dir);
    writeFileSync(path, JSON.stringify({ todos: [{ key: 1, name: 'x', order: 'first' }] }));
    await expect(FileStore.open(path)).rejects.toThrow(`${path} is not a todo database: todos.0.order:`);
  });

  it('never reuses the highest key after it is deleted and the app restarts', async () => {
    const path = freshDbPath(dir);
    const first = await FileStore.open(path);
    const app = createApp({ store: first });
    const created = (await request(app).post('/api/rule').send({ name: 'highest' }).expect(201)).body.data;
    await request(app).delete(`/api/rule/${created.key}`).expect(200);
    await first.close();

    const second = await FileStore.open(path);
    const next = (await request(createApp({ store: second })).post('/api/rule').send({ name: 'next' }).expect(201)).body.data;
    expect(next.key).toBe(created.key + 1);
    await second.close();
  });

  it('answers a write only once it is in the file', async () => {
    const path = freshDbPath(dir);
    const store = await FileStore.open(path);
    const app = createApp({ store });
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => request(app).post('/api/rule').send({ name: `batch ${i}` })),
    );
    // No close() first: every answered create must already be on disk.
    const onDisk = new Set(readJson(path).todos.map((t: { key: number }) => t.key));
    expect(results.every((res) => res.status === 201 && onDisk.has(res.body.data.key))).toBe(true);
    await store.close();
  });

  it('loads a db.json written by the course app and keeps its data', async () => {
    const path = freshDbPath(dir);
    const courseDocument = {
      todos: [
        { key: 3, name: '买牛奶', desc: '两盒', status: '2', updatedAt: '2020-08-01T10:00:00.000Z', createdAt: '2020-08-01T09:00:00.000Z', owner: 'x', href: 'https://ant.design', avatar: '', callNo: 5, progress: 10, disabled: false },
        { key: 7, name: '写作业', desc: '', status: 1, createdAt: 'Sat Aug 01 2020 10:00:00 GMT+0800' },
      ],
      user: { name: 'Serverless', avatar: '/a.png', userid: '00000001', email: 'kept@example.com' },
    };
    writeFileSync(path, JSON.stringify(courseDocument, null, 2));
    const store = await FileStore.open(path);
    const app = createApp({ store });

    const listed = (await request(app).get('/api/rule?sorter=key_ascend').expect(200)).body;
    expect(listed.data).toEqual([
      expect.objectContaining({ key: 3, name: '买牛奶', status: 2, callNo: 5, createdAt: '2020-08-01T09:00:00.000Z' }),
      expect.objectContaining({ key: 7, name: '写作业', status: 1, createdAt: '2020-08-01T02:00:00.000Z', updatedAt: '2020-08-01T02:00:00.000Z' }),
    ]);
    expect((await request(app).get('/api/currentUser').expect(200)).body.email).toBe('kept@example.com');
    const created = (await request(app).post('/api/rule').send({ name: 'new' }).expect(201)).body.data;
    expect(created.key).toBe(8);
    await store.close();
  });

  it('loads a course-app file with reused keys: later copies renumbered, one log line, the original kept beside it', async () => {
    const folder = join(dir, 'course-app');
    const path = join(folder, 'db.json');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(folder);
    // What the course's lowdb app leaves after create, create, delete the first, create:
    // the new todo took `length + 1`, the key of the one still there.
    const original = JSON.stringify({
      todos: [
        { key: 2, name: '写作业', desc: '', status: 1, createdAt: '2020-08-01T10:00:00.000Z' },
        { key: 2, name: '买牛奶', desc: '两盒', status: '2', createdAt: '2020-08-01T11:00:00.000Z' },
        { key: 3, name: null, desc: null, status: 1 },
      ],
      user: { name: '曲丽丽' },
    }, null, 2);
    writeFileSync(path, original);
    const lines: string[] = [];
    const store = await FileStore.open(path, { logger: pino({ level: 'info' }, { write: (line: string) => lines.push(line) }) });
    const app = createApp({ store });

    const listed = (await request(app).get('/api/rule?sorter=key_ascend').expect(200)).body.data;
    expect(listed).toEqual([
      expect.objectContaining({ key: 2, name: '写作业' }),
      expect.objectContaining({ key: 3, name: '未命名 (untitled)', desc: '' }),
      expect.objectContaining({ key: 4, name: '买牛奶', desc: '两盒', status: 2 }),
    ]);
    expect(JSON.stringify(listed)).not.toMatch(/"null"/);
    // Each todo can be reached by its own key now.
    await request(app).put('/api/rule').send({ key: 4, status: 3 }).expect(200);
    expect((await request(app).get('/api/rule/2').expect(200)).body.data.name).toBe('写作业');
    expect((await request(app).get('/api/currentUser').expect(200)).body).toMatchObject({ name: '曲丽丽', userid: '00000001', avatar: '/avatar.svg' });
    expect((await request(app).post('/api/rule').send({ name: 'new' }).expect(201)).body.data.key).toBe(5);
    await store.close();

    expect(lines).toHaveLength(1);
    const logged = JSON.parse(lines[0]);
    const backups = readdirSync(folder).filter((name) => /^db\.backup-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.json$/.test(name));
    expect(backups).toHaveLength(1);
    expect(readFileSync(join(folder, backups[0]), 'utf8')).toBe(original);
    expect(logged).toMatchObject({ level: 40, msg: expect.stringContaining(`${path} was repaired to load: keys used twice, later copies renumbered 2 → 4`) });
    expect(logged.msg).toContain(`The original is kept as ${join(folder, backups[0])}`);
    expect(logged.msg).toContain('user: default userid, avatar');

    // Repaired once: the next start loads the file as it is, with no new backup and no log line.
    const again = await FileStore.open(path, { logger: pino({ level: 'info' }, { write: (line: string) => lines.push(line) }) });
    await again.close();
    expect(lines).toHaveLength(1);
    expect(readdirSync(folder).filter((name) => name.includes('backup'))).toHaveLength(1);
    expect(readJson(path).todos.map((t: { key: number }) => t.key)).toEqual([2, 3, 4, 5]);
  });

  it.each([
    ['not JSON at all', '{"todos": [', /is not valid JSON/],
    ['an empty file', '', /is not valid JSON/],
    ['todos that are not a list', '{"todos": {"a": 1}}', /todos: /],
    ['a todo without a key', '{"todos": [{"name": "no key"}]}', /todos\.0\.key/],
    ['a name that is an object', '{"todos": [{"key": 1, "name": {"text": "a"}}]}', /todos\.0\.name: must be text/],
  ])('refuses %s with a clear message and leaves the file untouched', async (_what, content, message) => {
    const path = freshDbPath(dir);
    writeFileSync(path, content);
    await expect(FileStore.open(path)).rejects.toThrow(message);
    await expect(FileStore.open(path)).rejects.toThrow(path);
    expect(readFileSync(path, 'utf8')).toBe(content);
  });
});

describe('a disk that refuses a write', () => {
  it('answers 503 in the API shape, logs why, keeps nothing of the change, and recovers with the disk', async () => {
    const { mkdirSync, mkdtempSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { pino } = await import('pino');
    const folder = mkdtempSync(join(dir, 'vanishing-'));
    const store = await FileStore.open(join(folder, 'db.json'));
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    const app = createApp({ store, logger });
    rmSync(folder, { recursive: true }); // the next write has nowhere to go

    const res = await request(app).post('/api/rule').set('x-request-id', 'disk-gone').send({ name: 'lost?' }).expect(503);
    expect(res.body).toEqual({ success: false, errorCode: 'STORAGE_UNAVAILABLE', errorMessage: 'The server could not save the change; try again later', traceId: expect.any(String) });
    expect(res.text).not.toMatch(/ENOENT|at .*\.ts/);
    const logged = lines.map((line) => JSON.parse(line));
    // The message names the user's file first, not the temp file (pino adds the cause after it).
    const message = expect.stringMatching(new RegExp(`^cannot write ${join(folder, 'db.json')}: ENOENT`));
    expect(logged).toContainEqual(expect.objectContaining({ level: 40, reqId: 'disk-gone', msg: res.body.errorMessage, err: expect.objectContaining({ code: 'ENOENT', message }) }));
    expect(logged).toContainEqual(expect.objectContaining({ level: 50, reqId: 'disk-gone', res: { status: 503 }, msg: expect.stringMatching(/^POST \/api\/rule 503 \d+ms$/) }));

    // The refused create is not listed (a retry would otherwise make it twice)...
    const listed = (await request(app).get('/api/rule').expect(200)).body;
    expect(listed.data.map((t: { name: string }) => t.name)).not.toContain('lost?');
    expect(listed.total).toBe(1);
    // ...and once the disk is back, writes work again, without reusing a key.
    mkdirSync(folder);
    const saved = (await request(app).post('/api/rule').send({ name: 'saved' }).expect(201)).body.data;
    expect(saved.key).toBe(3);
    const onDisk = readJson(join(folder, 'db.json'));
    expect(onDisk.todos.map((t: { name: string }) => t.name)).toEqual([expect.any(String), 'saved']);
    await store.close();
  });
});

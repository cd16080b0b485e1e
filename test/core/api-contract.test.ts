import request from 'supertest';
import type { Express } from 'express';
import { createApp } from '../../src/http/app';
import { FileStore } from '../../src/stores/file-store';
import { MemoryStore } from '../../src/stores/memory-store';
import type { TodoStore } from '../../src/domain/store';
import { freshDbPath, tempDir } from '../helpers';
import { databasePerFile, freshPostgresStore } from '../postgres/database';

// One suite, every store: the HTTP contract must not depend on where data lives. Each test
// starts from a new data set (the welcome todo only): PostgreSQL's on this file's own database.
const dir = tempDir();
const database = databasePerFile();
const stores: [string, () => Promise<TodoStore>][] = [
  ['memory store', async () => new MemoryStore()],
  ['file store', () => FileStore.open(freshDbPath(dir))],
  ['postgres store', () => freshPostgresStore(database.url())],
];

describe.each(stores)('/api/rule over the %s', (_name, openStore) => {
  let store: TodoStore;
  let app: Express;

  beforeEach(async () => {
    store = await openStore();
    app = createApp({ store });
  });
  afterEach(() => store.close());

  const create = async (body: object) => {
    const res = await request(app).post('/api/rule').send(body).expect(201);
    return res.body.data;
  };
  const list = (query: string) => request(app).get(`/api/rule?${query}`).expect(200).then((res) => res.body);

  describe('the requests the course frontend sends, verbatim', () => {
    it('first load: GET with an empty sorter lists newest first', async () => {
      const first = await create({ name: 'first' });
      const second = await create({ name: 'second' });
      const body = await list('current=1&pageSize=10&sorter=');
      expect(body).toMatchObject({ success: true, current: 1, pageSize: 10, total: 3 });
      expect(body.data.map((t: { key: number }) => t.key)).toEqual([second.key, first.key, 1]);
    });

    it('column sort: sorter=updatedAt_ascend and _descend', async () => {
      const a = await create({ name: 'a' });
      await create({ name: 'b' });
      await new Promise((r) => setTimeout(r, 5));
      await request(app).put('/api/rule').send({ key: a.key, name: 'a edited', method: 'update' }).expect(200);
      const descend = await list('current=1&pageSize=10&sorter=updatedAt_descend');
      expect(descend.data[0].key).toBe(a.key);
      const ascend = await list('current=1&pageSize=10&sorter=updatedAt_ascend');
      expect(ascend.data.at(-1).key).toBe(a.key);
    });

    it('search form: name, desc and status together', async () => {
      await create({ name: '买牛奶', desc: '两盒 Milk', status: 2 });
      await create({ name: '买牛奶', desc: '两盒', status: 1 });
      await create({ name: '买面包', desc: '两盒 milk', status: 2 });
      const body = await list(`current=1&pageSize=10&name=${encodeURIComponent('牛奶')}&desc=MILK&status=2`);
      expect(body.total).toBe(1);
      expect(body.data[0]).toMatchObject({ name: '买牛奶', desc: '两盒 Milk', status: 2 });
    });

    it('create: POST with name, desc and the ignored method field', async () => {
      const res = await request(app).post('/api/rule').send({ name: '  学习 Serverless  ', desc: '第一课', method: 'post' }).expect(201);
      expect(res.body.success).toBe(true);
      expect(res.body.data).toMatchObject({ name: '学习 Serverless', desc: '第一课', status: 1, progress: 0, disabled: false });
      expect(res.body.data).not.toHaveProperty('method');
      expect(Object.keys(res.body.data)).toEqual(['key', 'name', 'desc', 'status', 'owner', 'href', 'avatar', 'callNo', 'progress', 'disabled', 'createdAt', 'updatedAt']);
      expect(Number.isInteger(res.body.data.key)).toBe(true);
      expect(new Date(res.body.data.createdAt).toISOString()).toBe(res.body.data.createdAt);
      expect(res.body.data.updatedAt).toBe(res.body.data.createdAt);
      expect(Date.now() - Date.parse(res.body.data.createdAt)).toBeLessThan(60_000);
    });

    it('complete: PUT with status as a string stores the number 2', async () => {
      const todo = await create({ name: 'finish me', desc: 'd' });
      await new Promise((r) => setTimeout(r, 5));
      const res = await request(app).put('/api/rule').send({ status: '2', name: 'finish me', desc: 'd', key: todo.key, method: 'update' }).expect(200);
      expect(res.body.data.status).toBe(2);
      expect(res.body.data.updatedAt > todo.updatedAt).toBe(true);
      expect(res.body.data.createdAt).toBe(todo.createdAt);
    });

    it('edit: PUT without status keeps the status', async () => {
      const todo = await create({ name: 'paused one', status: 3 });
      const res = await request(app).put('/api/rule').send({ name: 'renamed', desc: 'new desc', key: todo.key, method: 'update' }).expect(200);
      expect(res.body.data).toMatchObject({ key: todo.key, name: 'renamed', desc: 'new desc', status: 3 });
      const again = await request(app).get(`/api/rule/${todo.key}`).expect(200);
      expect(again.body.data.status).toBe(3);
    });

    it('batch delete: DELETE with a JSON body of keys', async () => {
      const a = await create({ name: 'a' });
      const b = await create({ name: 'b' });
      const res = await request(app).delete('/api/rule').send({ key: [a.key, b.key], method: 'delete' }).expect(200);
      expect(res.body).toEqual({ success: true, data: { removed: [a.key, b.key] } });
      expect((await list('current=1&pageSize=10')).total).toBe(1);
    });

    it('delete: a single key in the body is a clean delete, not a 500', async () => {
      const a = await create({ name: 'a' });
      const res = await request(app).delete('/api/rule').send({ key: a.key }).expect(200);
      expect(res.body.data.removed).toEqual([a.key]);
    });

    it('currentUser: a profile with userid, name and a local avatar', async () => {
      const res = await request(app).get('/api/currentUser').expect(200);
      expect(res.body).toMatchObject({ success: true, userid: expect.any(String), name: expect.any(String) });
      expect(res.body.avatar).toMatch(/^\/[^/]/);
      expect(res.body.data).toMatchObject({ userid: res.body.userid, name: res.body.name, avatar: res.body.avatar });
    });
  });

  describe('the master-branch frontend: every write is a POST with a method field', () => {
    const postRule = (body: unknown) => request(app).post('/api/rule').send(body as object);

    it('"post" creates, "update" edits in place, "delete" removes: no copies', async () => {
      const created = await postRule({ name: '买牛奶', desc: '两盒', method: 'post' }).expect(201);
      const key = created.body.data.key;
      const other = (await postRule({ name: '写作业', desc: '', method: 'post' }).expect(201)).body.data.key;

      const updated = await postRule({ key, name: '买牛奶', desc: '三盒', status: 2, method: 'update' }).expect(200);
      expect(updated.body).toMatchObject({ success: true, data: { key, name: '买牛奶', desc: '三盒', status: 2 } });
      expect(updated.body.data).not.toHaveProperty('method');
      expect((await list('current=1&pageSize=20')).total).toBe(3);

      const removed = await postRule({ key: [key, other], method: 'delete' }).expect(200);
      expect(removed.body).toEqual({ success: true, data: { removed: [key, other] } });
      expect((await list('current=1&pageSize=20')).data.map((t: { key: number }) => t.key)).toEqual([1]);
    });

    it('answers exactly as PUT and DELETE /api/rule do, errors included', async () => {
      const todo = await create({ name: 'twin' });
      const viaPost = await postRule({ key: todo.key, desc: 'a', method: 'update' }).expect(200);
      const viaPut = await request(app).put('/api/rule').send({ key: todo.key, desc: 'a' }).expect(200);
      expect(Object.keys(viaPost.body.data)).toEqual(Object.keys(viaPut.body.data));
      for (const [post, other] of [
        [postRule({ key: 4242, name: 'ghost', method: 'update' }), request(app).put('/api/rule').send({ key: 4242, name: 'ghost' })],
        [postRule({ key: 1, method: 'update' }), request(app).put('/api/rule').send({ key: 1 })],
        [postRule({ key: [4242], method: 'delete' }), request(app).delete('/api/rule').send({ key: [4242] })],
        [postRule({ method: 'delete' }), request(app).delete('/api/rule').send({})],
      ]) {
        const [a, b] = await Promise.all([post, other]);
        const withoutId = ({ traceId, ...body }: { traceId: string }) => (expect(traceId).toEqual(expect.any(String)), body);
        expect([a.status, withoutId(a.body)]).toEqual([b.status, withoutId(b.body)]);
      }
      expect((await list('')).total).toBe(2);
    });

    it('a POST without method creates; an unknown method is a 400 that creates nothing', async () => {
      await postRule({ name: 'plain' }).expect(201);
      const res = await postRule({ key: 1, name: 'x', method: 'put' }).expect(400);
      expect(res.body).toMatchObject({ success: false, errorCode: 'INVALID_INPUT', errorMessage: 'method must be "post" (create), "update" or "delete", got "put"' });
      expect((await list('')).total).toBe(2);
    });
  });

  describe("ProTable's sort, all three clicks on a column header", () => {
    beforeEach(async () => {
      await request(app).delete('/api/rule/1').expect(200); // the welcome todo
      for (const name of ['b', 'c', 'a']) await create({ name });
    });
    const names = (body: { data: { name: string }[] }) => body.data.map((t) => t.name);

    it.each([
      'sorter=updatedAt_undefined',
      'sorter=updatedAt_null',
      'sorter=updatedAt_',
      'sorter=updatedAt',
      `sorter=${encodeURIComponent('{"updatedAt":null}')}`,
      `sorter=${encodeURIComponent('{"name":null}')}`,
    ])('third click, %s: the default order, newest first', async (query) => {
      const body = await list(`current=1&pageSize=20&${query}`);
      expect(names(body)).toEqual(names(await list('current=1&pageSize=20&sorter=')));
      expect(names(body)).toEqual(['a', 'c', 'b']);
    });

    it('first and second clicks sort; a JSON sorter takes the column that has a direction', async () => {
      expect(names(await list('current=1&pageSize=20&sorter=name_ascend'))).toEqual(['a', 'b', 'c']);
      expect(names(await list('current=1&pageSize=20&sorter=name_descend'))).toEqual(['c', 'b', 'a']);
      expect(names(await list(`sorter=${encodeURIComponent('{"updatedAt":null,"name":"ascend"}')}`))).toEqual(['a', 'b', 'c']);
    });

    it.each(['sorter=password_undefined', `sorter=${encodeURIComponent('{"password":null}')}`, 'sorter=password', `sorter=${encodeURIComponent('[1]')}`])(
      'a field the API does not know stays a 400: %s',
      async (query) => {
        const res = await request(app).get(`/api/rule?${query}`).expect(400);
        expect(res.body.errorMessage).toMatch(/^sorter must be <field>_ascend or <field>_descend/);
      },
    );
  });

  describe('listing', () => {
    beforeEach(async () => {
      for (let i = 1; i <= 25; i++) await create({ name: `todo ${String(i).padStart(2, '0')}`, status: i % 4 });
    });

    it('paginates on the server with a default page size of 20', async () => {
      const page1 = await list('');
      expect(page1).toMatchObject({ total: 26, current: 1, pageSize: 20 });
      expect(page1.data).toHaveLength(20);
      const page2 = await list('current=2');
      expect(page2.data).toHaveLength(6);
      const keys = [...page1.data, ...page2.data].map((t: { key: number }) => t.key);
      expect(new Set(keys).size).toBe(26);
    });

    it('answers an empty page past the end', async () => {
      const body = await list('current=9&pageSize=10');
      expect(body).toMatchObject({ data: [], total: 26, current: 9 });
    });

    it('lowers a page size over 100 to 100 and says so; empty paging values are the defaults', async () => {
      const big = await list('pageSize=1000');
      expect(big).toMatchObject({ pageSize: 100, current: 1 });
      expect(big.data).toHaveLength(26);
      expect(await list('current=&pageSize=')).toMatchObject({ current: 1, pageSize: 20 });
      expect(await list('current=%201%20&pageSize=05')).toMatchObject({ current: 1, pageSize: 5 });
    });

    it.each(['pageSize=0', 'pageSize=-5', 'pageSize=abc', 'pageSize=2.5', 'current=0', 'current=-3', 'current=abc', 'current=1e3'])(
      'refuses %s with a 400 that states the rule',
      async (query) => {
        const [name, value] = query.split('=');
        const res = await request(app).get(`/api/rule?${query}`).expect(400);
        expect(res.body).toMatchObject({ success: false, errorCode: 'INVALID_INPUT', errorMessage: `${name} must be a whole number of 1 or more, got "${value}"` });
      },
    );

    it('filters by one status, a comma list, or a repeated parameter', async () => {
      const one = await list('status=2&pageSize=100');
      expect(one.data.every((t: { status: number }) => t.status === 2)).toBe(true);
      const comma = await list('status=0,3&pageSize=100');
      const repeated = await list('status=0&status=3&pageSize=100');
      expect(comma.total).toBe(repeated.total);
      expect(new Set(comma.data.map((t: { status: number }) => t.status))).toEqual(new Set([0, 3]));
    });

    it('accepts the JSON sorter and filter newer ProTable versions send', async () => {
      const sorted = await list(`sorter=${encodeURIComponent('{"name":"ascend"}')}&name=todo&pageSize=3`);
      expect(sorted.data.map((t: { name: string }) => t.name)).toEqual(['todo 01', 'todo 02', 'todo 03']);
      const filtered = await list(`filter=${encodeURIComponent('{"status":["2"]}')}&pageSize=100`);
      expect(filtered.total).toBe(6);
      expect(await list(`sorter=${encodeURIComponent('{}')}&filter=${encodeURIComponent('{}')}`)).toMatchObject({ total: 26 });
      const closed = await list(`filter=${encodeURIComponent('{"status":0}')}&pageSize=100`);
      expect(closed.total).toBe(6);
      expect(closed.data.every((t: { status: number }) => t.status === 0)).toBe(true);
    });

    it('sorts by name descending with the page applied after the sort', async () => {
      const body = await list('sorter=name_descend&pageSize=2&current=2');
      expect(body.data.map((t: { name: string }) => t.name)).toEqual(['todo 23', 'todo 22']);
    });

    it.each([
      ['sorter=password_ascend', /sorter/],
      ['sorter=name_sideways', /sorter/],
      ['sorter={"name":', /sorter is not valid JSON/],
      ['current=abc', /current must be a whole number/],
      ['status=7', /status must be 0, 1, 2 or 3/],
      ['name=a&name=b', /name must be given once/],
      ['sorter=&sorter=updatedAt_ascend', /sorter must be given once/],
      ['pageSize=abc', /pageSize must be a whole number/],
    ])('answers 400 for %s', async (query, message) => {
      const res = await request(app).get(`/api/rule?${query}`).expect(400);
      expect(res.body).toEqual({ success: false, errorCode: 'INVALID_INPUT', errorMessage: expect.stringMatching(message), traceId: expect.any(String) });
    });
  });

  describe('request ids', () => {
    it('every answer carries x-request-id; error bodies carry the same id as traceId', async () => {
      const answers = await Promise.all([
        request(app).get('/api/rule'),
        request(app).post('/api/rule').send({ name: 'id' }),
        request(app).post('/api/rule').send({ name: '' }),
        request(app).get('/api/rule/999'),
        request(app).get('/api/nope'),
        request(app).options('/api/rule'),
        request(app).get('/not-an-api-path'),
      ]);
      expect(answers.map((res) => res.status)).toEqual([200, 201, 400, 404, 404, 204, 404]);
      const ids = answers.map((res) => res.headers['x-request-id']);
      for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(new Set(ids).size).toBe(ids.length);
      for (const res of answers.filter((answer) => answer.status >= 400)) expect(res.body.traceId).toBe(res.headers['x-request-id']);
    });

    it("keeps the client's id when it looks like one, and replaces one that does not", async () => {
      const kept = await request(app).post('/api/rule').set('x-request-id', 'web-1a2b.3:c_d').send({ name: '' }).expect(400);
      expect(kept.headers['x-request-id']).toBe('web-1a2b.3:c_d');
      expect(kept.body.traceId).toBe('web-1a2b.3:c_d');
      for (const bad of ['has space', 'x'.repeat(101), '<script>']) {
        const res = await request(app).get('/api/rule/0').set('x-request-id', bad).expect(400);
        expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
        expect(res.body.traceId).toBe(res.headers['x-request-id']);
      }
    });
  });

  describe('item routes', () => {
    it('GET, PATCH, PUT and DELETE /api/rule/:key', async () => {
      const todo = await create({ name: 'item', desc: 'x' });
      expect((await request(app).get(`/api/rule/${todo.key}`).expect(200)).body.data).toEqual(todo);
      const patched = await request(app).patch(`/api/rule/${todo.key}`).send({ progress: 50 }).expect(200);
      expect(patched.body.data).toMatchObject({ name: 'item', desc: 'x', progress: 50 });
      const put = await request(app).put(`/api/rule/${todo.key}`).send({ disabled: true }).expect(200);
      expect(put.body.data).toMatchObject({ progress: 50, disabled: true });
      await request(app).delete(`/api/rule/${todo.key}`).expect(200);
      await request(app).get(`/api/rule/${todo.key}`).expect(404);
    });

    it('DELETE /api/rule/:key takes one key, not a list', async () => {
      const a = await create({ name: 'a' });
      const b = await create({ name: 'b' });
      await request(app).delete(`/api/rule/${a.key},${b.key}`).expect(400);
      expect((await list('')).total).toBe(3);
    });

    it('DELETE accepts ?key=1,2', async () => {
      const a = await create({ name: 'a' });
      const b = await create({ name: 'b' });
      const res = await request(app).delete(`/api/rule?key=${a.key},${b.key}`).expect(200);
      expect(res.body.data.removed).toEqual([a.key, b.key]);
    });

    it('a batch delete removes the keys that exist and names them', async () => {
      const a = await create({ name: 'a' });
      const res = await request(app).delete('/api/rule').send({ key: [a.key, 9999] }).expect(200);
      expect(res.body.data.removed).toEqual([a.key]);
    });

    it('never reuses a key after a delete', async () => {
      const a = await create({ name: 'a' });
      await request(app).delete(`/api/rule/${a.key}`).expect(200);
      const b = await create({ name: 'b' });
      expect(b.key).toBeGreaterThan(a.key);
    });

    it('gives 100 parallel creates 100 unique keys that all list', async () => {
      const created = await Promise.all(Array.from({ length: 100 }, (_, i) => create({ name: `parallel ${i}` })));
      expect(new Set(created.map((t) => t.key)).size).toBe(100);
      const body = await list('pageSize=100');
      expect(body.total).toBe(101);
      const listed = new Set(body.data.map((t: { key: number }) => t.key));
      expect(created.every((t) => listed.has(t.key))).toBe(true);
    });
  });

  describe('errors', () => {
    it.each([
      ['GET', '/api/rule/12345'],
      ['PUT', '/api/rule/12345'],
      ['PATCH', '/api/rule/12345'],
      ['DELETE', '/api/rule/12345'],
    ])('%s %s of a missing key is a 404', async (method, path) => {
      const res = await request(app)[method.toLowerCase() as 'get'](path).send(method === 'GET' ? undefined : { name: 'x' }).expect(404);
      expect(res.body).toEqual({ success: false, errorCode: 'NOT_FOUND', errorMessage: 'No todo with key 12345', traceId: expect.any(String) });
    });

    it('PUT /api/rule for a missing key is a 404, not a 200', async () => {
      await request(app).put('/api/rule').send({ key: 4242, name: 'ghost' }).expect(404);
      expect((await list('')).total).toBe(1);
    });

    it.each([
      [{}, 'name is required'],
      [{ name: '   ' }, 'name is required'],
      [{ name: 42 }, 'name must be a string'],
      [{ name: 'x'.repeat(201) }, 'name must be at most 200 characters'],
      [{ name: 'ok', desc: 'x'.repeat(2001) }, 'desc must be at most 2000 characters'],
      [{ name: 'ok', status: 4 }, 'status must be 0 (closed), 1 (in progress), 2 (done) or 3 (paused)'],
      [{ name: 'ok', status: 'done' }, 'status must be 0 (closed), 1 (in progress), 2 (done) or 3 (paused)'],
      [{ name: 'ok', progress: 101 }, 'progress must be 0 to 100'],
      [{ name: 'ok', progress: -1 }, 'progress must be 0 to 100'],
      [{ name: 'ok', callNo: -1 }, 'callNo must be 0 or more'],
      [[{ name: 'array' }], 'The request body must be a JSON object'],
    ])('create with %j is a 400: %s', async (body, message) => {
      const res = await request(app).post('/api/rule').send(body).expect(400);
      expect(res.body).toEqual({ success: false, errorCode: 'INVALID_INPUT', errorMessage: message, traceId: expect.any(String) });
      expect((await list('')).total).toBe(1);
    });

    it.each(['null', '42', '"x"', '[]', 'true'])('a JSON body that is not an object (%s) is a 400 that says so, on every write', async (text) => {
      for (const method of ['post', 'put', 'delete', 'patch'] as const) {
        const res = await request(app)[method](method === 'patch' ? '/api/rule/1' : '/api/rule').set('Content-Type', 'application/json').send(text).expect(400);
        expect(res.body).toMatchObject({ success: false, errorCode: 'INVALID_INPUT', errorMessage: 'The request body must be a JSON object' });
      }
      expect((await list('')).total).toBe(1);
    });

    it.each<[Record<string, string>, string]>([
      [{ name: 'a\u0000b' }, 'name must not contain control characters (found U+0000)'],
      [{ name: 'bell\u0007' }, 'name must not contain control characters (found U+0007)'],
      [{ name: 'two\nlines' }, 'name must not contain control characters (found U+000A)'],
      [{ name: 'tab\there' }, 'name must not contain control characters (found U+0009)'],
      [{ name: 'esc \u001b[31mred' }, 'name must not contain control characters (found U+001B)'],
      [{ name: 'c1 \u009b' }, 'name must not contain control characters (found U+009B)'],
      [{ name: 'ok', desc: 'nul \u0000' }, 'desc must not contain control characters other than tab and line breaks (found U+0000)'],
      [{ name: 'ok', desc: 'del \u007f' }, 'desc must not contain control characters other than tab and line breaks (found U+007F)'],
      ...['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'].map((char): [Record<string, string>, string] => [
        { name: `invoice${char}fdp.exe` },
        `name must not contain bidirectional control characters, which change the order text displays in (found U+${char.charCodeAt(0).toString(16).toUpperCase()})`,
      ]),
      [{ name: 'ok', desc: 'gnp.\u202eexe' }, 'desc must not contain bidirectional control characters, which change the order text displays in (found U+202E)'],
    ])('text that deceives, %j, is a 400 on create and update: %s', async (body, message) => {
      const res = await request(app).post('/api/rule').send(body).expect(400);
      expect(res.body).toMatchObject({ success: false, errorCode: 'INVALID_INPUT', errorMessage: message });
      const update = await request(app).put('/api/rule').send({ ...body, key: 1 }).expect(400);
      expect(update.body.errorMessage).toBe(message);
      expect((await list('')).data.map((t: { name: string }) => t.name)).toEqual([expect.stringContaining('欢迎')]);
    });

    it('a description keeps its tabs and line breaks; right-to-left text itself is welcome', async () => {
      const todo = await create({ name: 'שלום עליכם مرحبا', desc: 'line 1\r\nline 2\n\tindented' });
      expect(todo).toMatchObject({ name: 'שלום עליכם مرحبا', desc: 'line 1\r\nline 2\n\tindented' });
    });

    it('an update with no known field is a 400', async () => {
      const res = await request(app).put('/api/rule').send({ key: 1, method: 'update' }).expect(400);
      expect(res.body.errorMessage).toMatch(/Nothing to update/);
    });

    it.each([
      ['/api/rule/abc', 'key must be a positive integer, got "abc"'],
      ['/api/rule/0', 'key must be a positive integer, got "0"'],
    ])('GET %s is a 400', async (path, message) => {
      const res = await request(app).get(path).expect(400);
      expect(res.body.errorMessage).toBe(message);
    });

    it('a delete without keys is a 400', async () => {
      const res = await request(app).delete('/api/rule').send({ method: 'delete' }).expect(400);
      expect(res.body.errorMessage).toBe('key is required');
    });

    it('malformed JSON is a 400 in the API shape, not an HTML stack trace', async () => {
      const res = await request(app).post('/api/rule').set('Content-Type', 'application/json').send('{"name": "broken"').expect(400);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      expect(res.body).toEqual({ success: false, errorCode: 'MALFORMED_JSON', errorMessage: 'The request body is not valid JSON', traceId: expect.any(String) });
    });

    it('a body over the limit is a 413', async () => {
      const res = await request(app).post('/api/rule').send({ name: 'big', desc: 'x'.repeat(200_000) }).expect(413);
      expect(res.body.errorCode).toBe('PAYLOAD_TOO_LARGE');
    });

    it('a body that is not JSON is a 415', async () => {
      const res = await request(app).post('/api/rule').set('Content-Type', 'text/plain').send('name=hello').expect(415);
      expect(res.body.errorCode).toBe('UNSUPPORTED_MEDIA_TYPE');
    });

    it('an unknown /api path is a JSON 404 that names the whole path', async () => {
      for (const method of ['get', 'post', 'delete'] as const) {
        const res = await request(app)[method]('/api/todos-nope').expect(404);
        expect(res.body).toEqual({ success: false, errorCode: 'NOT_FOUND', errorMessage: `No route for ${method.toUpperCase()} /api/todos-nope`, traceId: expect.any(String) });
      }
    });

    it('an unknown /api path is a 404 whatever its body: only routes that take a body read one', async () => {
      const res = await request(app).post('/api/todos-nope').set('Content-Type', 'text/plain').send('name=hello').expect(404);
      expect(res.body.errorCode).toBe('NOT_FOUND');
    });

    it('HEAD on the list answers its headers, with the length of the body it leaves out', async () => {
      const get = await request(app).get('/api/rule').set('Accept-Encoding', 'identity').expect(200);
      const head = await request(app).head('/api/rule').expect(200);
      expect(head.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(Number(head.headers['content-length'])).toBeGreaterThan(0);
      expect(head.headers['content-length']).toBe(get.headers['content-length']);
      expect(head.text ?? '').toBe('');
    });

    it('says how long every answer is, for browsers (gzip accepted) and HTTP/1.0 clients alike', async () => {
      for (const path of ['/api/rule', '/api/rule/1', '/api/nope']) {
        const res = await request(app).get(path).set('Accept-Encoding', 'gzip, deflate, br');
        expect(res.headers['transfer-encoding']).toBeUndefined();
        expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text));
      }
    });

    it('a path with broken percent-encoding is a 400, not a 500', async () => {
      const res = await request(app).get('/api/rule/%E0').expect(400);
      expect(res.body).toMatchObject({ success: false, errorCode: 'BAD_REQUEST' });
    });

    it('a body that claims gzip but is not is a 400, not a 500', async () => {
      const res = await request(app).post('/api/rule').set('Content-Type', 'application/json').set('Content-Encoding', 'gzip').send('{"name":"x"}').expect(400);
      expect(res.body).toMatchObject({ success: false, errorCode: 'BAD_REQUEST' });
    });

    it('OPTIONS on the API answers without an HTML body', async () => {
      const res = await request(app).options('/api/rule').expect(204);
      expect(res.text).toBe('');
    });

    it('__proto__ and constructor keys in a body are harmless', async () => {
      const res = await request(app)
        .post('/api/rule')
        .set('Content-Type', 'application/json')
        .send('{"name":"proto","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}')
        .expect(201);
      expect(res.body.data).not.toHaveProperty('polluted');
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      const listed = await list('');
      expect(listed.data[0]).not.toHaveProperty('polluted');
      // A __proto__ key must not smuggle a field past validation either.
      const key = res.body.data.key;
      const sneaky = await request(app).put('/api/rule').set('Content-Type', 'application/json').send(`{"key":${key},"__proto__":{"status":3}}`).expect(400);
      expect(sneaky.body.errorMessage).toMatch(/Nothing to update/);
      expect((await request(app).get(`/api/rule/${key}`).expect(200)).body.data.status).toBe(1);
    });
  });
});

import request from 'supertest';
import type { Server } from 'node:http';
import { createApp } from '../../src/http/app';
import { FileStore } from '../../src/stores/file-store';
import { MemoryStore } from '../../src/stores/memory-store';
import type { TodoStore } from '../../src/domain/store';
import { freshDbPath, tempDir } from '../helpers';
import { databasePerFile, freshPostgresStore } from '../postgres/database';

// The behaviours the Todo-Backend spec suite (todobackend.com) checks, each as a test of ours,
// against the real app over every store; then what the contract adds (errors, order, proxies).
const dir = tempDir();
const database = databasePerFile();
const stores: [string, () => Promise<TodoStore>][] = [
  ['memory store', async () => new MemoryStore()],
  ['file store', () => FileStore.open(freshDbPath(dir))],
  ['postgres store', () => freshPostgresStore(database.url())],
];

/** The path of an absolute url, for supertest, after checking it points at the app. */
const pathOf = (url: string) => {
  const parsed = new URL(url);
  expect(parsed.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  return parsed.pathname;
};

describe.each(stores)('/api/todos over the %s', (_name, openStore) => {
  let store: TodoStore;
  // One listening server per test: supertest would start one per request, each on its own port,
  // and a todo's url names the port it was made on.
  let server: Server;

  beforeEach(async () => {
    store = await openStore();
    const app = createApp({ store });
    await new Promise<void>((listening) => (server = app.listen(0, '127.0.0.1', listening)));
    await request(server).delete('/api/todos').expect(204);
  });
  afterEach(async () => {
    await new Promise((done) => server.close(done));
    await store.close();
  });

  const create = async (body: object) => (await request(server).post('/api/todos').send(body).expect(201)).body;
  const list = async () => (await request(server).get('/api/todos').expect(200)).body;

  describe('the pre-requisites', () => {
    it('the api root responds to a GET', async () => {
      const res = await request(server).get('/api/todos').expect(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
    });

    it('the api root responds to a POST with the todo which was posted to it', async () => {
      const res = await request(server).post('/api/todos').send({ title: 'a todo' }).expect(201);
      expect(res.body).toMatchObject({ title: 'a todo' });
    });

    it('the api root responds successfully to a DELETE', async () => {
      await request(server).delete('/api/todos').expect(204);
    });

    it('after a DELETE the api root responds to a GET with a JSON representation of an empty array', async () => {
      await create({ title: 'one' });
      await create({ title: 'two' });
      await request(server).delete('/api/todos').expect(204);
      expect(await list()).toEqual([]);
    });
  });

  describe('storing new todos by posting to the root url', () => {
    it('adds a new todo to the list of todos at the root url', async () => {
      await create({ title: 'walk the dog' });
      const todos = await list();
      expect(todos).toHaveLength(1);
      expect(todos[0].title).toBe('walk the dog');
    });

    it('sets up a new todo as initially not completed', async () => {
      expect((await create({ title: 'blah' })).completed).toBe(false);
      expect((await list())[0].completed).toBe(false);
    });

    it('each new todo has a url', async () => {
      const todo = await create({ title: 'blah' });
      expect(typeof todo.url).toBe('string');
      expect(new URL(todo.url).pathname).toBe(`/api/todos/${todo.id}`);
    });

    it('each new todo has a url, which returns a todo', async () => {
      const todo = await create({ title: 'my todo' });
      const fetched = await request(server).get(pathOf(todo.url)).expect(200);
      expect(fetched.body).toEqual(todo);
    });
  });

  describe('working with an existing todo', () => {
    it('can navigate from a list of todos to an individual todo via urls', async () => {
      await create({ title: 'todo the first' });
      await create({ title: 'todo the second' });
      const todos = await list();
      expect(todos).toHaveLength(2);
      const fetched = await request(server).get(pathOf(todos[0].url)).expect(200);
      expect(fetched.body.title).toBe('todo the first');
    });

    it("can change the todo's title by PATCHing to the todo's url", async () => {
      const todo = await create({ title: 'initial title' });
      const patched = await request(server).patch(pathOf(todo.url)).send({ title: 'bathe the cat' }).expect(200);
      expect(patched.body.title).toBe('bathe the cat');
    });

    it("can change the todo's completedness by PATCHing to the todo's url", async () => {
      const todo = await create({ title: 'test' });
      const patched = await request(server).patch(pathOf(todo.url)).send({ completed: true }).expect(200);
      expect(patched.body.completed).toBe(true);
    });

    it('changes to a todo are persisted and show up when re-fetching the todo', async () => {
      const todo = await create({ title: 'initial title' });
      await request(server).patch(pathOf(todo.url)).send({ title: 'changed title', completed: true }).expect(200);
      const again = (await request(server).get(pathOf(todo.url)).expect(200)).body;
      expect(again).toMatchObject({ title: 'changed title', completed: true });
      expect((await list())[0]).toMatchObject({ title: 'changed title', completed: true });
    });

    it("can delete a todo making a DELETE request to the todo's url", async () => {
      const todo = await create({ title: 'delete me' });
      await request(server).delete(pathOf(todo.url)).expect(204);
      expect(await list()).toEqual([]);
      await request(server).get(pathOf(todo.url)).expect(404);
    });
  });

  describe('tracking todo order', () => {
    it('can create a todo with an order field', async () => {
      const todo = await create({ title: 'blah', order: 523 });
      expect(todo.order).toBe(523);
    });

    it('can PATCH a todo to change its order', async () => {
      const todo = await create({ order: 10, title: 'blah' });
      const patched = await request(server).patch(pathOf(todo.url)).send({ order: 95 }).expect(200);
      expect(patched.body.order).toBe(95);
    });

    it("remembers changes to a todo's order", async () => {
      const todo = await create({ order: 10, title: 'blah' });
      await request(server).patch(pathOf(todo.url)).send({ order: 95 }).expect(200);
      expect((await request(server).get(pathOf(todo.url)).expect(200)).body.order).toBe(95);
      expect((await list())[0].order).toBe(95);
    });
  });

  describe('the same records as /api/rule', () => {
    it('maps title to name, completed to status 2, id to key, and shows order there too', async () => {
      const todo = await create({ title: 'shared', order: 3, completed: true });
      const rule = (await request(server).get(`/api/rule/${todo.id}`).expect(200)).body.data;
      expect(rule).toMatchObject({ key: todo.id, name: 'shared', status: 2, order: 3 });
      expect(Object.keys(todo)).toEqual(['id', 'title', 'completed', 'order', 'url']);
    });

    it('completed false gives status 1 (in progress); other statuses read as not completed', async () => {
      const todo = await create({ title: 'x', completed: true });
      await request(server).patch(`/api/todos/${todo.id}`).send({ completed: false }).expect(200);
      expect((await request(server).get(`/api/rule/${todo.id}`)).body.data.status).toBe(1);
      await request(server).put(`/api/rule/${todo.id}`).send({ status: 3 }).expect(200);
      expect((await request(server).get(`/api/todos/${todo.id}`)).body.completed).toBe(false);
    });

    it('order set through /api/rule shows in /api/todos, and a todo without one has none', async () => {
      const { data } = (await request(server).post('/api/rule').send({ name: 'from the rule API', order: -4 }).expect(201)).body;
      expect(data.order).toBe(-4);
      expect((await request(server).get(`/api/todos/${data.key}`)).body.order).toBe(-4);
      const plain = await create({ title: 'no order' });
      expect(plain).not.toHaveProperty('order');
    });

    it('lists every todo, oldest first, beyond one page of /api/rule', async () => {
      for (let i = 0; i < 120; i++) await store.create({ name: `n${i}`, desc: '', status: 1, owner: '', href: '', avatar: '', callNo: 0, progress: 0, disabled: false, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' });
      const todos = await list();
      expect(todos).toHaveLength(120);
      expect(todos.map((todo: { title: string }) => todo.title)).toEqual(Array.from({ length: 120 }, (_, i) => `n${i}`));
    });
  });

  describe('errors keep the project shape', () => {
    it.each([
      [{}, 'title is required'],
      [{ title: '   ' }, 'title is required'],
      [{ title: 42 }, 'title must be a string'],
      [{ title: 'x', completed: 'yes' }, 'completed must be true or false'],
      [{ title: 'x', order: 1.5 }, 'order must be a whole number'],
      [{ title: 'x', order: '3' }, 'order must be a whole number'],
    ])('POST %j is a 400: %s', async (body, message) => {
      const res = await request(server).post('/api/todos').send(body).expect(400);
      expect(res.body).toEqual({ success: false, errorCode: 'INVALID_INPUT', errorMessage: message, traceId: expect.any(String) });
    });

    it('an empty PATCH says what may be sent', async () => {
      const todo = await create({ title: 'x' });
      const res = await request(server).patch(`/api/todos/${todo.id}`).send({}).expect(400);
      expect(res.body.errorMessage).toBe('Nothing to update: send at least one of title, completed, order');
    });

    it('unknown and malformed ids', async () => {
      for (const method of ['get', 'patch', 'delete'] as const) {
        const missing = await request(server)[method]('/api/todos/999999').send(method === 'patch' ? { title: 'x' } : undefined);
        expect(missing.status).toBe(404);
        expect(missing.body).toMatchObject({ success: false, errorCode: 'NOT_FOUND' });
        expect((await request(server)[method]('/api/todos/abc')).status).toBe(400);
      }
    });

    it('a body that is not JSON is a 415, a broken one a 400', async () => {
      await request(server).post('/api/todos').set('content-type', 'text/plain').send('title=x').expect(415);
      const broken = await request(server).post('/api/todos').set('content-type', 'application/json').send('{"title":').expect(400);
      expect(broken.body.errorCode).toBe('MALFORMED_JSON');
    });
  });
});

describe('the absolute url behind a proxy', () => {
  const store = new MemoryStore();
  afterAll(() => store.close());
  const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'todo.example.com' };

  it('follows X-Forwarded-Proto and X-Forwarded-Host from a trusted proxy (loopback by default)', async () => {
    const app = createApp({ store });
    const res = await request(app).post('/api/todos').set(forwarded).send({ title: 'behind nginx' }).expect(201);
    expect(res.body.url).toBe(`https://todo.example.com/api/todos/${res.body.id}`);
    expect(res.headers.location).toBe(res.body.url);
    const listed = await request(app).get('/api/todos').set({ ...forwarded, 'x-forwarded-host': 'todo.example.com:8443, inner.proxy' });
    expect(listed.body.at(-1).url).toBe(`https://todo.example.com:8443/api/todos/${res.body.id}`);
  });

  it('ignores them from a peer that is not trusted, and keeps the Host port', async () => {
    const app = createApp({ store, trustProxy: false });
    const res = await request(app).get('/api/todos/1').set(forwarded).set('host', 'laptop.local:3001').expect(200);
    expect(res.body.url).toBe('http://laptop.local:3001/api/todos/1');
  });
});

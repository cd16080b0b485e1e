import SwaggerParser from '@apidevtools/swagger-parser';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import listEndpoints from 'express-list-endpoints';
import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import request from 'supertest';
import { createApp } from '../../src/http/app';
import { MemoryStore } from '../../src/stores/memory-store';

// /api/openapi.json against the OpenAPI 3.1 schema (a standard validator), then real answers of
// every route against the document: each status must be documented for its operation, and each
// JSON body must match the schema documented for that status.

type Operation = { responses: Record<string, { content?: Record<string, { schema: object }> }> };
type Document = { openapi: string; paths: Record<string, Record<string, Operation>>; components: object };

const DOC_ID = 'https://todolist-backend.local/openapi.json';
const store = new MemoryStore();
let server: Server;
let document: Document;
let ajv: Ajv2020;

beforeAll(async () => {
  const app = createApp({ store, docsDir: resolve(__dirname, '../../dist/api-docs') });
  await new Promise<void>((listening) => (server = app.listen(0, '127.0.0.1', listening)));
  document = (await request(server).get('/api/openapi.json').expect(200)).body;
  ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ ...document, $id: DOC_ID });
});
afterAll(async () => {
  await new Promise((done) => server.close(done));
  await store.close();
});

describe('the document', () => {
  it('is valid OpenAPI 3.1 (swagger-parser, with every $ref resolved)', async () => {
    expect(document.openapi).toBe('3.1.0');
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
  });

  it('describes every route the app has, and no other (a new route needs its entry in src/http/openapi.ts)', () => {
    // Not API operations: CORS preflights, the web app's page, and the docs page's script files.
    const notOperations = ['OPTIONS /api*', 'GET /', 'GET /api/docs/{name}'];
    const routes = listEndpoints(createApp({ store, staticDir: __dirname }) as never)
      .flatMap(({ path, methods }) => methods.map((method) => `${method} ${path.replace(/:(\w+)/g, '{$1}')}`))
      .filter((route) => !notOperations.includes(route));
    const documented = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((key) => key !== 'parameters')
        .map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual(routes.sort());
  });

  it('documents request bodies from the zod schemas the routes validate with', () => {
    const schemas = (document.components as { schemas: Record<string, { properties: Record<string, object>; required?: string[] }> }).schemas;
    expect(schemas.TodoBackendCreate.required).toEqual(['title']);
    expect(schemas.TodoBackendCreate.properties.title).toEqual({ type: 'string', minLength: 1, maxLength: 200 });
    expect(Object.keys(schemas.RuleCreate.properties)).toEqual(expect.arrayContaining(['name', 'desc', 'status', 'order']));
  });

  it('is the same bytes on every request', async () => {
    const again = await request(server).get('/api/openapi.json').expect(200);
    expect(again.body).toEqual(document);
  });
});

describe('real answers match the document', () => {
  const exercised = new Set<string>();

  /** Calls `method path`, checks the status is documented for `template` and the body matches its schema. */
  async function check(method: 'get' | 'post' | 'put' | 'patch' | 'delete', template: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    let sent = request(server)[method](path).set(headers);
    if (body !== undefined) sent = typeof body === 'string' ? sent.set({ 'content-type': 'application/json', ...headers }).send(body) : sent.send(body as object);
    const res = await sent;
    const operation = document.paths[template]?.[method];
    expect({ operation: `${method} ${template}`, documented: Boolean(operation) }).toEqual({ operation: `${method} ${template}`, documented: true });
    const documented = Object.keys(operation.responses);
    const call = `${method} ${path} -> ${res.status}`;
    expect({ call, documented }).toEqual({ call, documented: expect.arrayContaining([String(res.status)]) });
    const content = operation.responses[res.status].content;
    if (content?.['application/json']) {
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      const pointer = ['paths', template, method, 'responses', String(res.status), 'content', 'application/json', 'schema']
        .map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1'))
        .join('/');
      const validate = ajv.getSchema(`${DOC_ID}#/${pointer}`)!;
      const valid = validate(res.body);
      expect({ call: `${method} ${path} ${res.status}`, errors: valid ? null : ajv.errorsText(validate.errors) }).toEqual({ call: `${method} ${path} ${res.status}`, errors: null });
    } else if (content?.['text/html']) {
      expect(res.headers['content-type']).toMatch(/^text\/html/);
    } else {
      expect(res.text ?? '').toBe('');
    }
    exercised.add(`${method} ${template}`);
    return res;
  }

  it('/api/rule and /api/rule/{key}, answers and errors', async () => {
    const created = (await check('post', '/api/rule', '/api/rule', { name: 'contract', desc: 'd', status: '2', order: 4 })).body.data;
    await check('post', '/api/rule', '/api/rule', { desc: 'no name' });
    await check('post', '/api/rule', '/api/rule', 'name=x', { 'content-type': 'text/plain' });
    await check('post', '/api/rule', '/api/rule', JSON.stringify({ name: 'x'.repeat(200_000) }));
    await check('get', '/api/rule', '/api/rule?current=1&pageSize=5&sorter=updatedAt_descend&status=1,2');
    await check('get', '/api/rule', '/api/rule?sorter=nope_ascend');
    await check('put', '/api/rule', '/api/rule', { key: created.key, progress: 50 });
    await check('put', '/api/rule', '/api/rule', { key: 999999, name: 'x' });
    await check('put', '/api/rule', '/api/rule', { key: created.key });
    await check('get', '/api/rule/{key}', `/api/rule/${created.key}`);
    await check('get', '/api/rule/{key}', '/api/rule/abc');
    await check('get', '/api/rule/{key}', '/api/rule/999999');
    await check('put', '/api/rule/{key}', `/api/rule/${created.key}`, { desc: 'put' });
    await check('patch', '/api/rule/{key}', `/api/rule/${created.key}`, { order: 9 });
    await check('patch', '/api/rule/{key}', '/api/rule/999999', { order: 9 });
    await check('delete', '/api/rule/{key}', `/api/rule/${created.key}`);
    await check('delete', '/api/rule/{key}', `/api/rule/${created.key}`);
    const [a, b] = [(await request(server).post('/api/rule').send({ name: 'a' })).body.data.key, (await request(server).post('/api/rule').send({ name: 'b' })).body.data.key];
    await check('delete', '/api/rule', '/api/rule', { key: [a] });
    await check('delete', '/api/rule', `/api/rule?key=${b}`);
    await check('delete', '/api/rule', '/api/rule', { key: 'x' });
    // Ant Design Pro v4's compatibility form: every write a POST with a method field.
    const key = (await request(server).post('/api/rule').send({ name: 'v4' })).body.data.key;
    await check('post', '/api/rule', '/api/rule', { name: 'v4 create', method: 'post' });
    await check('post', '/api/rule', '/api/rule', { key, name: 'v4 edited', status: 2, method: 'update' });
    await check('post', '/api/rule', '/api/rule', { key: 999999, name: 'x', method: 'update' });
    await check('post', '/api/rule', '/api/rule', { key: [key], method: 'delete' });
    await check('post', '/api/rule', '/api/rule', { key: 1, method: 'upsert' });
    await check('get', '/api/currentUser', '/api/currentUser');
  });

  it('/api/todos and /api/todos/{id}, answers and errors', async () => {
    const todo = (await check('post', '/api/todos', '/api/todos', { title: 'contract', order: 1 })).body;
    await check('post', '/api/todos', '/api/todos', { completed: true });
    await check('post', '/api/todos', '/api/todos', 'x', { 'content-type': 'text/plain' });
    await check('get', '/api/todos', '/api/todos');
    await check('get', '/api/todos/{id}', `/api/todos/${todo.id}`);
    await check('get', '/api/todos/{id}', '/api/todos/999999');
    await check('patch', '/api/todos/{id}', `/api/todos/${todo.id}`, { completed: true, title: 'renamed' });
    await check('patch', '/api/todos/{id}', `/api/todos/${todo.id}`, { order: 'first' });
    await check('patch', '/api/todos/{id}', '/api/todos/999999', { title: 'x' });
    await check('delete', '/api/todos/{id}', `/api/todos/${todo.id}`);
    await check('delete', '/api/todos/{id}', `/api/todos/${todo.id}`);
    await check('delete', '/api/todos/{id}', '/api/todos/abc');
    await check('delete', '/api/todos', '/api/todos');
  });

  it('the document and its page', async () => {
    await check('get', '/api/openapi.json', '/api/openapi.json');
    await check('get', '/api/docs', '/api/docs');
  });

  it('the health checks', async () => {
    await check('get', '/healthz', '/healthz');
    await check('get', '/readyz', '/readyz');
  });

  it('exercised every documented operation', () => {
    const documented = Object.entries(document.paths).flatMap(([template, item]) =>
      Object.keys(item).filter((key) => key !== 'parameters').map((method) => `${method} ${template}`),
    );
    expect([...exercised].sort()).toEqual(documented.sort());
  });
});

describe('the docs page files', () => {
  it('serve the renderer gzipped to browsers and plain to clients that do not take gzip', async () => {
    const gzipped = await request(server).get('/api/docs/rapidoc-min.js').set('accept-encoding', 'gzip').buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(gzipped.status).toBe(200);
    expect(gzipped.headers['content-type']).toBe('text/javascript; charset=utf-8');
    const plain = await request(server).get('/api/docs/rapidoc-min.js').set('accept-encoding', 'identity').expect(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.text).toContain('rapi-doc');
    const etag = plain.headers.etag;
    await request(server).get('/api/docs/rapidoc-min.js').set('accept-encoding', 'identity').set('if-none-match', etag).expect(304);
  });

  it('without them (the FC 2.0 package), the page links to the document instead', async () => {
    const bare = createApp({ store });
    const page = await request(bare).get('/api/docs').expect(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.text).toContain('<a href="/api/openapi.json">');
    expect(page.text).not.toContain('<rapi-doc');
    await request(bare).get('/api/docs/rapidoc-min.js').expect(404);
  });

  it('a name that is not one of them is a 404, and a missing build says what to do', async () => {
    await request(server).get('/api/docs/../../package.json').expect(404);
    await request(server).get('/api/docs/secret.js').expect(404);
    const unbuilt = createApp({ store, docsDir: join(__dirname, 'no-such-folder') });
    const res = await request(unbuilt).get('/api/docs/rapidoc-min.js').expect(404);
    expect(res.body.errorMessage).toBe("The docs page's rapidoc-min.js is not built here: run npm run build");
  });
});

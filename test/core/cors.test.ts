import request from 'supertest';
import { loadConfig, parseCorsOrigin } from '../../src/config';
import { createApp } from '../../src/http/app';
import { MemoryStore } from '../../src/stores/memory-store';

// A frontend on another origin (Ant Design Pro's dev server, the Todo-Backend runner) calls the API.
const FRONTEND = 'http://localhost:8000';
const store = new MemoryStore();
afterAll(() => store.close());

describe('CORS with the default (any origin)', () => {
  const app = createApp({ store });

  it.each([
    ['a list', 'get', '/api/rule', 200],
    ['a Todo-Backend list', 'get', '/api/todos', 200],
    ['a 404 error', 'get', '/api/todos/999999', 404],
    ['a 400 error', 'post', '/api/todos', 400],
    ['a route that does not exist', 'get', '/api/nothing', 404],
    ['the OpenAPI document', 'get', '/api/openapi.json', 200],
  ] as const)('%s carries the headers', async (_what, method, path, status) => {
    const res = await request(app)[method](path).set('Origin', FRONTEND).send(method === 'post' ? {} : undefined);
    expect(res.status).toBe(status);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-expose-headers']).toBe('X-Request-Id');
  });

  it('answers a preflight for PATCH with Content-Type, listing the methods and headers allowed', async () => {
    const res = await request(app)
      .options('/api/todos/1')
      .set('Origin', FRONTEND)
      .set('Access-Control-Request-Method', 'PATCH')
      .set('Access-Control-Request-Headers', 'content-type')
      .expect(204);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-allow-methods']!.split(',')).toEqual(expect.arrayContaining(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']));
    expect(res.headers['access-control-allow-headers']!.split(',')).toEqual(expect.arrayContaining(['Content-Type', 'X-Request-Id']));
    expect(res.headers['access-control-max-age']).toBe('600');
    expect(res.text).toBe('');
  });

  it('answers a preflight for DELETE on the root', async () => {
    const res = await request(app).options('/api/todos').set('Origin', FRONTEND).set('Access-Control-Request-Method', 'DELETE').expect(204);
    expect(res.headers['access-control-allow-methods']).toMatch(/DELETE/);
  });
});

describe('CORS restricted to a list of origins', () => {
  const app = createApp({ store, corsOrigin: [FRONTEND, 'https://todo.example.com'] });

  it('answers a listed origin with that origin, and says the answer varies by Origin', async () => {
    const res = await request(app).get('/api/todos').set('Origin', 'https://todo.example.com').expect(200);
    expect(res.headers['access-control-allow-origin']).toBe('https://todo.example.com');
    expect(res.headers.vary).toMatch(/Origin/);
  });

  it('gives another origin no allow header, in answers and preflights', async () => {
    const res = await request(app).get('/api/todos').set('Origin', 'http://evil.example').expect(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await request(app).options('/api/todos').set('Origin', 'http://evil.example').set('Access-Control-Request-Method', 'PATCH');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('CORS turned off', () => {
  const app = createApp({ store, corsOrigin: false });

  it('sends no CORS headers; OPTIONS is still a bodiless 204', async () => {
    const res = await request(app).get('/api/todos').set('Origin', FRONTEND).expect(200);
    expect(Object.keys(res.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
    const options = await request(app).options('/api/todos').set('Origin', FRONTEND).set('Access-Control-Request-Method', 'PATCH').expect(204);
    expect(options.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('CORS_ORIGIN', () => {
  const env = (CORS_ORIGIN?: string) => loadConfig({ STATIC_DIR: __dirname, CORS_ORIGIN });

  it('defaults to any origin when unset, and is off when set but empty', () => {
    expect(env().corsOrigin).toBe('*');
    expect(env('').corsOrigin).toBe(false);
    expect(env('  ').corsOrigin).toBe(false);
  });

  it('takes a comma list of origins', () => {
    expect(env('http://localhost:8000, https://todo.example.com').corsOrigin).toEqual(['http://localhost:8000', 'https://todo.example.com']);
  });

  it.each([
    ['*,http://localhost:8000', 'CORS_ORIGIN is either * or a list of origins, got "*,http://localhost:8000"'],
    ['localhost:8000', 'CORS_ORIGIN entries look like http://localhost:8000 (no path), got "localhost:8000"'],
    ['http://localhost:8000/', 'CORS_ORIGIN entries look like http://localhost:8000 (no path), got "http://localhost:8000/"'],
  ])('refuses %j with a clear message', (text, message) => {
    expect(() => parseCorsOrigin(text)).toThrow(message);
  });
});

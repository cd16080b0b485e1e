import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { copyPackage, FC_PACKAGE, FcInstance, node12, removePackage } from './fc-runtime';

// The built FC package, copied alone, loaded by a Node 12 stand-in of FC 2.0's runtime and called
// the way FC calls an HTTP function. One instance for the whole file: it stays warm, as on FC.

const ONE_PIXEL_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

let codeDir: string;
let fc: FcInstance;
// Test files are added to public/ of the copy only, after the package checks read the original.

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

beforeAll(async () => {
  const node = node12();
  codeDir = copyPackage();
  // Binary assets of our own, whatever the web build put into public/: every byte value appears.
  writeFileSync(join(codeDir, 'public/fc-test.png'), ONE_PIXEL_PNG);
  writeFileSync(join(codeDir, 'public/fc-test.ico'), Buffer.concat([Buffer.from([0, 0, 1, 0]), randomBytes(2048)]));
  writeFileSync(join(codeDir, 'public/fc-test.woff2'), Buffer.from([...Array(256).keys()].reverse()));
  fc = await FcInstance.start(node, codeDir);
}, 120_000);

afterAll(async () => {
  await fc?.stop();
  if (codeDir) removePackage(codeDir);
});

describe('the package on its own', () => {
  it('holds only the loader, the bundle with its code cache, and the web frontend', () => {
    expect(readdirSync(codeDir).sort()).toEqual(['app.js', 'app.js.cache', 'index.js', 'public']);
  });

  it('is at most 2 MB', () => {
    const size = filesUnder(FC_PACKAGE).reduce((sum, file) => sum + statSync(file).size, 0);
    expect(size).toBeLessThanOrEqual(2 * 1024 * 1024);
  });

  it('writes JSON logs only: the terminal formatter (pino-pretty) of the local server is not in the bundle', () => {
    const bundle = readFileSync(join(codeDir, 'app.js'), 'utf8');
    expect(bundle).toContain('"level"'); // pino is
    // (pino itself names pino-pretty in an error message; these are pino-pretty's own code.)
    expect(bundle).not.toMatch(/colorette|translateTime/);
  });

  it("carries a code cache Node 12's V8 accepts for this very bundle", () => {
    const check = `const fs = require('fs'), vm = require('vm');
      const script = new vm.Script(require('module').wrap(fs.readFileSync('app.js', 'utf8')), { cachedData: fs.readFileSync('app.js.cache') });
      process.stdout.write(String(script.cachedDataRejected));`;
    expect(execFileSync(node12(), ['-e', check], { cwd: codeDir, encoding: 'utf8' })).toBe('false');
  });
});

describe('API through the FC call shape', () => {
  it('lists the welcome todo with the frontend contract', async () => {
    const answer = await fc.call('GET', '/api/rule?current=1&pageSize=10');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    const page = answer.json();
    expect(page).toMatchObject({ success: true, current: 1, pageSize: 10, total: 1 });
    expect(page.data[0]).toMatchObject({ key: 1, name: '欢迎使用 Serverless 待办事项' });
  });

  it('creates a todo from a UTF-8 Chinese body and keeps it in the warm instance', async () => {
    const created = await fc.call('POST', '/api/rule', { body: { name: '学习函数计算', desc: '部署到阿里云 ✓' } });
    expect(created.status).toBe(201);
    const todo = created.json().data;
    expect(todo).toMatchObject({ name: '学习函数计算', desc: '部署到阿里云 ✓', status: 1 });

    const fetched = await fc.call('GET', `/api/rule/${todo.key}`);
    expect(fetched.json()).toEqual({ success: true, data: todo });
    // A Chinese query value travels through FC's decoded `queries` and back.
    const found = await fc.call('GET', `/api/rule?name=${encodeURIComponent('函数')}`);
    expect(found.json().data.map((t: { key: number }) => t.key)).toEqual([todo.key]);
    expect(created.headers['x-harness-instance']).toBe(fetched.headers['x-harness-instance']);
  });

  it('answers repeated query parameters, which FC hands over as an array', async () => {
    const done = (await fc.call('POST', '/api/rule', { body: { name: 'done one', status: 2 } })).json().data;
    const paused = (await fc.call('POST', '/api/rule', { body: { name: 'paused one', status: 3 } })).json().data;
    const both = await fc.call('GET', '/api/rule?status=2&status=3&sorter=updatedAt_descend');
    expect(both.status).toBe(200);
    expect(both.json().data.map((t: { key: number }) => t.key).sort()).toEqual([done.key, paused.key].sort());
    const once = await fc.call('GET', '/api/rule?current=1&current=2');
    expect(once.status).toBe(400);
    expect(once.json()).toMatchObject({ success: false, errorCode: expect.any(String), errorMessage: expect.stringContaining('current') });
  });

  it('updates with PUT on the collection and on an item, and with PATCH', async () => {
    const { key } = (await fc.call('POST', '/api/rule', { body: { name: 'to change' } })).json().data;
    const put = await fc.call('PUT', '/api/rule', { body: { key, name: '改过了', status: 2 } });
    expect(put.status).toBe(200);
    expect(put.json().data).toMatchObject({ key, name: '改过了', status: 2 });
    const putItem = await fc.call('PUT', `/api/rule/${key}`, { body: { desc: '描述' } });
    expect(putItem.json().data).toMatchObject({ key, name: '改过了', desc: '描述', status: 2 });
    const patch = await fc.call('PATCH', `/api/rule/${key}`, { body: { progress: 50 } });
    expect(patch.status).toBe(200);
    expect(patch.json().data).toMatchObject({ key, progress: 50, status: 2 });
  });

  it('deletes by body, by query and by path', async () => {
    const make = async () => (await fc.call('POST', '/api/rule', { body: { name: 'short-lived' } })).json().data.key as number;
    const [a, b, c, d] = [await make(), await make(), await make(), await make()];
    const byBody = await fc.call('DELETE', '/api/rule', { body: { key: [a, b] } });
    expect(byBody.json()).toEqual({ success: true, data: { removed: [a, b] } });
    const byQuery = await fc.call('DELETE', `/api/rule?key=${c}`);
    expect(byQuery.json()).toEqual({ success: true, data: { removed: [c] } });
    const byPath = await fc.call('DELETE', `/api/rule/${d}`);
    expect(byPath.json()).toEqual({ success: true, data: { removed: [d] } });
    expect((await fc.call('GET', `/api/rule/${d}`)).status).toBe(404);
  });

  it('answers the current user in both Ant Design Pro shapes', async () => {
    const answer = await fc.call('GET', '/api/currentUser');
    expect(answer.status).toBe(200);
    const user = answer.json();
    expect(user).toMatchObject({ success: true, name: 'Serverless', data: { name: 'Serverless' } });
  });

  it('answers HEAD on the API without a body', async () => {
    const answer = await fc.call('HEAD', '/api/rule');
    expect(answer.status).toBe(200);
    expect(answer.body.length).toBe(0);
  });

  it('passes a compressed answer through intact', async () => {
    const answer = await fc.call('GET', '/api/rule?pageSize=100', { headers: { 'accept-encoding': 'gzip' } });
    expect(answer.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(answer.body).toString('utf8'))).toMatchObject({ success: true });
  });
});

describe('the Todo-Backend API through the FC call shape', () => {
  const origin = 'https://todo.example.com';
  const viaDomain = { host: 'todo.example.com', 'x-forwarded-proto': 'https', origin: 'http://localhost:8000' };

  it('creates, follows the url, patches and deletes, with urls of the custom domain', async () => {
    const created = await fc.call('POST', '/api/todos', { body: { title: '函数计算上的待办', order: 2 }, headers: viaDomain });
    expect(created.status).toBe(201);
    const todo = created.json();
    expect(todo).toEqual({ id: expect.any(Number), title: '函数计算上的待办', completed: false, order: 2, url: `${origin}/api/todos/${todo.id}` });
    expect(created.headers['access-control-allow-origin']).toBe('*');
    const path = new URL(todo.url).pathname;

    const patched = await fc.call('PATCH', path, { body: { completed: true, order: 7 }, headers: viaDomain });
    expect(patched.json()).toEqual({ ...todo, completed: true, order: 7 });
    const listed = await fc.call('GET', '/api/todos', { headers: viaDomain });
    expect(listed.json()).toContainEqual({ ...todo, completed: true, order: 7 });
    expect((await fc.call('GET', `/api/rule/${todo.id}`)).json().data).toMatchObject({ status: 2, order: 7 });

    expect((await fc.call('DELETE', path)).status).toBe(204);
    const gone = await fc.call('GET', path);
    expect(gone.status).toBe(404);
    expect(gone.json()).toMatchObject({ success: false, errorCode: 'NOT_FOUND' });
  });

  it('answers a CORS preflight for PATCH', async () => {
    const preflight = await fc.call('OPTIONS', '/api/todos/1', {
      headers: { origin: 'http://localhost:8000', 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('*');
    expect(preflight.headers['access-control-allow-methods']).toMatch(/PATCH/);
    expect(preflight.headers['access-control-allow-headers']).toMatch(/Content-Type/);
  });

  it('serves the OpenAPI document; the docs page, without its renderer here, links to it', async () => {
    const document = await fc.call('GET', '/api/openapi.json');
    expect(document.json()).toMatchObject({ openapi: '3.1.0', paths: { '/api/todos': expect.any(Object) } });
    const page = await fc.call('GET', '/api/docs', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('<rapi-doc');
    expect(page.text).toContain('<a href="/api/openapi.json">');
    const script = await fc.call('GET', '/api/docs/rapidoc-min.js');
    expect(script.status).toBe(404);
    expect(script.json()).toMatchObject({ success: false, errorCode: 'NOT_FOUND' });
  });
});

describe('error answers through the FC call shape', () => {
  it.each([
    { method: 'GET', path: '/api/rule/999999', status: 404, code: 'NOT_FOUND' },
    { method: 'GET', path: '/api/rule/abc', status: 400 },
    { method: 'DELETE', path: '/api/rule/999999', status: 404, code: 'NOT_FOUND' },
    { method: 'POST', path: '/api/rule', body: { desc: 'no name' }, status: 400 },
    { method: 'POST', path: '/api/rule', body: '{"name": ', headers: { 'content-type': 'application/json' }, status: 400, code: 'MALFORMED_JSON' },
    { method: 'POST', path: '/api/rule', body: 'name=x', headers: { 'content-type': 'text/plain' }, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
    { method: 'POST', path: '/api/rule', body: JSON.stringify({ name: 'x'.repeat(200_000) }), headers: { 'content-type': 'application/json' }, status: 413, code: 'PAYLOAD_TOO_LARGE' },
    { method: 'PUT', path: '/api/rule', body: { key: 1 }, status: 400 },
    { method: 'GET', path: '/api/nothing-here', status: 404, code: 'NOT_FOUND' },
  ] as { method: string; path: string; body?: string | object; headers?: Record<string, string>; status: number; code?: string }[])(
    '$method $path -> $status JSON error',
    async ({ method, path, body, headers, status, code }) => {
      const answer = await fc.call(method, path, { body, headers });
      expect(answer.status).toBe(status);
      const error = answer.json();
      expect(error).toMatchObject({ success: false, errorCode: code ?? expect.any(String), errorMessage: expect.any(String) });
      // FC's own request id, as the answer's header and the body's traceId.
      expect(error.traceId).toMatch(/^[0-9a-f-]{36}$/);
      expect(answer.headers['x-request-id']).toBe(error.traceId);
      expect(answer.headers['x-fc-request-id']).toBe(error.traceId);
      expect(answer.text).not.toMatch(/\bat .+\.js:\d+/); // no stack trace
    },
  );
});

describe('the web frontend through the FC call shape', () => {
  const page = () => readFileSync(join(codeDir, 'public/index.html'));

  it('serves the HTML page at / and for app routes', async () => {
    for (const path of ['/', '/welcome', '/list/table', `/${encodeURIComponent('待办')}/${encodeURIComponent('a b%')}`]) {
      const answer = await fc.call('GET', path, { headers: { accept: 'text/html' } });
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toMatch(/^text\/html/);
      expect(answer.body.equals(page())).toBe(true);
    }
  });

  it('answers HEAD on the page with headers only', async () => {
    const answer = await fc.call('HEAD', '/', { headers: { accept: 'text/html' } });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^text\/html/);
    expect(answer.body.length).toBe(0);
  });

  it('delivers every file of public/, binary ones byte for byte', async () => {
    const files = filesUnder(join(codeDir, 'public'));
    expect(files.map((file) => relative(codeDir, file))).toEqual(expect.arrayContaining(['public/fc-test.png', 'public/fc-test.woff2']));
    for (const file of files) {
      const urlPath = '/' + relative(join(codeDir, 'public'), file).split('\\').join('/');
      const answer = await fc.call('GET', urlPath);
      expect({ urlPath, status: answer.status }).toEqual({ urlPath, status: 200 });
      expect({ urlPath, same: answer.body.equals(readFileSync(file)) }).toEqual({ urlPath, same: true });
    }
    const png = await fc.call('GET', '/fc-test.png');
    expect(png.headers['content-type']).toBe('image/png');
  });
});

describe('one warm instance', () => {
  it('served every call from one process, loaded once', async () => {
    const first = await fc.call('GET', '/api/currentUser');
    const second = await fc.call('GET', '/api/currentUser');
    expect(second.headers['x-harness-instance']).toBe(first.headers['x-harness-instance']);
    expect(Number(second.headers['x-harness-invocation'])).toBe(Number(first.headers['x-harness-invocation']) + 1);
  });

  it("logs each request with FC's request id, not one a client sends", async () => {
    const answer = await fc.call('GET', '/api/rule?pageSize=1', { headers: { 'x-fc-request-id': 'forged-by-client' } });
    const id = answer.headers['x-fc-request-id'] as string;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(answer.headers['x-request-id']).toBe(id);
    const line = await fc.logLine(id);
    expect(line).toBeDefined();
    expect(JSON.parse(line!)).toMatchObject({ reqId: id, msg: expect.stringContaining('GET /api/rule?pageSize=1 200') });
    expect(fc.logs).not.toContain('forged-by-client');
  });
});

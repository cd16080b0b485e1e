import { createServer, type Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { startServer, type RunningServer } from '../server-process';
import { launchChromium } from './harness';

// A page on another origin calling the API the way the Todo-Backend spec runner and client do:
// JSON bodies, PATCH and DELETE, so Chromium sends real CORS preflights and enforces the answers.

jest.setTimeout(60_000);

let browser: Browser;
let frontend: Server;
let frontendOrigin: string;

beforeAll(async () => {
  browser = await launchChromium();
  // The "frontend": a blank page served from another port and host name, so another origin.
  frontend = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>frontend</title>'));
  await new Promise<void>((listening) => frontend.listen(0, '127.0.0.1', listening));
  frontendOrigin = `http://localhost:${(frontend.address() as { port: number }).port}`;
});
afterAll(async () => {
  await browser?.close();
  await new Promise((done) => frontend?.close(done));
});

async function openFrontend(): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(frontendOrigin);
  return page;
}

describe('the Todo-Backend flow from another origin in Chromium', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server?.stop());

  it('runs the spec suite\'s steps through CORS, preflights included', async () => {
    const page = await openFrontend();
    const steps = await page.evaluate(async (root) => {
      const call = async (method: string, url: string, body?: unknown) => {
        const res = await fetch(url, {
          method,
          headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return { status: res.status, body: res.status === 204 ? null : await res.json() };
      };
      const out: Record<string, unknown> = {};
      out.clear = await call('DELETE', root);
      out.emptyList = await call('GET', root);
      const created = await call('POST', root, { title: 'from another origin', order: 1 });
      out.created = created;
      const { url } = created.body as { url: string };
      out.followed = await call('GET', url);
      out.patched = await call('PATCH', url, { title: 'renamed', completed: true, order: 2 });
      out.listed = await call('GET', root);
      out.notFound = await call('GET', `${root}/999999`);
      out.invalid = await call('POST', root, { completed: true });
      out.deleted = await call('DELETE', url);
      out.finalList = await call('GET', root);
      return out;
    }, `${server.url}/api/todos`);

    const todo = (steps.created as { body: { id: number } }).body;
    const url = `${server.url}/api/todos/${todo.id}`;
    expect(steps).toEqual({
      clear: { status: 204, body: null },
      emptyList: { status: 200, body: [] },
      created: { status: 201, body: { id: todo.id, title: 'from another origin', completed: false, order: 1, url } },
      followed: { status: 200, body: { id: todo.id, title: 'from another origin', completed: false, order: 1, url } },
      patched: { status: 200, body: { id: todo.id, title: 'renamed', completed: true, order: 2, url } },
      listed: { status: 200, body: [{ id: todo.id, title: 'renamed', completed: true, order: 2, url }] },
      // Errors carry the CORS headers too, or the page could not read them.
      notFound: { status: 404, body: { success: false, errorCode: 'NOT_FOUND', errorMessage: expect.any(String), traceId: expect.any(String) } },
      invalid: { status: 400, body: { success: false, errorCode: 'INVALID_INPUT', errorMessage: 'title is required', traceId: expect.any(String) } },
      deleted: { status: 204, body: null },
      finalList: { status: 200, body: [] },
    });
    // Chromium asked first at both URLs (a preflight's answer then covers every method it lists).
    const preflights = server
      .stdout()
      .split('\n')
      .filter((line) => line.includes('"method":"OPTIONS"'))
      .map((line) => JSON.parse(line))
      .map((entry) => `${entry.req.url} ${entry.res.status}`);
    expect(preflights.sort()).toEqual(['/api/todos 204', `/api/todos/${todo.id} 204`]);
    await page.close();
  });
});

describe('CORS_ORIGIN in Chromium', () => {
  const tryFetch = (page: Page, url: string) =>
    page.evaluate(async (target) => {
      try {
        const res = await fetch(target, { method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: '{"order":5}' });
        return `status ${res.status}`;
      } catch (error) {
        return `blocked: ${(error as Error).name}`;
      }
    }, url);

  it.each([
    ['lets a listed origin in', () => frontendOrigin, 'status 200'],
    ['blocks an origin not on the list', () => 'http://localhost:1', 'blocked: TypeError'],
    ['blocks every other origin when empty', () => '', 'blocked: TypeError'],
  ])('%s', async (_what, origins, outcome) => {
    const server = await startServer({ CORS_ORIGIN: origins() });
    try {
      const page = await openFrontend();
      expect(await tryFetch(page, `${server.url}/api/todos/1`)).toBe(outcome);
      await page.close();
    } finally {
      await server.stop();
    }
  });
});

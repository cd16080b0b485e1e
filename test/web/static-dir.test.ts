import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../server-process';

// STATIC_DIR swaps in another built frontend, such as the course's Ant Design Pro bundle:
// its files are served, every page URL falls back to its index.html, and the API stays.

const otherSite = mkdtempSync(join(tmpdir(), 'other-frontend-'));
mkdirSync(join(otherSite, 'static'));
writeFileSync(join(otherSite, 'index.html'), '<!doctype html><title>Ant Design Pro</title><script src="/umi.1f2e3d4c.js"></script>');
writeFileSync(join(otherSite, 'umi.1f2e3d4c.js'), 'console.log("umi")');
writeFileSync(join(otherSite, 'static', 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ STATIC_DIR: otherSite });
});
afterAll(async () => {
  await server?.stop();
  rmSync(otherSite, { recursive: true, force: true });
});

test('serves the other frontend with its single-page fallback, and the same API', async () => {
  for (const path of ['/', '/list', '/user/login?redirect=%2F']) {
    const page = await fetch(`${server.url}${path}`, { headers: { accept: 'text/html' } });
    expect([path, page.status, await page.text()]).toEqual([path, 200, expect.stringContaining('<title>Ant Design Pro</title>')]);
  }
  const script = await fetch(`${server.url}/umi.1f2e3d4c.js`);
  expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  expect(await script.text()).toBe('console.log("umi")');
  expect((await fetch(`${server.url}/static/logo.svg`)).headers.get('content-type')).toBe('image/svg+xml');

  const list = await fetch(`${server.url}/api/rule`);
  expect(await list.json()).toMatchObject({ success: true, total: 1 });
});

import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { createApp } from '../../src/http/app';
import { MemoryStore } from '../../src/stores/memory-store';

// The web app as `npm run build` leaves it in public/ (the test script builds first),
// served by the real app.

const PUBLIC = resolve(__dirname, '../../public');
const BUDGET_BYTES = 60 * 1024;

const app = createApp({ store: new MemoryStore(), staticDir: PUBLIC });
const page = readFileSync(join(PUBLIC, 'index.html'), 'utf8');
const assetUrls = [...page.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((match) => match[1]);

test('the JavaScript and CSS stay within 60 KB gzipped', () => {
  const files = readdirSync(join(PUBLIC, 'assets')).filter((name) => /\.(js|css)$/.test(name));
  expect(files.some((name) => name.endsWith('.js'))).toBe(true);
  expect(files.some((name) => name.endsWith('.css'))).toBe(true);
  const gzipped = files.reduce((sum, name) => sum + gzipSync(readFileSync(join(PUBLIC, 'assets', name)), { level: 9 }).length, 0);
  expect(gzipped).toBeLessThanOrEqual(BUDGET_BYTES);
});

test('the page is never cached, and its hashed assets are cached for a year', async () => {
  const index = await request(app).get('/').set('accept', 'text/html');
  expect(index.status).toBe(200);
  expect(index.headers['cache-control']).toBe('no-cache');
  expect(index.text).toBe(page);

  expect(assetUrls).toEqual(expect.arrayContaining([expect.stringMatching(/\.js$/), expect.stringMatching(/\.css$/), expect.stringMatching(/\.png$/)]));
  for (const url of assetUrls) {
    const asset = await request(app).get(url);
    expect([url, asset.status, asset.headers['cache-control']]).toEqual([url, 200, 'public, max-age=31536000, immutable']);
  }

  for (const url of ['/avatar.svg', '/manifest.webmanifest']) {
    const fixed = await request(app).get(url);
    expect([url, fixed.status, fixed.headers['cache-control']]).toEqual([url, 200, 'no-cache']);
  }
  expect((await request(app).get('/manifest.webmanifest')).headers['content-type']).toMatch(/^application\/manifest\+json/);
});

test('the page loads only our own scripts, as the Content-Security-Policy demands', async () => {
  const index = await request(app).get('/').set('accept', 'text/html');
  expect(index.headers['content-security-policy']).toContain("script-src 'self'");
  expect(page).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline scripts
  expect(page).not.toMatch(/(?:href|src)="(?:https?:)?\/\//); // nothing from another host
});

test('text answers are compressed, JSON included', async () => {
  const js = assetUrls.find((url) => url.endsWith('.js'))!;
  const script = await request(app).get(js).set('accept-encoding', 'gzip');
  expect(script.headers['content-encoding']).toBe('gzip');

  const store = new MemoryStore();
  const api = createApp({ store, staticDir: PUBLIC });
  for (let n = 0; n < 20; n++) await request(api).post('/api/rule').send({ name: `todo ${n}`, desc: 'enough text to pass the size threshold' });
  const list = await request(api).get('/api/rule?pageSize=20').set('accept-encoding', 'gzip');
  expect(list.status).toBe(200);
  expect(list.headers['content-type']).toMatch(/^application\/json/);
  expect(list.headers['content-encoding']).toBe('gzip');
  expect(list.body.data).toHaveLength(20);
});

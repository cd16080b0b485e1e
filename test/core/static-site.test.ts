import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { createApp } from '../../src/http/app';
import { MemoryStore } from '../../src/stores/memory-store';
import { tempDir } from '../helpers';

const site = tempDir('todolist-site-');
const PAGE = '<!doctype html><title>SPA</title><div id="app"></div>';
writeFileSync(join(site, 'index.html'), PAGE);
mkdirSync(join(site, 'assets'));
writeFileSync(join(site, 'assets', 'app-3F9A1C2B.js'), 'console.log("app")');
writeFileSync(join(site, 'robots.txt'), 'User-agent: *');
writeFileSync(join(site, 'apple-touch-icon.png'), 'not really a png');
writeFileSync(join(site, 'assets', 'main-VQCUZIMY.css'), 'body{}');
writeFileSync(join(site, 'my-background.png'), 'not really a png');
const app = createApp({ store: new MemoryStore(), staticDir: site });

describe('static files and the single-page app', () => {
  it('serves index.html at / without caching it', async () => {
    const res = await request(app).get('/').expect(200);
    expect(res.text).toBe(PAGE);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it('answers an unknown page that accepts HTML with index.html (client-side routes)', async () => {
    const res = await request(app).get('/todos/42').set('Accept', 'text/html').expect(200);
    expect(res.text).toBe(PAGE);
  });

  it('revalidates index.html with its ETag', async () => {
    const first = await request(app).get('/').expect(200);
    await request(app).get('/').set('If-None-Match', first.headers.etag).expect(304);
  });

  it('caches hashed assets for a year and plain files not at all', async () => {
    const asset = await request(app).get('/assets/app-3F9A1C2B.js').expect(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const plain = await request(app).get('/robots.txt').expect(200);
    expect(plain.headers['cache-control']).toBe('no-cache');
    for (const plainName of ['/apple-touch-icon.png', '/my-background.png']) {
      expect((await request(app).get(plainName).expect(200)).headers['cache-control']).toBe('no-cache');
    }
    const lettersOnly = await request(app).get('/assets/main-VQCUZIMY.css').expect(200);
    expect(lettersOnly.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('answers HEAD for pages, files and the API', async () => {
    const page = await request(app).get('/').set('Accept-Encoding', 'identity').expect(200);
    const head = await request(app).head('/').expect(200);
    expect(head.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(Number(head.headers['content-length'])).toBe(Buffer.byteLength(page.text));
    await request(app).head('/robots.txt').expect(200);
    await request(app).head('/api/rule').expect(200);
  });

  it('gives a missing file that does not want HTML a JSON 404', async () => {
    const res = await request(app).get('/missing.png').set('Accept', 'image/png').expect(404);
    expect(res.body).toMatchObject({ success: false, errorCode: 'NOT_FOUND' });
  });

  it('gives a missing asset a 404 even when the client accepts anything', async () => {
    await request(app).get('/assets/app-OLDHASH1.js').set('Accept', '*/*').expect(404);
  });

  it('never answers an /api path with the page', async () => {
    const res = await request(app).get('/api/unknown').set('Accept', 'text/html').expect(404);
    expect(res.headers['content-type']).toMatch(/application\/json/);
  });

  it('compresses JSON for clients that accept gzip', async () => {
    const store = new MemoryStore();
    for (let i = 0; i < 30; i++) await store.create({ name: `todo ${i}`, desc: 'some description text', status: 1, owner: '', href: '', avatar: '', callNo: 0, progress: 0, disabled: false, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' });
    const res = await request(createApp({ store })).get('/api/rule').set('Accept-Encoding', 'gzip').expect(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.body.total).toBe(31);
  });

  it('sets security headers', async () => {
    const res = await request(app).get('/').expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(res.headers).not.toHaveProperty('x-powered-by');
    expect(res.headers).not.toHaveProperty('strict-transport-security');
  });

  it('gives API answers the headers that protect data: no sniffing, framing, loading or embedding', async () => {
    for (const path of ['/api/rule', '/api/nope']) {
      const res = await request(app).get(path);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['cross-origin-resource-policy']).toBe('same-origin');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers).not.toHaveProperty('x-powered-by');
    }
  });
});

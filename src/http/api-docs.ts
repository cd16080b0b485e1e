import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Router, type RequestHandler } from 'express';
import { AppError } from '../domain/errors';
import { openApiJson } from './openapi';

/** An HTML page of the docs route: the shared head, then `head` and `body`. */
const htmlPage = (head: string, body: string) =>
  Buffer.from(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>todolist-backend API · 接口文档</title>
<link rel="icon" href="data:,">
${head}</head>
<body>
${body}</body>
</html>
`);

/**
 * The reference page at /api/docs: RapiDoc (a web component) reading /api/openapi.json. Its
 * script comes from this server, never another host, and needs no inline script, so the page
 * keeps the app's CSP. RapiDoc is the smallest of the kept renderers (its gzip is half of Redoc's
 * and a third of Swagger UI's).
 */
const PAGE = htmlPage(
  `<script type="module" src="/api/docs/rapidoc-min.js"></script>
`,
  `<rapi-doc spec-url="/api/openapi.json" load-fonts="false" render-style="read" theme="light" show-header="false" allow-authentication="false" allow-server-selection="false" schema-description-expanded="true" primary-color="#1d4ed8"
  regular-font="system-ui, -apple-system, 'Segoe UI', 'PingFang SC', 'Microsoft YaHei', sans-serif" mono-font="ui-monospace, Menlo, Consolas, monospace"></rapi-doc>
`,
);

/**
 * Where the renderer is not deployed (the FC 2.0 package, which must stay under 2 MB), the page
 * says so and points at the document itself.
 */
const PAGE_WITHOUT_RENDERER = htmlPage(
  '',
  `<h1>todolist-backend API · 接口文档</h1>
<p>This server does not carry the reference page's renderer: the Function Compute 2.0 package leaves it out to stay under 2 MB
(elsewhere, <code>npm run build</code> makes it). The OpenAPI 3.1 document of every route is at
<a href="/api/openapi.json">/api/openapi.json</a>: open it in any OpenAPI viewer, or see this page where the app runs with
<code>npm start</code> or on FC 3.0.</p>
<p>此服务没有文档页的渲染器：函数计算 FC 2.0 的代码包为了小于 2 MB 不带它（其他情况下运行 <code>npm run build</code> 即可生成）。
全部接口的 OpenAPI 3.1 文档在 <a href="/api/openapi.json">/api/openapi.json</a>，可用任意 OpenAPI 查看器打开；
用 <code>npm start</code> 本地运行或部署到 FC 3.0 时本页可直接查看。</p>
`,
);

/** The renderer's files, kept gzipped beside the bundle (the build puts them there), by name and type. */
const ASSETS: Record<string, string> = {
  'rapidoc-min.js': 'text/javascript; charset=utf-8',
  'rapidoc-min.js.LICENSE.txt': 'text/plain; charset=utf-8',
};

interface Asset {
  gzip: Buffer;
  plain?: Buffer;
  etag: string;
}

/** Routes of /api/openapi.json (API headers) and of the page with its assets (page headers). */
export function openApiDocument(): RequestHandler {
  return (_req, res) => {
    const bytes = openApiJson();
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Length', bytes.length);
    res.end(bytes);
  };
}

/**
 * Serves the page and the renderer's files from `dir` (read on first request, not at load); without
 * a `dir`, a page that links to the document instead.
 * Files are stored gzipped only, as most browsers take them: a client that does not accept
 * gzip gets them unpacked, once, in memory.
 */
export function apiDocsPage(dir: string | undefined): Router {
  const router = Router();
  const assets = new Map<string, Asset>();
  const load = (name: string): Asset => {
    let asset = assets.get(name);
    if (!asset) {
      let gzip: Buffer;
      try {
        gzip = readFileSync(join(dir ?? '', `${name}.gz`));
      } catch {
        throw new AppError(404, 'NOT_FOUND', `The docs page's ${name} is not built here: run npm run build`);
      }
      asset = { gzip, etag: `"${createHash('sha1').update(gzip).digest('base64')}"` };
      assets.set(name, asset);
    }
    return asset;
  };

  const page = dir ? PAGE : PAGE_WITHOUT_RENDERER;
  router.get('/', (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader('Content-Length', page.length);
    res.end(page);
  });
  router.get('/:name', (req, res, next) => {
    const type = Object.hasOwn(ASSETS, req.params.name) ? ASSETS[req.params.name] : undefined;
    if (!type || !dir) return next();
    const asset = load(req.params.name);
    const gzipped = Boolean(req.acceptsEncodings('gzip'));
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('Vary', 'Accept-Encoding');
    res.setHeader('ETag', gzipped ? `${asset.etag.slice(0, -1)}-gzip"` : asset.etag); // one tag per representation
    if (req.fresh) return void res.status(304).end();
    res.setHeader('Content-Type', type);
    if (gzipped) res.setHeader('Content-Encoding', 'gzip');
    const bytes = gzipped ? asset.gzip : (asset.plain ??= gunzipSync(asset.gzip));
    res.setHeader('Content-Length', bytes.length);
    res.end(bytes);
  });
  return router;
}

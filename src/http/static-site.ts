import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import express, { Router, type RequestHandler, type Response } from 'express';

/**
 * Built assets carry a content hash in their name (umi.3f9a1c2b.js, main-VQCUZIMY.css): safe to
 * cache for a year. A hash has a digit or a capital letter, which tells it from a plain word of a
 * file name (touch-icon.png, background.png).
 */
const HASHED_NAME = /[.-](?=\w*[0-9A-Z])\w{8,}\.(?:js|css|png|svg|ico|woff2?|webp|jpg)$/;

function cacheHeaders(res: Response, path: string): void {
  res.setHeader('Cache-Control', HASHED_NAME.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
}

/**
 * Serves a built frontend from `dir`, and answers any other GET that wants HTML with its
 * `index.html` (single-page app routing). The page is read once, here, not per request.
 * A missing path with a file extension stays a 404: browsers ask for scripts accepting any type,
 * and an old bundle name answered with HTML would fail in confusing ways.
 */
export function staticSite(dir: string): Router {
  const router = Router();
  const serveFiles = express.static(dir, { index: false, setHeaders: cacheHeaders });

  const indexPath = join(dir, 'index.html');
  if (!existsSync(indexPath)) return router.use(serveFiles);
  const page = readFileSync(indexPath);
  // base64, not base64url: FC 2.0 runs this on Node 12, which lacks base64url.
  const etag = `"${createHash('sha1').update(page).digest('base64')}"`;
  const sendPage: RequestHandler = (req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || extname(req.path) || !req.accepts('html')) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('ETag', etag);
    if (req.fresh) return void res.status(304).end();
    // The headers are known; res.send would work them out again on every request.
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader('Content-Length', page.length);
    res.end(page);
  };
  // `/` is a folder, never a file: answer it from memory before express.static stats the disk
  // (and builds a 404 error) for every request of the course's `ab -c 200` on the home page.
  router.get('/', sendPage);
  router.use(serveFiles);
  router.use(sendPage);
  return router;
}

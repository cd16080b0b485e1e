import compression from 'compression';
import express, { type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import { pino, type Logger } from 'pino';
import { TodoService } from '../domain/todo-service';
import type { TodoStore } from '../domain/store';
import { apiRoutes } from './api-routes';
import { errorHandler, notFoundHandler } from './errors';
import { healthRoutes } from './health';
import { requestLog } from './request-log';
import { staticSite } from './static-site';

export interface AppOptions {
  store: TodoStore;
  /** A built frontend to serve, with single-page-app fallback; none when omitted. */
  staticDir?: string;
  logger?: Logger;
  /** Largest JSON body accepted, in body-parser's notation. */
  bodyLimit?: string;
}

/**
 * compression() wraps every answer's write, end and headers to decide at the end whether to
 * compress. A client that accepts no encoding (curl, ab, autocannon) can only get identity, so
 * it skips all that: about a fifth of the CPU of a page read. Its answers then carry no
 * `Vary: Accept-Encoding`; a cache may keep such an identity answer and hand it to any client,
 * which every client can read. Compressed answers always carry the Vary.
 */
function compressWhenAccepted(): RequestHandler {
  const compress = compression();
  return (req, res, next) => (req.headers['accept-encoding'] ? compress(req, res, next) : next());
}

// Security headers by helmet. Pages get its full set, with two changes:
// `upgrade-insecure-requests` would break the app when opened over plain http on a LAN address,
// and HSTS pins a domain and its subdomains to HTTPS for a year: the deployer's call, not the app's.
const pageHeaders = () =>
  helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } }, strictTransportSecurity: false, xPoweredBy: false });

// JSON answers get the headers that protect data rather than documents (as the OWASP REST
// Security Cheat Sheet lists them): no sniffing, no framing, no loading anything, no cross-origin
// embedding, no referrer. Headers meant for pages (an opener policy, DNS prefetch, IE's download
// and XSS switches, Flash policies) do nothing here and cost a page read a tenth of its CPU.
const apiHeaders = () =>
  helmet({
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    xFrameOptions: { action: 'deny' },
    crossOriginOpenerPolicy: false,
    originAgentCluster: false,
    strictTransportSecurity: false,
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false,
    xPoweredBy: false,
    xXssProtection: false,
  });

/** Builds the Express app over a store. Starts nothing, listens nowhere: entry points do that. */
export function createApp({ store, staticDir, logger = pino({ level: 'silent' }), bodyLimit = '100kb' }: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false); // API answers are fresh every time; static files carry their own ETags.
  app.use(healthRoutes(store, logger));
  app.use(requestLog(logger));
  app.use(compressWhenAccepted());

  app.use('/api', apiHeaders(), apiRoutes(new TodoService(store), { bodyLimit }), notFoundHandler);
  app.use(pageHeaders());
  if (staticDir) app.use(staticSite(staticDir));
  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}

import compression from 'compression';
import express, { type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import { pino, type Logger } from 'pino';
import { TodoService } from '../domain/todo-service';
import type { TodoStore } from '../domain/store';
import { DEFAULT_TRUST_PROXY, type CorsOrigin, type TrustProxy } from '../config';
import { apiDocsPage, openApiDocument } from './api-docs';
import { apiRoutes } from './api-routes';
import { corsHeaders } from './cors';
import { errorHandler, notFoundHandler } from './errors';
import { healthRoutes } from './health';
import { requestLog } from './request-log';
import { staticSite } from './static-site';
import { todoBackendRoutes } from './todo-backend';

export interface AppOptions {
  store: TodoStore;
  /** A built frontend to serve, with single-page-app fallback; none when omitted. */
  staticDir?: string;
  logger?: Logger;
  /** Largest JSON body accepted, in body-parser's notation. */
  bodyLimit?: string;
  /** Origins allowed to call from a browser (CORS_ORIGIN): any by default; false for no CORS headers. */
  corsOrigin?: CorsOrigin;
  /** Express's `trust proxy` (TRUST_PROXY): whose X-Forwarded-Proto/Host to believe. */
  trustProxy?: TrustProxy;
  /** The folder of the /api/docs page's renderer files (the build writes it beside each bundle). */
  docsDir?: string;
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
const pageHeaders = (directives: Record<string, string[]> = {}) =>
  helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null, ...directives } }, strictTransportSecurity: false, xPoweredBy: false });

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
export function createApp({
  store,
  staticDir,
  logger = pino({ level: 'silent' }),
  bodyLimit = '100kb',
  corsOrigin = '*',
  trustProxy = DEFAULT_TRUST_PROXY,
  docsDir,
}: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false); // API answers are fresh every time; static files carry their own ETags.
  // Which peers may say, in X-Forwarded-Proto/Host, how the client reached us: /api/todos builds
  // absolute URLs from that.
  app.set('trust proxy', trustProxy);
  app.use(healthRoutes(store, logger));
  app.use(requestLog(logger));
  // First, so that every answer carries the headers, errors and preflights included.
  if (corsOrigin) app.use(corsHeaders(corsOrigin));
  app.use(compressWhenAccepted());

  const service = new TodoService(store);
  // RapiDoc's styles name a web font on another host; the page uses system fonts and loads nothing from elsewhere.
  app.use('/api/docs', pageHeaders({ fontSrc: ["'self'", 'data:'] }), apiDocsPage(docsDir));
  app.get('/api/openapi.json', apiHeaders(), openApiDocument());
  app.use('/api', apiHeaders(), apiRoutes(service, { bodyLimit }), todoBackendRoutes(service, { bodyLimit }), notFoundHandler);
  app.use(pageHeaders());
  if (staticDir) app.use(staticSite(staticDir));
  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}

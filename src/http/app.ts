import compression from 'compression';
import express, { type Express } from 'express';
import helmet from 'helmet';
import { pino, type Logger } from 'pino';
import { TodoService } from '../domain/todo-service';
import type { TodoStore } from '../stores/store';
import { apiRoutes } from './api-routes';
import { errorHandler, notFoundHandler, requireJsonBody } from './errors';
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

/** Builds the Express app over a store. Starts nothing, listens nowhere: entry points do that. */
export function createApp({ store, staticDir, logger = pino({ level: 'silent' }), bodyLimit = '100kb' }: AppOptions): Express {
  const app = express();
  app.set('etag', false); // API answers are fresh every time; static files carry their own ETags.
  app.use(requestLog(logger));
  app.use(
    helmet({
      // `upgrade-insecure-requests` would break the app when opened over plain http on a LAN address.
      contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
      // HSTS pins a domain and its subdomains to HTTPS for a year: the deployer's call, not the app's.
      strictTransportSecurity: false,
    }),
  );
  app.use(compression());

  app.use('/api', requireJsonBody, express.json({ limit: bodyLimit }), apiRoutes(new TodoService(store)));
  app.use('/api', notFoundHandler);
  if (staticDir) app.use(staticSite(staticDir));
  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}

import { Router, type Response } from 'express';
import type { Logger } from 'pino';
import { AppError } from '../domain/errors';
import type { TodoStore } from '../domain/store';
import { sendError } from './errors';
import { sendJson } from './json';

const noStore = (res: Response) => res.setHeader('Cache-Control', 'no-store');

/**
 * Health checks for load balancers, Kubernetes and FC 3.0's custom runtime: `/healthz` says the
 * process answers (and which process: its pid, which tells workers apart), `/readyz` that the
 * store answers too. Mounted before the request log: a probe every few seconds is not news.
 */
export function healthRoutes(store: TodoStore, logger: Logger): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    noStore(res);
    sendJson(res, 200, { success: true, status: 'ok', pid: process.pid });
  });
  router.get('/readyz', (_req, res) => {
    noStore(res);
    store.ready().then(
      () => sendJson(res, 200, { success: true, status: 'ready' }),
      (error: unknown) => {
        logger.debug({ err: error }, 'readiness check failed');
        // A store's own error says what is wrong without secrets; anything else stays in the log.
        if (error instanceof AppError) return sendError(res, 503, error.code, error.message);
        sendError(res, 503, 'STORE_UNAVAILABLE', 'The store does not answer');
      },
    );
  });
  return router;
}

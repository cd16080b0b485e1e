import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Request } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';

const TRUSTED_ID = /^[\w.:-]{1,100}$/;

/** The platform's request id when it sends one (FC does), so log lines match its console. */
function requestId(req: IncomingMessage): string {
  const given = req.headers['x-fc-request-id'] ?? req.headers['x-request-id'];
  return typeof given === 'string' && TRUSTED_ID.test(given) ? given : randomUUID();
}

/** One structured line per finished request: method, path, status, duration and request id. */
export function requestLog(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: requestId,
    quietReqLogger: true,
    // Express rewrites req.url inside routers; originalUrl is what the client asked for.
    customSuccessMessage: (req, res, ms) => `${req.method} ${(req as Request).originalUrl} ${res.statusCode} ${ms}ms`,
    customErrorMessage: (req, res) => `${req.method} ${(req as Request).originalUrl} ${res.statusCode}`,
    serializers: {
      req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url }),
      res: (res: { statusCode: number }) => ({ status: res.statusCode }),
    },
  });
}

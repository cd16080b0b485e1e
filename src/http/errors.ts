import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { AppError, clip } from '../domain/errors';
import { sendJson } from './json';
import { requestIdOf } from './request-log';

/**
 * Every error answer has the Ant Design Pro shape, so the frontend shows `errorMessage`; `traceId`
 * is the request id (also in the `x-request-id` header), which finds the request's log lines.
 */
export function sendError(res: Response, status: number, errorCode: string, errorMessage: string): void {
  sendJson(res, status, { success: false, errorCode, errorMessage, traceId: requestIdOf(res) });
}

// originalUrl: inside the /api mount, req.path has lost its prefix.
export const notFoundHandler: RequestHandler = (req: Request, res: Response) =>
  sendError(res, 404, 'NOT_FOUND', `No route for ${req.method} ${clip(req.originalUrl.split('?')[0])}`);

// raw-body marks its errors with a `type`; these are the client's fault.
const bodyErrors: Record<string, [number, string, string]> = {
  'entity.too.large': [413, 'PAYLOAD_TOO_LARGE', 'The request body is too large'],
  'request.aborted': [400, 'REQUEST_ABORTED', 'The request was aborted'],
  'request.size.invalid': [400, 'BAD_REQUEST', 'The request body length does not match Content-Length'],
};

/** Last in the chain: a JSON answer for every error, never a stack trace. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, _req, res, next) => {
    if (res.headersSent) return next(error);
    if (error instanceof AppError) {
      // A 503 (the database is away) or 507 (the disk is full) is the server's trouble, not the
      // client's: say why in the log.
      if (error.status >= 500) logger.warn({ reqId: requestIdOf(res), err: error.cause ?? error }, error.message);
      return sendError(res, error.status, error.code, error.message);
    }
    const known = bodyErrors[(error as { type?: string }).type ?? ''];
    if (known) return sendError(res, ...known);
    // Other client errors Express and raw-body flag with a 4xx status, such as a path with broken
    // percent-encoding. Their messages are safe to show, cut short: they may quote the request.
    const status = (error as { status?: number }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return sendError(res, status, 'BAD_REQUEST', clip((error as Error).message));
    }
    logger.error({ reqId: requestIdOf(res), err: error }, 'unhandled error');
    sendError(res, 500, 'INTERNAL_ERROR', 'Something went wrong on the server; it has been logged');
  };
}

import express, { type RequestHandler, type Response } from 'express';
import { AppError } from '../domain/errors';

/**
 * Sends `body` as JSON. Express's res.json parses and re-formats the Content-Type on every call
 * to add the charset; this sets the finished header once. Node works out Content-Length itself
 * and leaves the body out of a HEAD answer.
 */
export function sendJson(res: Response, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}

/** Bodies on API writes must be JSON: anything else is a 415, not a confusing 400 later. */
const requireJson: RequestHandler = (req, _res, next) => {
  const hasContent = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length']) > 0;
  if (hasContent && !req.is('application/json')) {
    return next(new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', `Send the body as application/json, not ${req.headers['content-type']}`));
  }
  next();
};

/** For the routes that take a body, and only those: a page read never pays for body parsing. */
export const jsonBody = (limit: string): RequestHandler[] => [requireJson, express.json({ limit })];

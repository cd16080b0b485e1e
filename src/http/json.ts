import express, { type RequestHandler, type Response } from 'express';
import { AppError, invalid } from '../domain/errors';

const JSON_TYPE = 'application/json; charset=utf-8';

/** Answers `bytes` of JSON. Node leaves the body out of a HEAD answer, but not its length. */
function sendBytes(res: Response, status: number, bytes: Buffer): void {
  res.statusCode = status;
  res.setHeader('Content-Type', JSON_TYPE);
  res.setHeader('Content-Length', bytes.length);
  res.end(bytes);
}

/**
 * Sends `body` as JSON, as res.json does, without its per-call work: res.json parses and
 * re-formats the Content-Type on every call to add the charset.
 */
export function sendJson(res: Response, status: number, body: unknown): void {
  sendBytes(res, status, Buffer.from(JSON.stringify(body)));
}

/** UTF-8 JSON of records that cannot change: the stores freeze theirs and replace them on update. */
const recordBytes = new WeakMap<object, Buffer>();

function jsonOfRecord(record: object): Buffer {
  let bytes = recordBytes.get(record);
  if (bytes === undefined) {
    bytes = Buffer.from(JSON.stringify(record));
    // Records are flat (no nested objects), so a frozen one is immutable all the way down.
    if (Object.isFrozen(record)) recordBytes.set(record, bytes);
  }
  return bytes;
}

const LIST_START = Buffer.from('{"success":true,"data":[');
const COMMA = Buffer.from(',');

/**
 * Sends a successful list, `{"success":true,"data":[...records], ...fields}`, exactly as
 * sendJson would. Serialising the records was the largest cost of a page read; a record's JSON is
 * now made once and reused by every page that shows it until the record is replaced.
 */
export function sendList(res: Response, records: readonly object[], fields: Record<string, unknown>): void {
  const chunks: Buffer[] = [LIST_START];
  records.forEach((record, i) => {
    if (i > 0) chunks.push(COMMA);
    chunks.push(jsonOfRecord(record));
  });
  const rest = JSON.stringify(fields); // {"total":..,...} or {}
  chunks.push(Buffer.from(rest === '{}' ? ']}' : `],${rest.slice(1)}`));
  sendBytes(res, 200, Buffer.concat(chunks));
}

/** Bodies on API writes must be JSON: anything else is a 415, not a confusing 400 later. */
const requireJson: RequestHandler = (req, _res, next) => {
  const hasContent = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length']) > 0;
  if (hasContent && !req.is('application/json')) {
    return next(new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', `Send the body as application/json, not ${req.headers['content-type']}`));
  }
  next();
};

/**
 * Any JSON is parsed (not only objects and arrays, as body-parser's strict mode does), so that
 * `null`, `42` or `"x"` get this clear answer instead of "not valid JSON".
 */
const requireObject: RequestHandler = (req, _res, next) => {
  const body: unknown = req.body;
  next(typeof body === 'object' && body !== null && !Array.isArray(body) ? undefined : invalid('The request body must be a JSON object'));
};

/** For the routes that take a body, and only those: a page read never pays for body parsing. */
export const jsonBody = (limit: string): RequestHandler[] => [requireJson, express.json({ limit, strict: false }), requireObject];

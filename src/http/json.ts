import { createGunzip, createInflate } from 'node:zlib';
import contentType from 'content-type';
import type { RequestHandler, Response } from 'express';
import getRawBody from 'raw-body';
import { AppError, clip, excerpt, invalid } from '../domain/errors';
import { checkJsonDepth } from '../domain/todo-input';

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

const UTF8 = /^utf-?8$/i;

/**
 * Reads a JSON body. Refuses what is not UTF-8 JSON with a 415 before reading it, a declared length
 * over `limit` with a 413 before reading it, and stops reading a body (chunked, or compressed) as
 * soon as it passes `limit`. After such a refusal the connection closes instead of reading the
 * rest of the body, as body-parser would (it read a 50 MB body to the end before its 413, and
 * waited minutes for a body that a lying Content-Length promised). raw-body does the bounded read.
 */
function readJson(limit: string): RequestHandler {
  return (req, res, next) => {
    const fail = (error: unknown) => {
      res.setHeader('Connection', 'close');
      next(error);
    };
    if (req.headers['transfer-encoding'] === undefined && !(Number(req.headers['content-length']) > 0)) {
      req.body = {};
      return next();
    }
    const type = req.headers['content-type'];
    let charset: string | undefined | null = null;
    try {
      if (req.is('application/json')) charset = contentType.parse(type!).parameters.charset;
    } catch {
      // A Content-Type that does not parse does not say JSON either.
    }
    if (charset === null) {
      const given = type ? `, not ${clip(type)}` : ' (Content-Type: application/json)';
      return fail(new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', `Send the body as application/json${given}`));
    }
    if (charset !== undefined && !UTF8.test(charset)) {
      return fail(new AppError(415, 'UNSUPPORTED_CHARSET', `Send the body as UTF-8, not ${excerpt(charset)}`));
    }
    const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    const decoder = encoding === 'gzip' ? createGunzip() : encoding === 'deflate' ? createInflate() : undefined;
    if (!decoder && encoding !== 'identity') {
      return fail(new AppError(415, 'UNSUPPORTED_ENCODING', `The body's Content-Encoding must be gzip, deflate or identity, not ${excerpt(encoding)}`));
    }
    // With a decoder, Content-Length counts compressed bytes; the limit is on what they inflate to.
    const stream = decoder ? req.pipe(decoder) : req;
    getRawBody(stream, { limit, length: decoder ? undefined : req.headers['content-length'] }, (error, bytes) => {
      if (decoder) {
        req.unpipe(decoder);
        decoder.destroy();
      }
      if (error) {
        const known = typeof (error as { status?: unknown }).status === 'number';
        return fail(known ? error : new AppError(400, 'BAD_REQUEST', `The request body is not valid ${encoding} data`));
      }
      const text = new TextDecoder().decode(bytes); // UTF-8, without a byte-order mark
      if (text.trim() === '') {
        req.body = {};
        return next();
      }
      try {
        checkJsonDepth('The request body', text);
        req.body = JSON.parse(text);
      } catch (parseError) {
        return next(parseError instanceof AppError ? parseError : new AppError(400, 'MALFORMED_JSON', 'The request body is not valid JSON'));
      }
      next();
    });
  };
}

/**
 * Any JSON is parsed (not only objects and arrays, as body-parser's strict mode does), so that
 * `null`, `42` or `"x"` get this clear answer instead of "not valid JSON".
 */
const requireObject: RequestHandler = (req, _res, next) => {
  const body: unknown = req.body;
  next(typeof body === 'object' && body !== null && !Array.isArray(body) ? undefined : invalid('The request body must be a JSON object'));
};

/** For the routes that take a body, and only those: a page read never pays for body parsing. */
export const jsonBody = (limit: string): RequestHandler[] => [readJson(limit), requireObject];

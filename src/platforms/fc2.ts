import { IncomingMessage, ServerResponse, type IncomingHttpHeaders, type OutgoingHttpHeaders, type RequestListener } from 'node:http';
import { Writable, type Readable } from 'node:stream';
import { format } from 'node:url';

/**
 * Alibaba Cloud Function Compute 2.0, HTTP trigger: how FC hands a request to a Node.js function
 * and takes the answer back. Each invocation becomes one Node request and response handed to the
 * app in this process, as @codegenie/serverless-express does for AWS. (fc-express replayed it
 * over a local socket: listening, a second HTTP client and parser, and Node's cluster module
 * cost a cold instance about a tenth of its start.)
 */

/** What FC passes as `req`: a readable stream of the body plus the request line and headers. */
export interface FcRequest extends Readable {
  headers: Record<string, string>;
  path: string;
  /** A repeated parameter (`?a=1&a=2`) arrives as an array. */
  queries: Record<string, string | string[]>;
  method: string;
  clientIP: string;
  url: string;
}

export interface FcResponse {
  setStatusCode(statusCode: number): void;
  setHeader(key: string, value: string | string[]): void;
  deleteHeader(key: string): void;
  send(body: Buffer | string | Readable): void;
}

export interface FcContext {
  requestId: string;
  credentials: { accessKeyId: string; accessKeySecret: string; securityToken: string };
  function: { name: string; handler: string; memory: number; timeout: number };
  service: { name: string; logProject?: string; logStore?: string; qualifier?: string; versionId?: string };
  region: string;
  accountId?: string;
}

export type FcHttpHandler = (req: FcRequest, resp: FcResponse, context: FcContext) => void;

/** The header our request log reads the request id from (src/http/request-log.ts). */
const REQUEST_ID_HEADER = 'x-fc-request-id';
/** Hop-by-hop headers describe a connection, not the answer (RFC 7230 6.1); FC makes its own. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade']);
/** Methods whose body Node's HTTP client sends chunked when no length is given (the others send none). */
const NO_BODY_BY_DEFAULT = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT']);

/** A request path as it goes on the wire, whether FC hands it over percent-encoded or decoded. */
function encodePath(path: string): string {
  try {
    return encodeURI(decodeURI(path));
  } catch {
    return encodeURI(path); // a stray `%`: take the text literally
  }
}

/** The request line and headers the app sees, as they would arrive over HTTP/1.1. */
function requestHeaders({ headers, method }: FcRequest, requestId: string): IncomingHttpHeaders {
  const result: IncomingHttpHeaders = {};
  for (const name of Object.keys(headers)) result[name.toLowerCase()] = headers[name];
  // A body without a length arrives chunked, where HTTP allows a body at all.
  if (result['content-length'] === undefined && result['transfer-encoding'] === undefined && !NO_BODY_BY_DEFAULT.has(method)) {
    result['transfer-encoding'] = 'chunked';
  }
  // FC drops client headers starting with `x-fc-`, so the id set here is FC's own.
  result[REQUEST_ID_HEADER] = requestId;
  return result;
}

/** Header values as an HTTP client reads them back: strings, repeated ones joined, cookies apart. */
function answerHeaders(headers: OutgoingHttpHeaders): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name)) continue;
    if (Array.isArray(value)) result[name] = name === 'set-cookie' ? value : value.join(', ');
    else result[name] = String(value);
  }
  return result;
}

/**
 * Where the response writes: the status line and headers, then the body, as bytes. With chunked
 * encoding off, the body goes out as is, so everything after the header block is the body.
 */
class CapturingSocket extends Writable {
  readonly chunks: Buffer[] = [];
  readonly readable = false;

  constructor(readonly remoteAddress: string | undefined) {
    super();
  }

  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.chunks.push(chunk);
    done();
  }

  setTimeout(): this {
    return this;
  }
}

/** One invocation: FC's request into the app, the app's answer back to FC. */
function invoke(app: RequestListener, request: FcRequest, response: FcResponse, context: FcContext): void {
  const socket = new CapturingSocket(request.clientIP);
  const req = new IncomingMessage(socket as never);
  req.method = request.method;
  req.url = format({ pathname: encodePath(request.path), query: request.queries });
  req.httpVersionMajor = 1;
  req.httpVersionMinor = 1;
  req.httpVersion = '1.1';
  req.headers = requestHeaders(request, context.requestId);
  req.rawHeaders = Object.entries(req.headers).flatMap(([name, value]) => [name, String(value)]);

  const res = new ServerResponse(req);
  res.useChunkedEncodingByDefault = false;
  res.assignSocket(socket as never);
  // As Node's server does: a large body (a script file) waits for the socket to drain.
  socket.on('drain', () => res.emit('drain'));

  let answered = false;
  const answer = (statusCode: number, headers: Record<string, string | string[]>, body: Buffer) => {
    if (answered) return;
    answered = true;
    response.setStatusCode(statusCode);
    for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
    response.send(body);
  };
  res.once('finish', () => {
    const written = Buffer.concat(socket.chunks);
    // `_header` is the status line and headers exactly as written (latin1: one byte a character).
    const headerBytes = (res as unknown as { _header: string })._header.length;
    answer(res.statusCode, answerHeaders(res.getHeaders()), written.subarray(headerBytes));
    // What Node's server does when an answer is done: the request's unread body is dropped,
    // then the request and the response close.
    req.resume();
    res.detachSocket(socket as never);
    req.emit('close');
    process.nextTick(() => res.emit('close'));
  });

  // FC hands the body over as a stream. A read error there leaves no request to answer: the
  // invocation fails as a bad gateway, and the app's half-read request just ends.
  request.on('data', (chunk: Buffer) => req.push(chunk));
  request.once('end', () => {
    req.complete = true;
    req.push(null);
  });
  request.once('error', () => {
    answer(502, {}, Buffer.alloc(0));
    req.push(null);
  });

  app(req, res);
}

/** An FC 2.0 HTTP handler around `app`. Call once per instance; the app then serves every invocation. */
export function fcHttpHandler(app: RequestListener): FcHttpHandler {
  return (req, resp, context) => invoke(app, req, resp, context);
}

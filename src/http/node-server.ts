import { readFileSync } from 'node:fs';
import { createServer, STATUS_CODES, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { clip } from '../domain/errors';

/** How long clients may take and how many may be connected at once. Times in milliseconds. */
export interface ConnectionLimits {
  headersTimeout: number;
  requestTimeout: number;
  keepAliveTimeout: number;
  /** 'auto': what the process's open-file limit leaves room for (see maxConnectionsFor). */
  maxConnections: number | 'auto';
}

/** File descriptors kept free for the server's own use: db.json and its temp file, logs, Node itself. */
const RESERVED_FDS = 64;

/** The soft open-file limit of this process (Linux), or undefined where it cannot be read. */
function openFileLimit(): number | undefined {
  try {
    const match = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The connection cap. 'auto' keeps it below the open-file limit, so that a crowd of slow clients
 * cannot take the descriptors the server needs to write db.json: each connection may hold a socket
 * and a static file being sent, so half of what the reserve leaves. 1000 where the limit is unknown.
 */
export function maxConnectionsFor(setting: number | 'auto'): number {
  if (setting !== 'auto') return setting;
  const limit = openFileLimit();
  return limit === undefined ? 1000 : Math.max(1, Math.floor((limit - RESERVED_FDS) / 2));
}

/** A whole HTTP answer in the API's error shape, for sockets that have no Express response. */
function rawErrorAnswer(status: number, errorCode: string, errorMessage: string): string {
  const body = JSON.stringify({ success: false, errorCode, errorMessage });
  return [
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'X-Content-Type-Options: nosniff',
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

function sendRawError(res: ServerResponse, status: number, errorCode: string, errorMessage: string): void {
  const body = JSON.stringify({ success: false, errorCode, errorMessage });
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'X-Content-Type-Options': 'nosniff',
    Connection: 'close',
  });
  res.end(body);
}

/** What Node's HTTP parser (llhttp) found wrong, as the API's status, code and message. */
function describeClientError(error: NodeJS.ErrnoException & { reason?: string }): [number, string, string] {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return [431, 'HEADERS_TOO_LARGE', 'The request line and headers are larger than the server accepts'];
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return [413, 'PAYLOAD_TOO_LARGE', 'The chunk extensions of the request body are too large'];
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return [408, 'REQUEST_TIMEOUT', 'The request did not arrive in time'];
    default:
      return [400, 'BAD_REQUEST', `The request is not valid HTTP/1.1: ${clip(error.reason ?? error.code ?? 'unreadable')}`];
  }
}

/** After answering a broken request, how long the peer gets to read the answer before the socket is closed. */
const LINGER_MS = 2000;

/**
 * Node's http.Server around `app`, with bounded timeouts and connections, and a JSON answer for
 * what Node would otherwise answer itself with an empty body: requests its parser refuses, timeouts,
 * an unknown `Expect`, CONNECT, and an HTTP/1.1 request without a Host header.
 */
export function createHttpServer(app: RequestListener, limits: ConnectionLimits, logger: Logger): Server {
  const listener: RequestListener = (req, res) => {
    if (req.httpVersion === '1.1' && !req.headers.host) return sendRawError(res, 400, 'BAD_REQUEST', 'An HTTP/1.1 request needs a Host header');
    app(req, res);
  };
  const server = createServer(
    {
      headersTimeout: limits.headersTimeout,
      requestTimeout: limits.requestTimeout,
      // How often Node looks for requests past those timeouts: every 30 s by default.
      connectionsCheckingInterval: Math.min(1000, limits.headersTimeout),
      requireHostHeader: false, // answered by `listener`, in JSON
    },
    listener,
  );
  server.keepAliveTimeout = limits.keepAliveTimeout;
  server.maxConnections = maxConnectionsFor(limits.maxConnections);

  server.on('clientError', (error: NodeJS.ErrnoException & { reason?: string }, socket: Duplex) => {
    // As Node's own handler: no answer into a response already on its way on this socket.
    const current = (socket as Duplex & { _httpMessage?: ServerResponse })._httpMessage;
    if (error.code === 'ECONNRESET' || !socket.writable || current?.headersSent) return void socket.destroy();
    const [status, code, message] = describeClientError(error);
    logger.info({ err: { code: error.code }, res: { status } }, `refused a request Node could not take: ${status} ${code}`);
    socket.end(rawErrorAnswer(status, code, message));
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  });
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) =>
    sendRawError(res, 417, 'EXPECTATION_FAILED', `Expect: ${clip(String(req.headers.expect))} is not supported; only 100-continue is`),
  );
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
    socket.end(rawErrorAnswer(405, 'METHOD_NOT_ALLOWED', 'CONNECT is not supported: this is not a proxy'));
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  });
  return server;
}

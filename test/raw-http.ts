import { connect, type Socket } from 'node:net';

/** One HTTP answer as it came off the wire. */
export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  /** The body as UTF-8 text, and as bytes (for a compressed one). */
  body: string;
  bytes: Buffer;
  /** Milliseconds from connecting to the whole answer (or the close). */
  ms: number;
  /** Whether the server closed the connection (within `settleMs` after the answer). */
  closed: boolean;
}

/**
 * Parses the first final HTTP answer in `bytes` (after any 100 Continue) once it is complete
 * (Content-Length, chunked, or `complete`: the connection closed); else undefined. `head`: the
 * request was a HEAD, whose answer has no body whatever its headers say.
 */
export function parseAnswer(bytes: Buffer, { complete = false, head = false } = {}): Omit<RawAnswer, 'ms' | 'closed'> | undefined {
  let end = bytes.indexOf('\r\n\r\n');
  while (end >= 0 && /^HTTP\/1\.[01] 1\d\d /.test(bytes.subarray(0, 13).toString('latin1'))) {
    bytes = bytes.subarray(end + 4);
    end = bytes.indexOf('\r\n\r\n');
  }
  if (end < 0) return undefined;
  const [statusLine, ...lines] = bytes.subarray(0, end).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const status = Number(statusLine.split(' ')[1]);
  let body = bytes.subarray(end + 4);
  if (head || status === 204 || status === 304) {
    body = Buffer.alloc(0);
  } else if (headers['content-length'] !== undefined) {
    const length = Number(headers['content-length']);
    if (body.length < length) return undefined;
    body = body.subarray(0, length);
  } else if (headers['transfer-encoding'] === 'chunked') {
    const chunks: Buffer[] = [];
    for (let at = 0; ; ) {
      const lineEnd = body.indexOf('\r\n', at);
      if (lineEnd < 0) return undefined;
      const size = parseInt(body.subarray(at, lineEnd).toString('latin1'), 16);
      if (size === 0) break;
      if (body.length < lineEnd + 2 + size + 2) return undefined;
      chunks.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
    body = Buffer.concat(chunks);
  } else if (!complete) {
    return undefined; // a body up to the close
  }
  return { status, headers, body: body.toString('utf8'), bytes: body };
}

/**
 * Sends `data` as is over a new TCP connection and answers the first HTTP answer, or undefined
 * when the server closed the connection (or `timeoutMs` passed) without a complete one.
 * `write` may send more on its own schedule; it gets the socket once connected.
 */
export function rawRequest(
  url: string,
  data: string | Buffer | ((socket: Socket) => void),
  { timeoutMs = 5000, settleMs = 0, head = false }: { timeoutMs?: number; settleMs?: number; head?: boolean } = {},
): Promise<RawAnswer | undefined> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const started = Date.now();
    const received: Buffer[] = [];
    let answer: Omit<RawAnswer, 'ms' | 'closed'> | undefined;
    let answeredAt = 0;
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(answer && { ...answer, ms: answeredAt - started, closed });
    };
    const socket = connect(Number(port), hostname, () => {
      if (typeof data === 'function') data(socket);
      else socket.write(data);
    });
    socket.on('data', (chunk: Buffer) => {
      received.push(chunk);
      if (answer) return;
      answer = parseAnswer(Buffer.concat(received), { head });
      if (answer) {
        answeredAt = Date.now();
        if (settleMs === 0) finish(false);
        else setTimeout(() => finish(false), settleMs);
      }
    });
    socket.on('error', () => undefined); // a reset after the answer is the server closing
    socket.on('close', () => {
      if (!answer) {
        answer = parseAnswer(Buffer.concat(received), { complete: true, head });
        answeredAt = Date.now();
      }
      finish(true);
    });
    const timer = setTimeout(() => finish(false), timeoutMs);
  });
}

import { request as httpRequest, Agent } from 'node:http';
import type { Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { rawRequest, type RawAnswer } from '../raw-http';
import { runServer, startServer, type RunningServer } from '../server-process';
import { freshDbPath, tempDir } from '../helpers';

// Bad and odd requests against the real server, over raw sockets where the request is broken on purpose.

const dir = tempDir();
let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ HEADERS_TIMEOUT_MS: '1000', REQUEST_TIMEOUT_MS: '2000', KEEP_ALIVE_TIMEOUT_MS: '1000' });
});
afterAll(() => server.stop());

const http11 = (head: string, body = '') => `${head}\r\nHost: test\r\n${body ? `Content-Length: ${Buffer.byteLength(body)}\r\n` : ''}\r\n${body}`;
const json = (method: string, path: string, body: string, contentType = 'application/json') =>
  http11(`${method} ${path} HTTP/1.1\r\nContent-Type: ${contentType}`, body);

/** The answer, asserted to be in the API's JSON error shape with this status and code. */
function expectJsonError(answer: RawAnswer | undefined, status: number, errorCode: string): { errorMessage: string } {
  expect(answer).toBeDefined();
  expect(answer!.status).toBe(status);
  expect(answer!.headers['content-type']).toBe('application/json; charset=utf-8');
  const body = JSON.parse(answer!.body);
  // Answers the app writes carry the request id; those Node's parser refuses before the app do not.
  const { traceId, ...rest } = body;
  expect(rest).toEqual({ success: false, errorCode, errorMessage: expect.any(String) });
  if (traceId !== undefined) expect(traceId).toBe(answer!.headers['x-request-id']);
  return body;
}

const noStackTraces = () => expect(server.stdout()).not.toMatch(/"stack"|\n\s+at /);

describe('deep nesting', () => {
  const deep = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

  it.each([
    ['a body', () => json('PUT', '/api/rule', `{"key":${deep(5000)}}`)],
    ['a create body', () => json('POST', '/api/rule', `{"name":${deep(40_000)}}`)],
    ['the filter query', () => http11(`GET /api/rule?filter={%22status%22:${deep(5000)}} HTTP/1.1`)],
    ['the sorter query', () => http11(`GET /api/rule?sorter={%22key%22:${deep(5000)}} HTTP/1.1`)],
  ])('in %s is a 400 with a message, and logs no stack trace', async (_where, request) => {
    const { errorMessage } = expectJsonError(await rawRequest(server.url, request()), 400, 'JSON_TOO_DEEP');
    expect(errorMessage).toMatch(/nests deeper than 64 levels$/);
    noStackTraces();
  });

  it('up to the limit is fine', async () => {
    const answer = await rawRequest(server.url, json('PUT', '/api/rule', `{"key":1,"name":"ok","x":${deep(63)}}`));
    expect(answer!.status).toBe(200);
  });
});

describe('error messages quote input briefly', () => {
  const long = 'x'.repeat(50_000);
  it.each([
    ['a long key in the body', () => json('PUT', '/api/rule', JSON.stringify({ key: long, name: 'a' }))],
    ['a long key list in the body', () => json('DELETE', '/api/rule', JSON.stringify({ key: Array.from({ length: 5000 }, (_, i) => 900_000 + i) }))],
    ['a deep-ish key in the body', () => json('PUT', '/api/rule', JSON.stringify({ key: [[[[[[[[[long]]]]]]]]], name: 'a' }))],
    ['a long path', () => http11(`GET /api/${'y'.repeat(12_000)} HTTP/1.1`)],
    ['a long key in the path', () => http11(`GET /api/rule/${'7'.repeat(12_000)}x HTTP/1.1`)],
    ['a long broken path', () => http11(`GET /api/rule/%E0${'z'.repeat(12_000)} HTTP/1.1`)],
    ['a long filter that is not JSON', () => http11(`GET /api/rule?filter=${'{'.padEnd(12_000, 'q')} HTTP/1.1`)],
    ['a long page number', () => http11(`GET /api/rule?current=${'9'.repeat(6000)}x HTTP/1.1`)],
    ['a long status', () => http11(`GET /api/rule?status=${'5'.repeat(12_000)} HTTP/1.1`)],
    ['a long content type', () => json('POST', '/api/rule', '{"name":"a"}', `text/${'p'.repeat(10_000)}`)],
    ['a long charset', () => json('POST', '/api/rule', '{"name":"a"}', `application/json; charset=${'k'.repeat(10_000)}`)],
  ])('%s', async (_what, request) => {
    const answer = await rawRequest(server.url, request());
    expect(answer!.status).toBeGreaterThanOrEqual(400);
    expect(answer!.status).toBeLessThan(500);
    const { errorMessage } = JSON.parse(answer!.body);
    expect(errorMessage.length).toBeLessThanOrEqual(200);
    expect(answer!.body.length).toBeLessThan(300);
  });
});

describe("Node's own HTTP parser and server answers, in the API's JSON shape", () => {
  it.each([
    ['a lowercase method', 'get /api/rule HTTP/1.1\r\nHost: test\r\n\r\n', 400, 'BAD_REQUEST'],
    ['an unknown method', 'FROB /api/rule HTTP/1.1\r\nHost: test\r\n\r\n', 400, 'BAD_REQUEST'],
    ['a malformed request line', 'GET\r\n\r\n', 400, 'BAD_REQUEST'],
    ['garbage', '\x00\x01\x02 hello\r\n\r\n', 400, 'BAD_REQUEST'],
    ['an HTTP/2 preface', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 400, 'BAD_REQUEST'],
    ['a header without a colon', 'GET /api/rule HTTP/1.1\r\nHost: test\r\nnot a header\r\n\r\n', 400, 'BAD_REQUEST'],
    ['a header name with a space', 'GET /api/rule HTTP/1.1\r\nHost: test\r\nBad Name: x\r\n\r\n', 400, 'BAD_REQUEST'],
    ['a control character in a header value', 'GET /api/rule HTTP/1.1\r\nHost: test\r\nX-A: a\x01b\r\n\r\n', 400, 'BAD_REQUEST'],
    ['Content-Length and Transfer-Encoding together', 'POST /api/rule HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n{}', 400, 'BAD_REQUEST'],
    ['two different Content-Lengths', 'POST /api/rule HTTP/1.1\r\nHost: test\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}', 400, 'BAD_REQUEST'],
    ['a Content-Length that is not a number', 'POST /api/rule HTTP/1.1\r\nHost: test\r\nContent-Length: two\r\n\r\n{}', 400, 'BAD_REQUEST'],
    ['a broken chunk size', 'POST /api/rule HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n', 400, 'BAD_REQUEST'],
    ['a 20 kB URL', `GET /api/rule?q=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: test\r\n\r\n`, 431, 'HEADERS_TOO_LARGE'],
    ['20 kB of headers', `GET /api/rule HTTP/1.1\r\nHost: test\r\n${Array.from({ length: 200 }, (_, i) => `X-H${i}: ${'v'.repeat(100)}`).join('\r\n')}\r\n\r\n`, 431, 'HEADERS_TOO_LARGE'],
    ['an unknown Expect', 'GET /api/rule HTTP/1.1\r\nHost: test\r\nExpect: the-unexpected\r\n\r\n', 417, 'EXPECTATION_FAILED'],
    ['CONNECT', 'CONNECT /api/rule HTTP/1.1\r\nHost: test\r\n\r\n', 405, 'METHOD_NOT_ALLOWED'],
    ['HTTP/1.1 without a Host header', 'GET /api/rule HTTP/1.1\r\n\r\n', 400, 'BAD_REQUEST'],
  ])('%s', async (_what, raw, status, code) => {
    const answer = await rawRequest(server.url, raw, { settleMs: 100 });
    expectJsonError(answer, status, code);
    expect(answer!.closed).toBe(true);
  });

  it('HTTP/1.0 without a Host header is fine', async () => {
    const answer = await rawRequest(server.url, 'GET /api/currentUser HTTP/1.0\r\n\r\n');
    expect(answer!.status).toBe(200);
  });

  it('the server keeps serving after all that', async () => {
    expect((await fetch(`${server.url}/api/rule`)).status).toBe(200);
    noStackTraces();
  });
});

describe('oversized bodies are refused at once', () => {
  it('a Content-Length over the limit gets a 413 before any of the body is sent', async () => {
    const answer = await rawRequest(server.url, 'POST /api/rule HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: 99999999999\r\n\r\n{}', { settleMs: 100 });
    expectJsonError(answer, 413, 'PAYLOAD_TOO_LARGE');
    expect(answer!.ms).toBeLessThan(1500); // before REQUEST_TIMEOUT_MS (2 s) could end it, let alone Node's 300 s
    expect(answer!.closed).toBe(true);
  });

  it('a 50 MB body with its Content-Length: answered after the headers alone', async () => {
    const answer = await rawRequest(server.url, `POST /api/rule HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: ${50 * 1024 * 1024}\r\n\r\n`, { settleMs: 100 });
    expectJsonError(answer, 413, 'PAYLOAD_TOO_LARGE');
    expect(answer!.closed).toBe(true);
  });

  it('a chunked body is cut off at the limit', async () => {
    let sent = 0;
    let stop = false;
    const feed = (socket: Socket) => {
      socket.write('POST /api/rule HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n');
      const chunk = `${(64 * 1024).toString(16)}\r\n${'x'.repeat(64 * 1024)}\r\n`;
      // Up to 50 MB, a chunk a turn, so that the answer is read when it comes (a write after
      // the server closed would fail and drop the connection, answer unread, on our side).
      const more = () => {
        if (stop || sent >= 50 * 1024 * 1024 || socket.destroyed) return;
        sent += 64 * 1024;
        if (socket.write(chunk)) setImmediate(more);
        else socket.once('drain', more);
      };
      more();
      socket.once('data', () => (stop = true));
      socket.once('close', () => (stop = true));
    };
    const answer = await rawRequest(server.url, feed, { settleMs: 200, timeoutMs: 10_000 });
    // The server stopped at the 100 kB limit and closed the connection; what we got to send sat in
    // socket buffers. The 413 it sent first is read unless a write of ours after the close got the
    // connection reset (on a busy machine): then the answer is lost on our side, not the server's.
    expect(stop).toBe(true);
    expect(sent).toBeLessThan(20 * 1024 * 1024);
    if (answer) {
      expectJsonError(answer, 413, 'PAYLOAD_TOO_LARGE');
      expect(answer.closed).toBe(true);
    }
  });

  it('a gzip body that inflates past the limit is a 413', async () => {
    const body = gzipSync(JSON.stringify({ name: 'bomb', desc: 'x'.repeat(5_000_000) }));
    const answer = await rawRequest(server.url, Buffer.concat([Buffer.from(`POST /api/rule HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: ${body.length}\r\n\r\n`), body]));
    expectJsonError(answer, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('a gzip body within the limit is read', async () => {
    const body = gzipSync(JSON.stringify({ name: 'zipped' }));
    const answer = await rawRequest(server.url, Buffer.concat([Buffer.from(`POST /api/rule HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: ${body.length}\r\n\r\n`), body]));
    expect(answer!.status).toBe(201);
    expect(JSON.parse(answer!.body).data.name).toBe('zipped');
  });
});

describe('charsets', () => {
  it.each(['utf-7', 'UTF-16', 'utf-16le', 'latin1', 'iso-8859-1', 'us-ascii', 'nonsense'])('a JSON body in %s is a 415', async (charset) => {
    const answer = await rawRequest(server.url, json('POST', '/api/rule', '{"name":"+ADw-img src=x+AD4-"}', `application/json; charset=${charset}`));
    expectJsonError(answer, 415, 'UNSUPPORTED_CHARSET');
  });

  it.each(['utf-8', 'UTF-8', 'utf8', '"utf-8"'])('a JSON body in %s is read', async (charset) => {
    const answer = await rawRequest(server.url, json('POST', '/api/rule', '{"name":"字符集 ok"}', `application/json; charset=${charset}`));
    expect(answer!.status).toBe(201);
    expect(JSON.parse(answer!.body).data.name).toBe('字符集 ok');
  });

  it('a UTF-8 body with a byte-order mark is read', async () => {
    const answer = await rawRequest(server.url, json('POST', '/api/rule', '\ufeff{"name":"bom"}'));
    expect(answer!.status).toBe(201);
  });

  it('a malformed Content-Type is a 415', async () => {
    expectJsonError(await rawRequest(server.url, json('POST', '/api/rule', '{"name":"a"}', 'application/json; charset')), 415, 'UNSUPPORTED_MEDIA_TYPE');
  });
});

describe('slow and idle clients', () => {
  it('headers that do not arrive within HEADERS_TIMEOUT get a 408 and the connection closes', async () => {
    const answer = await rawRequest(server.url, 'GET /api/rule HTTP/1.1\r\nHost: test\r\n', { timeoutMs: 6000, settleMs: 100 });
    expectJsonError(answer, 408, 'REQUEST_TIMEOUT');
    expect(answer!.ms).toBeGreaterThanOrEqual(900);
    expect(answer!.closed).toBe(true);
  });

  it('a connection that sends nothing is closed too', async () => {
    const answer = await rawRequest(server.url, '', { timeoutMs: 6000, settleMs: 100 });
    expectJsonError(answer, 408, 'REQUEST_TIMEOUT');
  });

  it('a body that does not arrive within REQUEST_TIMEOUT gets a 408', async () => {
    const answer = await rawRequest(server.url, 'POST /api/rule HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n{"name":', { timeoutMs: 6000, settleMs: 100 });
    expectJsonError(answer, 408, 'REQUEST_TIMEOUT');
    expect(answer!.ms).toBeGreaterThanOrEqual(1900);
  });

  it('an idle keep-alive connection closes after KEEP_ALIVE_TIMEOUT', async () => {
    // settleMs: wait past the answer to see when the server closes the connection it kept alive.
    const answer = await rawRequest(server.url, 'GET /api/currentUser HTTP/1.1\r\nHost: test\r\n\r\n', { settleMs: 4000 });
    expect(answer!.status).toBe(200);
    expect(answer!.headers.connection).toBe('keep-alive');
    expect(answer!.closed).toBe(true);
  });
});

describe('the connection cap', () => {
  it('keeps file descriptors for db.json when 400 idle connections come in under ulimit -n 256', async () => {
    const capped = await startServer({ LOG_LEVEL: 'warn' }, { openFiles: 256 });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const post = (name: string) =>
      new Promise<number>((resolve, reject) => {
        const body = JSON.stringify({ name });
        httpRequest(`${capped.url}/api/rule`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode!));
        })
          .on('error', reject)
          .end(body);
      });
    const { connect } = await import('node:net');
    const crowd: Socket[] = [];
    try {
      expect(await post('before the crowd')).toBe(201); // this connection stays open, in the agent
      const { hostname, port } = new URL(capped.url);
      for (let i = 0; i < 400; i++) crowd.push(connect(Number(port), hostname).on('error', () => undefined));
      await new Promise((r) => setTimeout(r, 500));
      // Without the cap the server runs out of descriptors and cannot open db.json's temp file.
      expect(await post('among the crowd')).toBe(201);
      expect(capped.stdout()).toBe(''); // no error logged (such as EMFILE)
    } finally {
      crowd.forEach((socket) => socket.destroy());
      agent.destroy();
      await capped.stop();
    }
  });
});

describe('the settings', () => {
  it.each([
    [{ HEADERS_TIMEOUT_MS: 'soon' }, 'Cannot start: HEADERS_TIMEOUT_MS must be a whole number from 1 to 3600000, got "soon"'],
    [{ REQUEST_TIMEOUT_MS: '0' }, 'Cannot start: REQUEST_TIMEOUT_MS must be a whole number from 1 to 3600000, got "0"'],
    [{ HEADERS_TIMEOUT_MS: '60000' }, 'Cannot start: HEADERS_TIMEOUT_MS (60000) must not be longer than REQUEST_TIMEOUT_MS (30000)'],
    [{ MAX_CONNECTIONS: '0' }, 'Cannot start: MAX_CONNECTIONS must be "auto" or a whole number above 0, got "0"'],
  ])('refuses %j with a one-line explanation', async (env, message) => {
    const { code, stderr } = await runServer([], { DB_FILE: freshDbPath(dir), ...env });
    expect(code).toBe(1);
    expect(stderr).toBe(`${message}\n`);
  });
});

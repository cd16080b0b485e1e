import { readFileSync } from 'node:fs';
import { brotliDecompressSync, gzipSync, inflateSync, gunzipSync } from 'node:zlib';
import { toTodoDocument } from '../../src/stores/todo-document';
import { freshDbPath, tempDir } from '../helpers';
import { rawRequest, type RawAnswer } from '../raw-http';
import { startServer, type RunningServer } from '../server-process';

/**
 * A seeded fuzz test: a few thousand malformed and odd requests (bodies, query strings, headers,
 * methods, raw HTTP) against the real server over raw sockets. Never a 5xx, never a crash, every
 * error in the API's JSON shape, and db.json still a valid todo database afterwards.
 * Replay a run with the seed it prints: FUZZ_SEED=<seed> npx jest test/core/fuzz.test.ts
 * (FUZZ_CASES sets the number of cases; FUZZ_PARALLEL=1 replays in exactly the same order).
 */

const SEED = Number(process.env.FUZZ_SEED) || Math.floor(Math.random() * 2 ** 31);
const CASES = Number(process.env.FUZZ_CASES) || 3000;
const PARALLEL = Number(process.env.FUZZ_PARALLEL) || 24;

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)];
  const chance = (p: number) => next() < p;
  return { int, pick, chance };
}

type Random = ReturnType<typeof generator>;

const WEIRD_STRINGS = [
  '', ' ', 'x', '  padded  ', '中文待办', '😀', '\u0000', '\u202eevil', '\ud800', 'a'.repeat(201), 'b'.repeat(2001), '<img src=x onerror=alert(1)>',
  '+ADw-img+AD4-', '{"a":1}', '1', '2', '-1', 'NaN', 'null', 'true', '__proto__', 'constructor', "'; DROP TABLE todos;--", '%00', '%E0%A4%A', '\r\nX-Injected: 1',
];
const NUMBER_TEXTS = ['0', '1', '2', '3', '4', '-1', '1.5', '-0', '1e308', '1e999', '9007199254740993', '100', '101', '0.0000001', '12345678901234567890'];
const FIELDS = ['key', 'name', 'desc', 'status', 'owner', 'href', 'avatar', 'callNo', 'progress', 'disabled', 'method', 'createdAt', 'updatedAt', '__proto__', 'constructor', 'prototype', 'x'];

/** JSON text (not JSON.stringify: it must also carry what JSON.stringify never makes, such as 1e999 or duplicate keys). */
function jsonValue(r: Random, depth = 0): string {
  switch (r.int(depth > 3 ? 4 : 8)) {
    case 0:
      return JSON.stringify(r.pick(WEIRD_STRINGS));
    case 1:
      return r.pick(NUMBER_TEXTS);
    case 2:
      return r.pick(['true', 'false', 'null']);
    case 3:
      return JSON.stringify(r.pick(WEIRD_STRINGS).repeat(r.int(3) + 1));
    case 4:
      return `[${Array.from({ length: r.int(4) }, () => jsonValue(r, depth + 1)).join(',')}]`;
    case 5:
      return jsonObject(r, depth + 1);
    case 6: {
      const levels = r.pick([10, 63, 64, 65, 200, 5000]);
      const [open, close] = r.chance(0.5) ? ['[', ']'] : ['{"a":', '}'];
      return `${open.repeat(levels)}1${close.repeat(levels)}`;
    }
    default:
      return JSON.stringify(r.pick(['updatedAt_descend', 'key_ascend', '2', '1,2', 'done']));
  }
}

function jsonObject(r: Random, depth = 0): string {
  const entries = Array.from({ length: r.int(6) }, () => `${JSON.stringify(r.pick(FIELDS))}:${jsonValue(r, depth)}`);
  if (r.chance(0.5)) entries.push(`"name":${r.chance(0.7) ? JSON.stringify(`fuzz ${r.int(1e6)}`) : jsonValue(r, depth)}`);
  return `{${entries.join(',')}}`;
}

function body(r: Random): string | Buffer {
  switch (r.int(12)) {
    case 0:
      return '';
    case 1:
      return r.pick(['1', '"text"', 'null', 'true', '[]', '[{"name":"in an array"}]', '{}', ' ']);
    case 2: {
      const text = jsonObject(r);
      return text.slice(0, r.int(text.length)); // cut short
    }
    case 3:
      return r.pick(["{'name':'single'}", '{"name":"trailing",}', '{"name":NaN}', '{"name":"a"} {"name":"b"}', '{"name":"x" /* comment */}', '{"name":"\\u00"}', '{"name":"\\ud800"}']);
    case 4:
      return Buffer.from(Array.from({ length: r.int(300) }, () => r.int(256)));
    case 5:
      return `\ufeff${jsonObject(r)}`;
    case 6:
      return `{"name":"big","desc":"${'x'.repeat(r.pick([99_000, 150_000]))}"}`;
    case 7:
      return `{"key":${r.pick(['1', '"1"', '[1,2]', '"1,2"', '[]', '{}', '-1', '1e999', '[[[[1]]]]'])},"name":${jsonValue(r)},"status":${jsonValue(r)}}`;
    default:
      return jsonObject(r);
  }
}

/** Percent-encodes, a lone surrogate included (as the bytes of its UTF-8-like encoding), where encodeURIComponent throws. */
const encode = (text: string) => text.replace(/[\ud800-\udfff]/g, '\ufffd').split('').map((c) => (/[\w.~-]/.test(c) ? c : [...Buffer.from(c)].map((b) => `%${b.toString(16).padStart(2, '0').toUpperCase()}`).join(''))).join('');

function queryValue(r: Random): string {
  switch (r.int(7)) {
    case 0:
      return encode(r.pick(WEIRD_STRINGS));
    case 1:
      return r.pick(NUMBER_TEXTS);
    case 2:
      return r.pick(['updatedAt_descend', 'updatedAt_undefined', 'key_ascend', '_', 'name_', '{"updatedAt":"descend"}', '{"nope":"ascend"}', '{', '[]', 'null']).replace(/"/g, '%22');
    case 3:
      return encode(jsonValue(r));
    case 4:
      return r.pick(['%', '%E0', '%E0%A4%A', '%00', '%25', '%2C', '0,1,2,3', '1,,2', ',', '+', '%20']);
    case 5:
      return '9'.repeat(r.int(400));
    default:
      return String(r.int(5));
  }
}

function query(r: Random): string {
  if (r.chance(0.3)) return '';
  const names = ['current', 'pageSize', 'sorter', 'filter', 'name', 'desc', 'status', 'key', '__proto__', 'constructor[prototype][x]', 'a[b][c][d][e][f][g]', 'status[]', 'sorter[updatedAt]', 'filter[status][0]', 'x'];
  const parts = Array.from({ length: r.int(6) + 1 }, () => `${r.pick(names)}=${queryValue(r)}`);
  return `?${parts.join('&')}`;
}

const API_PATHS = [
  '/api/rule', '/api/rule', '/api/rule', '/api/rule/1', '/api/rule/2', '/api/currentUser', '/api/', '/api', '/api/nope', '/api/rule/1/extra',
  '/api/todos', '/api/todos', '/api/todos/1', '/api/todos/x', '/api/openapi.json', '/api/docs',
];
const OTHER_PATHS = ['/', '/index.html', '/favicon.ico', '/assets/none.js', '/deep/link', '/%E0', '//api//rule', '/../../etc/passwd', '*', 'http://example.com/api/rule', '/healthz', '/readyz'];

function path(r: Random): string {
  if (r.chance(0.15)) return r.pick(OTHER_PATHS);
  if (r.chance(0.2)) return `/api/${r.pick(['rule', 'todos'])}/${r.pick([encode(r.pick(WEIRD_STRINGS)), r.pick(NUMBER_TEXTS), '%', '%E0', '0', '9'.repeat(30), 'x'.repeat(r.int(3000))])}`;
  return r.pick(API_PATHS);
}

const METHODS = ['GET', 'GET', 'GET', 'POST', 'POST', 'POST', 'PUT', 'PUT', 'PATCH', 'DELETE', 'DELETE', 'HEAD', 'OPTIONS'];
const ODD_METHODS = ['TRACE', 'PROPFIND', 'MKCOL', 'SEARCH', 'QUERY', 'get', 'FOO', 'CONNECT', 'G ET', '', 'POST\x00'];
const CONTENT_TYPES = [
  'application/json', 'application/json', 'application/json', 'application/json; charset=utf-8', 'application/json; charset=UTF-8', 'application/json; charset=utf-7',
  'application/json; charset=latin1', 'application/json; charset=utf-16le', 'application/json; charset', 'application/json;;;', 'text/plain',
  'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/merge-patch+json', '', '*/*', 'application/json, text/plain',
];

/** A create or update a real client could send, with odd but possibly valid values. */
function todoBody(r: Random): string {
  const fields: Record<string, unknown> = {
    name: r.pick(['fuzz', '  padded  ', '中文待办', '😀 emoji', '\u202eright-to-left', 'x'.repeat(200), `fuzz ${r.int(1e6)}`, '<b>html</b>']),
  };
  if (r.chance(0.5)) fields.desc = r.pick(['', 'd', '两盒', 'y'.repeat(2000), '\n\t"quoted"\\']);
  if (r.chance(0.5)) fields.status = r.pick([0, 1, 2, 3, '2', ' 3 ']);
  if (r.chance(0.3)) fields.progress = r.pick([0, 50, 99.5, 100]);
  if (r.chance(0.3)) fields.callNo = r.pick([0, 7, 2 ** 40]);
  if (r.chance(0.3)) fields.disabled = r.chance(0.5);
  if (r.chance(0.3)) fields.method = r.pick(['post', 'update']);
  if (r.chance(0.3)) fields.key = r.int(40) + 1;
  return JSON.stringify(fields);
}

interface Case {
  label: string;
  bytes: Buffer;
  head: boolean;
}

/** One request: mostly well framed with odd content, sometimes broken HTTP. */
function makeCase(r: Random, index: number): Case {
  if (r.chance(0.03)) {
    return { label: `${index}: random bytes`, bytes: Buffer.from(Array.from({ length: r.int(200) + 1 }, () => r.int(256))), head: false };
  }
  if (r.chance(0.08)) {
    // Well formed, as a Todo-Backend client would send it, with odd values inside.
    const method = r.pick(['POST', 'POST', 'PATCH', 'PATCH', 'DELETE', 'GET']);
    const target = method === 'POST' ? '/api/todos' : `/api/todos/${r.int(40) + 1}`;
    const fields = { title: r.pick(['todo', '  x  ', '中文', '', 'y'.repeat(201)]), completed: r.pick([true, false, 'yes', 1]), order: r.pick([1, -5, 2.5, '3', 2 ** 53]) };
    const chosen = Object.fromEntries(Object.entries(fields).filter(() => r.chance(0.7)));
    const payload = Buffer.from(method === 'DELETE' || method === 'GET' ? '' : JSON.stringify(chosen));
    const head = `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${payload.length}\r\nConnection: close\r\n\r\n`;
    return { label: `${index}: ${method} ${target} ${payload.toString().slice(0, 80)}`, bytes: Buffer.concat([Buffer.from(head), payload]), head: false };
  }
  if (r.chance(0.25)) {
    // Well formed, as the course's frontend would send it, with odd values inside.
    const method = r.pick(['POST', 'POST', 'PUT', 'PATCH', 'DELETE']);
    const target = method === 'POST' ? '/api/rule' : method === 'DELETE' ? `/api/rule/${r.int(40) + 1}` : r.pick(['/api/rule', `/api/rule/${r.int(40) + 1}`]);
    const payload = Buffer.from(method === 'DELETE' ? '' : todoBody(r));
    const head = `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${payload.length}\r\nConnection: close\r\n\r\n`;
    return { label: `${index}: ${method} ${target} ${payload.toString().slice(0, 80)}`, bytes: Buffer.concat([Buffer.from(head), payload]), head: false };
  }
  const method = r.chance(0.05) ? r.pick(ODD_METHODS) : r.pick(METHODS);
  const target = `${path(r)}${query(r)}`;
  const headers: string[] = [];
  if (!r.chance(0.03)) headers.push(`Host: ${r.chance(0.95) ? '127.0.0.1' : r.pick(['', 'a b', 'x'.repeat(300), 'evil.example'])}`);
  let payload: Buffer = Buffer.alloc(0);
  const withBody = method === 'POST' || method === 'PUT' || method === 'PATCH' || (method === 'DELETE' && r.chance(0.5)) || r.chance(0.05);
  if (withBody) {
    const content = body(r);
    payload = Buffer.from(content);
    if (!r.chance(0.05)) headers.push(`Content-Type: ${r.pick(CONTENT_TYPES)}`);
    if (r.chance(0.05)) {
      const encoding = r.pick(['gzip', 'gzip', 'deflate', 'br', 'x-unknown', 'identity', 'gzip, gzip']);
      headers.push(`Content-Encoding: ${encoding}`);
      if (encoding === 'gzip' && r.chance(0.7)) payload = gzipSync(payload);
    }
  } else if (r.chance(0.1)) {
    headers.push(`Content-Type: ${r.pick(CONTENT_TYPES)}`);
  }
  // Framing: the true length mostly; sometimes chunked, a lie, or two lengths.
  const framing = r.int(100);
  let framed = payload;
  if (framing < 10) {
    headers.push(r.pick(['Transfer-Encoding: chunked', 'Transfer-Encoding: chunked', 'transfer-encoding: CHUNKED', 'Transfer-Encoding: gzip, chunked']));
    const size = Math.max(1, r.int(payload.length + 1));
    const pieces: Buffer[] = [];
    for (let at = 0; at < payload.length; at += size) {
      const piece = payload.subarray(at, at + size);
      pieces.push(Buffer.from(`${piece.length.toString(16)}${r.chance(0.05) ? ';ext=1' : ''}\r\n`), piece, Buffer.from('\r\n'));
    }
    if (!r.chance(0.05)) pieces.push(Buffer.from('0\r\n\r\n'));
    framed = Buffer.concat(pieces);
  } else if (framing < 12) {
    headers.push(`Content-Length: ${payload.length + 1 + r.int(50)}`); // promises more than comes: a timeout
  } else if (framing < 15) {
    headers.push(`Content-Length: ${Math.max(0, payload.length - 1 - r.int(20))}`); // the rest reads as a next request
  } else if (framing < 17) {
    headers.push(r.pick(['Content-Length: -1', 'Content-Length: abc', `Content-Length: ${payload.length}\r\nContent-Length: ${payload.length + 1}`, 'Content-Length: 99999999999', `Content-Length: ${payload.length}, ${payload.length}`]));
  } else if (payload.length > 0 || r.chance(0.3)) {
    headers.push(`Content-Length: ${payload.length}`);
  }
  const extras = [
    'Expect: 100-continue', `Expect: ${r.pick(['nothing', '', '200-ok'])}`, `Accept-Encoding: ${r.pick(['gzip', 'br', 'deflate', 'gzip, deflate, br', '*', 'identity;q=0'])}`,
    `Accept: ${r.pick(['text/html', 'application/json', '*/*', '', 'x/y;q=bad'])}`, `X-Request-Id: ${r.pick(['ok-1', 'x'.repeat(500), '\u00ff', ''])}`,
    `Origin: ${r.pick(['http://evil.example', 'null', ''])}`, `X-Forwarded-Host: ${r.pick(['evil.example', '', 'a b', 'x'.repeat(300)])}`, `X-Forwarded-Proto: ${r.pick(['https', 'gopher', ''])}`,
    `Access-Control-Request-Method: ${r.pick(['PATCH', 'FOO', ''])}`, `X-Long: ${'v'.repeat(r.int(9000))}`, 'Upgrade: websocket\r\nConnection: Upgrade',
    `Range: ${r.pick(['bytes=0-1', 'bytes=5-1', 'bytes=x', 'bytes=0-0,1-1,2-2'])}`, `If-None-Match: ${r.pick(['*', '"x"', 'W/""'])}`, `Cookie: ${r.pick(['a=b', '=', ';;'])}`,
    'Content-Length: 0', `${r.pick(['X-Ünicode', 'X-Sp ace', 'X-Colon:', 'x-empty'])}: v`, `X-Bytes: ${Buffer.from([0xc3, 0x28, 0xa0, 0xff]).toString('latin1')}`,
  ];
  for (let n = r.int(3); n > 0; n--) headers.push(r.pick(extras));
  if (!r.chance(0.15)) headers.push('Connection: close');
  const version = r.chance(0.95) ? 'HTTP/1.1' : r.pick(['HTTP/1.0', 'HTTP/2.0', 'HTTP/1.2', 'HTTP/9', 'http/1.1', '']);
  let bytes: Buffer = Buffer.concat([Buffer.from(`${method} ${target} ${version}\r\n${headers.join('\r\n')}\r\n\r\n`, 'latin1'), framed]);
  if (r.chance(0.08)) bytes = mutate(r, bytes);
  const label = `${index}: ${method} ${target.slice(0, 80)}${target.length > 80 ? '…' : ''} [${headers.map((h) => h.split(':')[0]).join(', ')}] body ${payload.length} B`;
  return { label, bytes, head: method === 'HEAD' };
}

/** A few byte-level changes: flips, insertions, deletions, duplications, a cut. */
function mutate(r: Random, bytes: Buffer): Buffer {
  let out: Buffer = Buffer.from(bytes);
  for (let n = r.int(4) + 1; n > 0 && out.length > 1; n--) {
    const at = r.int(out.length);
    switch (r.int(5)) {
      case 0:
        out[at] = r.int(256);
        break;
      case 1:
        out = Buffer.concat([out.subarray(0, at), Buffer.from([r.pick([0, 10, 13, 32, 58, 0x7f, 0xff, r.int(256)])]), out.subarray(at)]);
        break;
      case 2:
        out = Buffer.concat([out.subarray(0, at), out.subarray(at + r.int(20) + 1)]);
        break;
      case 3:
        out = Buffer.concat([out.subarray(0, at), out.subarray(at, at + r.int(40)), out.subarray(at)]);
        break;
      default:
        out = out.subarray(0, Math.max(1, at));
    }
  }
  return out;
}

function decoded(answer: RawAnswer): string {
  const encoding = answer.headers['content-encoding'];
  if (encoding === 'gzip') return gunzipSync(answer.bytes).toString('utf8');
  if (encoding === 'br') return brotliDecompressSync(answer.bytes).toString('utf8');
  if (encoding === 'deflate') return inflateSync(answer.bytes).toString('utf8');
  return answer.body;
}

/** What is wrong with `answer`, or undefined when it is fine. */
function problemWith(testCase: Case, answer: RawAnswer | undefined): string | undefined {
  if (!answer) return 'no answer';
  if (!(answer.status >= 100 && answer.status < 500)) return `status ${answer.status}`;
  if (testCase.head || answer.status === 204 || answer.status === 304) return undefined;
  const isJson = answer.headers['content-type']?.startsWith('application/json');
  if (answer.status >= 400) {
    if (!isJson) return `error answer of type ${answer.headers['content-type']}`;
    let error: { success?: unknown; errorCode?: unknown; errorMessage?: unknown };
    try {
      error = JSON.parse(decoded(answer));
    } catch {
      return `error answer that is not JSON: ${answer.body.slice(0, 80)}`;
    }
    if (error.success !== false || typeof error.errorCode !== 'string' || typeof error.errorMessage !== 'string') return `error answer not in the API shape: ${answer.body.slice(0, 120)}`;
    if (error.errorMessage.length > 250) return `error message of ${error.errorMessage.length} characters`;
  } else if (isJson) {
    try {
      JSON.parse(decoded(answer));
    } catch {
      return 'JSON answer that does not parse';
    }
  }
  return undefined;
}

/** Every todo as the app writes it: all twelve fields (and `order` when set), each of its type and within its rules. */
function todoProblem(todo: Record<string, unknown>): string | undefined {
  const fields = ['key', 'name', 'desc', 'status', 'owner', 'href', 'avatar', 'callNo', 'progress', 'disabled', 'createdAt', 'updatedAt'];
  if ('order' in todo) {
    if (!Number.isInteger(todo.order)) return `order ${todo.order}`;
    fields.push('order');
  }
  if (Object.keys(todo).sort().join() !== [...fields].sort().join()) return `fields ${Object.keys(todo).join()}`;
  const { key, name, desc, status, callNo, progress, disabled, createdAt, updatedAt } = todo;
  if (!Number.isSafeInteger(key) || (key as number) < 1) return `key ${key}`;
  if (typeof name !== 'string' || name.trim() !== name || name.length < 1 || name.length > 200) return `name ${JSON.stringify(name)}`;
  if (typeof desc !== 'string' || desc.length > 2000) return 'desc';
  if (![0, 1, 2, 3].includes(status as number)) return `status ${status}`;
  if (!Number.isInteger(callNo) || (callNo as number) < 0) return `callNo ${callNo}`;
  if (typeof progress !== 'number' || progress < 0 || progress > 100) return `progress ${progress}`;
  if (typeof disabled !== 'boolean') return 'disabled';
  for (const field of ['owner', 'href', 'avatar']) if (typeof todo[field] !== 'string') return field;
  for (const date of [createdAt, updatedAt]) if (typeof date !== 'string' || new Date(date).toISOString() !== date) return `date ${date}`;
  return undefined;
}

describe(`fuzz: ${CASES} malformed and odd requests against the real server (seed ${SEED})`, () => {
  const dbFile = freshDbPath(tempDir());
  let server: RunningServer;

  beforeAll(async () => {
    // The seed goes out first, so that even a run that dies can be replayed.
    console.log(`fuzz seed ${SEED}: replay with FUZZ_SEED=${SEED} npx jest test/core/fuzz.test.ts`);
    server = await startServer({ DB_FILE: dbFile, HEADERS_TIMEOUT_MS: '1000', REQUEST_TIMEOUT_MS: '2000', KEEP_ALIVE_TIMEOUT_MS: '1000', LOG_LEVEL: 'warn' });
  });
  afterAll(() => server.stop());

  it('answers every one below 500, errors in the JSON shape, and keeps db.json valid', async () => {
    const r = generator(SEED);
    const cases = Array.from({ length: CASES }, (_, i) => makeCase(r, i));
    const problems: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < cases.length && server.child.exitCode === null) {
        const testCase = cases[next++];
        const answer = await rawRequest(server.url, testCase.bytes, { timeoutMs: 6000, head: testCase.head });
        const problem = problemWith(testCase, answer);
        if (problem) problems.push(`case ${testCase.label}: ${problem}`);
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));

    const hint = `seed ${SEED} (replay: FUZZ_SEED=${SEED} FUZZ_PARALLEL=1 npx jest test/core/fuzz.test.ts)`;
    expect({ hint, problems: problems.slice(0, 20), count: problems.length }).toEqual({ hint, problems: [], count: 0 });
    expect({ hint, exitCode: server.child.exitCode }).toEqual({ hint, exitCode: null });
    // Nothing logged at error level (50) or above: no 5xx, no unhandled error, no stack trace.
    const serious = server.stdout().split('\n').filter((line) => /"level":(50|60)/.test(line));
    expect({ hint, serious: serious.slice(0, 5) }).toEqual({ hint, serious: [] });
    expect((await fetch(`${server.url}/api/rule`)).status).toBe(200);

    // A clean stop, then the file: it parses, the store's own loader takes it, every todo is valid.
    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    const document = JSON.parse(readFileSync(dbFile, 'utf8'));
    expect(() => toTodoDocument(document)).not.toThrow();
    const invalid = document.todos.map((todo: Record<string, unknown>) => todoProblem(todo) && `${todo.key}: ${todoProblem(todo)}`).filter(Boolean);
    expect({ hint, invalid }).toEqual({ hint, invalid: [] });
    expect(document.lastKey).toBeGreaterThan(10); // creates did get through
    expect(document.lastKey).toBeGreaterThanOrEqual(Math.max(0, ...document.todos.map((todo: { key: number }) => todo.key)));
  }, 180_000);
});

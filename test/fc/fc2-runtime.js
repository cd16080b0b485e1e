// A stand-in for Function Compute 2.0's Node.js runtime, HTTP trigger, one warm instance.
// Runs under Node 12 (no syntax newer than ES2019). Usage: node fc2-runtime.js <codeDir>
// It loads <codeDir>/index.js the way FC does (cwd = code dir, `index.handler`), then serves HTTP on
// 127.0.0.1: every request becomes one invocation with FC's req/resp/context shapes.
// Prints `listening <port>` on stderr; the function's own stdout passes through untouched.
'use strict';
const http = require('http');
const path = require('path');
const querystring = require('querystring');
const crypto = require('crypto');
const { PassThrough, Readable } = require('stream');
const { Buffer } = require('buffer');
const { setTimeout, clearTimeout } = require('timers');

const codeDir = path.resolve(process.argv[2]);
process.chdir(codeDir);
const { handler } = require(path.join(codeDir, 'index.js'));
if (typeof handler !== 'function') throw new Error('index.js exports no handler function');

// Headers FC keeps for itself: dropped from requests, ignored in setHeader.
const RESERVED_REQUEST = /^(x-fc-.*|connection|keep-alive)$/i;
const RESERVED_RESPONSE = /^(x-fc-.*|connection|content-length|date|keep-alive|server|upgrade)$/i;
const TIMEOUT_MS = 10000;

let invocations = 0;

function requestId() {
  const hex = crypto.randomBytes(16).toString('hex');
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join('-');
}

function decodePath(path) {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function fcRequest(incoming, body) {
  const req = new PassThrough();
  req.end(body);
  const headers = {};
  Object.keys(incoming.headers).forEach((name) => {
    if (!RESERVED_REQUEST.test(name)) headers[name] = incoming.headers[name];
  });
  const queryAt = incoming.url.indexOf('?');
  req.headers = headers;
  const rawPath = queryAt === -1 ? incoming.url : incoming.url.slice(0, queryAt);
  // Decoded, like the queries: the harder case for the function (a raw path passes through as is).
  req.path = decodePath(rawPath);
  // querystring.parse turns a repeated parameter into an array, as FC does.
  req.queries = queryAt === -1 ? {} : Object.assign({}, querystring.parse(incoming.url.slice(queryAt + 1)));
  req.method = incoming.method;
  req.clientIP = incoming.socket.remoteAddress;
  req.url = incoming.url;
  return req;
}

function fcContext(id) {
  return {
    requestId: id,
    credentials: { accessKeyId: 'STS.test-access-key', accessKeySecret: 'test-secret', securityToken: 'test-token' },
    function: { name: 'todolist', handler: 'index.handler', memory: 256, timeout: 30, initializer: '' },
    service: { name: 'todolist-backend', logProject: '', logStore: '', qualifier: 'LATEST', versionId: '' },
    region: 'cn-hangzhou',
    accountId: '1234567890',
  };
}

function fcResponse(outgoing, id, done) {
  let status = 200;
  const headers = {};
  let sent = false;
  const finish = (body) => {
    if (sent) throw new Error('resp.send called twice');
    sent = true;
    done();
    headers['x-fc-request-id'] = id;
    outgoing.writeHead(status, headers);
    if (body instanceof Readable) {
      body.pipe(outgoing);
    } else if (Buffer.isBuffer(body) || typeof body === 'string') {
      outgoing.end(body);
    } else {
      throw new TypeError('resp.send takes a Buffer, a string or a stream.Readable, got ' + typeof body);
    }
  };
  return {
    setStatusCode(code) {
      if (!Number.isInteger(code)) throw new TypeError('status code must be an integer, got ' + code);
      status = code;
    },
    setHeader(name, value) {
      if (typeof value !== 'string' && !(Array.isArray(value) && value.every((v) => typeof v === 'string'))) {
        throw new TypeError('header ' + name + ' must be a string, got ' + typeof value);
      }
      if (!RESERVED_RESPONSE.test(name)) headers[name.toLowerCase()] = value;
    },
    deleteHeader(name) {
      delete headers[name.toLowerCase()];
    },
    send: finish,
  };
}

const server = http.createServer((incoming, outgoing) => {
  const chunks = [];
  incoming.on('data', (chunk) => chunks.push(chunk));
  incoming.on('end', () => {
    invocations += 1;
    const id = requestId();
    const timer = setTimeout(() => {
      outgoing.writeHead(504, { 'x-fc-request-id': id });
      outgoing.end('function timed out without calling resp.send');
    }, TIMEOUT_MS);
    const resp = fcResponse(outgoing, id, () => clearTimeout(timer));
    outgoing.setHeader('x-harness-instance', String(process.pid));
    outgoing.setHeader('x-harness-invocation', String(invocations));
    try {
      handler(fcRequest(incoming, Buffer.concat(chunks)), resp, fcContext(id));
    } catch (error) {
      clearTimeout(timer);
      outgoing.writeHead(502, { 'x-fc-request-id': id });
      outgoing.end('handler threw: ' + (error && error.stack));
    }
  });
});

server.listen(0, '127.0.0.1', () => process.stderr.write('listening ' + server.address().port + '\n'));

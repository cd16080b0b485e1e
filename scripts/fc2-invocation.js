// The three arguments Function Compute 2.0 passes to an HTTP function handler for one invocation:
// `req`, `resp` and `context`, with the checks FC makes on what the function does with `resp`.
// Shared by the harnesses that call the FC package the way FC does: test/fc/fc2-runtime.js,
// scripts/fc-code-cache.js and bench/fc2-first-call.js. Not part of the package itself.
// Runs under Node 12 (no syntax newer than ES2019).
'use strict';
const crypto = require('crypto');
const querystring = require('querystring');
const { PassThrough, Readable } = require('stream');
const { Buffer } = require('buffer');

// Headers FC keeps for itself: dropped from requests, ignored in setHeader.
const RESERVED_REQUEST = /^(x-fc-.*|connection|keep-alive)$/i;
const RESERVED_RESPONSE = /^(x-fc-.*|connection|content-length|date|keep-alive|server|upgrade)$/i;

function decodePath(path) {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** `req`: the body as a readable stream, plus the request line and the headers FC lets through. */
function fcRequest({ method, url, headers = {}, body, clientIP }) {
  const req = new PassThrough();
  req.end(body);
  req.headers = {};
  Object.keys(headers).forEach((name) => {
    if (!RESERVED_REQUEST.test(name)) req.headers[name] = headers[name];
  });
  const queryAt = url.indexOf('?');
  const rawPath = queryAt === -1 ? url : url.slice(0, queryAt);
  // Decoded, like the queries: the harder case for the function (a raw path passes through as is).
  req.path = decodePath(rawPath);
  // querystring.parse turns a repeated parameter into an array, as FC does.
  req.queries = queryAt === -1 ? {} : Object.assign({}, querystring.parse(url.slice(queryAt + 1)));
  req.method = method;
  req.clientIP = clientIP;
  req.url = url;
  return req;
}

/**
 * `resp`: collects status and headers; its one allowed `send` hands them over with the body
 * (a Buffer, a string or a stream.Readable) as `onSend(status, headers, body)`.
 */
function fcResponse(onSend) {
  let status = 200;
  const headers = {};
  let sent = false;
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
    send(body) {
      if (sent) throw new Error('resp.send called twice');
      if (!(body instanceof Readable || Buffer.isBuffer(body) || typeof body === 'string')) {
        throw new TypeError('resp.send takes a Buffer, a string or a stream.Readable, got ' + typeof body);
      }
      sent = true;
      onSend(status, headers, body);
    },
  };
}

/** A request id shaped like FC's (a UUID). */
function newRequestId() {
  const hex = crypto.randomBytes(16).toString('hex');
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join('-');
}

/** `context`: the invocation's request id, the function's identity and stand-in credentials. */
function fcContext(requestId = newRequestId()) {
  return {
    requestId,
    credentials: { accessKeyId: 'STS.test-access-key', accessKeySecret: 'test-secret', securityToken: 'test-token' },
    function: { name: 'todolist', handler: 'index.handler', memory: 256, timeout: 30, initializer: '' },
    service: { name: 'todolist-backend', logProject: '', logStore: '', qualifier: 'LATEST', versionId: '' },
    region: 'cn-hangzhou',
    accountId: '1234567890',
  };
}

module.exports = { fcRequest, fcResponse, fcContext };

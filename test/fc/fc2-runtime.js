// A stand-in for Function Compute 2.0's Node.js runtime, HTTP trigger, one warm instance.
// Runs under Node 12 (no syntax newer than ES2019). Usage: node fc2-runtime.js <codeDir>
// It loads <codeDir>/index.js the way FC does (cwd = code dir, `index.handler`), runs its
// `index.initializer` once if it has one (template.yml's Initializer), then serves HTTP on
// 127.0.0.1: every request becomes one invocation with FC's req/resp/context shapes
// (scripts/fc2-invocation.js). SIGTERM runs `index.preStop` (template.yml's PreStop), then exits.
// Prints `listening <port>` on stderr; the function's own stdout passes through untouched.
'use strict';
const http = require('http');
const path = require('path');
const { Readable } = require('stream');
const { Buffer } = require('buffer');
const { setTimeout, clearTimeout } = require('timers');
const { fcRequest, fcResponse, fcContext } = require('../../scripts/fc2-invocation');

const codeDir = path.resolve(process.argv[2]);
process.chdir(codeDir);
const entry = require(path.join(codeDir, 'index.js'));
const handler = entry.handler;
if (typeof handler !== 'function') throw new Error('index.js exports no handler function');

const TIMEOUT_MS = 10000;
// The methods template.yml's HTTP trigger allows (test/fc/deploy-config.test.ts checks the same
// list there): FC refuses any other before the function runs.
const TRIGGER_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

let invocations = 0;

const server = http.createServer((incoming, outgoing) => {
  const chunks = [];
  incoming.on('data', (chunk) => chunks.push(chunk));
  incoming.on('end', () => {
    if (TRIGGER_METHODS.indexOf(incoming.method) === -1) {
      outgoing.writeHead(405, { allow: TRIGGER_METHODS.join(', ') });
      outgoing.end('the HTTP trigger does not allow ' + incoming.method);
      return;
    }
    invocations += 1;
    const context = fcContext();
    const id = context.requestId;
    const timer = setTimeout(() => {
      outgoing.writeHead(504, { 'x-fc-request-id': id });
      outgoing.end('function timed out without calling resp.send');
    }, TIMEOUT_MS);
    const resp = fcResponse((status, headers, body) => {
      clearTimeout(timer);
      outgoing.writeHead(status, Object.assign({}, headers, { 'x-fc-request-id': id }));
      if (body instanceof Readable) body.pipe(outgoing);
      else outgoing.end(body);
    });
    outgoing.setHeader('x-harness-instance', String(process.pid));
    outgoing.setHeader('x-harness-invocation', String(invocations));
    try {
      const req = fcRequest({
        method: incoming.method,
        url: incoming.url,
        headers: incoming.headers,
        body: Buffer.concat(chunks),
        clientIP: incoming.socket.remoteAddress,
      });
      handler(req, resp, context);
    } catch (error) {
      clearTimeout(timer);
      outgoing.writeHead(502, { 'x-fc-request-id': id });
      outgoing.end('handler threw: ' + (error && error.stack));
    }
  });
});

/** FC's lifecycle hooks get a context and a callback; a hook that fails or does not call back in time fails. */
function runHook(name, timeoutMs, done) {
  if (typeof entry[name] !== 'function') return done();
  const timer = setTimeout(() => done(new Error(name + ' timed out')), timeoutMs);
  entry[name](fcContext(), (error) => {
    clearTimeout(timer);
    done(error);
  });
}

process.on('SIGTERM', () => runHook('preStop', 3000, (error) => process.exit(error ? 1 : 0)));

runHook('initializer', 10000, (error) => {
  if (error) {
    process.stderr.write('initializer failed: ' + (error.stack || error) + '\n');
    process.exit(1);
  }
  server.listen(0, '127.0.0.1', () => process.stderr.write('listening ' + server.address().port + '\n'));
});

// One cold FC 2.0 invocation under Node 12: load the package's index.js and answer one request
// through FC's HTTP call shape, print the process's CPU milliseconds, exit. Run with LOG_LEVEL=silent.
// Usage: node fc2-first-call.js <codeDir> <path>. Exits 0 only when the answer is a 200. No syntax newer than ES2019 (runs on Node 12).
'use strict';
const path = require('path');
const { PassThrough } = require('stream');

const codeDir = path.resolve(process.argv[2]);
const url = process.argv[3] || '/api/rule';
process.chdir(codeDir);
const { handler } = require(path.join(codeDir, 'index.js'));

const req = new PassThrough();
req.end();
const queryAt = url.indexOf('?');
req.headers = { host: 'fc.example.com', accept: 'text/html,application/json', 'accept-encoding': 'gzip' };
req.path = queryAt === -1 ? url : url.slice(0, queryAt);
req.queries = queryAt === -1 ? {} : Object.assign({}, require('querystring').parse(url.slice(queryAt + 1)));
req.method = 'GET';
req.clientIP = '127.0.0.1';
req.url = url;

let status = 0;
const resp = {
  setStatusCode(code) {
    status = code;
  },
  setHeader() {},
  deleteHeader() {},
  send() {
    // CPU time of the whole process (Node's own start included), for the benchmark to report.
    const cpu = process.cpuUsage();
    process.stdout.write(`${(cpu.user + cpu.system) / 1000}\n`);
    process.exit(status === 200 ? 0 : 1);
  },
};
const context = {
  requestId: '00000000-0000-4000-8000-000000000000',
  credentials: { accessKeyId: '', accessKeySecret: '', securityToken: '' },
  function: { name: 'todolist', handler: 'index.handler', memory: 256, timeout: 10 },
  service: { name: 'todolist-backend' },
  region: 'cn-hangzhou',
};
handler(req, resp, context);

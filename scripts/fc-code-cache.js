// Makes the V8 code cache of the FC package's bundle (app.js.cache next to app.js). Runs under
// Node 12.22, FC 2.0's runtime: loads the bundle, answers the first requests a browser sends, then
// saves the code V8 compiled on the way, so a cold instance can reuse it (src/platforms/fc2-loader.js).
// Usage: node fc-code-cache.js <packageDir>. No syntax newer than ES2019.
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');
const { wrap } = require('module');
const { PassThrough } = require('stream');

const dir = path.resolve(process.argv[2]);
// fc-express listens on /tmp/server-<random>.sock; this process exits without closing it.
const SOCKET = /^server-[a-z0-9]+\.sock$/;
const socketsBefore = new Set(fs.readdirSync('/tmp').filter((name) => SOCKET.test(name)));
function removeOwnSocket() {
  for (const name of fs.readdirSync('/tmp')) if (SOCKET.test(name) && !socketsBefore.has(name)) fs.unlinkSync(path.join('/tmp', name));
}
const file = path.join(dir, 'app.js');
const script = new vm.Script(wrap(fs.readFileSync(file, 'utf8')), { filename: file });
const bundle = { exports: {} };
script.runInThisContext().call(bundle.exports, bundle.exports, require, bundle, file, dir);

const context = { requestId: 'code-cache', credentials: {}, function: {}, service: {}, region: '' };
function call(url, accept) {
  return new Promise((done, fail) => {
    const req = new PassThrough();
    req.end();
    const [pathname, query] = url.split('?');
    Object.assign(req, {
      headers: { host: 'localhost', accept, 'accept-encoding': 'gzip' },
      path: pathname,
      queries: query ? require('querystring').parse(query) : {},
      method: 'GET',
      clientIP: '127.0.0.1',
      url,
    });
    let status = 0;
    const resp = {
      setStatusCode(code) {
        status = code;
      },
      setHeader() {},
      deleteHeader() {},
      send() {
        if (status === 200) done();
        else fail(new Error(`GET ${url} answered ${status}`));
      },
    };
    bundle.exports.handler(req, resp, context);
  });
}

call('/', 'text/html')
  .then(() => call('/api/currentUser', 'application/json'))
  .then(() => call('/api/rule?current=1&pageSize=20', 'application/json'))
  .then(() => {
    fs.writeFileSync(`${file}.cache`, script.createCachedData());
    removeOwnSocket();
    process.exit(0);
  })
  .catch((error) => {
    process.stderr.write(`${error.stack}\n`);
    removeOwnSocket();
    process.exit(1);
  });

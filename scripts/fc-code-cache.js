// Makes the V8 code cache of the FC package's bundle (app.js.cache next to app.js). Runs under
// Node 12.22, FC 2.0's runtime: loads the bundle, answers the first requests a browser sends (called
// the way FC calls, scripts/fc2-invocation.js), then saves the code V8 compiled on the way, so a
// cold instance can reuse it (src/platforms/fc2-loader.js).
// Usage: node fc-code-cache.js <packageDir>. No syntax newer than ES2019.
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');
const { wrap } = require('module');
const { fcRequest, fcResponse, fcContext } = require('./fc2-invocation');

const dir = path.resolve(process.argv[2]);
const file = path.join(dir, 'app.js');
const script = new vm.Script(wrap(fs.readFileSync(file, 'utf8')), { filename: file });
const bundle = { exports: {} };
script.runInThisContext().call(bundle.exports, bundle.exports, require, bundle, file, dir);

function call(url, accept) {
  return new Promise((done, fail) => {
    const req = fcRequest({ method: 'GET', url, headers: { host: 'localhost', accept, 'accept-encoding': 'gzip' }, clientIP: '127.0.0.1' });
    const resp = fcResponse((status) => (status === 200 ? done() : fail(new Error(`GET ${url} answered ${status}`))));
    bundle.exports.handler(req, resp, fcContext());
  });
}

call('/', 'text/html')
  .then(() => call('/api/currentUser', 'application/json'))
  .then(() => call('/api/rule?current=1&pageSize=20', 'application/json'))
  .then(() => {
    fs.writeFileSync(`${file}.cache`, script.createCachedData());
    process.exit(0);
  })
  .catch((error) => {
    process.stderr.write(`${error.stack}\n`);
    process.exit(1);
  });

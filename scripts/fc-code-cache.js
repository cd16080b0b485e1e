// Makes the V8 code cache of the FC package's bundle (app.js.cache next to app.js). Runs under
// Node 12.22, FC 2.0's runtime: runs the bundle as a cold instance would, answers the first requests
// a browser sends (called the way FC calls, scripts/fc2-invocation.js), then saves the code V8
// compiled on the way, so a cold instance can reuse it (src/platforms/fc2-loader.js). The bundle
// runs twice, as a memory store instance and as a STORE=postgres one, so that the cache holds the
// code of both: compiled functions belong to the script, whichever run compiled them. No database
// is needed: the postgres instance's database is away (a closed port), which still takes it
// through loading the driver, opening the pool and connecting.
// Usage: node fc-code-cache.js <packageDir>. No syntax newer than ES2019.
'use strict';
const fs = require('fs');
const net = require('net');
const path = require('path');
const vm = require('vm');
const { wrap } = require('module');
const { fcRequest, fcResponse, fcContext } = require('./fc2-invocation');

const dir = path.resolve(process.argv[2]);
const file = path.join(dir, 'app.js');
const script = new vm.Script(wrap(fs.readFileSync(file, 'utf8')), { filename: file });

/** One instance of the bundle, with `env` as the environment it starts in. */
function instance(env) {
  Object.assign(process.env, env);
  const bundle = { exports: {} };
  script.runInThisContext().call(bundle.exports, bundle.exports, require, bundle, file, dir);
  return bundle.exports;
}

function call(entry, url, accept, expected) {
  return new Promise((done, fail) => {
    const req = fcRequest({ method: 'GET', url, headers: { host: 'localhost', accept, 'accept-encoding': 'gzip' }, clientIP: '127.0.0.1' });
    const resp = fcResponse((status) => (status === expected ? done() : fail(new Error(`GET ${url} answered ${status}`))));
    entry.handler(req, resp, fcContext());
  });
}

const initialized = (entry) => new Promise((done, fail) => entry.initializer(fcContext(), (error) => (error ? fail(error) : done())));

/** A local port nothing listens on. */
const closedPort = () =>
  new Promise((done) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const port = probe.address().port;
      probe.close(() => done(port));
    });
  });

const memory = instance({ STORE: 'memory' });
initialized(memory)
  .then(() => call(memory, '/', 'text/html', 200))
  .then(() => call(memory, '/api/currentUser', 'application/json', 200))
  .then(() => call(memory, '/api/rule?current=1&pageSize=20', 'application/json', 200))
  .then(closedPort)
  .then((port) => {
    const postgres = instance({ STORE: 'postgres', DATABASE_URL: `postgres://cache@127.0.0.1:${port}/cache`, LOG_LEVEL: 'silent' });
    return initialized(postgres).then(() => call(postgres, '/api/rule/1', 'application/json', 503));
  })
  .then(() => {
    fs.writeFileSync(`${file}.cache`, script.createCachedData());
    process.exit(0);
  })
  .catch((error) => {
    process.stderr.write(`${error.stack}\n`);
    process.exit(1);
  });

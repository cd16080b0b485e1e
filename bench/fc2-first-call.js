// One cold FC 2.0 instance under Node 12: load the code folder's index.js, run its `initializer`
// if it exports one (as FC does before the first request when template.yml names one), answer one
// request called the way FC calls (scripts/fc2-invocation.js), print the process's CPU
// milliseconds, exit. Run with LOG_LEVEL=silent.
// Usage: node fc2-first-call.js <codeDir> <path>. Exits 0 only when the answer is a 200. No syntax newer than ES2019 (runs on Node 12).
'use strict';
const path = require('path');
const { fcRequest, fcResponse, fcContext } = require('../scripts/fc2-invocation');

const codeDir = path.resolve(process.argv[2]);
const url = process.argv[3] || '/api/rule';
process.chdir(codeDir);
const entry = require(path.join(codeDir, 'index.js'));

function firstRequest() {
  const req = fcRequest({
    method: 'GET',
    url,
    headers: { host: 'fc.example.com', accept: 'text/html,application/json', 'accept-encoding': 'gzip' },
    clientIP: '127.0.0.1',
  });
  const resp = fcResponse((status) => {
    // CPU time of the whole process (Node's own start included), for the benchmark to report.
    const cpu = process.cpuUsage();
    process.stdout.write(`${(cpu.user + cpu.system) / 1000}\n`);
    process.exit(status === 200 ? 0 : 1);
  });
  entry.handler(req, resp, fcContext());
}

if (typeof entry.initializer === 'function') {
  entry.initializer(fcContext(), (error) => {
    if (error) {
      process.stderr.write(`initializer failed: ${error.stack || error}\n`);
      process.exit(1);
    }
    firstRequest();
  });
} else {
  firstRequest();
}

// The FC 2.0 package's index.js (handler `index.handler`), run by the nodejs12 runtime as is.
// It compiles the bundle, app.js, with the V8 code cache the build made on Node 12.22
// (app.js.cache): a cold instance then skips most parsing and compiling. V8 checks the cache
// against its version and the source and ignores it on any mismatch: slower, never wrong.
/* global __dirname */
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');
const { wrap } = require('module');

const file = path.join(__dirname, 'app.js');
let cachedData;
try {
  cachedData = fs.readFileSync(`${file}.cache`);
} catch {
  // No cache: compile from source.
}
const script = new vm.Script(wrap(fs.readFileSync(file, 'utf8')), { filename: file, cachedData });
script.runInThisContext().call(module.exports, module.exports, require, module, file, __dirname);

// Function Compute packages, each a folder that holds all it needs (no node_modules):
// dist/fc/ for FC 2.0 (template.yml's CodeUri): the app bundled for its nodejs12 runtime, and
// dist/fc3/ for FC 3.0 (s.yaml's code): the server entry bundled for Node 20. Both get a copy of
// public/ (and FC 3.0 of the docs page's files, dist/api-docs/), so they are built after those.
import { build } from 'esbuild';
import { cp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { API_DOCS } from './build-api-docs.mjs';
import { node12 } from './node12.mjs';

export const FC_PACKAGE = 'dist/fc';
export const FC3_PACKAGE = 'dist/fc3';

/** Node 12 shims and load-time trims; each keeps the first request of a cold instance fast. */
const fcBundlePlugin = {
  name: 'fc-node12',
  setup(build) {
    // pino reports to a tracing channel; Node 12 has none (see the shim).
    build.onResolve({ filter: /^(node:)?diagnostics_channel$/ }, () => ({
      path: join(process.cwd(), 'src/platforms/node12/diagnostics-channel.ts'),
    }));
    // iconv-lite's CJK tables (400 kB) decode Shift_JIS, GBK and the like, which never reach it:
    // the API takes JSON only and body-parser refuses non-UTF charsets with a 415 before decoding.
    build.onResolve({ filter: /^\.\/tables\/.*\.json$/ }, (args) =>
      /iconv-lite/.test(args.importer) ? { path: args.path, namespace: 'fc-unpackaged' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'fc-unpackaged' }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`iconv-lite table ${args.path} is not in the FC package`)})`,
    }));
    // zod's error messages in 40 languages; the app uses the default English ones.
    build.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      /zod/.test(args.importer) ? { path: join(args.resolveDir, '../locales/en.js') } : undefined,
    );
    // Logging switches of Express's internals (DEBUG=express:*) and deprecation warnings for APIs
    // the app does not call: both cost milliseconds at load (tty, stack captures) and say nothing here.
    build.onResolve({ filter: /^(debug|depd)$/ }, (args) => ({ path: args.path, namespace: 'fc-silent' }));
    build.onLoad({ filter: /^debug$/, namespace: 'fc-silent' }, () => ({
      contents: 'module.exports = () => Object.assign(() => {}, { enabled: false, extend: module.exports });',
    }));
    build.onLoad({ filter: /^depd$/, namespace: 'fc-silent' }, () => ({
      contents: 'module.exports = () => Object.assign(() => {}, { function: (fn) => fn, property: () => {} });',
    }));
    // Two versions of the same MIME database (mime-types and compressible pin different ones).
    const mimeDb = join(process.cwd(), 'node_modules/mime-db/index.js');
    // compression asks compressible about every answer, the first one included. compressible reads
    // only `db[type].compressible`, and for a type the database says nothing about, answers by its
    // pattern (text/*, +json, +xml, +text). It gets the 180 types whose answer the pattern would
    // not give, not the whole database of 2,500: the same answer for every type.
    const COMPRESSIBLE_BY_PATTERN = /^text\/|\+(?:json|text|xml)$/i; // compressible's own
    build.onResolve({ filter: /^mime-db$/ }, (args) =>
      /compressible/.test(args.importer) ? { path: 'compressible-types', namespace: 'fc-mime' } : { path: mimeDb },
    );
    build.onLoad({ filter: /^compressible-types$/, namespace: 'fc-mime' }, () => {
      const db = JSON.parse(readFileSync(join(process.cwd(), 'node_modules/mime-db/db.json'), 'utf8'));
      const said = Object.entries(db).filter(([type, { compressible }]) => compressible === false || (compressible === true && !COMPRESSIBLE_BY_PATTERN.test(type)));
      const table = Object.fromEntries(said.map(([type, { compressible }]) => [type, { compressible }]));
      return { contents: `module.exports = JSON.parse(${JSON.stringify(JSON.stringify(table))})`, loader: 'js' };
    });
    // Loaded when first used, not at load: modules that are required (or imported) at load but
    // used only inside functions, by requests a cold instance may never see first. Both MIME
    // libraries build lookup tables of every type when loaded (mime-types from mime-db, mime from
    // its own list), used by static files, content negotiation and body type checks (a page, a
    // file, a write), never a first API read; node-postgres serves STORE=postgres only. A
    // stand-in loads the module when first touched.
    build.onResolve({ filter: /^(mime|mime-types|pg)$/ }, async ({ path, resolveDir, pluginData }) => {
      if (pluginData === 'real') return undefined;
      // The CommonJS entry (pg's ES module entry only wraps it), which the stand-in requires.
      const resolved = await build.resolve(path, { resolveDir, kind: 'require-call', pluginData: 'real' });
      return { path: resolved.path, namespace: 'fc-lazy' };
    });
    build.onLoad({ filter: /.*/, namespace: 'fc-lazy' }, (args) => ({
      resolveDir: process.cwd(),
      contents: `let loaded;
        const load = () => loaded || (loaded = require(${JSON.stringify(args.path)}));
        module.exports = new Proxy({}, {
          // The bundle's import interop asks whether a module is an ES module; these are CommonJS.
          get: (_, name) => (name === '__esModule' ? undefined : load()[name]),
          set: (_, name, value) => ((load()[name] = value), true),
          has: (_, name) => name in load(),
        });`,
    }));
    // zod serves writes and file loads, never a list read: the schemas are built on first use
    // (src/domain/once.ts), and zod itself is loaded then too.
    build.onResolve({ filter: /^zod$/ }, async ({ path, resolveDir, kind, pluginData }) => {
      if (pluginData === 'real') return undefined;
      const resolved = await build.resolve(path, { resolveDir, kind, pluginData: 'real' });
      return { path: resolved.path, namespace: 'fc-lazy-zod' };
    });
    build.onLoad({ filter: /.*/, namespace: 'fc-lazy-zod' }, (args) => ({
      resolveDir: process.cwd(),
      contents: `let zod;
        export const z = new Proxy({}, { get: (_, name) => (zod || (zod = require(${JSON.stringify(args.path)}))).z[name] });`,
    }));
    // pino asks whether it runs on the main thread, only to decide whether to flush an asynchronous
    // stream at exit (the FC logger is synchronous). FC calls the function on the main thread.
    build.onResolve({ filter: /^worker_threads$/ }, (args) =>
      /pino[\\/]lib[\\/]tools\.js$/.test(args.importer) ? { path: 'worker_threads', namespace: 'fc-main-thread' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'fc-main-thread' }, () => ({ contents: 'module.exports = { isMainThread: true };' }));
    // pino's transports run in worker threads; the app writes to stdout, never through one.
    build.onResolve({ filter: /^thread-stream$/ }, () => ({ path: 'thread-stream', namespace: 'fc-unpackaged-lib' }));
    build.onLoad({ filter: /^thread-stream$/, namespace: 'fc-unpackaged-lib' }, () => ({
      contents: `module.exports = function ThreadStream() { throw new Error('pino transports are not in the FC package'); };`,
    }));
    // V8 parses a JSON string much faster than the same data as a JavaScript literal (mime-db).
    build.onLoad({ filter: /\.json$/ }, (args) => ({
      contents: `module.exports = JSON.parse(${JSON.stringify(JSON.stringify(JSON.parse(readFileSync(args.path, 'utf8'))))})`,
      loader: 'js',
    }));
  },
};

/**
 * How both FC packages are bundled: one CommonJS file with every dependency inside, minified.
 * pg's native bindings (pg-native, a C addon) are only loaded when asked for, which the app never does.
 */
const PACKAGE_BUNDLE = { bundle: true, platform: 'node', format: 'cjs', minify: true, legalComments: 'none', logLevel: 'warning', external: ['pg-native'] };

/** index.js (a loader), app.js (the bundle) with its V8 code cache for Node 12, and public/. */
async function buildFcPackage() {
  await rm(FC_PACKAGE, { recursive: true, force: true });
  await build({ ...PACKAGE_BUNDLE, entryPoints: ['src/fc.ts'], outfile: `${FC_PACKAGE}/app.js`, target: 'node12', plugins: [fcBundlePlugin] });
  await cp('src/platforms/fc2-loader.js', `${FC_PACKAGE}/index.js`);
  await cp('public', `${FC_PACKAGE}/public`, { recursive: true });
  // No docs page renderer (api-docs/, 213 kB): with it the package would pass its 2 MB.
  await makeFcCodeCache();
}

/** The package works without its code cache, only starts slower: offline, build it anyway. */
async function makeFcCodeCache() {
  let node;
  try {
    node = node12();
  } catch (error) {
    console.warn(`warning: ${FC_PACKAGE} has no V8 code cache: cannot fetch Node 12 (${error.message.split('\n')[0]})`);
    return;
  }
  const made = spawnSync(node, ['scripts/fc-code-cache.js', FC_PACKAGE], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { PATH: process.env.PATH, LOG_LEVEL: 'info' },
  });
  if (made.status !== 0) throw new Error('making the V8 code cache of the FC package failed');
}

/**
 * Function Compute 3.0 (s.yaml): the local server entry, every dependency inside, started by a
 * custom runtime on Node 20 and listening on the port s.yaml passes in PORT. Same app, no adapter.
 */
async function buildFc3Package() {
  await rm(FC3_PACKAGE, { recursive: true, force: true });
  await build({
    ...PACKAGE_BUNDLE,
    entryPoints: ['src/server.ts'],
    outfile: `${FC3_PACKAGE}/server.js`,
    target: 'node20',
    // The file store's lock (a native addon): FC's disk is read-only, so FC runs memory or postgres.
    external: ['fs-native-extensions'],
  });
  await cp('public', `${FC3_PACKAGE}/public`, { recursive: true });
  await cp(API_DOCS, `${FC3_PACKAGE}/api-docs`, { recursive: true });
}

/** Both Function Compute packages; run after the web build, since they copy public/. */
export async function buildFcPackages() {
  await buildFcPackage();
  await buildFc3Package();
}

// The /api/docs page's renderer (RapiDoc, a devDependency like the web app's libraries) beside the
// bundles that serve it: dist/api-docs/, copied into each FC package. Stored gzipped only, as
// browsers fetch it, to keep the FC 2.0 package small; src/http/api-docs.ts unpacks for the rest.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { constants, gzipSync } from 'node:zlib';

export const API_DOCS = 'dist/api-docs';
const FILES = ['rapidoc-min.js', 'rapidoc-min.js.LICENSE.txt'];

export function buildApiDocs() {
  const dist = join(dirname(createRequire(import.meta.url).resolve('rapidoc/package.json')), 'dist');
  rmSync(API_DOCS, { recursive: true, force: true });
  mkdirSync(API_DOCS, { recursive: true });
  for (const name of FILES) {
    writeFileSync(join(API_DOCS, `${name}.gz`), gzipSync(readFileSync(join(dist, name)), { level: constants.Z_BEST_COMPRESSION }));
  }
}

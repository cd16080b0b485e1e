// Builds everything `npm start` and the tests run. esbuild: one fast tool for every target.
// Usage: node scripts/build.mjs [--local]   (--local: only what `npm start` needs)
import { build } from 'esbuild';
import { buildApiDocs } from './build-api-docs.mjs';
import { buildFcPackages } from './build-fc.mjs';
import { buildWeb } from './build-web.mjs';

// The browser app into public/ first: later steps (such as packaging) copy public/.
await buildWeb();
// The API reference page's renderer, which every server entry serves from beside its bundle.
buildApiDocs();

// The local server and the database tool (npm run db:*): our code bundled, dependencies loaded from node_modules.
await build({
  entryPoints: ['src/server.ts', 'src/db.ts'],
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});

// The Function Compute packages (dist/fc, dist/fc3): for deploying, the FC tests and benchmarks.
if (!process.argv.includes('--local')) await buildFcPackages();

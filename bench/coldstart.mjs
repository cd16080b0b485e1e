// Cold start of the FC 2.0 package on Node 12: a fresh process loads dist/fc/index.js and answers
// one request through FC's call shape (bench/fc2-first-call.js), against a bare `node -e ""`.
// Runs alternate so machine noise hits both; medians of wall-clock time (the cold start a user
// waits for) and of CPU time (steadier on a busy machine) are reported. Target: 40 ms above bare.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { node12 } from '../scripts/node12.mjs';

const RUNS = Number(process.env.RUNS ?? 21);
const TARGET_MS = 40;
const FIRST_CALLS = ['/api/rule?current=1&pageSize=20', '/'];

const node = node12();
const work = mkdtempSync(join(tmpdir(), 'fc-coldstart-'));
const codeDir = join(work, 'code');
cpSync('dist/fc', codeDir, { recursive: true });

function sizeOf(path) {
  if (!existsSync(path)) return 0; // a build without Node 12 has no code cache
  const stat = statSync(path);
  return stat.isDirectory() ? readdirSync(path).reduce((sum, name) => sum + sizeOf(join(path, name)), 0) : stat.size;
}

// fc-express listens on /tmp/server-<random>.sock and a process that exits leaves the file behind.
const sockets = () => new Set(readdirSync('/tmp').filter((name) => /^server-[a-z0-9]+\.sock$/.test(name)));

const BARE = ['-e', 'const cpu = process.cpuUsage(); process.stdout.write(`${(cpu.user + cpu.system) / 1000}\\n`)'];

/** Wall-clock milliseconds from spawn to exit, and the CPU milliseconds the process reports. */
function timed(args) {
  const start = process.hrtime.bigint();
  const result = spawnSync(node, args, { cwd: work, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env: { PATH: process.env.PATH, LOG_LEVEL: 'silent' } });
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${result.status}`);
  return { wall, cpu: Number(result.stdout) };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const before = sockets();
const firstCall = (path) => [join(import.meta.dirname, 'fc2-first-call.js'), codeDir, path];
const bare = [];
const calls = Object.fromEntries(FIRST_CALLS.map((path) => [path, []]));
timed(BARE); // warm the disk cache for both
timed(firstCall(FIRST_CALLS[0]));
for (let run = 0; run < RUNS; run++) {
  bare.push(timed(BARE));
  for (const path of FIRST_CALLS) calls[path].push(timed(firstCall(path)));
}
for (const name of sockets()) if (!before.has(name)) rmSync(join('/tmp', name), { force: true });
rmSync(work, { recursive: true, force: true });

const bareWall = median(bare.map((run) => run.wall));
const bareCpu = median(bare.map((run) => run.cpu));
console.log(`Node ${spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim()}, ${RUNS} runs each, medians; load average ${loadavg()[0].toFixed(2)} on ${cpus().length} cores`);
console.log(`package dist/fc: ${(sizeOf('dist/fc') / 1024).toFixed(0)} KiB (app.js ${(sizeOf('dist/fc/app.js') / 1024).toFixed(0)} KiB, code cache ${(sizeOf('dist/fc/app.js.cache') / 1024).toFixed(0)} KiB, public/ ${(sizeOf('dist/fc/public') / 1024).toFixed(0)} KiB)`);
console.log(`bare node -e "":${' '.repeat(40)}wall ${bareWall.toFixed(1)} ms   cpu ${bareCpu.toFixed(1)} ms`);
let worst = 0;
for (const path of FIRST_CALLS) {
  const wall = median(calls[path].map((run) => run.wall)) - bareWall;
  const cpu = median(calls[path].map((run) => run.cpu)) - bareCpu;
  worst = Math.max(worst, wall);
  console.log(`load + first GET ${path.padEnd(38)} wall +${wall.toFixed(1)} ms   cpu +${cpu.toFixed(1)} ms  (over bare)`);
}
console.log(worst <= TARGET_MS ? `within the ${TARGET_MS} ms target` : `${(worst - TARGET_MS).toFixed(1)} ms over the ${TARGET_MS} ms target (wall clock)`);

// Cold start, fresh process to first answer, in one run with alternating processes so machine noise
// hits every variant alike; medians of wall-clock time (what the first visitor waits for) and of CPU
// time (steadier on a busy machine):
// - the course's original index-faas.js (FC 2.0 on Node 12): load + first GET /api/rule (--original);
// - ours, FC 2.0 package on Node 12, memory store: load + initializer + first GET /api/rule;
// - ours, same package, STORE=postgres on a local PostgreSQL: load + initializer (one round trip
//   to confirm the schema) + first GET /api/rule/1;
// - ours, FC 3.0 package (the server bundle) on Node 20: spawn to first answer of GET /api/rule.
// Targets, as ratios to the original's total: memory <= 0.5, PostgreSQL <= 0.6.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { URL } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { node12 } from '../scripts/node12.mjs';

const HELP = `Usage: npm run bench:coldstart -- [options]
  --original DIR   the course's original app to compare with: a checkout of its repository with
                   \`npm install\` done and index-faas.js copied to index.js (FC's handler file name)
  --postgres URL   a PostgreSQL server where the user may create databases, for the STORE=postgres
                   run; the bench creates a database of its own there and drops it after
                   (default postgres://postgres@127.0.0.1:5432/postgres)
  --runs N         fresh processes of each kind (default 21)
  -h, --help       this text
`;

const { values: args } = parseArgs({
  options: {
    original: { type: 'string' },
    postgres: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
    runs: { type: 'string', default: '21' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (args.help) {
  process.stdout.write(HELP);
  process.exit(0);
}
const RUNS = Number(args.runs);
if (!Number.isInteger(RUNS) || RUNS < 1) {
  process.stderr.write(`--runs must be a positive whole number\n\n${HELP}`);
  process.exit(1);
}
const original = args.original && resolve(args.original);
if (original && !existsSync(join(original, 'index.js'))) {
  process.stderr.write(`--original ${original} has no index.js: copy the course's index-faas.js there as index.js\n`);
  process.exit(1);
}
const TARGETS = { memory: 0.5, postgres: 0.6 };

const node = node12();
const work = mkdtempSync(join(tmpdir(), 'fc-coldstart-'));
const fc2Dir = join(work, 'fc');
const fc3Dir = join(work, 'fc3');
cpSync('dist/fc', fc2Dir, { recursive: true });
cpSync('dist/fc3', fc3Dir, { recursive: true });
const FIRST_CALL = join(import.meta.dirname, 'fc2-first-call.js');

function sizeOf(path) {
  if (!existsSync(path)) return 0; // a build without Node 12 has no code cache
  const stat = statSync(path);
  return stat.isDirectory() ? readdirSync(path).reduce((sum, name) => sum + sizeOf(join(path, name)), 0) : stat.size;
}

/** A scratch database on the --postgres server, or why there is none. */
async function scratchDatabase() {
  const admin = new pg.Client({ connectionString: args.postgres, connectionTimeoutMillis: 3000 });
  const name = `coldstart_${process.pid}`;
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
  } catch (error) {
    await admin.end().catch(() => undefined);
    return { why: `no PostgreSQL to create a database on (${error.message}); start one or pass --postgres URL` };
  }
  const url = new URL(args.postgres);
  url.pathname = `/${name}`;
  const drop = async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  };
  return { url: url.toString(), drop };
}

const ENV = { PATH: process.env.PATH, LOG_LEVEL: 'silent' };

/**
 * A fresh Node 12 process: wall-clock milliseconds from spawn to its first answer (the line it
 * prints when it has one; the time it then takes to exit is nobody's wait), and the CPU
 * milliseconds it reports by then.
 */
function timed(args, env = {}) {
  return new Promise((done, fail) => {
    const start = process.hrtime.bigint();
    const child = spawn(node, args, { cwd: work, stdio: ['ignore', 'pipe', 'inherit'], env: { ...ENV, ...env } });
    let output = '';
    let wall;
    child.stdout.on('data', (chunk) => {
      output += chunk;
      if (wall === undefined && output.includes('\n')) wall = Number(process.hrtime.bigint() - start) / 1e6;
    });
    child.once('exit', (status) => {
      if (status !== 0 || wall === undefined) fail(new Error(`node ${args.join(' ')} exited with ${status}`));
      else done({ wall, cpu: Number(output) });
    });
  });
}

const BARE = ['-e', 'const cpu = process.cpuUsage(); process.stdout.write(`${(cpu.user + cpu.system) / 1000}\\n`)'];

function freePort() {
  return new Promise((done) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => done(port));
    });
  });
}

/** The FC 3.0 package as FC starts it (Node 20, FC_SERVER_PORT): milliseconds from spawn to the first answer. */
async function fc3FirstAnswer() {
  const port = await freePort();
  const start = process.hrtime.bigint();
  const server = spawn(process.execPath, ['server.js'], {
    cwd: fc3Dir,
    env: { PATH: process.env.PATH, FC_SERVER_PORT: String(port), STORE: 'memory', STATIC_DIR: join(fc3Dir, 'public'), LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((done) => server.once('exit', done));
  await new Promise((ready, fail) => {
    let output = '';
    server.stdout.on('data', (chunk) => {
      output += chunk;
      if (output.includes('listening')) ready();
    });
    server.once('exit', (code) => fail(new Error(`the FC 3.0 server exited with ${code} before listening`)));
  });
  const status = await new Promise((done, fail) => {
    request({ host: '127.0.0.1', port, path: '/api/rule' }, (res) => res.resume().on('end', () => done(res.statusCode)))
      .on('error', fail)
      .end();
  });
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  server.kill('SIGKILL');
  await exited;
  if (status !== 200) throw new Error(`the FC 3.0 server answered ${status}`);
  return { wall };
}

function bare20() {
  const start = process.hrtime.bigint();
  spawnSync(process.execPath, ['-e', ''], { stdio: 'ignore' });
  return { wall: Number(process.hrtime.bigint() - start) / 1e6 };
}

const database = await scratchDatabase();
const postgresEnv = database.url && { STORE: 'postgres', DATABASE_URL: database.url };

const kinds = {
  bare: () => timed(BARE),
  ...(original && { original: () => timed([FIRST_CALL, original, '/api/rule']) }),
  memory: () => timed([FIRST_CALL, fc2Dir, '/api/rule']),
  ...(postgresEnv && { postgres: () => timed([FIRST_CALL, fc2Dir, '/api/rule/1'], postgresEnv) }),
  bare20: async () => bare20(),
  fc3: fc3FirstAnswer,
};
const results = Object.fromEntries(Object.keys(kinds).map((kind) => [kind, []]));

const loadBefore = loadavg()[0];
try {
  // Warm the disk cache for each; the first STORE=postgres instance also migrates the new database.
  for (const run of Object.values(kinds)) await run();
  for (let i = 0; i < RUNS; i++) for (const [kind, run] of Object.entries(kinds)) results[kind].push(await run());
} finally {
  rmSync(work, { recursive: true, force: true });
  await database.drop?.();
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const wall = (kind) => median(results[kind].map((run) => run.wall));
const cpu = (kind) => median(results[kind].map((run) => run.cpu));
const ms = (value) => `${value.toFixed(1).padStart(6)} ms`;

const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
console.log(`${RUNS} fresh processes of each kind, alternating, medians; load average ${loadBefore.toFixed(2)} -> ${loadavg()[0].toFixed(2)} on ${cpus().length} cores`);
console.log(`package dist/fc: ${(sizeOf('dist/fc') / 1024).toFixed(0)} KiB (app.js ${(sizeOf('dist/fc/app.js') / 1024).toFixed(0)} KiB, code cache ${(sizeOf('dist/fc/app.js.cache') / 1024).toFixed(0)} KiB, public/ ${(sizeOf('dist/fc/public') / 1024).toFixed(0)} KiB)`);
console.log('');
console.log(`                                                          wall (total)   cpu (total)   x original (wall / cpu)`);
const row = (label, kind, target) => {
  const ratio = original && kind !== 'bare' ? `${(wall(kind) / wall('original')).toFixed(2)} / ${(cpu(kind) / cpu('original')).toFixed(2)}` : '';
  const verdict = (measure) => (measure(kind) / measure('original') <= target ? 'met' : 'NOT met');
  const goal = original && target ? `  target <= ${target}: ${verdict(wall)} (wall), ${verdict(cpu)} (cpu)` : '';
  console.log(`${label.padEnd(58)}${ms(wall(kind))}     ${ms(cpu(kind))}   ${ratio}${goal}`);
};
row(`Node ${version}, bare node -e ""`, 'bare');
if (original) row("the course's original: load + first GET /api/rule", 'original');
row('ours, memory store: load + first GET /api/rule', 'memory', TARGETS.memory);
if (postgresEnv) row('ours, PostgreSQL: load + initializer + GET /api/rule/1', 'postgres', TARGETS.postgres);
else console.log(`ours, PostgreSQL: not measured: ${database.why}`);
console.log(`FC 3.0 package, Node ${process.versions.node}: spawn to first answer of GET /api/rule  ${ms(wall('fc3'))}   (bare node -e "": ${ms(wall('bare20'))})`);
if (!original) {
  console.log('');
  console.log("To compare with the course's original (the targets are ratios to it): clone its repository, run");
  console.log('`npm install` there, copy index-faas.js to index.js, then: npm run bench:coldstart -- --original <that folder>');
}

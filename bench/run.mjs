// `npm run bench`: the real built server on a generated data set (a db.json for the file store, a
// database of its own for PostgreSQL, or both side by side), beside a bare node:http ceiling,
// loaded over 127.0.0.1 by ab (the course's client) where it is installed, else by autocannon.
// `--workers`: the server on PostgreSQL with WORKERS=1 and WORKERS=2 instead. Bounded; stops by
// itself and removes what it made.
/* global fetch, URL */
import { Buffer } from 'node:buffer';
import { execFile, execFileSync, spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clearTimeout, setTimeout } from 'node:timers';
import { parseArgs, promisify } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PAGE_PATH = '/api/rule?current=1&pageSize=20&sorter=';
// A search a user would type: a pull request number, which matches a handful of the generated
// todos. (Words every generated name holds, such as "request", make any search slow at a million:
// docs/performance.md has those figures.)
const SEARCH_PATH = `/api/rule?current=1&pageSize=20&name=${encodeURIComponent('#77777')}`;

const HELP = `Usage: npm run bench -- [options]

  --todos N        todos in the generated data: 1000, 10000 (default), 100000 or 1000000 (any N works)
  --store S        file (default), postgres, or both (side by side in one run, page reads in turns)
  --duration S     seconds per measurement, after a warm-up of up to 2 s (default 10)
  --client C       ab (the course's client: a new connection per request) or autocannon
                   (keep-alive connections); default ab when it is installed, else autocannon
  --no-log-cost    skip the second server run with LOG_LEVEL=info that prices per-request logging
  --cpu-prof       run the app server under node --cpu-prof and print its top self-time functions
  --server FILE    the built server to measure, e.g. another checkout's build (default: build this
                   checkout with npm run build, then measure its dist/server.mjs)
  --workers        instead: the server on PostgreSQL with WORKERS=1 and WORKERS=2, taken in turns
                   (page read, durable create); the todos go into a temp database made for the run
  --database-url U the PostgreSQL server to make the bench's database on, for --store postgres|both and
                   --workers (default $BENCH_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres);
                   the database is dropped at the end
  --port-base N    first of the 127.0.0.1 ports the servers listen on, one each (default: a port
                   from 20000 to 39999 picked by process id)
  --keep           keep the temp folder (db.json, server logs, profiles) and print where it is
  -h, --help       this text
`;

let parsed;
try {
  parsed = parseArgs({
    options: {
      todos: { type: 'string', default: '10000' },
      store: { type: 'string', default: 'file' },
      'database-url': { type: 'string' },
      duration: { type: 'string', default: '10' },
      client: { type: 'string' },
      'no-log-cost': { type: 'boolean', default: false },
      'cpu-prof': { type: 'boolean', default: false },
      server: { type: 'string' },
      workers: { type: 'boolean', default: false },
      'port-base': { type: 'string', default: String(20000 + (process.pid % 20000)) },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
} catch (error) {
  process.stderr.write(`${error.message.split(/\.\s/)[0]}\n\n${HELP}`);
  process.exit(2);
}
const args = parsed.values;
if (args.help) {
  process.stdout.write(HELP);
  process.exit(0);
}
const TODOS = Number(args.todos);
const DURATION = Number(args.duration);
const WARMUP = Math.min(2, DURATION);
const PORT_BASE = Number(args['port-base']);
if (!Number.isInteger(TODOS) || TODOS < 1 || !(DURATION > 0 && DURATION <= 120)) {
  process.stderr.write(`--todos must be a positive whole number and --duration 1 to 120 seconds\n\n${HELP}`);
  process.exit(2);
}
if (!Number.isInteger(PORT_BASE) || PORT_BASE < 1024 || PORT_BASE > 65530) {
  process.stderr.write(`--port-base must be a whole number from 1024 to 65530\n\n${HELP}`);
  process.exit(2);
}
if (!['file', 'postgres', 'both'].includes(args.store)) {
  process.stderr.write(`--store must be file, postgres or both\n\n${HELP}`);
  process.exit(2);
}
const STORES = args.store === 'both' ? ['file', 'postgres'] : [args.store];
const PG_SERVER = args['database-url'] ?? process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
if ((STORES.includes('postgres') || args.workers) && !['127.0.0.1', 'localhost', '[::1]'].includes(new URL(PG_SERVER).hostname)) {
  process.stderr.write('the bench loads PostgreSQL on this machine only: --database-url must name 127.0.0.1 or localhost\n');
  process.exit(2);
}
const AB_INSTALLED = process.env.PATH.split(':').some((dir) => dir && existsSync(join(dir, 'ab')));
const CLIENT = args.client ?? (AB_INSTALLED ? 'ab' : 'autocannon');
if (CLIENT !== 'ab' && CLIENT !== 'autocannon') {
  process.stderr.write(`--client must be ab or autocannon\n\n${HELP}`);
  process.exit(2);
}
if (CLIENT === 'ab' && !AB_INSTALLED) {
  process.stderr.write('ab is not installed: apt-get install apache2-utils, or use --client autocannon\n');
  process.exit(2);
}
// Measure this checkout as it is now: build it, unless another build was named.
if (!args.server && spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] }).status !== 0) {
  process.stderr.write('npm run build failed\n');
  process.exit(1);
}
const SERVER = resolve(args.server ?? join(ROOT, 'dist', 'server.mjs'));
if (!existsSync(SERVER)) {
  process.stderr.write(`${SERVER} is missing\n`);
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), 'todolist-bench-'));
const children = new Set();
/** The bench's own PostgreSQL database, once made. */
let benchDatabase;
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
  if (!args.keep) rmSync(work, { recursive: true, force: true });
  if (benchDatabase) dropDatabaseSync(benchDatabase);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

// --- data ------------------------------------------------------------------------------------

/** A db.json shaped like one the app wrote: N todos, realistic text, timestamps a minute apart. */
function generateDocument(count) {
  const start = Date.parse('2024-01-01T00:00:00.000Z');
  const todos = [];
  for (let key = 1; key <= count; key++) {
    const at = new Date(start + key * 60_000).toISOString();
    todos.push({
      key,
      name: `待办事项 ${key}: review pull request #${key * 7}`,
      desc: `第 ${key} 条任务的说明 / description of task ${key}, with some ordinary length to it.`,
      status: key % 4,
      owner: key % 3 ? 'Serverless' : '曲丽丽',
      href: '',
      avatar: '/avatar.svg',
      callNo: (key * 37) % 1000,
      progress: (key * 13) % 101,
      disabled: false,
      createdAt: at,
      updatedAt: at,
    });
  }
  return { todos, user: { userid: '00000001', name: 'Serverless', avatar: '/avatar.svg' }, lastKey: count };
}

// --- PostgreSQL ------------------------------------------------------------------------------

const withDatabase = (url, name) => Object.assign(new URL(url), { pathname: `/${name}` }).toString();

async function sql(url, statements) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const results = [];
    for (const [text, values] of statements) results.push(await client.query(text, values));
    return results;
  } finally {
    await client.end();
  }
}

/** Synchronous, for the exit handler: a child process drops the database. */
function dropDatabaseSync(url) {
  const name = new URL(url).pathname.slice(1);
  const script = `import pg from 'pg'; const c = new pg.Client(${JSON.stringify(PG_SERVER)}); await c.connect(); await c.query('DROP DATABASE IF EXISTS ${name} WITH (FORCE)'); await c.end();`;
  spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, stdio: 'ignore' });
}

/**
 * A database of the bench's own holding the same todos as generateDocument(count): the schema
 * by the app's own migrations (npm run db:migrate), the rows made inside PostgreSQL by
 * generate_series, with the indexes dropped during the load and rebuilt after it (minutes
 * faster at a million rows), then VACUUM ANALYZE as a database that has been running would be.
 */
async function preparePostgres(count) {
  const name = `todolist_bench_${process.pid}`;
  await sql(PG_SERVER, [[`CREATE DATABASE ${name}`]]);
  benchDatabase = withDatabase(PG_SERVER, name);
  execFileSync(process.execPath, [join(ROOT, 'dist', 'db.mjs'), 'migrate'], { env: { ...process.env, DATABASE_URL: benchDatabase }, stdio: 'ignore' });
  const [indexes] = await sql(benchDatabase, [["SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'todos' AND indexname <> 'todos_pkey'"]]);
  await sql(benchDatabase, [
    ['SET maintenance_work_mem = \'256MB\''],
    ['BEGIN'],
    ['TRUNCATE todos'],
    ...indexes.rows.map((index) => [`DROP INDEX ${index.indexname}`]),
    [`INSERT INTO todos (key, name, "desc", status, owner, href, avatar, call_no, progress, disabled, created_at, updated_at) OVERRIDING SYSTEM VALUE
      SELECT k, format('待办事项 %s: review pull request #%s', k, k * 7), format('第 %s 条任务的说明 / description of task %s, with some ordinary length to it.', k, k),
        k % 4, CASE WHEN k % 3 <> 0 THEN 'Serverless' ELSE '曲丽丽' END, '', '/avatar.svg', (k * 37) % 1000, (k * 13) % 101, false,
        timestamptz '2024-01-01T00:00:00Z' + k * interval '1 minute', timestamptz '2024-01-01T00:00:00Z' + k * interval '1 minute'
      FROM generate_series(1, $1::bigint) AS k`, [count]],
    ["SELECT setval('todos_key_seq', $1::bigint)", [count]],
    ...indexes.rows.map((index) => [index.indexdef]),
    ['COMMIT'],
    ['VACUUM ANALYZE todos'],
  ]);
  return benchDatabase;
}

// --- processes -------------------------------------------------------------------------------

let nextPort = PORT_BASE;

/** Starts `node ...argv` with stdout and stderr going to `logFile`; resolves once `probe` answers. */
async function startProcess(name, argv, env, probePath) {
  const port = nextPort++;
  const log = openSync(join(work, `${name}.log`), 'w');
  const child = spawn(process.execPath, argv(port), {
    cwd: ROOT,
    env: { ...process.env, ...env(port) },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  children.add(child);
  child.on('exit', () => children.delete(child));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited early:\n${readFileSync(join(work, `${name}.log`), 'utf8')}`);
    try {
      const res = await fetch(base + probePath);
      if (res.ok) return { name, child, base, port };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${name} did not answer within 60 s`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

/** A live process and its child processes (a WORKERS primary and its workers). */
function processTree(pid) {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  return [pid, ...children];
}

/** CPU seconds (user + system) a live process and its children have used; /proc counts in ticks of 1/100 s. */
function cpuSeconds(pid) {
  return processTree(pid).reduce((sum, each) => {
    const fields = readFileSync(`/proc/${each}/stat`, 'utf8').split(') ')[1].split(' ');
    return sum + (Number(fields[11]) + Number(fields[12])) / 100;
  }, 0);
}

/** Peak resident set size (VmHWM) of a live process, with its children's added, in MB. */
function peakRssMb(pid) {
  return processTree(pid).reduce((sum, each) => {
    const status = readFileSync(`/proc/${each}/status`, 'utf8');
    return sum + Number(/^VmHWM:\s+(\d+)\s+kB/m.exec(status)?.[1]) / 1024;
  }, 0);
}

async function stop({ child }) {
  if (child.exitCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

// The app runs with the Node flags `npm start` gives it, so the bench measures what users run.
const START_FLAGS = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.start.split(/\s+/).filter((word) => word.startsWith('--'));

/** The app on `data`: { STORE: 'file', DB_FILE } or { STORE: 'postgres', DATABASE_URL }. */
function startApp(name, data, logLevel, cpuProf) {
  const flags = cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${join(work, `${name}-profile`)}`] : [];
  return startProcess(
    name,
    () => [...START_FLAGS, ...flags, SERVER],
    (port) => ({ PORT: String(port), ...data, STATIC_DIR: join(ROOT, 'public'), LOG_LEVEL: logLevel }),
    '/api/currentUser',
  );
}

// --- load ------------------------------------------------------------------------------------

const createBody = JSON.stringify({ name: 'bench: 新建待办', desc: 'created by npm run bench' });
// ab posts its body from a file.
const createBodyFile = join(work, 'create-body.json');
writeFileSync(createBodyFile, createBody);

const SCENARIOS = {
  page: { label: `GET page of 20`, path: PAGE_PATH, connections: 20 },
  search: { label: 'GET name search', path: SEARCH_PATH, connections: 20 },
  create: {
    label: 'POST create (durable)',
    path: '/api/rule',
    connections: 20,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: createBody,
    bodyFile: createBodyFile,
  },
  index: { label: 'GET / (index.html)', path: '/', connections: 200, headers: { accept: 'text/html' } },
};

/** One measurement with autocannon: keep-alive connections, as a browser or an API client uses. */
async function autocannonRun(target, scenario, seconds) {
  const result = await autocannon({
    url: target.base + scenario.path,
    connections: scenario.connections,
    duration: seconds,
    method: scenario.method ?? 'GET',
    headers: scenario.headers,
    body: scenario.body,
    timeout: 10,
  });
  const { latency } = result;
  const points = [[0, latency.min], ...Object.entries(latency).flatMap(([name, ms]) => {
    const percent = /^p(\d+)(?:_(\d+))?$/.exec(name);
    return percent ? [[Number(`${percent[1]}.${percent[2] ?? 0}`) / 100, ms]] : [];
  }), [1, latency.max]].sort((a, b) => a[0] - b[0]);
  return { total: result.requests.total, seconds: result.duration, points, errors: result.errors + result.timeouts, non2xx: result.non2xx };
}

const runAb = promisify(execFile);

/**
 * One measurement with ab, as the course runs it: a new connection per request. -r keeps it going
 * past a failed connection, which it counts; its "Length" failures are not failures here (ab
 * compares every body's length with the first one's, and new todos change a page's length).
 */
async function abRun(target, scenario, seconds) {
  const percentiles = join(work, 'ab-percentiles.csv');
  // ab reads -t as whole seconds (0 would mean no time limit).
  const argv = ['-q', '-r', '-s', '10', '-e', percentiles, '-c', String(scenario.connections), '-t', String(Math.max(1, Math.round(seconds))), '-n', String(Math.ceil(seconds * 50_000))];
  for (const [name, value] of Object.entries(scenario.headers ?? {})) {
    if (name !== 'content-type') argv.push('-H', `${name}: ${value}`);
  }
  if (scenario.method === 'POST') {
    argv.push('-p', scenario.bodyFile, '-T', scenario.headers['content-type']);
  }
  argv.push(target.base + scenario.path);
  let stdout;
  try {
    ({ stdout } = await runAb('ab', argv, { maxBuffer: 1 << 20 }));
  } catch (error) {
    // ab gives up on a request that gets no answer within -s seconds.
    process.stderr.write(`ab stopped early on ${scenario.label}: ${String(error.stderr || error.message).trim()}\n`);
    return { total: 0, seconds, points: [], errors: 1, non2xx: 0 };
  }
  const number = (pattern) => Number(pattern.exec(stdout)?.[1] ?? 0);
  // -e writes the time within which each percentage (0 to 100) of the requests was served.
  const points = readFileSync(percentiles, 'utf8').trim().split('\n').slice(1).map((line) => {
    const [percent, ms] = line.split(',').map(Number);
    return [percent / 100, ms];
  });
  return {
    total: number(/^Complete requests:\s+(\d+)/m),
    seconds: number(/^Time taken for tests:\s+([\d.]+)/m),
    points,
    errors: number(/Connect: (\d+)/) + number(/Receive: (\d+)/) + number(/Exceptions: (\d+)/),
    non2xx: number(/^Non-2xx responses:\s+(\d+)/m),
  };
}

/** The share of a slice's requests served within `ms`, from its (share, ms) points, interpolated. */
function servedWithin(points, ms) {
  if (ms < points[0][1]) return 0;
  for (let i = 1; i < points.length; i++) {
    const [shareBefore, msBefore] = points[i - 1];
    const [share, msAt] = points[i];
    if (ms < msAt) return shareBefore + ((share - shareBefore) * (ms - msBefore)) / (msAt - msBefore);
  }
  return 1;
}

/** The latency within which `share` of all the slices' requests were served, each slice weighted by its count. */
function mergedPercentile(parts, share) {
  const measured = parts.filter((part) => part.total > 0 && part.points.length > 0);
  if (measured.length === 0) return NaN;
  const all = measured.reduce((sum, part) => sum + part.total, 0);
  const served = (ms) => measured.reduce((sum, part) => sum + part.total * servedWithin(part.points, ms), 0) / all;
  let low = 0;
  let high = Math.max(...measured.flatMap((part) => part.points.map(([, ms]) => ms)));
  for (let step = 0; step < 40; step++) {
    const mid = (low + high) / 2;
    if (served(mid) >= share) high = mid;
    else low = mid;
  }
  return high;
}

const measure = CLIENT === 'ab' ? abRun : autocannonRun;

/**
 * Loads each target with `scenario` for DURATION seconds in all, after a warm-up (JIT, heap
 * sizing) of WARMUP seconds. With several targets the time is cut into slices taken in turns
 * (a, b, c, a, b, c, ...), so a phase of other load on the machine hits every target alike and
 * their ratio stays fair. Rows report requests over time, CPU over requests and the latency
 * percentiles of all the slices' requests together.
 */
async function load(targets, scenario, slices = 1) {
  for (const target of targets) await measure(target, scenario, WARMUP);
  const parts = targets.map(() => []);
  const cpu = targets.map(() => 0);
  for (let slice = 0; slice < slices; slice++) {
    for (const [i, target] of targets.entries()) {
      const before = cpuSeconds(target.child.pid);
      parts[i].push(await measure(target, scenario, DURATION / slices));
      cpu[i] += cpuSeconds(target.child.pid) - before;
    }
  }
  return targets.map((target, i) => {
    const sum = (field) => parts[i].reduce((total, part) => total + part[field], 0);
    const total = sum('total');
    return {
      server: target.name,
      label: target.label ?? scenario.label,
      connections: scenario.connections,
      rps: total / sum('seconds'),
      p50: mergedPercentile(parts[i], 0.5),
      p99: mergedPercentile(parts[i], 0.99),
      errors: sum('errors'),
      non2xx: sum('non2xx'),
      total,
      // Server CPU per answer: unlike req/s, barely moved by other load on the machine.
      cpuUs: (cpu[i] * 1e6) / Math.max(1, total),
      peakMb: peakRssMb(target.child.pid),
    };
  });
}

// --- profile summary -------------------------------------------------------------------------

/** Self time per function (summed over call sites) from a .cpuprofile, biggest first. */
function topSelfTime(profilePath, limit = 25) {
  const profile = JSON.parse(readFileSync(profilePath, 'utf8'));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const ticks = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    ticks.set(id, (ticks.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const totals = new Map();
  let all = 0;
  for (const [id, micros] of ticks) {
    const { functionName, url, lineNumber } = byId.get(id).callFrame;
    const where = url ? `${url.replace(/^file:\/\//, '').replace(ROOT + '/', '')}:${lineNumber + 1}` : '';
    const name = `${functionName || '(anonymous)'} ${where}`.trim();
    totals.set(name, (totals.get(name) ?? 0) + micros);
    all += micros;
  }
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, micros]) => `${((100 * micros) / all).toFixed(1).padStart(5)}%  ${(micros / 1000).toFixed(0).padStart(6)} ms  ${name}`);
}

// --- run -------------------------------------------------------------------------------------

function fmt(n, digits = 0) {
  return Number.isFinite(n) ? n.toFixed(digits) : '-';
}

/** The rows as a Markdown table; `x ceiling` when a ceiling was measured. */
function printTable(rows, ceilingRps) {
  const header = ['server', 'request', 'conn', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'non-2xx', ...(ceilingRps ? ['x ceiling'] : []), 'CPU µs/req', 'peak RSS MB'];
  const table = rows.map((row) => [
    row.server, row.label, String(row.connections), fmt(row.rps), fmt(row.p50, 1), fmt(row.p99, 1),
    String(row.errors), String(row.non2xx), ...(ceilingRps ? [fmt(row.rps / ceilingRps, 2)] : []), fmt(row.cpuUs), fmt(row.peakMb),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
  const line = (cells) => '| ' + cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ') + ' |';
  process.stdout.write([line(header), '|' + widths.map((w, i) => (i < 2 ? '-' : '') + '-'.repeat(w) + (i < 2 ? '-' : ':')).join('|') + '|', ...table.map(line)].join('\n') + '\n\n');
}

/**
 * `--workers`: the todos in a PostgreSQL database of the run's own (loaded by db:import), served
 * by WORKERS=1 and by WORKERS=2 at the same time and loaded in turns, so other load on the machine
 * hits both alike. The load generator and PostgreSQL share the machine's cores with the workers.
 */
async function workersBench(dbFile) {
  const admin = new pg.Client({ connectionString: PG_SERVER });
  await admin.connect();
  const name = `todolist_bench_${process.pid}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(PG_SERVER);
  url.pathname = `/${name}`;
  const env = { STORE: 'postgres', DATABASE_URL: url.toString() };
  const servers = [];
  try {
    await promisify(execFile)(process.execPath, [join(ROOT, 'dist', 'db.mjs'), 'import', dbFile], { env: { ...process.env, ...env } });
    for (const workers of [1, 2]) servers.push(await startApp(`WORKERS=${workers}`, { ...env, WORKERS: String(workers) }, 'warn', false));
    const rows = [...(await load(servers, SCENARIOS.page, 4)), ...(await load(servers, SCENARIOS.create, 4))];
    printTable(rows);
    const [page1, page2, create1, create2] = rows;
    process.stdout.write(`WORKERS=2 / WORKERS=1 on ${availableParallelism()} cores shared with ${CLIENT} and PostgreSQL: ` +
      `page read ${fmt(page2.rps / page1.rps, 2)} x, durable create ${fmt(create2.rps / create1.rps, 2)} x\n`);
  } finally {
    for (const server of servers) await stop(server);
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

async function main() {
  if (args.workers) {
    const dbFile = join(work, 'db.json');
    writeFileSync(dbFile, JSON.stringify(generateDocument(TODOS)));
    process.stdout.write(`todolist-backend bench --workers: ${TODOS} todos, ${DURATION} s per row, Node ${process.version}, ${CLIENT}, 127.0.0.1\n\n`);
    return workersBench(dbFile);
  }
  const data = {};
  let described = '';
  if (STORES.includes('file')) {
    const dbFile = join(work, 'db.json');
    writeFileSync(dbFile, JSON.stringify(generateDocument(TODOS)));
    data.file = { STORE: 'file', DB_FILE: dbFile };
    described += `, db.json ${(statSync(dbFile).size / 1024 / 1024).toFixed(1)} MB`;
  }
  if (STORES.includes('postgres')) {
    const loadStart = Date.now();
    data.postgres = { STORE: 'postgres', DATABASE_URL: await preparePostgres(TODOS) };
    const [[version], [fsync], [commit]] = (await sql(PG_SERVER, [['SHOW server_version'], ['SHOW fsync'], ['SHOW synchronous_commit']])).map((r) => Object.values(r.rows[0]));
    described += `, PostgreSQL ${version} (fsync ${fsync}, synchronous_commit ${commit}; loaded in ${((Date.now() - loadStart) / 1000).toFixed(1)} s)`;
  }
  process.stdout.write(`todolist-backend bench: ${TODOS} todos${described}, ${DURATION} s per row, ` +
    `Node ${process.version}, ${CLIENT === 'ab' ? 'ab (a new connection per request)' : 'autocannon (keep-alive)'}, 127.0.0.1\n` +
    `app: node ${[...START_FLAGS, relative(ROOT, SERVER)].join(' ')} (as npm start runs it)\n\n`);

  const rows = [];
  const rss = [];
  const appName = (store) => (store === 'file' ? 'app' : 'app-pg');
  // Several apps take their slices in turns, so a phase of other load hits them alike.
  const slices = STORES.length > 1 ? 5 : 1;

  // The apps, quiet logging (LOG_LEVEL=warn): what the server itself costs.
  const apps = [];
  for (const [i, store] of STORES.entries()) apps.push(await startApp(appName(store), data[store], 'warn', args['cpu-prof'] && i === 0));
  const page = Buffer.from(await (await fetch(apps[0].base + PAGE_PATH)).arrayBuffer());
  const pageFile = join(work, 'page.json');
  writeFileSync(pageFile, page);

  // The ceiling: a bare node:http server answering the app's own page bytes, in its own process.
  // The framework floor: bare Express answering the same page object with res.json.
  const ceiling = await startProcess('ceiling', (port) => [join(ROOT, 'bench', 'ceiling.mjs'), pageFile, String(port)], () => ({}), '/');
  ceiling.label = 'same page, bare node:http';
  const floor = await startProcess('express', (port) => [join(ROOT, 'bench', 'express-floor.mjs'), pageFile, String(port)], () => ({}), PAGE_PATH);
  floor.label = 'same page, bare Express res.json';
  // The page reads in turns, so the ratios compare like with like.
  rows.push(...(await load([ceiling, floor, ...apps], SCENARIOS.page, 5)));
  rss.push(['ceiling', peakRssMb(ceiling.child.pid)]);
  await stop(ceiling);
  await stop(floor);

  rows.push(...(await load(apps, SCENARIOS.search, slices)));
  rows.push(...(await load(apps, SCENARIOS.create, slices)));
  rows.push(...(await load(apps, SCENARIOS.index, slices)));
  const after = await load(apps, SCENARIOS.page, slices); // again, now that the tables have grown by the creates
  for (const row of after) row.label += ' after creates';
  rows.push(...after);
  for (const app of apps) {
    rss.push([`${app.name} (LOG_LEVEL=warn)`, peakRssMb(app.child.pid)]);
    await stop(app);
  }

  // The first store again with a log line per request written to a file: what per-request logging costs.
  if (!args['no-log-cost']) {
    const logged = await startApp(`${appName(STORES[0])}-info-log`, data[STORES[0]], 'info', false);
    for (const scenario of [SCENARIOS.page, SCENARIOS.create, SCENARIOS.index]) rows.push(...(await load([logged], scenario)));
    rss.push([`${logged.name.replace('-info-log', '')} (LOG_LEVEL=info)`, peakRssMb(logged.child.pid)]);
    await stop(logged);
  }

  // --- report --------------------------------------------------------------------------------
  const ceilingRps = rows[0].rps;
  printTable(rows, ceilingRps);
  process.stdout.write(rss.map(([name, mb]) => `peak RSS ${name}: ${mb.toFixed(0)} MB`).join('\n') + '\n\n');

  const row = (server, scenario) => rows.find((r) => r.server === server && r.label === scenario.label);
  const checks = [[`no errors or non-2xx anywhere`, rows.every((r) => r.errors === 0 && r.non2xx === 0), '']];
  if (STORES.includes('file')) {
    const [firstPage, create, index] = [SCENARIOS.page, SCENARIOS.create, SCENARIOS.index].map((scenario) => row('app', scenario));
    const appRss = rss.find(([name]) => name.startsWith('app '))[1];
    checks.push(
      [`file: page read >= 0.5 x ceiling`, firstPage.rps / ceilingRps >= 0.5, `${fmt(firstPage.rps / ceilingRps, 2)} x`],
      [`file: durable create >= 400 req/s`, create.rps >= 400, `${fmt(create.rps)} req/s`],
      [`file: GET / at 200 connections: no failures, >= 2500 req/s`, index.errors === 0 && index.non2xx === 0 && index.rps >= 2500, `${fmt(index.rps)} req/s, ${index.errors} errors, ${index.non2xx} non-2xx`],
    );
    if (TODOS <= 10_000) checks.push([`file: peak RSS < 200 MB`, appRss < 200, `${appRss.toFixed(0)} MB`]);
    if (TODOS >= 100_000) checks.push([`file: page read p99 < 20 ms`, firstPage.p99 < 20, `${fmt(firstPage.p99, 1)} ms`]);
  }
  if (STORES.length === 2) {
    const ratio = (scenario) => row('app-pg', scenario).rps / row('app', scenario).rps;
    checks.push(
      [`postgres: page read >= 0.5 x the file store's`, ratio(SCENARIOS.page) >= 0.5, `${fmt(ratio(SCENARIOS.page), 2)} x`],
      [`postgres: durable create >= 1.0 x the file store's`, ratio(SCENARIOS.create) >= 1, `${fmt(ratio(SCENARIOS.create), 2)} x`],
    );
  }
  if (STORES.includes('postgres') && TODOS >= 1_000_000) {
    const [firstPage, search, create] = [SCENARIOS.page, SCENARIOS.search, SCENARIOS.create].map((scenario) => row('app-pg', scenario));
    checks.push(
      [`postgres: first page p99 <= 50 ms`, firstPage.p99 <= 50, `${fmt(firstPage.p99, 1)} ms`],
      [`postgres: name search p99 <= 200 ms`, search.p99 <= 200, `${fmt(search.p99, 1)} ms`],
    );
    process.stdout.write(`compare with a --todos 10000 run: creates ${fmt(create.rps)} req/s (target >= 0.8 x the rate at 10,000), peak RSS ${fmt(create.peakMb)} MB (target: the same)\n`);
  }
  process.stdout.write(`targets:\n`);
  process.stdout.write(checks.map(([what, ok, got]) => `  ${ok ? 'PASS' : 'MISS'}  ${what}${got ? `  (${got})` : ''}`).join('\n') + '\n');

  if (args['cpu-prof']) {
    const dir = join(work, `${appName(STORES[0])}-profile`);
    const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
    process.stdout.write(`\ntop self time in the app server (${join(dir, file)}):\n${topSelfTime(join(dir, file)).join('\n')}\n`);
  }
  if (args.keep) process.stdout.write(`\nkept ${work}${benchDatabase ? ` (the database ${benchDatabase} is dropped all the same)` : ''}\n`);
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`bench failed: ${error.stack ?? error}\n`);
    process.exit(1);
  },
);

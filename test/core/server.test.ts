import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { flagOf, SETTINGS } from '../../src/config';
import { freshDbPath, tempDir, waitFor } from '../helpers';
import { connectionsHeldBy, freePort, halfSentCreates, runServer, SERVER_ENTRY, startServer } from '../server-process';

const dir = tempDir();
const post = (url: string, body: unknown) =>
  fetch(`${url}/api/rule`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('the server entry point', () => {
  it('--help lists every setting with its flag, variable and default, and says an empty value is the default', async () => {
    const { code, stdout } = await runServer(['--help'], {});
    expect(code).toBe(0);
    const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    for (const [name, fallback] of SETTINGS) expect(stdout).toMatch(new RegExp(`^  ${flagOf(name)} <value>, ${name} \\(default ${escape(fallback)}\\)$`, 'm'));
    expect(stdout).toContain('a flag wins over the environment, and an empty value\n(`PORT=`) means the default');
    expect((await runServer(['-h'], {})).stdout).toBe(stdout);
  });

  it.each([
    [['--prot', '3302'], "Unknown option '--prot'"],
    [['3302'], "Unexpected argument '3302'"],
    [['--port'], "Option '--port <value>' argument missing"],
  ])('refuses the command line %j with one line and the usage', async (args, message) => {
    const { code, stdout, stderr } = await runServer(args, { DB_FILE: freshDbPath(dir) });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`${message}\n\n${(await runServer(['--help'], {})).stdout}`);
  });

  it('takes every setting as a flag, and a flag wins over the environment', async () => {
    const [envPort, flagPort] = [await freePort(), await freePort()];
    const path = freshDbPath(dir);
    const server = await startServer(
      { PORT: String(envPort), STORE: 'memory', DB_FILE: '/nowhere/env.json', LOG_LEVEL: 'silent', LOG_FORMAT: 'pretty' },
      { args: ['--port', String(flagPort), '--store=file', '--db-file', path, '--log-level', 'info', '--log-format', 'json', '--static-dir', '.'] },
    );
    try {
      expect(server.url).toBe(`http://127.0.0.1:${flagPort}`);
      expect((await fetch(`${server.url}/api/rule`)).status).toBe(200);
      await expect(fetch(`http://127.0.0.1:${envPort}/api/rule`)).rejects.toThrow();
      const logged = server.stdout().trim().split('\n').map((line) => JSON.parse(line));
      expect(logged.slice(0, 2)).toEqual([
        expect.objectContaining({ level: 30, msg: `created ${path}, a copy of the seed db.json` }),
        expect.objectContaining({ level: 30, store: 'file', msg: expect.stringContaining(`todos in ${path}`) }),
      ]);
      expect(readFileSync(path, 'utf8')).toContain('"todos"');
    } finally {
      await server.stop();
    }
  });

  it('names the flag when a flag is off', async () => {
    const { code, stderr } = await runServer(['--store', 'mongo'], { STORE: 'memory' });
    expect(code).toBe(1);
    expect(stderr).toBe('Cannot start: --store must be "file", "memory" or "postgres", got "mongo"\n');
  });

  it('an empty PORT= is no port, not a bad number: what applies without PORT applies', async () => {
    // Without PORT, FC_SERVER_PORT applies (FC 3.0), else the default 3001.
    const fcPort = await freePort();
    const server = await startServer({ PORT: '', FC_SERVER_PORT: String(fcPort) });
    try {
      expect(server.url).toBe(`http://127.0.0.1:${fcPort}`);
      expect(server.stdout()).toContain(`"port":${fcPort},`);
    } finally {
      await server.stop();
    }
  });

  it.each([
    [{ PORT: 'eighty' }, 'Cannot start: PORT must be a number from 1 to 65535, got "eighty"'],
    [{ PORT: '70000' }, 'Cannot start: PORT must be a number from 1 to 65535, got "70000"'],
    [{ STORE: 'mongo' }, 'Cannot start: STORE must be "file", "memory" or "postgres", got "mongo"'],
    [{ LOG_LEVEL: 'loud' }, 'Cannot start: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"'],
    [{ LOG_FORMAT: 'xml' }, 'Cannot start: LOG_FORMAT must be one of auto, pretty, json, got "xml"'],
    [{ CORS_ORIGIN: 'localhost:8000' }, 'Cannot start: CORS_ORIGIN entries look like http://localhost:8000 (no path), got "localhost:8000"'],
    [{ TRUST_PROXY: 'every one' }, 'Cannot start: TRUST_PROXY must be true, false, a number or a comma list of addresses, got "every one"'],
  ])('refuses %j with a one-line explanation', async (env, message) => {
    const { code, stderr } = await runServer([], { DB_FILE: freshDbPath(dir), ...env });
    expect(code).toBe(1);
    expect(stderr).toBe(`${message}\n`);
  });

  it('refuses a missing STATIC_DIR', async () => {
    const { code, stderr } = await runServer([], { DB_FILE: freshDbPath(dir), STATIC_DIR: '/no/such/folder' });
    expect(code).toBe(1);
    expect(stderr).toBe('Cannot start: STATIC_DIR /no/such/folder is not a folder\n');
  });

  it('refuses a db.json that does not parse, and leaves it as it was', async () => {
    const path = freshDbPath(dir);
    writeFileSync(path, '{"todos": [ oops');
    const { code, stderr } = await runServer([], { DB_FILE: path, PORT: String(await freePort()) });
    expect(code).toBe(1);
    expect(stderr).toMatch(new RegExp(`^Cannot start: ${path} is not valid JSON \\(.*\\)\\n$`));
    expect(readFileSync(path, 'utf8')).toBe('{"todos": [ oops');
  });

  it('says so when the port is taken', async () => {
    const port = await freePort();
    const blocker = createServer().listen(port);
    try {
      const { code, stderr } = await runServer([], { DB_FILE: freshDbPath(dir), PORT: String(port) });
      expect(code).toBe(1);
      expect(stderr).toBe(`Cannot start: port ${port} is already in use\n`);
    } finally {
      blocker.close();
    }
  });

  it('logs one structured line per request with method, path, status, duration and request id', async () => {
    const server = await startServer({ DB_FILE: freshDbPath(dir) });
    try {
      await fetch(`${server.url}/api/rule?current=1&pageSize=10&sorter=`, { headers: { 'x-request-id': 'trace-123' } });
      await post(server.url, { name: '' });
      await new Promise((r) => setTimeout(r, 100));
      const lines = server.stdout().trim().split('\n').map((line) => JSON.parse(line));
      // startServer polls /api/currentUser until the server answers; those lines are not the test's.
      const requests = lines.filter((line) => line.req && line.req.url !== '/api/currentUser');
      expect(requests).toHaveLength(2);
      expect(requests[0]).toMatchObject({ reqId: 'trace-123', req: { method: 'GET', url: '/api/rule?current=1&pageSize=10&sorter=' }, res: { status: 200 }, responseTime: expect.any(Number) });
      expect(requests[1]).toMatchObject({ req: { method: 'POST', url: '/api/rule' }, res: { status: 400 }, reqId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    } finally {
      server.child.kill('SIGKILL');
    }
  });

  it('LOG_FORMAT=pretty writes one short human line per request: time, method, path, status, duration', async () => {
    const server = await startServer({ DB_FILE: freshDbPath(dir), LOG_FORMAT: 'pretty' });
    try {
      await fetch(`${server.url}/api/rule?current=1&pageSize=10&sorter=updatedAt_undefined`);
      await post(server.url, { name: '' });
      await new Promise((r) => setTimeout(r, 100));
      const lines = server.stdout().trim().split('\n').filter((line) => !line.includes('/api/currentUser'));
      expect(lines).toEqual([
        expect.stringMatching(/^\[\d\d:\d\d:\d\d\] INFO: created .*db-.*\.json, a copy of the seed db\.json$/),
        expect.stringMatching(/^\[\d\d:\d\d:\d\d\] INFO: listening on http:\/\/localhost:\d+, todos in .*db-.*\.json/),
        expect.stringMatching(/^\[\d\d:\d\d:\d\d\] INFO: GET \/api\/rule\?current=1&pageSize=10&sorter=updatedAt_undefined 200 \d+ms$/),
        expect.stringMatching(/^\[\d\d:\d\d:\d\d\] INFO: POST \/api\/rule 400 \d+ms$/),
      ]);
    } finally {
      await server.stop();
    }
  });

  // A real terminal: `script` runs the server on a pseudo-terminal, as a person's shell does.
  it.each([
    ['', /^\[\d\d:\d\d:\d\d\] .*INFO.*: GET \/api\/rule\/1 200 \d+ms/m],
    ['json', /^\{"level":30,.*"msg":"GET \/api\/rule\/1 200 \d+ms"\}/m],
  ])('on a terminal, LOG_FORMAT=%j (empty: auto) writes %s', async (format, expected) => {
    const port = await freePort();
    const command = [process.execPath, SERVER_ENTRY, '--port', String(port), '--db-file', freshDbPath(dir)].join(' ');
    const terminal = spawn('script', ['-qfec', command, '/dev/null'], { env: { ...process.env, LOG_LEVEL: 'info', LOG_FORMAT: format } });
    let screen = '';
    terminal.stdout.on('data', (chunk) => (screen += chunk));
    const exited = new Promise((done) => terminal.on('exit', done));
    try {
      for (const deadline = Date.now() + 15_000; !(await fetch(`http://127.0.0.1:${port}/api/rule/1`).then((res) => res.ok, () => false)); ) {
        if (Date.now() > deadline) throw new Error(`the server did not start on a terminal: ${screen}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      for (const deadline = Date.now() + 5_000; !/GET \/api\/rule\/1 200/.test(screen) && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 50));
      // eslint-disable-next-line no-control-regex
      expect(screen.replace(/\x1b\[[0-9;]*m/g, '').replace(/\r/g, '')).toMatch(expected);
    } finally {
      terminal.kill('SIGTERM'); // closes the terminal: the server gets SIGHUP
      await exited;
    }
  });

  it('on SIGTERM finishes in-flight writes, flushes them and exits 0', async () => {
    const path = freshDbPath(dir);
    const server = await startServer({ DB_FILE: path });
    // 20 creates, each connected with half its body sent when the signal arrives.
    const creates = halfSentCreates(server.url, 20);
    const port = Number(new URL(server.url).port);
    await waitFor(() => connectionsHeldBy(server.child.pid!, port) === 20); // connected and accepted
    server.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 100)); // the server is stopping now
    creates.finish();

    const answers = await creates.answers;
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(201));
    expect(await server.exited).toEqual({ code: 0, signal: null });
    const onDisk = new Set(JSON.parse(readFileSync(path, 'utf8')).todos.map((t: { key: number }) => t.key));
    expect(answers.filter(({ key }) => !onDisk.has(key))).toEqual([]);
  });

  it('loses no answered write when killed with SIGKILL under write load', async () => {
    const path = freshDbPath(dir);
    for (let round = 0; round < 3; round++) {
      const server = await startServer({ DB_FILE: path, LOG_LEVEL: 'warn' });
      const acknowledged: number[] = [];
      let killed = false;
      // 20 clients writing as fast as the server answers, until the process dies under them.
      const clients = Array.from({ length: 20 }, async (_, client) => {
        for (let i = 0; !killed; i++) {
          try {
            const res = await post(server.url, { name: `round ${round} client ${client} #${i}`, desc: 'x'.repeat(200) });
            if (res.status === 201) acknowledged.push(((await res.json()) as { data: { key: number } }).data.key);
          } catch {
            return; // connection refused or reset: the server is gone
          }
        }
      });
      // Kill mid-stream, once a round-dependent number of writes has been answered.
      const target = 30 + round * 40;
      for (const deadline = Date.now() + 15_000; acknowledged.length < target && Date.now() < deadline; ) {
        await new Promise((r) => setTimeout(r, 5));
      }
      server.child.kill('SIGKILL');
      killed = true;
      await Promise.all(clients);
      await server.exited;

      const document = JSON.parse(readFileSync(path, 'utf8'));
      const onDisk = new Set(document.todos.map((t: { key: number }) => t.key));
      expect(acknowledged.length).toBeGreaterThanOrEqual(target);
      expect(acknowledged.filter((key) => !onDisk.has(key))).toEqual([]);
      expect(document.lastKey).toBeGreaterThanOrEqual(Math.max(...acknowledged));
    }
  }, 90_000);
});

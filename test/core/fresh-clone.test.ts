import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers';
import { freePort } from '../server-process';

// A newcomer's first hour: clone, `npm start`, use the app, `git status`. Running the app must
// never change a tracked file; the live data goes to the git-ignored data/db.json.
const ROOT = join(__dirname, '..', '..');
const git = (cwd: string, ...args: string[]) => {
  const run = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`git ${args.join(' ')}: ${run.stderr}`);
  return run.stdout;
};

describe('a fresh clone', () => {
  const dir = tempDir('todolist-clone-');

  it('stays clean after `npm start -- --port N` and writes: the data lives in data/db.json, a copy of the seed', async () => {
    const clone = join(dir, 'todolist-backend');
    git(ROOT, 'clone', '--quiet', ROOT, clone);
    symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules')); // as `npm install` would leave it
    const seed = readFileSync(join(clone, 'db.json'), 'utf8');

    const port = await freePort();
    // Its own process group, so that stopping it stops npm and the server under it.
    // The README's words: `npm start -- --port N` passes the flag through to the server.
    const npm = spawn('npm', ['start', '--', '--port', String(port)], { cwd: clone, env: { ...process.env, LOG_LEVEL: 'warn' }, detached: true });
    let output = '';
    npm.stdout.on('data', (chunk) => (output += chunk));
    npm.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise((done) => npm.on('exit', done));
    try {
      const url = `http://127.0.0.1:${port}/api/rule`;
      for (const deadline = Date.now() + 60_000; ; ) {
        if (npm.exitCode !== null) throw new Error(`npm start exited: ${output}`);
        if (Date.now() > deadline) throw new Error(`npm start did not answer: ${output}`);
        if (await fetch(url).then((res) => res.ok, () => false)) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      const json = { 'content-type': 'application/json' };
      const created = await fetch(url, { method: 'POST', headers: json, body: JSON.stringify({ name: '第一条', desc: 'first' }) });
      expect(created.status).toBe(201);
      const { key } = ((await created.json()) as { data: { key: number } }).data;
      expect((await fetch(url, { method: 'PUT', headers: json, body: JSON.stringify({ key, status: 2 }) })).status).toBe(200);
      expect((await fetch(`${url}/1`, { method: 'DELETE' })).status).toBe(200);

      const data = JSON.parse(readFileSync(join(clone, 'data', 'db.json'), 'utf8'));
      expect(data.todos).toEqual([expect.objectContaining({ key, name: '第一条', status: 2 })]);
    } finally {
      process.kill(-npm.pid!, 'SIGTERM');
      await exited;
    }
    expect(git(clone, 'status', '--porcelain')).toBe('');
    expect(readFileSync(join(clone, 'db.json'), 'utf8')).toBe(seed);
    expect(existsSync(join(clone, 'data', 'db.json'))).toBe(true);
  }, 120_000);
});

import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '../../src/config';
import { freePort } from '../server-process';

// FC 3.0 runs the local server entry in a custom runtime and tells it the port in FC_SERVER_PORT.

describe('the port setting', () => {
  it('falls back to FC_SERVER_PORT when PORT is unset', () => {
    expect(loadConfig({ FC_SERVER_PORT: '9000' }).port).toBe(9000);
    expect(loadConfig({ FC_SERVER_PORT: '9000', PORT: ' ' }).port).toBe(9000);
  });

  it('lets PORT win over FC_SERVER_PORT, and defaults without either', () => {
    expect(loadConfig({ FC_SERVER_PORT: '9000', PORT: '8080' }).port).toBe(8080);
    expect(loadConfig({}).port).toBe(3001);
  });

  it('names FC_SERVER_PORT when its value is wrong', () => {
    expect(() => loadConfig({ FC_SERVER_PORT: 'nine' })).toThrow('FC_SERVER_PORT must be a number from 1 to 65535, got "nine"');
  });
});

describe('the FC 3.0 package (dist/fc3) on its own', () => {
  let dir: string;
  let server: ChildProcess;
  let port: number;
  let exited: Promise<number | null>;

  beforeAll(async () => {
    dir = join(mkdtempSync(join(tmpdir(), 'fc3-code-')), 'code');
    cpSync(resolve(__dirname, '../../dist/fc3'), dir, { recursive: true });
    port = await freePort();
    // As FC starts it: the command from s.yaml in the code folder, FC_SERVER_PORT set, no PORT.
    server = spawn(process.execPath, ['server.js'], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', FC_SERVER_PORT: String(port), STORE: 'memory', STATIC_DIR: join(dir, 'public') },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    exited = new Promise((done) => server.on('exit', done));
    await new Promise<void>((ready) => {
      let output = '';
      server.stdout!.on('data', (chunk) => {
        output += chunk;
        if (output.includes('listening')) ready();
      });
    });
  });

  afterAll(async () => {
    if (server.exitCode === null) server.kill('SIGKILL');
    rmSync(resolve(dir, '..'), { recursive: true, force: true });
  });

  it('answers the API and the page on FC_SERVER_PORT', async () => {
    const created = await fetch(`http://127.0.0.1:${port}/api/rule`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: '在函数计算 3.0 上' }),
    });
    expect(created.status).toBe(201);
    const list = await (await fetch(`http://127.0.0.1:${port}/api/rule?name=${encodeURIComponent('函数计算')}`)).json();
    expect(list).toMatchObject({ success: true, total: 1, data: [{ name: '在函数计算 3.0 上' }] });
    const page = await fetch(`http://127.0.0.1:${port}/`, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  });

  it('answers the health check s.yaml points FC at', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ success: true, status: 'ok' });
  });

  it('serves /api/todos and the docs page with its renderer from the package', async () => {
    const todos = await fetch(`http://127.0.0.1:${port}/api/todos`, { headers: { origin: 'http://localhost:8000' } });
    expect(todos.headers.get('access-control-allow-origin')).toBe('*');
    expect(await todos.json()).toEqual(expect.arrayContaining([expect.objectContaining({ id: 1, completed: false })]));
    expect(await (await fetch(`http://127.0.0.1:${port}/api/docs`)).text()).toContain('<rapi-doc');
    const script = await fetch(`http://127.0.0.1:${port}/api/docs/rapidoc-min.js`);
    expect(script.status).toBe(200);
    expect(await script.text()).toContain('rapi-doc');
  });

  it('listens on every interface, as FC requires (0.0.0.0, not 127.0.0.1)', async () => {
    const external = Object.values(networkInterfaces())
      .flat()
      .find((address) => address && address.family === 'IPv4' && !address.internal);
    if (!external) return; // a machine without a network card has nothing else to try
    const answer = await fetch(`http://${external.address}:${port}/api/currentUser`);
    expect(answer.status).toBe(200);
  });

  it('stops cleanly on SIGTERM, as FC stops an instance', async () => {
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});

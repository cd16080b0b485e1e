import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fillDisk, immutable, readOnlyView, smallDisk } from '../disks';
import { freePort, runServer, startServer } from '../server-process';

// The file store on disks that are not plain folders, through the real server.

const root = mkdtempSync(join(tmpdir(), 'todolist-disks-'));
const undo: (() => void)[] = [];
afterAll(() => {
  // Unmount and unfreeze before removing anything: never rm through a mount.
  for (const step of undo.reverse()) step();
  rmSync(root, { recursive: true, force: true });
});
let count = 0;
const folder = () => {
  const path = join(root, `case-${++count}`);
  mkdirSync(path);
  return path;
};

type Json = Record<string, unknown>;
const send = async (url: string, method: string, path: string, body?: unknown) => {
  const res = await fetch(`${url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Json };
};
const names = async (url: string) => ((await send(url, 'GET', '/api/rule?pageSize=100')).body.data as { name: string }[]).map((todo) => todo.name);

describe('a symlinked DB_FILE', () => {
  it('stays a link: writes go to its target, with the temp file beside the target', async () => {
    const targets = folder();
    const links = folder();
    // A dangling link: the first start creates its target.
    symlinkSync(join(targets, 'db.json'), join(links, 'db.json'));
    // The link's own folder is read-only, so a temp file beside the link could not even be made.
    const view = join(root, `view-${count}`);
    undo.push(readOnlyView(links, view));
    const link = join(view, 'db.json');

    const server = await startServer({ DB_FILE: link });
    try {
      expect((await send(server.url, 'POST', '/api/rule', { name: 'through the link' })).status).toBe(201);
      expect((await send(server.url, 'PUT', '/api/rule/1', { status: 2 })).status).toBe(200);
    } finally {
      await server.stop();
    }
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    const onDisk = JSON.parse(readFileSync(join(targets, 'db.json'), 'utf8'));
    expect(onDisk.todos.map((todo: { name: string }) => todo.name)).toContain('through the link');
    expect(readdirSync(targets)).toEqual(['db.json']);

    const again = await startServer({ DB_FILE: link });
    try {
      expect(await names(again.url)).toContain('through the link');
    } finally {
      await again.stop();
    }
  });
});

describe('a DB_FILE that cannot be written stops the server at start, with one line naming it', () => {
  it.each([
    ['a read-only folder, no db.json yet', false],
    ['a read-only folder with a db.json', true],
  ])('%s', async (_what, withFile) => {
    const source = folder();
    const seed = '{"todos":[{"key":1,"name":"kept as is"}]}';
    if (withFile) writeFileSync(join(source, 'db.json'), seed);
    const view = join(root, `view-${count}`);
    undo.push(readOnlyView(source, view));
    const path = join(view, 'db.json');

    const { code, stderr } = await runServer([], { DB_FILE: path, PORT: String(await freePort()) });
    expect(code).toBe(1);
    expect(stderr).toBe(`Cannot start: ${path} cannot be written (EROFS: read-only file system)\n`);
    if (withFile) expect(readFileSync(path, 'utf8')).toBe(seed);
  });

  it('an immutable db.json (chattr +i)', async () => {
    const path = join(folder(), 'db.json');
    writeFileSync(path, '{"todos":[]}');
    undo.push(immutable(path));
    const { code, stderr } = await runServer([], { DB_FILE: path, PORT: String(await freePort()) });
    expect(code).toBe(1);
    expect(stderr).toBe(`Cannot start: ${path} cannot be written (EPERM: operation not permitted)\n`);
  });

});

describe('a full disk', () => {
  it('answers 507 and keeps the last good state, recovers when space returns, and SIGTERM then exits 0', async () => {
    const disk = join(root, 'small-disk');
    undo.push(smallDisk(disk, '512k'));
    const path = join(disk, 'db.json');
    const filler = join(disk, 'filler');
    const server = await startServer({ DB_FILE: path });
    try {
      const kept = (await send(server.url, 'POST', '/api/rule', { name: 'kept' })).body.data as { key: number };
      fillDisk(filler);
      const before = readFileSync(path, 'utf8');

      for (const [method, route, body] of [
        ['POST', '/api/rule', { name: 'refused' }],
        ['PUT', `/api/rule/${kept.key}`, { name: 'renamed' }],
        ['DELETE', `/api/rule/${kept.key}`, undefined],
      ] as const) {
        const answer = await send(server.url, method, route, body);
        expect(answer).toEqual({ status: 507, body: { success: false, errorCode: 'INSUFFICIENT_STORAGE', errorMessage: 'The server is out of storage space; the change was not saved', traceId: expect.any(String) } });
      }
      expect(readFileSync(path, 'utf8')).toBe(before);
      expect(readdirSync(disk).sort()).toEqual(['.db.json.lock', 'db.json', 'filler']); // no temp file left holding space
      expect(await names(server.url)).toEqual(['kept', expect.any(String)]); // newest first, as before
      expect(server.stdout()).toMatch(/"code":"ENOSPC"/);

      rmSync(filler);
      const after = await send(server.url, 'POST', '/api/rule', { name: 'after' });
      expect(after.status).toBe(201);
      expect((after.body.data as { key: number }).key).toBeGreaterThan(kept.key + 1); // the refused create's key stays used
      const onDisk = JSON.parse(readFileSync(path, 'utf8'));
      expect(onDisk.todos.map((todo: { name: string }) => todo.name)).toEqual([expect.any(String), 'kept', 'after']);

      // A failed write with nothing pending: a clean stop, without claiming writes were lost.
      fillDisk(filler);
      expect((await send(server.url, 'POST', '/api/rule', { name: 'refused too' })).status).toBe(507);
      server.child.kill('SIGTERM');
      expect(await server.exited).toEqual({ code: 0, signal: null });
      expect(server.stdout()).not.toMatch(/could not be saved/);
      expect(server.stdout()).toMatch(/"msg":"stopped"/);
    } finally {
      await server.stop();
    }
  });
});

describe('a db.json that starts with a UTF-8 byte-order mark', () => {
  it('is read, and written back without it', async () => {
    const path = join(folder(), 'db.json');
    writeFileSync(path, `\ufeff${JSON.stringify({ todos: [{ key: 4, name: '记事本存的' }] }, null, 2)}`);
    const server = await startServer({ DB_FILE: path });
    try {
      expect(await names(server.url)).toEqual(['记事本存的']);
      expect((await send(server.url, 'POST', '/api/rule', { name: 'next' })).status).toBe(201);
    } finally {
      await server.stop();
    }
    const text = readFileSync(path, 'utf8');
    expect(text.charCodeAt(0)).toBe('{'.charCodeAt(0));
    expect(JSON.parse(text).todos.map((todo: { key: number }) => todo.key)).toEqual([4, 5]);
  });
});

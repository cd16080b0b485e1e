import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileStore } from '../../src/stores/file-store';
import { freshDbPath, tempDir } from '../helpers';
import { freePort, runServer, startServer } from '../server-process';

// One process per db.json: two writers on one file would hand out the same keys and overwrite
// each other's writes. The file store holds an OS lock on the file from open to close.

const dir = tempDir();
const lockOf = (path: string) => join(path, '..', `.${path.split('/').pop()}.lock`);
const keysIn = (path: string): number[] => JSON.parse(readFileSync(path, 'utf8')).todos.map((todo: { key: number }) => todo.key);

async function create(url: string, name: string): Promise<number | undefined> {
  try {
    const res = await fetch(`${url}/api/rule`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name }) });
    return res.status === 201 ? ((await res.json()) as { data: { key: number } }).data.key : undefined;
  } catch {
    return undefined; // nobody listens there
  }
}

describe('a second server on the same db.json', () => {
  it('is refused with a line naming the file and the holder, while the first keeps serving', async () => {
    const path = freshDbPath(dir);
    const first = await startServer({ DB_FILE: path, LOG_LEVEL: 'warn' });
    try {
      const second = await runServer([], { DB_FILE: path, PORT: String(await freePort()) });
      expect(second.code).toBe(1);
      expect(second.stderr).toBe(
        `Cannot start: ${path} is in use by another server (pid ${first.child.pid}): a db.json has exactly one writer. ` +
          'Stop that server, give this one another DB_FILE, or use STORE=postgres to share data between servers\n',
      );
      expect(await create(first.url, 'still here')).toEqual(expect.any(Number));
    } finally {
      await first.stop();
    }
  });

  it('is refused when one of them reaches the file through a symlink', async () => {
    // A link to a db.json not made yet: the first start creates it at the target.
    const path = freshDbPath(dir);
    const link = `${freshDbPath(dir)}.link`;
    symlinkSync(path, link);
    const first = await startServer({ DB_FILE: link, LOG_LEVEL: 'warn' });
    try {
      const second = await runServer([], { DB_FILE: path, PORT: String(await freePort()) });
      expect(second.code).toBe(1);
      expect(second.stderr).toContain(`${path} is in use by another server (pid ${first.child.pid})`);
    } finally {
      await first.stop();
    }
  });

  // The report: two servers started on one file, 50 creates to each, half of them gone.
  it('cannot lose the writes of the first: every answered create is in the file', async () => {
    const path = freshDbPath(dir);
    const first = await startServer({ DB_FILE: path, LOG_LEVEL: 'warn' });
    const secondPort = await freePort();
    const second = await runServer([], { DB_FILE: path, PORT: String(secondPort) });
    try {
      expect(second.code).toBe(1);
      const urls = [first.url, `http://127.0.0.1:${secondPort}`];
      const answered = await Promise.all(
        Array.from({ length: 100 }, (_, i) => create(urls[i % 2], `write ${i}`)),
      );
      const keys = answered.filter((key): key is number => key !== undefined);
      expect(keys).toHaveLength(50); // the first server's; nothing listens for the second
      expect(new Set(keys).size).toBe(50);
      const onDisk = keysIn(path);
      expect(keys.filter((key) => !onDisk.includes(key))).toEqual([]);
    } finally {
      await first.stop();
    }
  });
});

describe('the lock', () => {
  it('left by a server killed with SIGKILL does not stop the next one', async () => {
    const path = freshDbPath(dir);
    const killed = await startServer({ DB_FILE: path, LOG_LEVEL: 'warn' });
    const key = await create(killed.url, 'written before the kill');
    killed.child.kill('SIGKILL');
    await killed.exited;
    expect(existsSync(lockOf(path))).toBe(true); // the file stays; the kernel's lock went with the process

    const next = await startServer({ DB_FILE: path, LOG_LEVEL: 'warn' }); // at once: no stale timeout to wait out
    try {
      expect(await create(next.url, 'written after')).toBeGreaterThan(key!);
      expect(readFileSync(lockOf(path), 'utf8')).toBe(`${next.child.pid}\n`);
    } finally {
      await next.stop();
    }
  });

  it('is released, and its file removed, when the server stops cleanly', async () => {
    const path = freshDbPath(dir);
    const server = await startServer({ DB_FILE: path, LOG_LEVEL: 'warn' });
    expect(existsSync(lockOf(path))).toBe(true);
    await server.stop();
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(lockOf(path))).toBe(false);
    const again = await startServer({ DB_FILE: path, LOG_LEVEL: 'warn' });
    await again.stop();
  });

  it('also keeps a second store in the same process off the file, until the first is closed', async () => {
    const path = freshDbPath(dir);
    const first = await FileStore.open(path);
    await expect(FileStore.open(path)).rejects.toThrow(`${path} is in use by another server (pid ${process.pid})`);
    await first.close();
    const second = await FileStore.open(path);
    expect((await second.list({ current: 1, pageSize: 20 })).total).toBe(1);
    await second.close();
  });

  it('is let go when the file is refused at open', async () => {
    const path = freshDbPath(dir);
    writeFileSync(path, '{"todos": "not a list"}');
    await expect(FileStore.open(path)).rejects.toThrow(`${path} is not a todo database`);
    expect(existsSync(lockOf(path))).toBe(false);
  });
});

import { mkdir, open, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { linkTarget } from './durable-json-file';

/**
 * Keeps a db.json to one process: a second server on the same file is refused while the first
 * keeps serving (two writers would hand out the same keys and overwrite each other's writes).
 *
 * The lock is the kernel's, through fs-native-extensions (open file description locks on Linux,
 * flock on macOS, LockFileEx on Windows), so it ends with its process, even one killed with
 * SIGKILL: nothing stale is left to wait for or clean up. It is taken on a file of its own beside
 * the data, `.db.json.lock`, because every write replaces db.json itself (a rename) and a lock
 * belongs to one file, not to a name. The lock file holds the holder's pid for the refusal
 * message, and is removed on a clean release.
 */
export class FileLock {
  private constructor(
    readonly path: string,
    private handle: FileHandle | undefined,
  ) {}

  /** Locks `dataPath` for this process; throws naming the file (and the holder's pid) if it is taken. */
  static async acquire(dataPath: string): Promise<FileLock> {
    // Loaded here, not at the top: only the file store needs it (FC packages leave it out).
    const { tryLock } = await import('fs-native-extensions');
    const target = await linkTarget(dataPath);
    const path = join(dirname(target), `.${basename(target)}.lock`);
    for (;;) {
      const handle = await openCreatingFolder(path, dataPath);
      try {
        if (!tryLock(handle.fd)) {
          const holder = Number((await handle.readFile('utf8').catch(() => '')).trim());
          throw new Error(
            `${dataPath} is in use by another server${holder > 0 ? ` (pid ${holder})` : ''}: a db.json has exactly one writer. ` +
              'Stop that server, give this one another DB_FILE, or use STORE=postgres to share data between servers',
          );
        }
        // The holder before us may have removed the lock file between our open and our lock:
        // then this lock is on a file nobody else will find. Take the one at the path instead.
        const [held, current] = await Promise.all([handle.stat(), stat(path).catch(() => undefined)]);
        if (current?.ino === held.ino && current.dev === held.dev) {
          await handle.truncate(0);
          await handle.write(`${process.pid}\n`);
          return new FileLock(path, handle);
        }
      } catch (error) {
        await handle.close();
        throw error;
      }
      await handle.close();
    }
  }

  /** Removes the lock file while still holding the lock, then lets go. Safe to call twice. */
  async release(): Promise<void> {
    const handle = this.handle;
    if (!handle) return;
    this.handle = undefined;
    await unlink(this.path).catch(() => undefined); // Windows keeps an open file; the lock still goes
    await handle.close();
  }
}

/** Opens (creating) the lock file, and the data's folder first when it is missing, as for a new db.json. */
async function openCreatingFolder(path: string, dataPath: string): Promise<FileHandle> {
  const fail = (error: NodeJS.ErrnoException, what: string): never => {
    throw new Error(`${what} ${dataPath}: ${error.code ?? error.message}`, { cause: error });
  };
  try {
    return await open(path, 'a+');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return fail(error as NodeJS.ErrnoException, 'cannot lock');
  }
  await mkdir(dirname(path), { recursive: true }).catch((error: NodeJS.ErrnoException) => fail(error, 'cannot create the folder of'));
  return open(path, 'a+').catch((error: NodeJS.ErrnoException) => fail(error, 'cannot lock'));
}

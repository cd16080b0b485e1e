import { constants } from 'node:fs';
import { copyFile, stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { Low } from 'lowdb';
import type { Logger } from 'pino';
import { storageFailed } from '../domain/errors';
import type { Todo, TodoDraft, TodoPatch } from '../domain/todo';
import { DurableJsonFile } from './durable-json-file';
import { FileLock } from './file-lock';
import { MemoryStore } from './memory-store';
import { documentSerialiser, seedDocument, toTodoDocument, type LoadedDocument, type TodoDocument } from './todo-document';
import { TodoTable } from './todo-table';

/**
 * The memory store plus a JSON file (lowdb) that every answered write is on. Concurrent writes
 * are group-committed: changes made while a file write is under way all go out together in the
 * next one, so the file is written once per batch, not once per request. When a file write fails,
 * the table goes back to what the file holds, so a change answered with an error is not kept.
 * The file has one writer: the store holds an exclusive lock on it from open to close.
 */
export class FileStore extends MemoryStore {
  readonly #db: Low<TodoDocument>;
  readonly #path: string;
  readonly #lock: FileLock;
  /** The file write under way, or the last one, settled. */
  #writing: Promise<void> = Promise.resolve();
  /** The next file write, shared by every change made since the current one started. */
  #queued: Promise<void> | undefined;
  /** What the file holds: the document of the last write that succeeded. */
  #committed: TodoDocument;
  /** Counts failed writes; a batch queued before a failure fails with it. */
  #failures = 0;
  /** Why the last failed write failed. */
  #failure: unknown;

  private constructor(db: Low<TodoDocument>, document: TodoDocument, path: string, lock: FileLock) {
    super(document);
    this.#db = db;
    this.#path = path;
    this.#lock = lock;
    this.#committed = this.table.toDocument(); // the table's records, not the parsed copies
  }

  /**
   * Opens `path`. A missing file (and its folder) is created with the seed. A file that had to be
   * repaired to load (see toTodoDocument) is first copied beside itself, untouched, and the repair
   * is logged in one line. A file that does not parse or does not look like a todo document is
   * refused and left untouched, and so is a location where the file cannot be written. So is a
   * file that another process has open. A symlink stays a link: writes go to its target.
   */
  static async open(path: string, { logger }: { logger?: Pick<Logger, 'info' | 'warn'> } = {}): Promise<FileStore> {
    const file = await DurableJsonFile.open(path, documentSerialiser());
    // A lock refused because the folder is read-only is said as such: "cannot be written (EROFS…)".
    const lock = await FileLock.acquire(path).catch(async (error: unknown) => {
      await file.assertWritable().catch((writeError: Error) => {
        if ((writeError.cause as NodeJS.ErrnoException).code !== 'ENOENT') throw writeError; // a missing folder: the lock's message says more
      });
      throw error;
    });
    return FileStore.#load(path, file, lock, logger).catch(async (error: unknown) => {
      await lock.release();
      throw error;
    });
  }

  static async #load(path: string, file: DurableJsonFile<TodoDocument>, lock: FileLock, logger: Pick<Logger, 'info' | 'warn'> | undefined): Promise<FileStore> {
    const db = new Low<TodoDocument>(file, seedDocument());
    const raw = await db.adapter.read();
    let loaded: LoadedDocument;
    try {
      loaded = raw === null ? { document: seedDocument(), repairs: [] } : toTodoDocument(raw);
    } catch (error) {
      throw new Error(`${path} is not a todo database: ${(error as Error).message}`, { cause: error });
    }
    await file.assertWritable();
    if (loaded.repairs.length > 0) {
      const backup = await keepBackup(path);
      logger?.warn(`${path} was repaired to load: ${loaded.repairs.join('; ')}. The original is kept as ${backup}`);
    }
    const store = new FileStore(db, loaded.document, path, lock);
    // A new file gets the seed; a repaired one its repair, once, right after the backup.
    if (raw === null || loaded.repairs.length > 0) await store.#commit();
    if (raw === null) logger?.info(`created ${path}, a copy of the seed db.json`);
    return store;
  }

  override async create(draft: TodoDraft): Promise<Todo> {
    const todo = await super.create(draft);
    await this.#commit();
    return todo;
  }

  override async update(key: number, patch: TodoPatch): Promise<Todo | undefined> {
    const todo = await super.update(key, patch);
    if (todo) await this.#commit();
    return todo;
  }

  override async remove(keys: number[]): Promise<number[]> {
    const removed = await super.remove(keys);
    if (removed.length > 0) await this.#commit();
    return removed;
  }

  /** Ready while the file is where it was opened (the data is in memory, and the lock held). */
  override async ready(): Promise<void> {
    await stat(this.#path);
  }

  override async close(): Promise<void> {
    try {
      // A write that failed has already failed the requests that made it: nothing more to report.
      await (this.#queued ?? this.#writing).catch(() => undefined);
    } finally {
      await this.#lock.release();
    }
  }

  /** Resolves once a file write that started after this call has finished. */
  #commit(): Promise<void> {
    this.#queued ??= this.#nextBatch();
    return this.#queued;
  }

  #nextBatch(): Promise<void> {
    const failuresBefore = this.#failures;
    const batch: Promise<void> = this.#writing
      .catch(() => undefined)
      .then(() => {
        if (this.#queued === batch) this.#queued = undefined;
        if (this.#failures !== failuresBefore) throw storageFailed(this.#failure);
        const document = this.table.toDocument();
        this.#db.data = document;
        this.#writing = this.#db.write().then(
          () => void (this.#committed = document),
          (error: unknown) => {
            this.#failure = error;
            this.#rollBack();
            throw storageFailed(error);
          },
        );
        return this.#writing;
      });
    return batch;
  }

  /** Back to what the file holds; the changes queued behind the failed write fail too. */
  #rollBack(): void {
    this.#failures++;
    this.#queued = undefined;
    // Keys handed out stay used: a key is never given twice, even one only seen in an error.
    this.table = new TodoTable({ ...this.#committed, lastKey: this.table.lastKey });
  }
}

/** Copies `path` to a new file beside it, `db.backup-2026-11-30T02-50-40Z.json`, and answers its path. */
async function keepBackup(path: string): Promise<string> {
  const stamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
  const extension = extname(path);
  for (let copy = 1; ; copy++) {
    const backup = join(dirname(path), `${basename(path, extension)}.backup-${stamp}${copy > 1 ? `-${copy}` : ''}${extension}`);
    try {
      await copyFile(path, backup, constants.COPYFILE_EXCL); // never over an earlier backup
      return backup;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new Error(`cannot back up ${path} before repairing it: ${(error as Error).message}`, { cause: error });
    }
  }
}

import { Low } from 'lowdb';
import { storageFailed } from '../domain/errors';
import type { Todo, TodoDraft, TodoPatch } from '../domain/todo';
import { DurableJsonFile } from './durable-json-file';
import { MemoryStore } from './memory-store';
import { documentSerialiser, seedDocument, toTodoDocument, type TodoDocument } from './todo-document';
import { TodoTable } from './todo-table';

/**
 * The memory store plus a JSON file (lowdb) that every answered write is on. Concurrent writes
 * are group-committed: changes made while a file write is under way all go out together in the
 * next one, so the file is written once per batch, not once per request. When a file write fails,
 * the table goes back to what the file holds, so a change answered with an error is not kept.
 */
export class FileStore extends MemoryStore {
  readonly #db: Low<TodoDocument>;
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

  private constructor(db: Low<TodoDocument>, document: TodoDocument) {
    super(document);
    this.#db = db;
    this.#committed = this.table.toDocument(); // the table's records, not the parsed copies
  }

  /**
   * Opens `path`, creating it with the seed when it does not exist. A file that does not parse
   * or does not look like a todo document is refused and left untouched, and so is a location
   * where the file cannot be written. A symlink stays a link: writes go to its target.
   */
  static async open(path: string): Promise<FileStore> {
    const db = new Low<TodoDocument>(await DurableJsonFile.open(path, documentSerialiser()), seedDocument());
    const raw = await db.adapter.read();
    let document: TodoDocument;
    try {
      document = raw === null ? seedDocument() : toTodoDocument(raw);
    } catch (error) {
      throw new Error(`${path} is not a todo database: ${(error as Error).message}`, { cause: error });
    }
    const store = new FileStore(db, document);
    if (raw === null) await store.#commit();
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

  /** Waits for the writes under way. A write that failed has already failed the requests that made it. */
  override async close(): Promise<void> {
    await (this.#queued ?? this.#writing).catch(() => undefined);
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

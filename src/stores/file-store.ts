import { Low } from 'lowdb';
import type { Todo, TodoDraft, TodoPatch } from '../domain/todo';
import { DurableJsonFile } from './durable-json-file';
import { MemoryStore } from './memory-store';
import { documentSerialiser, seedDocument, toTodoDocument, type TodoDocument } from './todo-document';

/**
 * The memory store plus a JSON file (lowdb) that every answered write is on. Concurrent writes
 * are group-committed: changes made while a file write is under way all go out together in the
 * next one, so the file is written once per batch, not once per request.
 */
export class FileStore extends MemoryStore {
  readonly #db: Low<TodoDocument>;
  /** The file write under way, or the last one, settled. */
  #writing: Promise<void> = Promise.resolve();
  /** The next file write, shared by every change made since the current one started. */
  #queued: Promise<void> | undefined;

  private constructor(db: Low<TodoDocument>, document: TodoDocument) {
    super(document);
    this.#db = db;
  }

  /**
   * Opens `path`, creating it with the seed when it does not exist. A file that does not parse
   * or does not look like a todo document is refused and left untouched.
   */
  static async open(path: string): Promise<FileStore> {
    const db = new Low<TodoDocument>(new DurableJsonFile(path, documentSerialiser()), seedDocument());
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

  override async close(): Promise<void> {
    await (this.#queued ?? this.#writing);
  }

  /** Resolves once a file write that started after this call has finished. */
  #commit(): Promise<void> {
    this.#queued ??= this.#writing
      .catch(() => undefined)
      .then(() => {
        this.#queued = undefined;
        this.#db.data = this.table.toDocument();
        this.#writing = this.#db.write();
        return this.#writing;
      });
    return this.#queued;
  }
}

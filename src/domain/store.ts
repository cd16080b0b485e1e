import type { ListQuery, Page, Todo, TodoDraft, TodoPatch, User } from './todo';

/**
 * The seam between the app and where data lives. The HTTP layer and the service only ever see
 * this interface, so a store can be swapped (file, memory, a database) without them noticing.
 * Querying is pushed down into `list` so a database store can answer it natively.
 *
 * Every method is async and every answered write is durable by the store's own standard:
 * a promise resolves only after the change is as safe as the store can make it.
 */
export interface TodoStore {
  /** `pageSize` may be Number.MAX_SAFE_INTEGER: every matching todo in one page. */
  list(query: ListQuery): Promise<Page<Todo>>;
  get(key: number): Promise<Todo | undefined>;
  /** Assigns a new key, never one used before (also after deletes and restarts). */
  create(draft: TodoDraft): Promise<Todo>;
  /** Applies the fields given; answers undefined for an unknown key. */
  update(key: number, patch: TodoPatch): Promise<Todo | undefined>;
  /** Deletes the keys that exist and answers which ones those were. */
  remove(keys: number[]): Promise<number[]>;
  currentUser(): Promise<User>;
  /** Resolves when the store can answer (for a database, after a round trip); rejects saying why not. */
  ready(): Promise<void>;
  /** Finishes pending writes and releases resources. */
  close(): Promise<void>;
}

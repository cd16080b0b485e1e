import type { TodoStore } from './store';
import { clip, notFound } from './errors';
import type { Page, Todo, User } from './todo';
import { parseCreate, parseKey, parseKeys, parseListQuery, parsePatch } from './todo-input';

export interface TodoPage extends Page<Todo> {
  current: number;
  pageSize: number;
}

/** The todo rules: validation, defaults and timestamps. Knows the store seam, not HTTP. */
export class TodoService {
  constructor(private readonly store: TodoStore) {}

  async list(params: Record<string, unknown>): Promise<TodoPage> {
    const query = parseListQuery(params);
    const page = await this.store.list(query);
    return { ...page, current: query.current, pageSize: query.pageSize };
  }

  /** Every todo, oldest first: for clients that take the whole list at once (the Todo-Backend API). */
  async listAll(): Promise<Todo[]> {
    const page = await this.store.list({ current: 1, pageSize: Number.MAX_SAFE_INTEGER, sort: { field: 'key', order: 'ascend' } });
    return page.data;
  }

  async get(keyParam: unknown): Promise<Todo> {
    const key = parseKey(keyParam);
    return (await this.store.get(key)) ?? this.#missing(key);
  }

  async create(body: unknown): Promise<Todo> {
    const { name, ...input } = parseCreate(body);
    const now = new Date().toISOString();
    return this.store.create({
      name, // first, so records read in the same order as the seed
      desc: '',
      status: 1,
      owner: '',
      href: '',
      avatar: '',
      callNo: 0,
      progress: 0,
      disabled: false,
      ...input,
      createdAt: now,
      updatedAt: now,
    });
  }

  /** Changes only the fields given; the others, status included, are kept. */
  async update(keyParam: unknown, body: unknown): Promise<Todo> {
    const key = parseKey(keyParam);
    const patch = parsePatch(body);
    return (await this.store.update(key, { ...patch, updatedAt: new Date().toISOString() })) ?? this.#missing(key);
  }

  /** Deletes the keys that exist; a 404 only when none of them did. */
  async remove(keysParam: unknown): Promise<number[]> {
    const keys = parseKeys(keysParam);
    const removed = await this.store.remove(keys);
    if (removed.length === 0) throw notFound(`No todo with key ${clip(keys.join(', '))}`);
    return removed;
  }

  /** Deletes every todo there is; answers their keys (none is not an error). */
  async removeAll(): Promise<number[]> {
    const keys = (await this.listAll()).map((todo) => todo.key);
    return keys.length > 0 ? this.store.remove(keys) : [];
  }

  currentUser(): Promise<User> {
    return this.store.currentUser();
  }

  #missing(key: number): never {
    throw notFound(`No todo with key ${key}`);
  }
}

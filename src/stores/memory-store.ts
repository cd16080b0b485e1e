import type { ListQuery, Page, Todo, TodoDraft, TodoPatch, User } from '../domain/todo';
import type { TodoStore } from '../domain/store';
import { seedDocument, type TodoDocument } from './todo-document';
import { TodoTable } from './todo-table';

/** Keeps everything in this process: fast, and gone when the process ends (the FaaS default). */
export class MemoryStore implements TodoStore {
  protected table: TodoTable;

  constructor(document: TodoDocument = seedDocument()) {
    this.table = new TodoTable(document);
  }

  async list(query: ListQuery): Promise<Page<Todo>> {
    return this.table.list(query);
  }

  async get(key: number): Promise<Todo | undefined> {
    return this.table.get(key);
  }

  async create(draft: TodoDraft): Promise<Todo> {
    return this.table.insert(draft);
  }

  async update(key: number, patch: TodoPatch): Promise<Todo | undefined> {
    return this.table.update(key, patch);
  }

  async remove(keys: number[]): Promise<number[]> {
    return this.table.remove(keys);
  }

  async currentUser(): Promise<User> {
    return this.table.user;
  }

  async ready(): Promise<void> {}

  async close(): Promise<void> {}
}

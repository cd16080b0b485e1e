import type { ListQuery, Page, SortField, Todo, TodoDraft, TodoPatch, User } from '../domain/todo';
import type { TodoDocument } from './todo-document';

const collator = new Intl.Collator('zh-CN', { numeric: true });

function compareBy(field: SortField): (a: Todo, b: Todo) => number {
  return (a, b) => {
    const x = a[field];
    const y = b[field];
    const order = typeof x === 'string' ? collator.compare(x, y as string) : (x as number) - (y as number);
    return order || a.key - b.key;
  };
}

/**
 * An in-memory, indexed table of todos: the data structure behind the memory and file stores.
 * Records are frozen and replaced on update, so callers can hold them without copying.
 */
export class TodoTable {
  readonly #byKey = new Map<number, Todo>();
  /** Key ascending, which is creation order: newest-first pages read from the end. */
  #ordered: Todo[] = [];
  /** Ascending orderings by field, built on demand and dropped on every write. */
  readonly #sortCache = new Map<SortField, Todo[]>();
  #lastKey: number;
  #user: User;

  constructor(document: TodoDocument) {
    this.#user = document.user;
    this.#lastKey = document.lastKey;
    for (const todo of [...document.todos].sort((a, b) => a.key - b.key)) {
      this.#byKey.set(todo.key, Object.freeze(todo));
      this.#ordered.push(todo);
      this.#lastKey = Math.max(this.#lastKey, todo.key);
    }
  }

  get user(): User {
    return this.#user;
  }

  toDocument(): TodoDocument {
    return { todos: this.#ordered, user: this.#user, lastKey: this.#lastKey };
  }

  get(key: number): Todo | undefined {
    return this.#byKey.get(key);
  }

  insert(draft: TodoDraft): Todo {
    const todo = Object.freeze({ key: ++this.#lastKey, ...draft });
    this.#byKey.set(todo.key, todo);
    this.#ordered.push(todo);
    this.#sortCache.clear();
    return todo;
  }

  update(key: number, patch: TodoPatch): Todo | undefined {
    const current = this.#byKey.get(key);
    if (!current) return undefined;
    const todo = Object.freeze({ ...current, ...patch, key });
    this.#byKey.set(key, todo);
    this.#ordered[this.#indexOf(key)] = todo;
    this.#sortCache.clear();
    return todo;
  }

  remove(keys: number[]): number[] {
    const removed = [...new Set(keys)].filter((key) => this.#byKey.delete(key));
    if (removed.length > 0) {
      const gone = new Set(removed);
      this.#ordered = this.#ordered.filter((todo) => !gone.has(todo.key));
      this.#sortCache.clear();
    }
    return removed;
  }

  list(query: ListQuery): Page<Todo> {
    const rows = query.sort ? this.#sortedBy(query.sort.field) : this.#ordered;
    // Default order is newest first, i.e. the key-ascending array read backwards.
    const backwards = query.sort ? query.sort.order === 'descend' : true;
    const at = backwards ? (i: number) => rows[rows.length - 1 - i] : (i: number) => rows[i];
    const start = (query.current - 1) * query.pageSize;
    const end = start + query.pageSize;

    const matches = matcher(query);
    if (!matches) {
      const data: Todo[] = [];
      for (let i = start; i < Math.min(end, rows.length); i++) data.push(at(i));
      return { data, total: rows.length };
    }
    // One pass: count every match, keep the ones that fall on the requested page.
    const data: Todo[] = [];
    let total = 0;
    for (let i = 0; i < rows.length; i++) {
      const todo = at(i);
      if (!matches(todo)) continue;
      if (total >= start && total < end) data.push(todo);
      total++;
    }
    return { data, total };
  }

  #sortedBy(field: SortField): Todo[] {
    let sorted = this.#sortCache.get(field);
    if (!sorted) {
      sorted = field === 'key' ? this.#ordered : [...this.#ordered].sort(compareBy(field));
      this.#sortCache.set(field, sorted);
    }
    return sorted;
  }

  /** Binary search in the key-ascending array. */
  #indexOf(key: number): number {
    let low = 0;
    let high = this.#ordered.length - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const midKey = this.#ordered[mid].key;
      if (midKey === key) return mid;
      if (midKey < key) low = mid + 1;
      else high = mid - 1;
    }
    throw new Error(`todo ${key} is indexed but not ordered`);
  }
}

function matcher(query: ListQuery): ((todo: Todo) => boolean) | undefined {
  const tests: ((todo: Todo) => boolean)[] = [];
  const name = query.name?.toLowerCase();
  const desc = query.desc?.toLowerCase();
  if (name) tests.push((todo) => todo.name.toLowerCase().includes(name));
  if (desc) tests.push((todo) => todo.desc.toLowerCase().includes(desc));
  if (query.status?.length) {
    const statuses = new Set<number>(query.status);
    tests.push((todo) => statuses.has(todo.status));
  }
  if (tests.length === 0) return undefined;
  return (todo) => tests.every((test) => test(todo));
}

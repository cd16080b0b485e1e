import type { ListQuery, Page, SortField, Todo, TodoDraft, TodoPatch, User } from '../domain/todo';
import type { TodoDocument } from './todo-document';

const collator = new Intl.Collator('zh-CN', { numeric: true });

/** A todo plus what filtering needs, computed once per version of the todo instead of per scan. */
interface Row {
  readonly todo: Todo;
  readonly name: string;
  readonly desc: string;
}

/**
 * The stored form of a todo: frozen, its fields in one fixed order. Built as one literal, every
 * record shares a single hidden class; freezing records built by spreads gave V8 a new hidden
 * class per record (7 MB of them at 10,000 todos) and slowed every scan and serialisation.
 */
function record(todo: Todo): Todo {
  const { key, name, desc, status, owner, href, avatar, callNo, progress, disabled, order, createdAt, updatedAt } = todo;
  // `order` is always a property, undefined when never set, so the hidden class stays the same;
  // JSON leaves an undefined property out.
  return Object.freeze({ key, name, desc, status, owner, href, avatar, callNo, progress, disabled, order, createdAt, updatedAt });
}

/** V8 copies a non-Latin string even when lowering changes nothing: keep the one copy then. */
function lowerCase(text: string): string {
  const lower = text.toLowerCase();
  return lower === text ? text : lower;
}

function toRow(todo: Todo): Row {
  return { todo, name: lowerCase(todo.name), desc: lowerCase(todo.desc) };
}

// Dates are ISO-8601 UTC strings of one width, whose code-unit order is time order: compared
// directly, at a fraction of the collator's cost. Names are compared as people read them.
const compareIso = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
const compareText: Record<'name' | 'createdAt' | 'updatedAt', (x: string, y: string) => number> = {
  name: collator.compare,
  createdAt: compareIso,
  updatedAt: compareIso,
};

/** A total order: ties on the field are broken by key, so every row has exactly one place. */
function compareBy(field: Exclude<SortField, 'key'>): (a: Row, b: Row) => number {
  return (a, b) => {
    const x = a.todo[field];
    const y = b.todo[field];
    const order = typeof x === 'string' ? compareText[field as keyof typeof compareText](x, y as string) : (x as number) - (y as number);
    return order || a.todo.key - b.todo.key;
  };
}

/** First index in `rows` (sorted by `compare`) whose row does not come before `row`. */
function lowerBound(rows: Row[], row: Row, compare: (a: Row, b: Row) => number): number {
  let low = 0;
  let high = rows.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compare(rows[mid], row) < 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** An ascending ordering of all rows by one field, kept up to date on every write. */
class SortedView {
  readonly compare: (a: Row, b: Row) => number;
  rows: Row[];

  constructor(field: Exclude<SortField, 'key'>, rows: Row[]) {
    this.compare = compareBy(field);
    this.rows = [...rows].sort(this.compare);
  }

  add(row: Row): void {
    this.rows.splice(lowerBound(this.rows, row, this.compare), 0, row);
  }

  delete(row: Row): void {
    const at = lowerBound(this.rows, row, this.compare);
    if (this.rows[at] !== row) throw new Error(`todo ${row.todo.key} is missing from a sorted view`);
    this.rows.splice(at, 1);
  }
}

/**
 * An in-memory, indexed table of todos: the data structure behind the memory and file stores.
 * Records are frozen and replaced on update, so callers can hold them without copying.
 * A page read touches only the rows of its page (plus one scan when it filters): orderings by
 * other fields are sorted once, on first use, and then kept in order by each write in O(log n)
 * comparisons instead of being dropped and re-sorted.
 */
export class TodoTable {
  readonly #byKey = new Map<number, Row>();
  /** Key ascending, which is creation order: newest-first pages read from the end. */
  #ordered: Row[] = [];
  readonly #views = new Map<SortField, SortedView>();
  #lastKey: number;
  #user: User;

  constructor(document: TodoDocument) {
    this.#user = document.user;
    this.#lastKey = document.lastKey;
    for (const todo of [...document.todos].sort((a, b) => a.key - b.key)) {
      const row = toRow(record(todo));
      this.#byKey.set(todo.key, row);
      this.#ordered.push(row);
      this.#lastKey = Math.max(this.#lastKey, todo.key);
    }
  }

  get user(): User {
    return this.#user;
  }

  get lastKey(): number {
    return this.#lastKey;
  }

  toDocument(): TodoDocument {
    return { todos: this.#ordered.map((row) => row.todo), user: this.#user, lastKey: this.#lastKey };
  }

  get(key: number): Todo | undefined {
    return this.#byKey.get(key)?.todo;
  }

  insert(draft: TodoDraft): Todo {
    const row = toRow(record({ key: ++this.#lastKey, ...draft }));
    this.#byKey.set(row.todo.key, row);
    this.#ordered.push(row);
    for (const view of this.#views.values()) view.add(row);
    return row.todo;
  }

  update(key: number, patch: TodoPatch): Todo | undefined {
    const current = this.#byKey.get(key);
    if (!current) return undefined;
    const row = toRow(record({ ...current.todo, ...patch, key }));
    this.#byKey.set(key, row);
    this.#ordered[this.#indexOf(key)] = row;
    for (const view of this.#views.values()) {
      view.delete(current);
      view.add(row);
    }
    return row.todo;
  }

  remove(keys: number[]): number[] {
    const removed = [...new Set(keys)].filter((key) => this.#byKey.delete(key));
    if (removed.length > 0) {
      const gone = new Set(removed);
      const keep = (row: Row) => !gone.has(row.todo.key);
      this.#ordered = this.#ordered.filter(keep);
      for (const view of this.#views.values()) view.rows = view.rows.filter(keep);
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
      for (let i = start; i < Math.min(end, rows.length); i++) data.push(at(i).todo);
      return { data, total: rows.length };
    }
    // One pass: count every match, keep the ones that fall on the requested page.
    const data: Todo[] = [];
    let total = 0;
    for (let i = 0; i < rows.length; i++) {
      const row = at(i);
      if (!matches(row)) continue;
      if (total >= start && total < end) data.push(row.todo);
      total++;
    }
    return { data, total };
  }

  #sortedBy(field: SortField): Row[] {
    if (field === 'key') return this.#ordered;
    let view = this.#views.get(field);
    if (!view) {
      view = new SortedView(field, this.#ordered);
      this.#views.set(field, view);
    }
    return view.rows;
  }

  /** Binary search in the key-ascending array. */
  #indexOf(key: number): number {
    let low = 0;
    let high = this.#ordered.length - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const midKey = this.#ordered[mid].todo.key;
      if (midKey === key) return mid;
      if (midKey < key) low = mid + 1;
      else high = mid - 1;
    }
    throw new Error(`todo ${key} is indexed but not ordered`);
  }
}

function matcher(query: ListQuery): ((row: Row) => boolean) | undefined {
  const tests: ((row: Row) => boolean)[] = [];
  const name = query.name?.toLowerCase();
  const desc = query.desc?.toLowerCase();
  if (name) tests.push((row) => row.name.includes(name));
  if (desc) tests.push((row) => row.desc.includes(desc));
  if (query.status?.length) {
    const statuses = new Set<number>(query.status);
    tests.push((row) => statuses.has(row.todo.status));
  }
  if (tests.length === 0) return undefined;
  return (row) => tests.every((test) => test(row));
}

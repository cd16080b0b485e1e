import type { ListQuery, SortField, Todo, TodoDraft, TodoStatus } from '../../src/domain/todo';
import { SORTABLE_FIELDS } from '../../src/domain/todo';
import { seedDocument } from '../../src/stores/todo-document';
import { TodoTable } from '../../src/stores/todo-table';

// The table keeps sorted views and lowercased search text up to date across writes. This checks
// it against the obvious implementation (filter, full sort, slice on every read) over a long,
// seeded run of mixed writes and reads.

function random(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
}

const collator = new Intl.Collator('zh-CN', { numeric: true });

function reference(todos: Todo[], query: ListQuery): { data: Todo[]; total: number } {
  const name = query.name?.toLowerCase();
  const desc = query.desc?.toLowerCase();
  const matching = todos.filter(
    (todo) =>
      (!name || todo.name.toLowerCase().includes(name)) &&
      (!desc || todo.desc.toLowerCase().includes(desc)) &&
      (!query.status?.length || query.status.includes(todo.status)),
  );
  const field: SortField = query.sort?.field ?? 'key';
  matching.sort((a, b) => {
    const x = a[field];
    const y = b[field];
    const order = typeof x === 'string' ? collator.compare(x, y as string) : (x as number) - (y as number);
    return order || a.key - b.key;
  });
  if (!query.sort || query.sort.order === 'descend') matching.reverse();
  const start = (query.current - 1) * query.pageSize;
  return { data: matching.slice(start, start + query.pageSize), total: matching.length };
}

describe('TodoTable', () => {
  it('answers every page like a full filter-and-sort would, across inserts, updates and deletes', () => {
    const next = random(42);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
    const words = ['Alpha', 'beta', '待办', '任务 2', '任务 10', 'ÄRGER', 'report', 'Report', 'x'];
    const dates = ['2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.001Z', '2023-12-31T23:59:59.999Z', '2025-06-01T12:00:00.000Z'];
    const draft = (): TodoDraft => ({
      name: `${pick(words)} ${pick(words)} ${Math.floor(next() * 20)}`,
      desc: `${pick(words)} desc`,
      status: pick([0, 1, 2, 3] as TodoStatus[]),
      owner: '',
      href: '',
      avatar: '',
      callNo: Math.floor(next() * 5),
      progress: Math.floor(next() * 3) * 50,
      disabled: false,
      createdAt: pick(dates),
      updatedAt: pick(dates),
    });

    const table = new TodoTable(seedDocument());
    const live = new Map<number, Todo>([[1, table.get(1)!]]);
    for (let i = 0; i < 150; i++) {
      const todo = table.insert(draft());
      live.set(todo.key, todo);
    }

    let reads = 0;
    for (let step = 0; step < 1500; step++) {
      const roll = next();
      const keys = [...live.keys()];
      if (roll < 0.2) {
        const todo = table.insert(draft());
        live.set(todo.key, todo);
      } else if (roll < 0.35 && keys.length > 0) {
        const key = pick(keys);
        const { name, status, updatedAt, callNo } = draft();
        const patch = next() < 0.5 ? { name, updatedAt } : { status, callNo, updatedAt };
        live.set(key, table.update(key, patch)!);
      } else if (roll < 0.45 && keys.length > 0) {
        const doomed = [pick(keys), pick(keys), 999_999];
        const removed = table.remove(doomed);
        expect(removed.sort()).toEqual([...new Set(doomed)].filter((key) => live.has(key)).sort());
        for (const key of removed) live.delete(key);
      } else {
        const query: ListQuery = {
          current: 1 + Math.floor(next() * 4),
          pageSize: pick([1, 5, 20, 100]),
          sort: next() < 0.2 ? undefined : { field: pick(SORTABLE_FIELDS), order: pick(['ascend', 'descend'] as const) },
          name: next() < 0.3 ? pick(['report', 'REPORT', '任务', 'ä', '1']) : undefined,
          desc: next() < 0.1 ? 'alpha' : undefined,
          status: next() < 0.3 ? [pick([0, 1, 2, 3] as TodoStatus[])] : undefined,
        };
        expect(table.list(query)).toEqual(reference([...live.values()], query));
        reads++;
      }
    }
    expect(reads).toBeGreaterThan(500);
    expect(table.toDocument().todos).toEqual([...live.values()].sort((a, b) => a.key - b.key));
  });

  it('stores records frozen, with their fields in one order however they arrived', () => {
    // `order` is always a property (undefined when never set), so every record has one shape.
    const fieldOrder = ['key', 'name', 'desc', 'status', 'owner', 'href', 'avatar', 'callNo', 'progress', 'disabled', 'order', 'createdAt', 'updatedAt'];
    const loaded = { ...seedDocument().todos[0], key: 2, updatedAt: 'x', createdAt: 'y' }; // fields out of order
    const table = new TodoTable({ ...seedDocument(), todos: [loaded] });
    const inserted = table.insert({ updatedAt: 'u', createdAt: 'u', disabled: false, progress: 1, callNo: 0, avatar: '', href: '', owner: '', status: 1, desc: 'd', name: 'n' });
    const updated = table.update(2, { updatedAt: 'later', progress: 5, name: 'renamed' })!;
    for (const todo of [table.get(2)!, inserted, updated]) {
      expect(Object.keys(todo)).toEqual(fieldOrder);
      expect(Object.isFrozen(todo)).toBe(true);
    }
    expect(updated).toMatchObject({ key: 2, name: 'renamed', progress: 5, updatedAt: 'later', createdAt: 'y' });
  });
});

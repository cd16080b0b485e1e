import pg from 'pg';
import type { ListQuery, SortField, Todo } from '../../src/domain/todo';
import { SORTABLE_FIELDS } from '../../src/domain/todo';
import { MemoryStore } from '../../src/stores/memory-store';
import { MIGRATIONS } from '../../src/stores/migrations';
import { PostgresStore } from '../../src/stores/postgres-store';
import { seedDocument, type TodoDocument } from '../../src/stores/todo-document';
import { databasePerFile, emptyDatabase, freshPostgresStore, settingsFor } from '../postgres/database';

const database = databasePerFile();

async function sql<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<R[]> {
  const client = new pg.Client({ connectionString: database.url() });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

// Names and texts where a careless database answers differently from JavaScript: Chinese (pinyin
// order), mixed case, numbers inside names, names the collator finds equal (ties go by key),
// non-ASCII case pairs (final sigma, dotted I), and LIKE's own %, _ and \.
const NAMES = [
  'todo 10', 'todo 9', 'Todo 9', 'TODO 100', 'todo 1', '北京', '上海', '阿姨', '重庆', '长城', '中文 2', '中文 10',
  'apple', 'Apple', 'APPLE', 'Ärger', 'zebra', 'Éclair', 'eclair', 'ΟΔΟΣ', 'οδος', 'İstanbul', 'istanbul',
  '100% done', '100 percent', 'snake_case', 'snakeXcase', 'back\\slash', 'backslash', '😀 emoji', '', ' ', 'a',
];
const DESCS = ['Milk', 'MILK 两盒', 'milk', '', '50%', 'x_y', 'x\\y', 'ΣΊΣΥΦΟΣ', 'σίσυφος'];

function tricky(): TodoDocument {
  const todos: Todo[] = [];
  let key = 3; // gaps in keys, as after deletes
  NAMES.forEach((name, i) => {
    const at = new Date(Date.UTC(2024, 0, 1, 0, 0, 0, (i * 7919) % 5000)).toISOString(); // ties and millisecond steps
    todos.push({
      key,
      name,
      desc: DESCS[i % DESCS.length],
      status: (i % 4) as Todo['status'],
      owner: `owner ${i % 3}`,
      href: '',
      avatar: '',
      callNo: (i * 37) % 11,
      progress: ((i * 13) % 7) * 12.5 + (i % 2 ? 0.25 : 0),
      disabled: i % 5 === 0,
      order: i % 3 === 0 ? undefined : (i - 10) * 2 ** 40, // some unset, some negative, some beyond 32 bits
      createdAt: at,
      updatedAt: new Date(Date.parse(at) + (i % 3) * 1000).toISOString(),
    });
    key += 1 + (i % 3);
  });
  return { todos, user: { userid: '42', name: '测试用户', avatar: '/me.png', email: 'me@example.com' }, lastKey: key + 5 };
}

describe('answers every list request as the memory store does', () => {
  let postgres: PostgresStore;
  let memory: MemoryStore;
  beforeAll(async () => {
    postgres = await freshPostgresStore(database.url());
    await postgres.replaceWith(tricky());
    memory = new MemoryStore(tricky());
  });
  afterAll(() => postgres.close());

  const queries: [string, ListQuery][] = [];
  for (const field of SORTABLE_FIELDS) {
    for (const order of ['ascend', 'descend'] as const) {
      for (const current of [1, 2, 3, 5]) queries.push([`${field} ${order} page ${current}`, { sort: { field: field as SortField, order }, current, pageSize: 8 }]);
    }
  }
  queries.push(['default order', { current: 1, pageSize: 100 }]);
  queries.push(['default order, page 2', { current: 2, pageSize: 10 }]);
  for (const text of ['todo', 'TODO 1', 'odo 1', 'apple', 'ÄRGER', 'é', 'ος', 'ΟΣ', 'σ', 'i̇', 'İ', '%', '0%', '_', 'e_c', '\\', 'k\\s', '北', '中文', '😀', ' ', 'nothing like it']) {
    queries.push([`name contains ${JSON.stringify(text)}`, { name: text, current: 1, pageSize: 100 }]);
    queries.push([`name contains ${JSON.stringify(text)}, by name`, { name: text, current: 1, pageSize: 100, sort: { field: 'name', order: 'ascend' } }]);
  }
  for (const text of ['milk', 'MILK', '两盒', '%', '_', '\\', 'σίσυφος', 'ΣΊΣΥΦΟΣ', 'ς']) queries.push([`desc contains ${JSON.stringify(text)}`, { desc: text, current: 1, pageSize: 100 }]);
  queries.push(['status 0 and 3', { status: [0, 3], current: 1, pageSize: 100, sort: { field: 'progress', order: 'descend' } }]);
  queries.push(['everything at once', { name: 'o', desc: 'i', status: [1, 2], current: 1, pageSize: 3, sort: { field: 'updatedAt', order: 'ascend' } }]);
  queries.push(['past the end', { current: 40, pageSize: 10 }]);
  queries.push(['a search, past the end', { name: 'o', current: 40, pageSize: 10 }]);
  queries.push(['a search, by name descending, page 2', { name: 'a', current: 2, pageSize: 3, sort: { field: 'name', order: 'descend' } }]);
  queries.push(['every todo in one page, oldest first (the Todo-Backend list)', { current: 1, pageSize: Number.MAX_SAFE_INTEGER, sort: { field: 'key', order: 'ascend' } }]);
  queries.push(['a filter matching nothing, past the end', { name: 'zzz', current: 3, pageSize: 10 }]);

  it.each(queries)('%s', async (_what, query) => {
    const [fromPostgres, fromMemory] = await Promise.all([postgres.list(query), memory.list(query)]);
    expect(fromPostgres).toEqual(fromMemory);
  });

  it('sorts names as the memory store does, all of them', async () => {
    for (const order of ['ascend', 'descend'] as const) {
      const query: ListQuery = { sort: { field: 'name', order }, current: 1, pageSize: 100 };
      const names = (await postgres.list(query)).data.map((todo) => todo.key);
      expect(names).toEqual((await memory.list(query)).data.map((todo) => todo.key));
    }
  });

  it('gives back each todo, timestamps to the millisecond, exactly as stored', async () => {
    for (const todo of tricky().todos) expect(await postgres.get(todo.key)).toEqual(todo);
    expect(await postgres.currentUser()).toEqual(tricky().user);
  });
});

describe('writes', () => {
  let store: PostgresStore;
  beforeEach(async () => {
    store = await freshPostgresStore(database.url());
  });
  afterEach(() => store.close());

  const draft = (name: string) => {
    const now = new Date().toISOString();
    return { name, desc: '', status: 1 as const, owner: '', href: '', avatar: '', callNo: 0, progress: 0, disabled: false, createdAt: now, updatedAt: now };
  };

  it('an update writes only the columns given', async () => {
    const todo = await store.create(draft('a'));
    // Another instance changed another column meanwhile: the update must not write it back.
    await sql('UPDATE todos SET "desc" = $1 WHERE key = $2', ['changed elsewhere', todo.key]);
    const updated = await store.update(todo.key, { progress: 30, updatedAt: '2030-01-01T00:00:00.123Z' });
    expect(updated).toMatchObject({ desc: 'changed elsewhere', progress: 30, updatedAt: '2030-01-01T00:00:00.123Z', createdAt: todo.createdAt });
  });

  it('two instances changing different fields of one todo at once both keep their change', async () => {
    const other = await PostgresStore.open(settingsFor(database.url()));
    try {
      const todos = await Promise.all(Array.from({ length: 20 }, (_, i) => store.create(draft(`shared ${i}`))));
      await Promise.all(
        todos.flatMap((todo, i) => [
          store.update(todo.key, { progress: i + 1, updatedAt: new Date().toISOString() }),
          other.update(todo.key, { desc: `desc ${i}`, updatedAt: new Date().toISOString() }),
          other.update(todo.key, { status: 3, updatedAt: new Date().toISOString() }),
        ]),
      );
      for (const [i, todo] of todos.entries()) {
        expect(await store.get(todo.key)).toMatchObject({ progress: i + 1, desc: `desc ${i}`, status: 3 });
      }
    } finally {
      await other.close();
    }
  });

  it('keys come from one sequence: never reused, also after deletes and across instances', async () => {
    const other = await PostgresStore.open(settingsFor(database.url()));
    try {
      const a = await store.create(draft('a'));
      await store.remove([a.key]);
      const created = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? store : other).create(draft(`k${i}`))));
      const keys = created.map((todo) => todo.key);
      expect(new Set(keys).size).toBe(30);
      expect(Math.min(...keys)).toBeGreaterThan(a.key);
      expect((await other.list({ current: 1, pageSize: 100 })).total).toBe(31);
    } finally {
      await other.close();
    }
  });

  it('keeps the row count of unfiltered lists right through creates, deletes and a replace', async () => {
    await Promise.all(Array.from({ length: 25 }, (_, i) => store.create(draft(`c${i}`))));
    const page = await store.list({ current: 1, pageSize: 100 });
    await store.remove(page.data.slice(0, 7).map((todo) => todo.key));
    const [{ n }] = await sql<{ n: string }>('SELECT count(*) AS n FROM todos');
    expect((await store.list({ current: 1, pageSize: 1 })).total).toBe(Number(n));
    expect(Number(n)).toBe(19);
    await store.replaceWith(tricky());
    expect((await store.list({ current: 1, pageSize: 1 })).total).toBe(tricky().todos.length);
  });

  it('works with the statement timeout left to the server (0, as behind PgBouncer)', async () => {
    const pooled = await PostgresStore.open(settingsFor(database.url(), { statementTimeoutMs: 0 }));
    try {
      expect((await pooled.list({ current: 1, pageSize: 5 })).total).toBe(1);
    } finally {
      await pooled.close();
    }
  });

  it('a statement cut off by the statement timeout is a 503, not a 500', async () => {
    const slow = await PostgresStore.open(settingsFor(database.url(), { statementTimeoutMs: 50 }));
    const client = new pg.Client({ connectionString: database.url() });
    await client.connect();
    try {
      await client.query('BEGIN');
      await client.query('LOCK TABLE todos IN ACCESS EXCLUSIVE MODE');
      await expect(slow.get(1)).rejects.toMatchObject({ status: 503, code: 'DATABASE_UNAVAILABLE' });
    } finally {
      await client.query('ROLLBACK');
      await client.end();
      await slow.close();
    }
  });
});

describe('migrations', () => {
  beforeEach(() => emptyDatabase(database.url()));

  it('build the schema on an empty database, with the welcome todo, and a re-run changes nothing', async () => {
    const first = await PostgresStore.open(settingsFor(database.url()));
    const welcome = (await first.list({ current: 1, pageSize: 10 })).data;
    expect(welcome).toEqual([expect.objectContaining({ key: 1, name: seedDocument().todos[0].name })]);
    await first.close();
    const applied = await sql('SELECT version, name FROM schema_migrations');
    expect(applied).toEqual([
      { version: 1, name: 'todos' },
      { version: 2, name: 'todo order' },
    ]);

    const second = await PostgresStore.open(settingsFor(database.url()));
    expect((await second.list({ current: 1, pageSize: 10 })).data).toEqual(welcome);
    await second.close();
    expect(await sql('SELECT version, name FROM schema_migrations')).toEqual(applied);
  });

  it('ten instances starting at once on an empty database: every one starts, the schema is made once', async () => {
    const stores = await Promise.all(Array.from({ length: 10 }, () => PostgresStore.open(settingsFor(database.url(), { poolSize: 1 }))));
    try {
      const pages = await Promise.all(stores.map((store) => store.list({ current: 1, pageSize: 10 })));
      expect(pages.every((page) => page.total === 1 && page.data[0].key === 1)).toBe(true);
      expect(await sql('SELECT version FROM schema_migrations ORDER BY version')).toEqual([{ version: 1 }, { version: 2 }]);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });

  it('bring a database of an earlier version up to date, its todos kept, and order then works', async () => {
    // The database as version 1 of the app left it: one todo, no order column.
    await sql('CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
    await sql(MIGRATIONS[0].sql);
    await sql("INSERT INTO schema_migrations (version, name) VALUES (1, 'todos')");
    await sql(`INSERT INTO todos (name, "desc", status, owner, href, avatar, call_no, progress, disabled, created_at, updated_at)
      VALUES ('from version 1', '', 1, '', '', '', 0, 0, false, now(), now())`);
    await sql(`INSERT INTO profile (data) VALUES ('{"userid":"1","name":"n","avatar":""}')`);

    const store = await PostgresStore.open(settingsFor(database.url()));
    try {
      const [old] = (await store.list({ current: 1, pageSize: 10 })).data;
      expect(old).toMatchObject({ name: 'from version 1' });
      expect(old.order).toBeUndefined();
      expect(await store.update(old.key, { order: 2 ** 53 - 1, updatedAt: new Date().toISOString() })).toMatchObject({ order: 2 ** 53 - 1 });
      const created = await store.create({ ...seedDocument().todos[0], order: -7 });
      expect(await store.get(created.key)).toMatchObject({ order: -7 });
      expect(Object.keys(created)).toEqual(Object.keys((await new MemoryStore().list({ current: 1, pageSize: 1 })).data[0]));
    } finally {
      await store.close();
    }
    expect(await sql('SELECT version FROM schema_migrations ORDER BY version')).toEqual([{ version: 1 }, { version: 2 }]);
  });

  it('the indexes a million todos need are there', async () => {
    await (await PostgresStore.open(settingsFor(database.url()))).close();
    const indexes = (await sql<{ indexname: string }>("SELECT indexname FROM pg_indexes WHERE tablename = 'todos'")).map((row) => row.indexname);
    expect(indexes.sort()).toEqual(
      ['todos_by_call_no', 'todos_by_created_at', 'todos_by_name', 'todos_by_progress', 'todos_by_status', 'todos_by_updated_at', 'todos_desc_search', 'todos_name_search', 'todos_pkey'].sort(),
    );
  });
});

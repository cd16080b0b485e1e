import pg from 'pg';
import { AppError } from '../domain/errors';
import type { TodoStore } from '../domain/store';
import type { ListQuery, Page, SortField, Todo, TodoDraft, TodoPatch, User } from '../domain/todo';
import { MIGRATIONS } from './migrations';
import { seedDocument, type TodoDocument } from './todo-document';

// Driver: node-postgres (`pg`), pinned at 8.20.0, its last release that still runs on Node 12
// (the FC 2.0 runtime); package.json pins its sub-packages to the versions released with it.
// Chosen over postgres.js for its pool's plain error events (a dropped connection is thrown
// away and the next query opens a new one, which is what recovering after an outage needs) and
// for being the driver most PostgreSQL hosts and tutorials document.

/** Where the database is and how to talk to it (src/config.ts reads these from the environment). */
export interface PostgresSettings {
  /** postgres://user:password@host:port/database?sslmode=... */
  url: string;
  poolSize: number;
  connectTimeoutMs: number;
  /** 0: the server's own setting. */
  statementTimeoutMs: number;
}

/** host:port/database of a URL, never its password: for messages and logs. */
export function describeDatabase(url: string): string {
  try {
    const { hostname, port, pathname } = new URL(url);
    return `${hostname || 'localhost'}:${port || '5432'}, database ${decodeURIComponent(pathname.slice(1)) || '(default)'}`;
  } catch {
    return '(an unreadable DATABASE_URL)';
  }
}

/**
 * `sslmode` as libpq (psql, RDS's documentation) reads it: `require` encrypts without checking
 * the certificate. node-postgres reads it as `verify-full` unless asked for libpq's meaning.
 */
function libpqUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.searchParams.has('sslmode') && !parsed.searchParams.has('uselibpqcompat')) parsed.searchParams.set('uselibpqcompat', 'true');
  return parsed.toString();
}

// --- the SQL, all of it ------------------------------------------------------------------------

/** Serialises schema changes across every process and instance that starts at once. */
const MIGRATION_LOCK = 7_465_310_113; // any constant bigint, the same in every version of the app
/** Todos per statement when loading a document. */
const LOAD_BATCH = 5000;
const COLUMNS = 'key, name, "desc", status, owner, href, avatar, call_no, progress, disabled, "order", created_at, updated_at';
const INSERT = `INSERT INTO todos (name, "desc", status, owner, href, avatar, call_no, progress, disabled, "order", created_at, updated_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING ${COLUMNS}`;
const SQL = {
  schemaVersion: 'SELECT max(version) AS version FROM schema_migrations',
  lock: `SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`,
  migrationsTable: 'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
  appliedVersions: 'SELECT version FROM schema_migrations',
  recordMigration: 'INSERT INTO schema_migrations (version, name) VALUES ($1, $2)',
  get: `SELECT ${COLUMNS} FROM todos WHERE key = $1`,
  insert: INSERT,
  insertWithKey: `INSERT INTO todos (key, name, "desc", status, owner, href, avatar, call_no, progress, disabled, "order", created_at, updated_at)
    OVERRIDING SYSTEM VALUE SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::smallint[], $5::text[], $6::text[], $7::text[],
    $8::float8[], $9::float8[], $10::boolean[], $11::bigint[], $12::timestamptz[], $13::timestamptz[])`,
  remove: 'DELETE FROM todos WHERE key = ANY($1::bigint[]) RETURNING key',
  removeAll: 'TRUNCATE todos',
  user: 'SELECT data FROM profile',
  setUser: 'INSERT INTO profile (data) VALUES ($1) ON CONFLICT (id) DO UPDATE SET data = EXCLUDED.data',
  /** Highest key handed out, whether or not its todo still exists; 0 before the first. */
  lastKey: "SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS last_key FROM todos_key_seq",
  /** Moves the key sequence up to `$1` (never back): the next key is above it. */
  moveKeys: "SELECT setval('todos_key_seq', greatest($1::bigint, (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM todos_key_seq)))",
  count: 'SELECT count(*) AS n FROM todos',
  allTodos: `SELECT ${COLUMNS} FROM todos ORDER BY key`,
};

/** Columns by field, for updates. */
const COLUMN_OF: Record<keyof TodoPatch, string> = {
  name: 'name',
  desc: '"desc"',
  status: 'status',
  owner: 'owner',
  href: 'href',
  avatar: 'avatar',
  callNo: 'call_no',
  progress: 'progress',
  disabled: 'disabled',
  order: '"order"',
  updatedAt: 'updated_at',
};

/** Sort expressions by field, with the collation that makes names sort as in the memory store. */
const ORDER_OF: Record<SortField, (table: string) => string> = {
  key: (t) => `${t}.key`,
  name: (t) => `${t}.name COLLATE todo_name_order`,
  status: (t) => `${t}.status`,
  callNo: (t) => `${t}.call_no`,
  progress: (t) => `${t}.progress`,
  createdAt: (t) => `${t}.created_at`,
  updatedAt: (t) => `${t}.updated_at`,
};

/** `text` as a LIKE pattern matching itself anywhere: its %, _ and \ taken literally. */
const containing = (text: string) => `%${text.replace(/[\\%_]/g, '\\$&')}%`;

/**
 * One round trip for a page and its total, from one snapshot. Lower-casing: the memory store
 * lower-cases with JavaScript, so the text sent is lower-cased here the same way, and the stored
 * text by ICU's root locale, which agrees with it.
 */
function listSql(query: ListQuery): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const where: string[] = [];
  if (query.name) where.push(`lower(name COLLATE todo_case_fold) LIKE $${values.push(containing(query.name.toLowerCase()))}`);
  if (query.desc) where.push(`lower("desc" COLLATE todo_case_fold) LIKE $${values.push(containing(query.desc.toLowerCase()))}`);
  if (query.status?.length) where.push(`status = ANY($${values.push(query.status)}::smallint[])`);
  const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  // Ties on the field are broken by key, in the same direction, as the memory store does.
  const { field, order } = query.sort ?? { field: 'key', order: 'descend' };
  const direction = order === 'ascend' ? 'ASC' : 'DESC';
  const orderBy = (t: string, sortKey = ORDER_OF[field](t)) => `ORDER BY ${sortKey} ${direction}, ${t}.key ${direction}`;
  const limit = `LIMIT $${values.push(query.pageSize)} OFFSET $${values.push((query.current - 1) * query.pageSize)}`;
  const page = (total: string, rows: string) => `SELECT c.total, p.* FROM (${total}) c LEFT JOIN LATERAL (${rows}) p ON true ${orderBy('p')}`;
  if (query.name || query.desc) {
    // A substring search is answered by the trigram index with a recheck of every candidate row:
    // done once, its matches (key and sort value) counted and paged, not searched twice.
    const matches = `WITH m AS MATERIALIZED (SELECT t.key, ${ORDER_OF[field]('t')} AS sort_key FROM todos t ${filter})`;
    return { text: `${matches} ${page('SELECT count(*) AS total FROM m', `SELECT t.* FROM (SELECT key FROM m ${orderBy('m', 'm.sort_key')} ${limit}) k JOIN todos t ON t.key = k.key`)}`, values };
  }
  // Otherwise the page is read in index order, and the total is the kept row count or an index count.
  const total = filter ? `SELECT count(*) AS total FROM todos ${filter}` : 'SELECT sum(n) AS total FROM todo_counts';
  return { text: page(total, `SELECT ${COLUMNS} FROM todos t ${filter} ${orderBy('t')} ${limit}`), values };
}

/** A partial update: only the columns given, in one statement, so concurrent updates of other fields survive. */
function updateSql(key: number, patch: TodoPatch): { text: string; values: unknown[] } {
  const values: unknown[] = [key];
  const sets = (Object.keys(COLUMN_OF) as (keyof TodoPatch)[])
    .filter((field) => patch[field] !== undefined)
    .map((field) => `${COLUMN_OF[field]} = $${values.push(patch[field])}`);
  return { text: `UPDATE todos SET ${sets.join(', ')} WHERE key = $1 RETURNING ${COLUMNS}`, values };
}

// --- rows and errors ---------------------------------------------------------------------------

interface TodoRow {
  key: string;
  name: string;
  desc: string;
  status: number;
  owner: string;
  href: string;
  avatar: string;
  call_no: number;
  progress: number;
  disabled: boolean;
  /** bigint, which node-postgres hands over as text; NULL when never set. */
  order: string | null;
  created_at: Date;
  updated_at: Date;
}

/** A row as the frozen record every store answers, its fields in the one order. */
function toTodo(row: TodoRow): Todo {
  return Object.freeze({
    key: Number(row.key),
    name: row.name,
    desc: row.desc,
    status: row.status as Todo['status'],
    owner: row.owner,
    href: row.href,
    avatar: row.avatar,
    callNo: row.call_no,
    progress: row.progress,
    disabled: row.disabled,
    order: row.order === null ? undefined : Number(row.order),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  });
}

const draftValues = (draft: TodoDraft) => [
  draft.name,
  draft.desc,
  draft.status,
  draft.owner,
  draft.href,
  draft.avatar,
  draft.callNo,
  draft.progress,
  draft.disabled,
  draft.order ?? null,
  draft.createdAt,
  draft.updatedAt,
];

// SQLSTATE classes and codes that mean "the database is not there right now", not "this request is wrong":
// connection exceptions (08), shutting down or starting up (57P01-57P03), too many connections (53300),
// a statement cut off by the statement timeout (57014), and a server out of resources (53).
const UNAVAILABLE_STATES = /^(08|53|57P0[1-3]|57014)/;
const UNAVAILABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);

/** True for errors of an absent, starting, stopping or overloaded database, which a retry later can fix. */
export function isUnavailable(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  if (typeof code === 'string' && (UNAVAILABLE_STATES.test(code) || UNAVAILABLE_NODE_CODES.has(code))) return true;
  // node-postgres's own connection errors carry no code.
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(message ?? '');
}

// --- the store ---------------------------------------------------------------------------------

/**
 * Todos in PostgreSQL, shared by every process and instance that opens the same database.
 * Lists are answered by the database (filter, sort, page and total); a write is answered after
 * its commit. While the database is away, every call fails with a 503 DATABASE_UNAVAILABLE
 * error; the pool reconnects on the next call once it is back.
 */
export class PostgresStore implements TodoStore {
  readonly #pool: pg.Pool;
  #schema: Promise<void> | undefined;

  /** Opens nothing yet: the first call (or `migrate()`) connects. */
  constructor(readonly settings: PostgresSettings) {
    this.#pool = new pg.Pool({
      connectionString: libpqUrl(settings.url),
      max: settings.poolSize,
      connectionTimeoutMillis: settings.connectTimeoutMs,
      // Sent when connecting; PgBouncer (RDS's connection pool) refuses that, so 0 leaves it out.
      statement_timeout: settings.statementTimeoutMs || undefined,
      idleTimeoutMillis: 30_000,
      keepAlive: true,
      application_name: 'todolist-backend',
    });
    // An idle connection the server drops (restart, failover) is thrown away by the pool; the
    // error is only reported here, and must be listened to or it would end the process.
    this.#pool.on('error', () => undefined);
  }

  /** A store whose schema is current, or an Error naming host, port and database (never the password). */
  static async open(settings: PostgresSettings): Promise<PostgresStore> {
    const store = new PostgresStore(settings);
    try {
      await store.migrate();
    } catch (error) {
      await store.close();
      throw new Error(`PostgreSQL at ${describeDatabase(settings.url)}: ${(error as Error).message}`, { cause: error });
    }
    return store;
  }

  /**
   * Brings the schema up to date, once per store: one round trip when it already is. Pending
   * migrations run in one transaction under an advisory lock, so instances starting together
   * wait for each other instead of racing. A brand-new database gets the welcome todo, as a new
   * db.json does. A failed attempt is retried by the next call.
   */
  migrate(): Promise<void> {
    this.#schema ??= this.#migrate().catch((error: unknown) => {
      this.#schema = undefined;
      throw error;
    });
    return this.#schema;
  }

  async #migrate(): Promise<void> {
    const latest = MIGRATIONS[MIGRATIONS.length - 1].version;
    try {
      const { rows } = await this.#pool.query(SQL.schemaVersion);
      if (rows[0].version >= latest) return;
    } catch (error) {
      if ((error as { code?: string }).code !== '42P01') throw error; // 42P01: no migrations table yet
    }
    await this.#transaction(async (client) => {
      await client.query(SQL.lock);
      await client.query(SQL.migrationsTable);
      const applied = new Set((await client.query(SQL.appliedVersions)).rows.map((row) => row.version));
      for (const migration of MIGRATIONS) {
        if (applied.has(migration.version)) continue;
        await client.query(migration.sql);
        await client.query(SQL.recordMigration, [migration.version, migration.name]);
      }
      if (applied.size === 0) await this.#load(client, seedDocument());
    });
  }

  async #transaction<T>(work: (client: pg.PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
    const client = await this.#pool.connect();
    try {
      await client.query(begin);
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Runs one statement once the schema is current; an outage becomes a 503. */
  async #query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<R[]> {
    try {
      await this.migrate();
      return (await this.#pool.query<R>(text, values)).rows;
    } catch (error) {
      throw isUnavailable(error) ? unavailable(error) : error;
    }
  }

  async list(query: ListQuery): Promise<Page<Todo>> {
    const { text, values } = listSql(query);
    const rows = await this.#query<TodoRow & { total: string | null }>(text, values);
    return { data: rows.filter((row) => row.key !== null).map(toTodo), total: Number(rows[0]?.total ?? 0) };
  }

  async get(key: number): Promise<Todo | undefined> {
    const [row] = await this.#query<TodoRow>(SQL.get, [key]);
    return row && toTodo(row);
  }

  async create(draft: TodoDraft): Promise<Todo> {
    const [row] = await this.#query<TodoRow>(SQL.insert, draftValues(draft));
    return toTodo(row);
  }

  async update(key: number, patch: TodoPatch): Promise<Todo | undefined> {
    const { text, values } = updateSql(key, patch);
    const [row] = await this.#query<TodoRow>(text, values);
    return row && toTodo(row);
  }

  async remove(keys: number[]): Promise<number[]> {
    const removed = new Set((await this.#query<{ key: string }>(SQL.remove, [keys])).map((row) => Number(row.key)));
    // In the order asked, once each, as the memory store answers.
    return [...new Set(keys)].filter((key) => removed.has(key));
  }

  async currentUser(): Promise<User> {
    const [row] = await this.#query<{ data: User }>(SQL.user);
    return row.data;
  }

  /** One round trip to the database (after the schema is current); a 503 error while it is away. */
  async ready(): Promise<void> {
    await this.#query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }

  // --- moving data in and out (npm run db:import / db:export) ---------------------------------

  /** How many todos the database holds and the highest key it has handed out. */
  async contents(): Promise<{ todos: number; lastKey: number }> {
    const [[count], [last]] = await Promise.all([this.#query<{ n: string }>(SQL.count), this.#query<{ last_key: string }>(SQL.lastKey)]);
    return { todos: Number(count.n), lastKey: Number(last.last_key) };
  }

  /** Replaces every todo and the profile with the document's, keys kept, in one transaction. */
  async replaceWith(document: TodoDocument): Promise<void> {
    await this.migrate();
    await this.#transaction(async (client) => {
      await client.query(SQL.removeAll);
      await this.#load(client, document);
    });
  }

  async #load(client: pg.PoolClient, { todos, user, lastKey }: TodoDocument): Promise<void> {
    // One statement per batch of todos, each column as one array parameter.
    for (let start = 0; start < todos.length; start += LOAD_BATCH) {
      const columns: unknown[][] = Array.from({ length: 13 }, () => []);
      for (const todo of todos.slice(start, start + LOAD_BATCH)) [todo.key, ...draftValues(todo)].forEach((value, i) => columns[i].push(value));
      await client.query(SQL.insertWithKey, columns);
    }
    await client.query(SQL.setUser, [JSON.stringify(user)]);
    const highest = todos.reduce((max, todo) => Math.max(max, todo.key), lastKey);
    if (highest > 0) await client.query(SQL.moveKeys, [highest]);
  }

  /** The whole database as the file store's document, from one snapshot. */
  async toDocument(): Promise<TodoDocument> {
    await this.migrate();
    return this.#transaction(async (client) => {
      const todos = (await client.query<TodoRow>(SQL.allTodos)).rows.map(toTodo);
      const user = (await client.query<{ data: User }>(SQL.user)).rows[0].data;
      const lastKey = Number((await client.query<{ last_key: string }>(SQL.lastKey)).rows[0].last_key);
      return { todos, user, lastKey };
    }, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  }
}

function unavailable(cause: unknown): AppError {
  const error = new AppError(503, 'DATABASE_UNAVAILABLE', 'The database is not available right now; try again shortly');
  error.cause = cause;
  return error;
}

import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PostgresStore, type PostgresSettings } from '../../src/stores/postgres-store';

/**
 * The PostgreSQL server the tests use: TEST_DATABASE_URL (set by test/postgres/global-setup.ts,
 * which starts a throwaway server when nothing answers at 127.0.0.1:5432), a database to connect
 * to for creating others.
 */
export function serverUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: run the tests with jest, whose global setup sets it');
  return url;
}

/** `url` with another database name. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function admin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A new, empty database with a unique name on the test server (or on `server`); answers its URL. */
export async function createDatabase(server = serverUrl()): Promise<string> {
  const name = `todolist_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin(server, (client) => client.query(`CREATE DATABASE ${name}`));
  return withDatabase(server, name);
}

export async function dropDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  await admin(withDatabase(url, 'postgres'), (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/**
 * A database of this test file's own, created before its tests and dropped after them.
 * Call at the top level of a test file; `url()` answers it inside tests and hooks.
 */
export function databasePerFile(): { url: () => string } {
  let url: string | undefined;
  beforeAll(async () => {
    url = await createDatabase();
  });
  afterAll(async () => {
    if (url) await dropDatabase(url);
  });
  return {
    url: () => {
      if (!url) throw new Error('the test database is made in beforeAll: use url() inside tests and hooks');
      return url;
    },
  };
}

/** Removes every table, so the next store opened on `url` starts as on a new database (welcome todo and all). */
export async function emptyDatabase(url: string): Promise<void> {
  await admin(url, (client) => client.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public'));
}

/** Store settings for `url` with the defaults the server uses. */
export function settingsFor(url: string, overrides: Partial<PostgresSettings> = {}): PostgresSettings {
  return { url, poolSize: 5, connectTimeoutMs: 5000, statementTimeoutMs: 5000, ...overrides };
}

/** A store on a database emptied first: the same start as a new memory store or a new db.json. */
export async function freshPostgresStore(url: string): Promise<PostgresStore> {
  await emptyDatabase(url);
  return PostgresStore.open(settingsFor(url));
}

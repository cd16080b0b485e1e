import pg from 'pg';
import { startThrowawayCluster, type ThrowawayCluster } from './cluster';

/**
 * Jest's global setup: make sure a PostgreSQL server answers for the tests. TEST_DATABASE_URL if
 * given, else the dev and CI machines' server at 127.0.0.1:5432; when neither answers (a fresh
 * machine with PostgreSQL installed but not running), a throwaway server for this run.
 * PostgreSQL tests never skip: without any server, setup fails and says why.
 */
const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export default async function globalSetup(): Promise<void> {
  const url = process.env.TEST_DATABASE_URL ?? DEFAULT_URL;
  if (await answers(url)) {
    process.env.TEST_DATABASE_URL = url;
    return;
  }
  let cluster: ThrowawayCluster;
  try {
    cluster = await startThrowawayCluster();
  } catch (error) {
    throw new Error(`No PostgreSQL answers at ${url} and a throwaway one could not be started: ${(error as Error).message}`, { cause: error });
  }
  process.stdout.write(`\nNo PostgreSQL at ${url}: the tests use a throwaway server at ${cluster.url}\n`);
  process.env.TEST_DATABASE_URL = cluster.url;
  (globalThis as { throwawayCluster?: ThrowawayCluster }).throwawayCluster = cluster;
}

import './platforms/node12/object-has-own';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadDatabaseSettings, parseCorsOrigin } from './config';
import { createApp } from './http/app';
import { fcHttpHandler, type FcContext } from './platforms/fc2';
import { MemoryStore } from './stores/memory-store';
import { isUnavailable, PostgresStore } from './stores/postgres-store';

/**
 * The Function Compute 2.0 entry (`index.handler`). Built once per instance, at load, and reused by
 * every invocation that instance serves. FC's disk is read-only, so todos live in memory (lost
 * with the instance, one set per instance) or, with STORE=postgres, in one database every
 * instance shares.
 */

const storeName = process.env.STORE || 'memory';
// The file store needs a writable disk, which FC does not have.
if (storeName !== 'memory' && storeName !== 'postgres') {
  throw new Error(`STORE=${storeName}: on Function Compute the store is "memory" or "postgres"`);
}

// Synchronous writes: FC may freeze the instance right after the answer, before a buffer flushes.
const logger = pino({ level: process.env.LOG_LEVEL || 'info' }, pino.destination({ dest: 1, sync: true }));

// A PostgreSQL store connects on first use: the initializer below, or else the first request.
const store = storeName === 'postgres' ? new PostgresStore(loadDatabaseSettings(process.env)) : new MemoryStore();

// The bundle sits in the package root, next to the copied web frontend.
// Every request reaches the function through FC's front end, so X-Forwarded-Proto/Host, as FC
// passes them on, are believed.
const app = createApp({
  store,
  staticDir: join(__dirname, 'public'),
  logger,
  corsOrigin: parseCorsOrigin(process.env.CORS_ORIGIN ?? '*'),
  trustProxy: true,
});

export const handler = fcHttpHandler(app);

type Callback = (error: Error | null, result?: string) => void;

/**
 * template.yml's `Initializer`: FC runs it once per instance, before the first request. It opens
 * the first connection and checks the schema (applying migrations if the database is behind).
 * A database that is away does not fail the instance: requests answer 503 and retry on their own.
 */
export function initializer(_context: FcContext, callback: Callback): void {
  if (!(store instanceof PostgresStore)) return callback(null, '');
  store.migrate().then(
    () => callback(null, ''),
    (error: Error) => {
      if (!isUnavailable(error)) return callback(error);
      logger.warn({ err: error }, 'the database is not available yet; requests will answer 503 until it is');
      callback(null, '');
    },
  );
}

/** template.yml's `InstanceLifecycleConfig.PreStop`: FC runs it before it recycles the instance. */
export function preStop(_context: FcContext, callback: Callback): void {
  store.close().then(() => callback(null, ''), callback);
}

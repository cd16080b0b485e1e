import './platforms/node12/object-has-own';
import { join } from 'node:path';
import { pino } from 'pino';
import { parseCorsOrigin } from './config';
import { createApp } from './http/app';
import { fcHttpHandler } from './platforms/fc2';
import { MemoryStore } from './stores/memory-store';

/**
 * The Function Compute 2.0 entry (`index.handler`). Built once per instance, at load, and reused by
 * every invocation that instance serves. FC's disk is read-only, so todos live in memory.
 */

// The file store needs a writable disk, which FC does not have; a database store would plug in here.
if ((process.env.STORE || 'memory') !== 'memory') {
  throw new Error(`STORE=${process.env.STORE}: on Function Compute only the "memory" store is available`);
}

// Synchronous writes: FC may freeze the instance right after the answer, before a buffer flushes.
const logger = pino({ level: process.env.LOG_LEVEL || 'info' }, pino.destination({ dest: 1, sync: true }));

// The bundle sits in the package root, next to the copied web frontend.
// Every request reaches the function through FC's front end (fc-express hands it over on a local
// socket that has no address), so X-Forwarded-Proto/Host, as FC passes them on, are believed.
const app = createApp({
  store: new MemoryStore(),
  staticDir: join(__dirname, 'public'),
  docsDir: join(__dirname, 'api-docs'),
  logger,
  corsOrigin: parseCorsOrigin(process.env.CORS_ORIGIN ?? '*'),
  trustProxy: true,
});

export const handler = fcHttpHandler(app);

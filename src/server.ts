import cluster from 'node:cluster';
import type { Server } from 'node:http';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pino } from 'pino';
import { loadConfig, helpText, parseCommandLine, UsageError, type Config, type Flags } from './config';
import { createApp } from './http/app';
import { createHttpServer, maxConnectionsFor } from './http/node-server';
import { FileStore } from './stores/file-store';
import { MemoryStore } from './stores/memory-store';
import { describeDatabase, PostgresStore } from './stores/postgres-store';
import type { TodoStore } from './domain/store';
import { runWorkers } from './workers';

/**
 * The local entry point: read the environment, open the store, listen, and shut down cleanly.
 * With WORKERS > 1 this process becomes the cluster primary (workers.ts) and each worker it forks
 * runs this same file as a server.
 */

/**
 * JSON lines for machines (files, FC, CI); on a terminal, one short human line per request, by
 * pino-pretty in this process (no worker thread), loaded only then. Only this entry point knows
 * pino-pretty: the FC 2.0 bundle (src/fc.ts) always writes JSON.
 */
async function createLogger({ logLevel, logFormat }: Config): Promise<pino.Logger> {
  const pretty = logFormat === 'pretty' || (logFormat === 'auto' && process.stdout.isTTY === true);
  if (!pretty) return pino({ level: logLevel });
  const { default: PinoPretty } = await import('pino-pretty');
  const lines = PinoPretty({
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,reqId,req,res,responseTime',
    singleLine: true,
    colorize: process.stdout.isTTY === true,
    sync: true, // the last lines before process.exit() are not lost
  });
  return pino({ level: logLevel }, lines);
}

async function openStore(config: Config, logger: pino.Logger): Promise<TodoStore> {
  if (config.store === 'postgres') return PostgresStore.open(config.database!);
  return config.store === 'memory' ? new MemoryStore() : FileStore.open(config.dbFile, { logger });
}

function whereTodosLive(config: Config): string {
  if (config.store === 'postgres') return `PostgreSQL at ${describeDatabase(config.database!.url)}`;
  return config.store === 'file' ? config.dbFile : 'memory (lost on exit)';
}

function shutDownOn(server: Server, store: TodoStore, logger: pino.Logger): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: finishing in-flight requests');
    // Idle keep-alive sockets are closed by server.close(); give busy ones a bounded grace period.
    const force = setTimeout(() => server.closeAllConnections(), 10_000).unref();
    await new Promise((done) => server.close(done));
    clearTimeout(force);
    try {
      await store.close();
    } catch (error) {
      logger.error({ err: error }, 'stopped, but the last writes could not be saved');
      process.exit(1);
    }
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

async function main(): Promise<void> {
  let help: boolean;
  let flags: Flags;
  try {
    ({ help, flags } = parseCommandLine(process.argv.slice(2)));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n\n${helpText()}`);
    process.exit(2);
  }
  if (help) {
    process.stdout.write(helpText());
    return;
  }
  let config: Config;
  let logger: pino.Logger;
  let store: TodoStore;
  try {
    config = loadConfig(process.env, flags);
    logger = await createLogger(config);
    if (config.workers > 1 && cluster.isPrimary) return runWorkers(config.workers, logger);
    store = await openStore(config, logger);
  } catch (error) {
    process.stderr.write(`Cannot start: ${(error as Error).message}\n`);
    process.exit(1);
  }
  const { staticDir, corsOrigin, trustProxy } = config;
  // The build puts the docs page's files beside the bundle that runs (dist/, dist/fc3/); `npm run dev`
  // runs src/server.ts and finds them in dist/ after a build.
  const docsDir = [join(dirname(process.argv[1]), 'api-docs'), resolve('dist/api-docs')].find((dir) => existsSync(dir));
  const app = createApp({ store, staticDir, logger, corsOrigin, trustProxy, docsDir });
  const server = createHttpServer(app, config, logger).listen(config.port, () => {
    const maxConnections = maxConnectionsFor(config.maxConnections);
    logger.info({ port: config.port, store: config.store, maxConnections }, `listening on http://localhost:${config.port}, todos in ${whereTodosLive(config)}`);
  });
  server.on('error', (error: NodeJS.ErrnoException) => {
    process.stderr.write(`Cannot start: ${error.code === 'EADDRINUSE' ? `port ${config.port} is already in use` : error.message}\n`);
    process.exit(1);
  });
  shutDownOn(server, store, logger);
}

void main();

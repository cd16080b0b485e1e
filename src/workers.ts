import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';

/** A worker that ran this long before dying was serving: its replacement starts at once. */
const STEADY_MS = 10_000;
/** Replacements for workers that died younger, one after another, wait 0.1 s, 0.2 s, ... 30 s. */
const FIRST_DELAY_MS = 100;
const MAX_DELAY_MS = 30_000;
/** A quiet spell this long after a death ends the run of quick deaths. */
const QUIET_MS = STEADY_MS + MAX_DELAY_MS;
/** A worker drains for up to 10 s (server.ts); the primary waits a little longer, then kills. */
const DRAIN_MS = 15_000;

/**
 * The cluster primary for WORKERS > 1. It forks `count` workers, each running the whole server
 * (they share the port through node:cluster and the data through the store), and serves no
 * request itself.
 * - A worker that dies is replaced, after a back-off when deaths come quickly, so a worker that
 *   cannot start (say, the database is away) never turns into a tight crash loop.
 * - If a worker dies before any has ever listened, the setup itself is wrong (the worker has
 *   printed why): stop them all and exit 1, as a single process would.
 * - SIGTERM/SIGINT go to every worker, which finishes its in-flight requests and exits; the
 *   primary exits 0 once all have.
 */
export function runWorkers(count: number, logger: Logger): void {
  /** The live workers and when each was forked. */
  const live = new Map<Worker, number>();
  const restarts = new Set<NodeJS.Timeout>();
  let listened = false;
  let quickDeaths = 0;
  let lastDeathAt = 0;
  let stopping = false;
  let failed = false;

  const fork = () => live.set(cluster.fork(), Date.now());

  cluster.on('listening', () => (listened = true));

  cluster.on('exit', (worker, code, signal) => {
    const lived = Date.now() - live.get(worker)!;
    live.delete(worker);
    const pid = worker.process.pid;
    const how = signal ? `signal ${signal}` : `exit code ${code}`;
    if (stopping) {
      if (code !== 0 && signal !== 'SIGTERM' && signal !== 'SIGINT') {
        failed = true;
        logger.error({ worker: pid, code, signal }, `worker ${pid} ended with ${how} while stopping`);
      }
      if (live.size === 0) finish();
      return;
    }
    if (!listened) {
      logger.fatal({ worker: pid, code, signal }, `worker ${pid} could not start (${how}); stopping`);
      failed = true;
      return stop();
    }
    const now = Date.now();
    quickDeaths = lived >= STEADY_MS || now - lastDeathAt >= QUIET_MS ? 0 : quickDeaths + 1;
    lastDeathAt = now;
    const delay = quickDeaths === 0 ? 0 : Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** (quickDeaths - 1));
    logger.error({ worker: pid, code, signal, restartInMs: delay }, `worker ${pid} died (${how}); starting another in ${delay} ms`);
    const timer = setTimeout(() => {
      restarts.delete(timer);
      fork();
    }, delay);
    restarts.add(timer);
  });

  function stop() {
    if (stopping) return;
    stopping = true;
    for (const timer of restarts) clearTimeout(timer);
    if (live.size === 0) return finish();
    for (const worker of live.keys()) worker.process.kill('SIGTERM');
    setTimeout(() => {
      logger.error(`workers still running after ${DRAIN_MS / 1000} s; killing them`);
      failed = true;
      for (const worker of live.keys()) worker.process.kill('SIGKILL');
    }, DRAIN_MS).unref();
  }

  function finish() {
    logger.info(failed ? 'stopped, with errors' : 'stopped');
    process.exit(failed ? 1 : 0);
  }

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (!stopping) logger.info({ signal }, 'stopping: every worker finishes its in-flight requests');
      stop();
    });
  }
  logger.info({ workers: count }, `starting ${count} workers`);
  for (let i = 0; i < count; i++) fork();
}

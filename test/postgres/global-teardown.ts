import type { ThrowawayCluster } from './cluster';

/** Stops the throwaway PostgreSQL server global setup started, if it started one. */
export default async function globalTeardown(): Promise<void> {
  (globalThis as { throwawayCluster?: ThrowawayCluster }).throwawayCluster?.destroy();
}

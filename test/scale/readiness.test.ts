import { startThrowawayCluster, type ThrowawayCluster } from '../postgres/cluster';
import { createDatabase } from '../postgres/database';
import { startServer } from '../server-process';
import { waitFor } from '../helpers';
import { send } from './http';

// A PostgreSQL server of this file's own, stopped and started under a running app: never the
// shared one at 127.0.0.1:5432, which other tests use.
let cluster: ThrowawayCluster;
beforeAll(async () => {
  cluster = await startThrowawayCluster();
}, 60_000);
afterAll(() => cluster?.destroy());

it('/readyz answers 503 while the database is away and 200 once it is back; /healthz 200 throughout', async () => {
  const url = await createDatabase(cluster.url);
  const server = await startServer({ STORE: 'postgres', DATABASE_URL: url, DB_CONNECT_TIMEOUT_MS: '2000', LOG_LEVEL: 'warn' });
  try {
    expect(await send(`${server.url}/readyz`)).toEqual({ status: 200, body: { success: true, status: 'ready' } });

    cluster.stop();
    const away = await send(`${server.url}/readyz`);
    expect(away).toEqual({ status: 503, body: { success: false, errorCode: 'DATABASE_UNAVAILABLE', errorMessage: expect.any(String), traceId: expect.any(String) } });
    expect(away.body.errorMessage).not.toMatch(/postgres:\/\//);
    expect((await send(`${server.url}/healthz`)).status).toBe(200); // the process is fine: do not restart it

    cluster.start();
    await waitFor(async () => (await send(`${server.url}/readyz`)).status === 200);
    expect(server.child.exitCode).toBeNull();
  } finally {
    await server.stop();
  }
}, 60_000);

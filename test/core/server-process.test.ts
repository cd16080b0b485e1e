import { startServer } from '../server-process';

// The helper that starts the built server for the other tests. Parallel jest workers (and other
// checkouts on a shared machine) start servers too: one of theirs may take the port this helper
// picked before its own server listens there.

it('never hands back a server it did not start, even one answering on its port', async () => {
  const other = await startServer({ STORE: 'memory', LOG_LEVEL: 'warn' });
  try {
    const port = new URL(other.url).port;
    // Our child cannot listen where `other` does; the answers there are `other`'s, not its.
    await expect(startServer({ STORE: 'memory', LOG_LEVEL: 'warn', PORT: port })).rejects.toThrow(`port ${port} is already in use`);
  } finally {
    await other.stop();
  }
});

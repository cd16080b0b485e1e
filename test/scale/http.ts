import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { request } from 'node:http';

/**
 * One request on a connection of its own (no keep-alive), as ab and curl send them: with
 * WORKERS, each new connection may go to another worker. Answers status and parsed JSON body.
 */
export function send(url: string, method = 'GET', body?: unknown): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(url, { method, agent: false, headers: payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {} }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk)).on('end', () => resolve({ status: res.statusCode!, body: text ? JSON.parse(text) : undefined }));
    });
    req.setTimeout(10_000, () => req.destroy(new Error(`no answer from ${method} ${url} within 10 s`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** The pids of the processes that answered `count` health checks, each on a new connection. */
export async function answeringPids(url: string, count = 20): Promise<Set<number>> {
  const pids = new Set<number>();
  for (let i = 0; i < count; i++) pids.add((await send(`${url}/healthz`)).body.pid);
  return pids;
}

/** Polls `check` every 50 ms until it answers true, for up to `ms`. */
export async function waitFor(check: () => Promise<boolean> | boolean, ms = 15_000): Promise<void> {
  for (const deadline = Date.now() + ms; !(await check()); ) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${check}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * How many established TCP connections to local `port` process `pid` holds (Linux /proc). With
 * WORKERS, the primary accepts a connection and then hands it to a worker: this tells when it has.
 */
export function connectionsHeldBy(pid: number, port: number): number {
  const established = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').trim().split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const localPort = parseInt(fields[1].split(':')[1], 16);
      if (localPort === port && fields[3] === '01') established.add(fields[9]); // 01: ESTABLISHED; [9]: inode
    }
  }
  let held = 0;
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    const target = readlinkSync(`/proc/${pid}/fd/${fd}`, { encoding: 'utf8' }) as string;
    if (established.has(/^socket:\[(\d+)\]$/.exec(target)?.[1] ?? '')) held++;
  }
  return held;
}

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

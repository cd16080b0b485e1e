import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The package `npm run build` makes for template.yml's CodeUri. */
export const FC_PACKAGE = resolve(__dirname, '../../dist/fc');

/** Node 12.22 from the npm registry (scripts/node12.mjs), fetched on first use. */
export function node12(): string {
  return execFileSync(process.execPath, [resolve(__dirname, '../../scripts/node12.mjs')], { encoding: 'utf8' }).trim();
}

/** Copies the package alone into a fresh folder, so nothing outside it can be picked up. */
export function copyPackage(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'fc-code-')), 'code');
  cpSync(FC_PACKAGE, dir, { recursive: true });
  return dir;
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
  json: () => any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** One warm FC instance (test/fc/fc2-runtime.js under Node 12) serving the package in `codeDir`. */
export class FcInstance {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    private readonly output: { stdout: string },
  ) {}

  static async start(node: string, codeDir: string, env: Record<string, string> = {}): Promise<FcInstance> {
    const child = spawn(node, [join(__dirname, 'fc2-runtime.js'), codeDir], {
      cwd: codeDir,
      // FC's runtime has no NODE_PATH or node_modules around the code: neither do we.
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output = { stdout: '' };
    child.stdout!.on('data', (chunk) => (output.stdout += chunk));
    const port = await new Promise<number>((ready, fail) => {
      let stderr = '';
      child.stderr!.on('data', (chunk) => {
        stderr += chunk;
        const found = /listening (\d+)/.exec(stderr);
        if (found) ready(Number(found[1]));
      });
      child.on('exit', (code) => fail(new Error(`FC runtime exited with ${code} before listening:\n${stderr}`)));
    });
    return new FcInstance(child, port, output);
  }

  /** Everything the function wrote to stdout so far (its logs). */
  get logs(): string {
    return this.output.stdout;
  }

  /** The first log line containing `text`; the function's stdout may trail its HTTP answer. */
  async logLine(text: string, timeoutMs = 5000): Promise<string | undefined> {
    for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((tick) => setTimeout(tick, 20))) {
      const line = this.logs.split('\n').find((entry) => entry.includes(text));
      if (line) return line;
    }
    return undefined;
  }

  call(method: string, path: string, options: { body?: string | Buffer | object; headers?: Record<string, string> } = {}): Promise<Answer> {
    const headers: Record<string, string> = { ...options.headers };
    let body: Buffer | undefined;
    if (options.body !== undefined) {
      const isRaw = typeof options.body === 'string' || Buffer.isBuffer(options.body);
      body = isRaw ? Buffer.from(options.body as string | Buffer) : Buffer.from(JSON.stringify(options.body));
      if (!isRaw) headers['content-type'] ??= 'application/json';
      headers['content-length'] = String(body.length);
    }
    return new Promise((done, fail) => {
      const req = request({ host: '127.0.0.1', port: this.port, method, path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const all = Buffer.concat(chunks);
          const text = all.toString('utf8');
          done({ status: res.statusCode!, headers: res.headers, body: all, text, json: () => JSON.parse(text) });
        });
      });
      req.on('error', fail);
      req.end(body);
    });
  }

  /** Ends the instance, as FC throws one away. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise((done) => this.child.once('exit', done));
      this.child.kill();
      await exited;
    }
  }
}

export function removePackage(codeDir: string): void {
  rmSync(resolve(codeDir, '..'), { recursive: true, force: true });
}

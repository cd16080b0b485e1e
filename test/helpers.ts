import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh temp folder, removed after the test file finishes. */
export function tempDir(prefix = 'todolist-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

let counter = 0;
/** A path for a db.json that does not exist yet, inside a temp folder. */
export function freshDbPath(dir: string): string {
  return join(dir, `db-${process.pid}-${++counter}.json`);
}

/** Polls `check` every 50 ms until it answers true, for up to `ms`. */
export async function waitFor(check: () => Promise<boolean> | boolean, ms = 15_000): Promise<void> {
  for (const deadline = Date.now() + ms; !(await check()); ) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${check}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

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

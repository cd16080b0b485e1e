import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';

// Real odd disks for the file store's tests. The tests run as root, which file permissions do not
// stop, so these use what stops root too: read-only mounts, small file systems, immutable files.
// They need root (CI and the dev VM run the suite as root); each returns its undo.

const run = (command: string, ...args: string[]) => void execFileSync(command, args, { stdio: 'pipe' });

/** `source` seen read-only at `at` (a read-only bind mount): no new files, no changes, even for root. */
export function readOnlyView(source: string, at: string): () => void {
  mkdirSync(at, { recursive: true });
  run('mount', '--bind', source, at);
  try {
    run('mount', '-o', 'remount,bind,ro', at);
  } catch (error) {
    run('umount', at);
    throw error;
  }
  return () => run('umount', at);
}

/** A file system of `size` (tmpfs) at `at`, to fill up. */
export function smallDisk(at: string, size: string): () => void {
  mkdirSync(at, { recursive: true });
  run('mount', '-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', at);
  return () => run('umount', at);
}

/** Makes `path` immutable (chattr +i): not even root may change, replace or delete it. */
export function immutable(path: string): () => void {
  run('chattr', '+i', path);
  return () => run('chattr', '-i', path);
}

/** Appends to `path` until its disk is full. */
export function fillDisk(path: string): void {
  const fd = openSync(path, 'a');
  const block = Buffer.alloc(4096, 'x');
  try {
    for (;;) writeSync(fd, block);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
}

import { open, readFile, rename } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Adapter } from 'lowdb';

/**
 * A lowdb adapter that writes a JSON file atomically and durably: the whole document goes to a
 * temp file, is fsynced, then renamed over the target, and the directory is fsynced. A crash at
 * any point leaves either the old file or the new one, never a torn one. (lowdb's own JSONFile
 * renames atomically but never fsyncs, and stringifies once per caller instead of once per write.)
 */
export class DurableJsonFile<T> implements Adapter<T> {
  readonly #path: string;
  readonly #tempPath: string;

  constructor(path: string) {
    this.#path = path;
    this.#tempPath = join(dirname(path), `.${basename(path)}.tmp`);
  }

  async read(): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(this.#path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      throw new Error(`${this.#path} is not valid JSON (${(error as Error).message})`, { cause: error });
    }
  }

  /** Serialises synchronously, before the first await: the document is snapshotted at the call. */
  async write(data: T): Promise<void> {
    const text = JSON.stringify(data);
    const file = await open(this.#tempPath, 'w');
    try {
      await file.writeFile(text, 'utf8');
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(this.#tempPath, this.#path);
    const directory = await open(dirname(this.#path), 'r');
    try {
      await directory.sync();
    } finally {
      await directory.close();
    }
  }
}

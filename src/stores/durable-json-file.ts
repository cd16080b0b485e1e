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
  readonly #serialise: (data: T) => Uint8Array[];

  /** `serialise` answers the UTF-8 bytes of `data` as JSON, in chunks; JSON.stringify by default. */
  constructor(path: string, serialise: (data: T) => Uint8Array[] = (data) => [Buffer.from(JSON.stringify(data))]) {
    this.#path = path;
    this.#serialise = serialise;
    this.#tempPath = join(dirname(path), `.${basename(path)}.tmp`);
  }

  async read(): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(this.#path, 'utf8');
    } catch (error) {
      const { code } = error as NodeJS.ErrnoException;
      if (code === 'ENOENT') return null;
      throw Object.assign(new Error(`cannot read ${this.#path}: ${code ?? (error as Error).message}`, { cause: error }), { code });
    }
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      throw new Error(`${this.#path} is not valid JSON (${(error as Error).message})`, { cause: error });
    }
  }

  /**
   * Serialises synchronously, before the first await: the document is snapshotted at the call.
   * A failure names the file the user chose, not the temp file, and keeps the system's code.
   */
  async write(data: T): Promise<void> {
    const chunks = this.#serialise(data);
    try {
      await this.#replace(chunks);
    } catch (error) {
      const { code } = error as NodeJS.ErrnoException;
      throw Object.assign(new Error(`cannot write ${this.#path}: ${code ?? (error as Error).message}`, { cause: error }), { code });
    }
  }

  async #replace(chunks: Uint8Array[]): Promise<void> {
    const size = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    const file = await open(this.#tempPath, 'w');
    try {
      const { bytesWritten } = await file.writev(chunks);
      if (bytesWritten !== size) throw new Error(`short write, ${bytesWritten} of ${size} bytes`);
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

import { constants } from 'node:fs';
import { access, open, readFile, readlink, realpath, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Adapter } from 'lowdb';

/**
 * A lowdb adapter that writes a JSON file atomically and durably: the whole document goes to a
 * temp file, is fsynced, then renamed over the target, and the directory is fsynced. A crash at
 * any point leaves either the old file or the new one, never a torn one. (lowdb's own JSONFile
 * renames atomically but never fsyncs, and stringifies once per caller instead of once per write.)
 */
export class DurableJsonFile<T> implements Adapter<T> {
  /** The path as configured, for messages. */
  readonly #path: string;
  /** The file writes replace: #path with every symlink followed, so a link stays a link. */
  readonly #target: string;
  /** Beside the target, so the rename stays within one file system. */
  readonly #tempPath: string;
  readonly #serialise: (data: T) => Uint8Array[];

  private constructor(path: string, target: string, serialise: (data: T) => Uint8Array[]) {
    this.#path = path;
    this.#target = target;
    this.#serialise = serialise;
    this.#tempPath = join(dirname(target), `.${basename(target)}.tmp`);
  }

  /**
   * The file at `path`, with its symlinks followed (writes go to the target).
   * `serialise` answers the UTF-8 bytes of `data` as JSON, in chunks; JSON.stringify by default.
   */
  static async open<T>(path: string, serialise: (data: T) => Uint8Array[] = (data) => [Buffer.from(JSON.stringify(data))]): Promise<DurableJsonFile<T>> {
    return new DurableJsonFile(path, await linkTarget(path), serialise);
  }

  /**
   * Throws an Error naming the file when a write could not work: its folder or the file itself
   * cannot be written (a read-only disk, an immutable file, missing permissions). Checked at start,
   * rather than failing every write later. It does what a write does, without changing anything:
   * makes a file beside the target, and asks whether the target may be replaced.
   */
  async assertWritable(): Promise<void> {
    try {
      await (await open(this.#tempPath, 'w')).close();
      await unlink(this.#tempPath);
      // access() also sees what root's permissions do not override: a read-only mount, an immutable file.
      await access(this.#target, constants.W_OK).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
    } catch (error) {
      const link = this.#target === this.#path ? '' : ` (a link to ${this.#target})`;
      // "EROFS: read-only file system, open '…'": the code and its meaning, without the temp file's name.
      throw new Error(`${this.#path}${link} cannot be written (${(error as Error).message.split(',')[0]})`, { cause: error });
    }
  }

  async read(): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(this.#target, 'utf8');
    } catch (error) {
      const { code } = error as NodeJS.ErrnoException;
      if (code === 'ENOENT') return null;
      throw Object.assign(new Error(`cannot read ${this.#path}: ${code ?? (error as Error).message}`, { cause: error }), { code });
    }
    // Windows editors start a UTF-8 file with a byte-order mark; JSON.parse does not take one.
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
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
    try {
      const file = await open(this.#tempPath, 'w');
      try {
        const { bytesWritten } = await file.writev(chunks);
        // A write cut short is a disk that filled up under it.
        if (bytesWritten !== size) throw Object.assign(new Error(`short write, ${bytesWritten} of ${size} bytes`), { code: 'ENOSPC' });
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(this.#tempPath, this.#target);
    } catch (error) {
      // A half-written temp file would hold on to the space a full disk needs back.
      await unlink(this.#tempPath).catch(() => undefined);
      throw error;
    }
    const directory = await open(dirname(this.#target), 'r');
    try {
      await directory.sync();
    } finally {
      await directory.close();
    }
  }
}

/**
 * Where `path` really is: its symlinks followed, also a dangling one (whose target is the file
 * to create). One file reached through links is one file: one target to write, one lock beside it.
 */
export async function linkTarget(path: string): Promise<string> {
  for (let hops = 0; hops < 40; hops++) {
    try {
      return await realpath(path);
    } catch (error) {
      // Not a missing file but a broken path (ENOTDIR, ELOOP, EACCES): reading it will say so.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return path;
    }
    let link: string;
    try {
      link = await readlink(path);
    } catch {
      // Not a link, just missing: it will be created, in its folder's real location.
      const folder = await realpath(dirname(path)).catch(() => dirname(path));
      return join(folder, basename(path));
    }
    path = resolve(dirname(path), link);
  }
  return path; // a loop of links: reading it will say so (ELOOP)
}

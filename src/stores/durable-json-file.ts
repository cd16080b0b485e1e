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
   * The file at `path`, once it is known that writes to it can work: throws an Error naming it
   * when its folder or the file itself cannot be written (a read-only disk, an immutable file,
   * missing permissions), rather than failing every write later.
   * `serialise` answers the UTF-8 bytes of `data` as JSON, in chunks; JSON.stringify by default.
   */
  static async open<T>(path: string, serialise: (data: T) => Uint8Array[] = (data) => [Buffer.from(JSON.stringify(data))]): Promise<DurableJsonFile<T>> {
    const target = await linkTarget(path);
    const file = new DurableJsonFile(path, target, serialise);
    try {
      await file.#checkWritable();
    } catch (error) {
      const link = target === path ? '' : ` (a link to ${target})`;
      // "EROFS: read-only file system, open '…'": the code and its meaning, without the temp file's name.
      throw new Error(`${path}${link} cannot be written (${(error as Error).message.split(',')[0]})`, { cause: error });
    }
    return file;
  }

  async read(): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(this.#target, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    // Windows editors start a UTF-8 file with a byte-order mark; JSON.parse does not take one.
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      throw new Error(`${this.#path} is not valid JSON (${(error as Error).message})`, { cause: error });
    }
  }

  /** Serialises synchronously, before the first await: the document is snapshotted at the call. */
  async write(data: T): Promise<void> {
    const chunks = this.#serialise(data);
    const size = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    try {
      const file = await open(this.#tempPath, 'w');
      try {
        const { bytesWritten } = await file.writev(chunks);
        // A write cut short is a disk that filled up under it.
        if (bytesWritten !== size) throw Object.assign(new Error(`short write to ${this.#tempPath}: ${bytesWritten} of ${size} bytes`), { code: 'ENOSPC' });
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

  /** What a write does, without changing anything: make a file beside the target, and replace the target. */
  async #checkWritable(): Promise<void> {
    await (await open(this.#tempPath, 'w')).close();
    await unlink(this.#tempPath);
    // access() also sees what root's permissions do not override: a read-only mount, an immutable file.
    await access(this.#target, constants.W_OK).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }
}

/** `path` with its symlinks followed, also a dangling one (whose target is the file to create). */
async function linkTarget(path: string): Promise<string> {
  for (let hops = 0; hops < 40; hops++) {
    try {
      return await realpath(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
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
  throw new Error(`${path}: too many levels of symbolic links`);
}

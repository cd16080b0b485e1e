import type { TodoStore } from '../src/domain/store';
import { FileStore } from '../src/stores/file-store';
import { MemoryStore } from '../src/stores/memory-store';
import { freshDbPath, tempDir } from './helpers';
import { databasePerFile, freshPostgresStore } from './postgres/database';

/**
 * Every store, each opened as a new data set (the welcome todo only): the file store's in a temp
 * folder, PostgreSQL's on a database of the calling test file's own. Call at the top level of a
 * test file, for `describe.each`: the HTTP contract must not depend on where data lives.
 */
export function everyStore(): [name: string, open: () => Promise<TodoStore>][] {
  const dir = tempDir();
  const database = databasePerFile();
  return [
    ['memory store', async () => new MemoryStore()],
    ['file store', () => FileStore.open(freshDbPath(dir))],
    ['postgres store', () => freshPostgresStore(database.url())],
  ];
}

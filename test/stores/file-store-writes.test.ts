import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Todo, TodoDraft } from '../../src/domain/todo';
import { FileStore } from '../../src/stores/file-store';
import { documentSerialiser, seedDocument, type TodoDocument } from '../../src/stores/todo-document';

const draft = (name: string): TodoDraft => ({
  name,
  desc: `说明 ${name} "quoted" \\ \n`,
  status: 1,
  owner: '',
  href: '',
  avatar: '',
  callNo: 0,
  progress: 0,
  disabled: false,
  createdAt: '2024-01-01T00:00:00.000Z',
  updatedAt: '2024-01-01T00:00:00.000Z',
});

describe('documentSerialiser', () => {
  const bytes = (chunks: Uint8Array[]) => Buffer.concat(chunks).toString('utf8');

  it('answers exactly JSON.stringify of the document, also after rows are replaced, added and dropped', () => {
    const serialise = documentSerialiser();
    const row = (key: number, name: string): Todo => Object.freeze({ key, ...draft(name) });
    let document: TodoDocument = { todos: [row(1, 'a'), row(2, 'b'), row(3, 'c')], user: seedDocument().user, lastKey: 3 };
    expect(bytes(serialise(document))).toBe(JSON.stringify(document));

    document = { ...document, todos: [document.todos[0], row(2, 'b changed'), row(4, '新')], lastKey: 4 };
    expect(bytes(serialise(document))).toBe(JSON.stringify(document));

    document = { ...document, todos: [document.todos[2]] };
    expect(bytes(serialise(document))).toBe(JSON.stringify(document));

    document = { ...document, todos: [] };
    expect(bytes(serialise(document))).toBe(JSON.stringify(document));
  });

  it('stays exact over many blocks of rows as rows are replaced, deleted from the middle and appended', () => {
    const serialise = documentSerialiser();
    const row = (key: number, name: string): Todo => Object.freeze({ key, ...draft(name) });
    let todos = Array.from({ length: 300 }, (_, i) => row(i + 1, `row ${i + 1}`));
    const check = () => {
      const document: TodoDocument = { todos, user: seedDocument().user, lastKey: 400 };
      expect(bytes(serialise(document))).toBe(JSON.stringify(document));
    };
    check();
    todos = todos.map((todo) => (todo.key === 150 ? row(150, 'changed') : todo));
    check();
    todos = todos.filter((todo) => todo.key !== 70 && todo.key !== 1);
    check();
    todos = [...todos, row(301, 'appended'), row(302, 'appended too')];
    check();
    check();
  });

  it('never answers stale JSON for a row that is not frozen', () => {
    const serialise = documentSerialiser();
    const todo: Todo = { key: 1, ...draft('before') };
    const document: TodoDocument = { todos: [todo], user: seedDocument().user, lastKey: 1 };
    serialise(document);
    todo.name = 'after';
    expect(bytes(serialise(document))).toBe(JSON.stringify(document));
  });
});

describe('FileStore writes', () => {
  let dir: string;
  let path: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'file-store-'));
    path = join(dir, 'db.json');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  /** Everything the store answers, in the document's shape, to compare with the file. */
  async function documentOf(store: FileStore): Promise<TodoDocument> {
    const { data } = await store.list({ current: 1, pageSize: 1_000_000, sort: { field: 'key', order: 'ascend' } });
    const file = JSON.parse(await readFile(path, 'utf8')) as TodoDocument;
    return { todos: data, user: await store.currentUser(), lastKey: file.lastKey };
  }

  it('leaves a file that parses to exactly the table after concurrent creates, updates and deletes', async () => {
    const store = await FileStore.open(path);
    const created = await Promise.all(Array.from({ length: 50 }, (_, i) => store.create(draft(`todo ${i}`))));
    await Promise.all([
      store.update(created[3].key, { name: 'renamed', status: 2, updatedAt: '2024-02-02T00:00:00.000Z' }),
      store.update(1, { desc: 'welcome, edited', updatedAt: '2024-02-02T00:00:00.000Z' }),
      store.remove([created[10].key, created[11].key, created[49].key]),
      store.create(draft('last')),
    ]);

    const text = await readFile(path, 'utf8');
    const expected = await documentOf(store);
    expect(expected.todos).toHaveLength(1 + 50 - 3 + 1);
    expect(JSON.parse(text)).toEqual(expected);
    expect(text).toBe(JSON.stringify(expected));
    expect(expected.lastKey).toBe(52);
    await store.close();

    const reopened = await FileStore.open(path);
    expect(await documentOf(reopened)).toEqual(expected);
    await reopened.close();
  });
});

import { z } from 'zod';
import seed from '../../db.json';
import { once } from '../domain/once';
import type { Todo, User } from '../domain/todo';

/** The whole data set as one JSON document: the course's `{ todos, user }` plus the key counter. */
export interface TodoDocument {
  todos: Todo[];
  user: User;
  /** Highest key ever handed out, so keys are never reused after a delete. */
  lastKey: number;
}

export const DEFAULT_USER: User = { userid: '00000001', name: 'Serverless', avatar: '/avatar.svg' };

/** Keys per cached block: a block is cheap to re-serialise, and a write is a few hundred chunks. */
const BLOCK_KEYS = 64;

interface Block {
  readonly rows: readonly Todo[];
  /** The rows' JSON, each with a leading comma, back to back. */
  readonly bytes: Buffer;
}

/**
 * A serialiser for the file store's writes that answers exactly `JSON.stringify(document)` as
 * UTF-8 chunks without re-serialising every row each time. Consecutive rows whose keys fall in
 * the same range of BLOCK_KEYS form a block whose JSON is kept while its rows are the very same
 * objects: rows are frozen and replaced on update, so a kept block can never be stale (a block
 * with a row that is not frozen is never kept). A create, update or delete re-serialises only
 * its own block. The chunks go to the file as one writev, copied by the kernel, not by us.
 */
export function documentSerialiser(): (document: TodoDocument) => Buffer[] {
  let blocks = new Map<number, Block>();

  return ({ todos, user, lastKey }) => {
    const kept = new Map<number, Block>();
    const chunks: Buffer[] = [Buffer.from('{"todos":[')];
    for (let start = 0; start < todos.length; ) {
      const id = Math.floor(todos[start].key / BLOCK_KEYS);
      let end = start + 1;
      while (end < todos.length && Math.floor(todos[end].key / BLOCK_KEYS) === id) end++;
      const rows = todos.slice(start, end);
      const previous = blocks.get(id);
      const block =
        previous && previous.rows.length === rows.length && previous.rows.every((row, i) => row === rows[i])
          ? previous
          : {
              // A block holding a row that could still change keeps no rows, so it never matches again.
              rows: rows.every((row) => Object.isFrozen(row)) ? rows : [],
              bytes: Buffer.from(rows.map((row) => `,${JSON.stringify(row)}`).join('')),
            };
      kept.set(id, block);
      chunks.push(start === 0 ? block.bytes.subarray(1) : block.bytes);
      start = end;
    }
    blocks = kept;
    chunks.push(Buffer.from(`],"user":${JSON.stringify(user)},"lastKey":${JSON.stringify(lastKey)}}`));
    return chunks;
  };
}

/**
 * What a new data set starts with: the committed db.json, bundled at build time. It stays the
 * seed and is never written: the file store keeps its data elsewhere (DB_FILE). It is in this
 * app's own format, which a test checks (it loads unchanged, nothing repaired), so a fresh copy
 * is all a store needs: a cold FaaS instance does not build the schemas for it.
 */
export function seedDocument(): TodoDocument {
  return JSON.parse(JSON.stringify(seed)) as TodoDocument;
}

// Lenient on purpose: a db.json written by the course's original app lacks fields, stores
// status as a string and dates in other formats, and reuses keys. Missing fields get defaults,
// a `null` is a missing field (never the text "null"); only what cannot be repaired (no usable
// key, a name that is an object) is refused. The schemas are built on first use (once).
const isoDate = once(() => z.union([z.string(), z.number()]).transform((value, ctx) => {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    ctx.addIssue({ code: 'custom', message: `not a date: ${JSON.stringify(value)}` });
    return z.NEVER;
  }
  return date.toISOString();
}));

/** Text, or a number or boolean written as text; `null` or missing is undefined. */
const text = once(() => z
  .union([z.string(), z.number(), z.boolean()], { error: 'must be text' })
  .nullish()
  .transform((value) => (value == null ? undefined : String(value))));

const storedTodo = once(() => z.object({
  key: z.coerce.number().int().positive(),
  name: text(),
  desc: text().transform((value) => value ?? ''),
  status: z.coerce.number().int().min(0).max(3).default(1),
  owner: text().transform((value) => value ?? ''),
  href: text().transform((value) => value ?? ''),
  avatar: text().transform((value) => value ?? ''),
  callNo: z.coerce.number().default(0),
  progress: z.coerce.number().min(0).max(100).default(0),
  disabled: z.boolean().default(false),
  order: z.number().int().optional(),
  createdAt: isoDate().optional(),
  updatedAt: isoDate().optional(),
}));

const storedDocument = once(() => z.object({
  todos: z.array(storedTodo()).default([]),
  user: z.looseObject({ userid: text(), name: text(), avatar: text() }).nullish(),
  lastKey: z.number().int().nonnegative().default(0),
}));

/** The name a todo stored without one (or with `null`) gets, so that it can be seen and edited. */
export const UNTITLED = '未命名 (untitled)';

export interface LoadedDocument {
  document: TodoDocument;
  /** What had to be changed to load it, one phrase each; empty when it loaded as it was. */
  repairs: string[];
}

/** Validates and repairs a parsed db.json; throws an Error that says what is wrong and where. */
export function toTodoDocument(raw: unknown): LoadedDocument {
  const result = storedDocument().safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`${issue.path.join('.') || 'document'}: ${issue.message}`);
  }
  const { todos, user, lastKey } = result.data;
  const repairs: string[] = [];
  const epoch = new Date(0).toISOString();

  // The course's lowdb app gives a new todo the key `length + 1`, so after a delete and a create
  // two todos share a key. The first keeps it; later ones get keys never used before.
  const seen = new Set<number>();
  let nextKey = todos.reduce((highest, todo) => Math.max(highest, todo.key), lastKey);
  const rekeyed: string[] = [];
  const untitled: number[] = [];
  const loaded = todos.map((todo) => {
    let key = todo.key;
    if (seen.has(key)) {
      key = ++nextKey;
      rekeyed.push(`${todo.key} → ${key}`);
    }
    seen.add(key);
    let name = todo.name;
    if (name === undefined || name.trim() === '') {
      name = UNTITLED;
      untitled.push(key);
    }
    const createdAt = todo.createdAt ?? todo.updatedAt ?? epoch;
    return { ...todo, key, name, status: todo.status as Todo['status'], createdAt, updatedAt: todo.updatedAt ?? createdAt };
  });
  if (rekeyed.length > 0) repairs.push(`keys used twice, later copies renumbered ${rekeyed.join(', ')}`);
  if (untitled.length > 0) repairs.push(`todos without a name named "${UNTITLED}": keys ${untitled.join(', ')}`);

  const missing = Object.keys(DEFAULT_USER).filter((field) => user?.[field] === undefined);
  if (missing.length > 0) repairs.push(`user: default ${missing.join(', ')}`);
  const filled: User = { ...DEFAULT_USER };
  for (const [field, value] of Object.entries(user ?? {})) if (value !== undefined) filled[field] = value;

  return { document: { todos: loaded, user: filled, lastKey: Math.max(lastKey, nextKey) }, repairs };
}

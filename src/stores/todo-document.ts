import { z } from 'zod';
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

/** What a new data set starts with, as the course's app does: one welcome todo. */
export function seedDocument(now = new Date().toISOString()): TodoDocument {
  const welcome: Todo = {
    key: 1,
    name: '欢迎使用 Serverless 待办事项',
    desc: 'Welcome! 新建、编辑、完成或删除待办试试看。',
    status: 1,
    owner: DEFAULT_USER.name,
    href: '',
    avatar: DEFAULT_USER.avatar,
    callNo: 0,
    progress: 0,
    disabled: false,
    createdAt: now,
    updatedAt: now,
  };
  return { todos: [welcome], user: { ...DEFAULT_USER }, lastKey: 1 };
}

// Lenient on purpose: a db.json written by the course's original app lacks fields, stores
// status as a string and dates in other formats. Missing fields get defaults; only what
// cannot be repaired (no usable key, no name) is refused. Built on first use (once): only a
// file store reads a document.
const isoDate = () => z.union([z.string(), z.number()]).transform((value, ctx) => {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    ctx.addIssue({ code: 'custom', message: `not a date: ${JSON.stringify(value)}` });
    return z.NEVER;
  }
  return date.toISOString();
});

const storedTodo = () => z.object({
  key: z.coerce.number().int().positive(),
  name: z.coerce.string(),
  desc: z.coerce.string().default(''),
  status: z.coerce.number().int().min(0).max(3).default(1),
  owner: z.coerce.string().default(''),
  href: z.coerce.string().default(''),
  avatar: z.coerce.string().default(''),
  callNo: z.coerce.number().default(0),
  progress: z.coerce.number().min(0).max(100).default(0),
  disabled: z.boolean().default(false),
  createdAt: isoDate().optional(),
  updatedAt: isoDate().optional(),
});

const storedDocument = once(() => z.object({
  todos: z.array(storedTodo()).default([]),
  user: z.looseObject({ userid: z.coerce.string(), name: z.coerce.string(), avatar: z.coerce.string() }).optional(),
  lastKey: z.number().int().nonnegative().default(0),
}));

/** Validates a parsed db.json; throws an Error whose message says what is wrong and where. */
export function toTodoDocument(raw: unknown): TodoDocument {
  const result = storedDocument().safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`${issue.path.join('.') || 'document'}: ${issue.message}`);
  }
  const { todos, user, lastKey } = result.data;
  const seen = new Set<number>();
  const epoch = new Date(0).toISOString();
  return {
    todos: todos.map((todo, index) => {
      if (seen.has(todo.key)) throw new Error(`todos.${index}.key: key ${todo.key} appears twice`);
      seen.add(todo.key);
      const createdAt = todo.createdAt ?? todo.updatedAt ?? epoch;
      return { ...todo, status: todo.status as Todo['status'], createdAt, updatedAt: todo.updatedAt ?? createdAt };
    }),
    user: user ?? { ...DEFAULT_USER },
    lastKey,
  };
}

import { z } from 'zod';
import { AppError, excerpt, invalid } from './errors';
import { once } from './once';
import { SORTABLE_FIELDS, type ListQuery, type SortField, type TodoStatus } from './todo';

// Parsers for what clients send. Each answers a clean value or throws a 400 AppError that says
// which field is wrong and why. Unknown fields (such as the frontend's `method`) are dropped.
// The zod schemas are built on first use (once): a list read, a cold instance's usual first
// request, needs none of them.

const STATUS_RULE = 'status must be 0 (closed), 1 (in progress), 2 (done) or 3 (paused)';
const STATUSES: readonly unknown[] = [0, 1, 2, 3];

/** A status as a number or a string of one digit, as the frontend sends it ("2"). */
const statusValue = once(() => z.unknown().transform((value, ctx) => {
  const status = typeof value === 'string' && /^\s*\d\s*$/.test(value) ? Number(value) : value;
  if (STATUSES.includes(status)) return status as TodoStatus;
  ctx.addIssue({ code: 'custom', message: STATUS_RULE });
  return z.NEVER;
}).meta({
  // What the OpenAPI document shows: a transform has no JSON Schema of its own.
  description: STATUS_RULE,
  anyOf: [{ type: 'integer', enum: [0, 1, 2, 3] }, { type: 'string', enum: ['0', '1', '2', '3'] }],
}));

// Text that deceives: control characters (NUL, escape sequences) and the bidirectional overrides
// and isolates, which make a name display in another order than it is stored ("txt.exe" shown
// as "exe.txt"). Tab and line breaks are ordinary in a description.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex -- as above
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/;
const codePoint = (char: string) => `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

function plainText(field: string, control: RegExp, allowed: string) {
  return (text: string, ctx: z.RefinementCtx) => {
    const bad = control.exec(text)?.[0];
    if (bad !== undefined) ctx.addIssue({ code: 'custom', message: `${field} must not contain control characters${allowed} (found ${codePoint(bad)})` });
    const bidi = BIDI_CONTROL.exec(text)?.[0];
    if (bidi !== undefined) {
      ctx.addIssue({ code: 'custom', message: `${field} must not contain bidirectional control characters, which change the order text displays in (found ${codePoint(bidi)})` });
    }
  };
}

/** A todo's title: `name` in /api/rule, `title` in the Todo-Backend API; errors say which. */
export const titleText = (label: string) =>
  z
    .string({ error: (issue) => (issue.input == null ? `${label} is required` : `${label} must be a string`) })
    .trim()
    .min(1, { error: `${label} is required` })
    .max(200, { error: `${label} must be at most 200 characters` })
    .superRefine(plainText(label, CONTROL, ''));

export const fields = once(() => ({
  name: titleText('name'),
  desc: z
    .string({ error: 'desc must be a string' })
    .max(2000, { error: 'desc must be at most 2000 characters' })
    .superRefine(plainText('desc', CONTROL_BUT_LINES, ' other than tab and line breaks')),
  status: statusValue(),
  owner: z.string({ error: 'owner must be a string' }).max(200, { error: 'owner must be at most 200 characters' }),
  href: z.string({ error: 'href must be a string' }).max(2000, { error: 'href must be at most 2000 characters' }),
  avatar: z.string({ error: 'avatar must be a string' }).max(2000, { error: 'avatar must be at most 2000 characters' }),
  callNo: z
    .number({ error: 'callNo must be a number' })
    .int({ error: 'callNo must be a whole number' })
    .min(0, { error: 'callNo must be 0 or more' }),
  progress: z
    .number({ error: 'progress must be a number' })
    .min(0, { error: 'progress must be 0 to 100' })
    .max(100, { error: 'progress must be 0 to 100' }),
  disabled: z.boolean({ error: 'disabled must be true or false' }),
  order: z.int({ error: 'order must be a whole number' }),
}));

// Exported for the OpenAPI document, which is generated from them.
export const createSchema = once(() => z.object(fields()).partial().extend({ name: fields().name }));
export const patchSchema = once(() => z.object(fields()).partial());

export type CreateInput = z.output<ReturnType<typeof createSchema>>;
export type PatchInput = z.output<ReturnType<typeof patchSchema>>;

/** Parses a request body with `schema`: a JSON object, or a 400 that names the first problem. */
export function parseBody<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid('The request body must be a JSON object');
  }
  const result = schema.safeParse(value);
  if (!result.success) throw invalid(result.error.issues[0].message);
  return result.data;
}

export const parseCreate = (body: unknown) => parseBody(createSchema(), body) as CreateInput;

export function parsePatch(body: unknown): PatchInput {
  const patch = parseBody(patchSchema(), body) as PatchInput;
  if (Object.keys(patch).length === 0) {
    throw invalid(`Nothing to update: send at least one of ${Object.keys(fields()).join(', ')}`);
  }
  return patch;
}

/** A key from a path, body or query: a positive integer, as a number or a string of digits. */
export function parseKey(value: unknown): number {
  const key = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof key !== 'number' || !Number.isSafeInteger(key) || key < 1) {
    throw invalid(`key must be a positive integer, got ${excerpt(value)}`);
  }
  return key;
}

/** One key or many: `7`, `"7"`, `[7, 8]` or `"7,8"`. */
export function parseKeys(value: unknown): number[] {
  if (value === undefined || value === null || value === '') throw invalid('key is required');
  const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [value];
  if (list.length === 0) throw invalid('key must name at least one todo');
  return list.map(parseKey);
}

// --- list query ------------------------------------------------------------------------------

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

function single(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalid(`${name} must be given once, as text`);
  return value.trim();
}

/**
 * The paging rule, one for every store since every store gets its query from here: `current` and
 * `pageSize` are whole numbers of 1 or more (0, negatives and anything else are a 400), empty or
 * absent means the default, and a `pageSize` over MAX_PAGE_SIZE is lowered to it; the answer's
 * `current` and `pageSize` say what was used.
 */
function integer(name: string, value: unknown, fallback: number, max: number): number {
  const text = single(name, value);
  if (!text) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < 1) throw invalid(`${name} must be a whole number of 1 or more, got ${excerpt(text)}`);
  return Math.min(max, Number(text));
}

function statuses(value: unknown): TodoStatus[] {
  if (value === undefined) return [];
  const parts = (Array.isArray(value) ? value : [value]).flatMap((part) =>
    typeof part === 'string' || typeof part === 'number' ? String(part).split(',') : [part],
  );
  return parts
    .filter((part) => part !== '')
    .map((part) => {
      const result = statusValue().safeParse(part);
      if (!result.success) throw invalid(`status must be 0, 1, 2 or 3 (or a comma list), got ${excerpt(part)}`);
      return result.data;
    });
}

/**
 * How deep JSON from a client may nest, in bodies and query parameters alike: far above any real
 * request (a todo is flat), low enough that nothing walking a value can run out of stack.
 */
export const MAX_JSON_DEPTH = 64;

/** Refuses JSON text nesting deeper than MAX_JSON_DEPTH; counts brackets, so it runs before parsing. */
export function checkJsonDepth(what: string, text: string): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_JSON_DEPTH) throw new AppError(400, 'JSON_TOO_DEEP', `${what} nests deeper than ${MAX_JSON_DEPTH} levels`);
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
}

function json(name: string, text: string): unknown {
  checkJsonDepth(name, text);
  try {
    return JSON.parse(text);
  } catch {
    throw invalid(`${name} is not valid JSON: ${excerpt(text)}`);
  }
}

const SORTER_RULE = `sorter must be <field>_ascend or <field>_descend with field one of ${SORTABLE_FIELDS.join(', ')}`;

/** A direction ProTable sends after the third click on a column header clears its sort. */
const noDirection = (order: unknown) => order === undefined || order === null || order === '' || order === 'undefined' || order === 'null';

/**
 * `""`, `"updatedAt_descend"`, or ProTable's JSON form `{"updatedAt":"descend"}`. A known field
 * without a direction (`updatedAt_undefined`, `{"updatedAt":null}`) means the default order.
 */
function sorter(value: unknown): ListQuery['sort'] {
  // qs turns sorter[updatedAt]=descend into an object; a repeated sorter is an array, refused by single().
  const text = typeof value === 'object' && value !== null && !Array.isArray(value) ? value : single('sorter', value);
  if (!text) return undefined;
  let field: unknown;
  let order: unknown;
  if (typeof text === 'object' || text.startsWith('{')) {
    const parsed = typeof text === 'object' ? text : json('sorter', text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalid(SORTER_RULE);
    const entries = Object.entries(parsed);
    if (entries.length === 0) return undefined;
    // The column that still has a direction, if any.
    [field, order] = entries.find(([, direction]) => !noDirection(direction)) ?? entries[0];
  } else {
    const cut = text.lastIndexOf('_');
    [field, order] = cut < 0 ? [text, undefined] : [text.slice(0, cut), text.slice(cut + 1)];
  }
  if (!(SORTABLE_FIELDS as readonly unknown[]).includes(field)) throw invalid(SORTER_RULE);
  if (noDirection(order)) return undefined;
  if (order !== 'ascend' && order !== 'descend') throw invalid(SORTER_RULE);
  return { field: field as SortField, order };
}

/** Turns query parameters (as Express parses them) into a store query. */
export function parseListQuery(params: Record<string, unknown>): ListQuery {
  // Newer ProTable versions also send column filters as JSON: filter={"status":["1","2"]}.
  const filterText = single('filter', params.filter);
  const filter = filterText ? json('filter', filterText) : undefined;
  const filterStatus = typeof filter === 'object' && filter !== null ? (filter as Record<string, unknown>).status : undefined;
  const status = [...statuses(params.status), ...(filterStatus != null ? statuses(filterStatus) : [])];
  return {
    current: integer('current', params.current, 1, Number.MAX_SAFE_INTEGER),
    pageSize: integer('pageSize', params.pageSize, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE),
    sort: sorter(params.sorter),
    name: single('name', params.name) || undefined,
    desc: single('desc', params.desc) || undefined,
    status: status.length > 0 ? status : undefined,
  };
}

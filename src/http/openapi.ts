import { z } from 'zod';
import { createSchema, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, patchSchema } from '../domain/todo-input';
import { SORTABLE_FIELDS } from '../domain/todo';
import { todoBackendCreate, todoBackendPatch } from './todo-backend';

// The OpenAPI 3.1 document of every route. Request bodies are the very zod schemas the routes
// validate with, turned into JSON Schema by zod itself, so the document cannot drift from them;
// the answers' schemas below are checked against real answers by the contract tests.

/** The schemas under #/components/schemas: request bodies (what the routes parse) and answers. Made on first use. */
function schemas() {
  const record = z.object({
    key: z.int().positive(),
    name: z.string(),
    desc: z.string(),
    status: z.literal([0, 1, 2, 3]).meta({ description: '0 closed, 1 in progress, 2 done, 3 paused' }),
    owner: z.string(),
    href: z.string(),
    avatar: z.string(),
    callNo: z.number(),
    progress: z.number(),
    disabled: z.boolean(),
    order: z.int().optional().meta({ description: 'Set through the Todo-Backend API (or here); absent when never set' }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  });
  const user = z.looseObject({ userid: z.string(), name: z.string(), avatar: z.string() });
  const todoBackendTodo = z.object({
    id: z.int().positive(),
    title: z.string(),
    completed: z.boolean(),
    order: z.int().optional(),
    url: z.url().meta({ description: 'Absolute URL of this todo: GET, PATCH and DELETE it there' }),
  });

  /** Request bodies: what the routes parse, as clients may send it. */
  const inputs = { RuleCreate: createSchema(), RulePatch: patchSchema(), TodoBackendCreate: todoBackendCreate(), TodoBackendPatch: todoBackendPatch() };

  /** Answers. */
  const outputs = {
    Todo: record,
    RulePage: z.object({ success: z.literal(true), data: z.array(record), total: z.int().nonnegative(), current: z.int().positive(), pageSize: z.int().positive() }),
    RuleAnswer: z.object({ success: z.literal(true), data: record }),
    Removed: z.object({ success: z.literal(true), data: z.object({ removed: z.array(z.int().positive()) }) }),
    CurrentUser: z.looseObject({ ...user.shape, success: z.literal(true), data: user }).meta({
      description: 'The profile at the top level (Ant Design Pro v4) and under data (v5)',
    }),
    TodoBackendTodo: todoBackendTodo,
    TodoBackendList: z.array(todoBackendTodo),
    Error: z.object({
      success: z.literal(false),
      errorCode: z.string(),
      errorMessage: z.string(),
      traceId: z.string().optional().meta({ description: "This request's id, as in the X-Request-Id answer header, for logs and bug reports" }),
    }),
  };
  return { inputs, outputs };
}

type Schemas = Record<string, z.ZodType>;

/** JSON Schemas under #/components/schemas, without the $schema and $id zod gives each. */
function components(byId: Schemas, io: 'input' | 'output'): Record<string, object> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(byId)) registry.add(schema, { id });
  const result = z.toJSONSchema(registry, { io, uri: (id) => `#/components/schemas/${id}` }).schemas;
  return Object.fromEntries(Object.entries(result).map(([id, { $schema: _s, $id: _i, ...schema }]) => [id, schema])); // eslint-disable-line @typescript-eslint/no-unused-vars
}

const ref = (id: keyof ReturnType<typeof schemas>['inputs'] | keyof ReturnType<typeof schemas>['outputs']) => ({ $ref: `#/components/schemas/${id}` });
const json = (schema: object) => ({ content: { 'application/json': { schema } } });
const answer = (description: string, schema: object) => ({ description, ...json(schema) });
const body = (schema: object) => ({ required: true, ...json(schema) });

const ERRORS = {
  400: 'Invalid input: the message says which field and why',
  404: 'No such todo',
  413: 'The body is larger than the limit',
  415: 'The body is not application/json in UTF-8',
  503: 'The store could not save or read: the database is away, or a write to the file failed; nothing was changed',
  507: 'The file store\'s disk is full; nothing was changed',
} as const;
const errors = (...codes: (keyof typeof ERRORS)[]) => Object.fromEntries(codes.map((code) => [code, answer(ERRORS[code], ref('Error'))]));

const health = (status: string, more: Record<string, object> = {}) => ({
  type: 'object',
  required: ['success', 'status', ...Object.keys(more)],
  properties: { success: { const: true }, status: { const: status }, ...more },
});

const keyRule = 'A positive integer, as a number or a string of digits';
const keyParameter = (name: 'key' | 'id') => ({ name, in: 'path', required: true, description: keyRule, schema: { type: 'integer', minimum: 1 } });
const query = (name: string, description: string, schema: object) => ({ name, in: 'query', required: false, description, schema });
const keySchema = { description: keyRule, anyOf: [{ type: 'integer', minimum: 1 }, { type: 'string', pattern: '^\\s*\\d+\\s*$' }] };
const keysSchema = {
  description: `One key or several: 7, "7", [7, 8] or "7,8". ${keyRule}`,
  anyOf: [{ type: 'integer', minimum: 1 }, { type: 'string', pattern: '^\\s*\\d+\\s*(,\\s*\\d+\\s*)*$' }, { type: 'array', items: { type: 'integer', minimum: 1 }, minItems: 1 }],
};

function buildDocument(): object {
  const { inputs, outputs } = schemas();
  const ruleTags = ['Ant Design Pro'];
  const todoTags = ['Todo-Backend'];
  const docTags = ['Documentation'];
  const healthTags = ['Health'];
  return {
    openapi: '3.1.0',
    info: {
      title: 'todolist-backend API',
      version: '1.0.0',
      description:
        'Two APIs over the same todos. `/api/rule` is the contract of the course\'s Ant Design Pro frontend: answers wrapped in `{success, data}`. ' +
        '`/api/todos` speaks the Todo-Backend contract (todobackend.com): plain answers, `title` is the name, `completed` is status 2. ' +
        'Errors of both are `{success: false, errorCode, errorMessage}` with a 4xx status, or 503/507 when the store cannot save a change. Every answer carries CORS headers (`CORS_ORIGIN`).',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    tags: [
      { name: ruleTags[0], description: '`/api/rule`: paged list, search and sort, as the course\'s Ant Design Pro frontend calls them' },
      { name: todoTags[0], description: '`/api/todos`: the Todo-Backend contract, for its spec suite and client' },
      { name: docTags[0], description: 'This document and its reference page' },
      { name: healthTags[0], description: 'For load balancers, Kubernetes and FC 3.0: not logged, never cached' },
    ],
    paths: {
      '/api/rule': {
        get: {
          tags: ruleTags,
          summary: 'List todos: one page, filtered and sorted',
          parameters: [
            query('current', 'Page number, from 1 (smaller values count as 1)', { type: 'integer', default: 1 }),
            query('pageSize', `Todos per page, 1 to ${MAX_PAGE_SIZE} (outside values are clamped)`, { type: 'integer', default: DEFAULT_PAGE_SIZE }),
            query('sorter', `\`FIELD_ascend\` or \`FIELD_descend\`, or ProTable's JSON \`{"FIELD":"descend"}\`, with FIELD one of ${SORTABLE_FIELDS.join(', ')}. Default: newest first`, { type: 'string' }),
            query('name', 'Case-insensitive part of the name', { type: 'string' }),
            query('desc', 'Case-insensitive part of the description', { type: 'string' }),
            query('status', 'Any of these statuses: repeat the parameter or give a comma list', { type: 'string', examples: ['2', '1,2'] }),
            query('filter', 'ProTable\'s column filters as JSON, such as `{"status":["1","2"]}`', { type: 'string' }),
          ],
          responses: { 200: answer('One page of todos and the total that match', ref('RulePage')), ...errors(400) },
        },
        post: {
          tags: ruleTags,
          summary: 'Create a todo (or, with a method field, update or delete)',
          description:
            'Ant Design Pro v4 sends every write as a POST with a `method` field: `"post"` or none creates, ' +
            '`"update"` is `PUT /api/rule` and `"delete"` is `DELETE /api/rule`, with the same body and answers.',
          requestBody: body({
            anyOf: [
              { allOf: [ref('RuleCreate'), { type: 'object', properties: { method: { type: 'string', enum: ['post'] } } }] },
              { allOf: [ref('RulePatch'), { type: 'object', required: ['key', 'method'], properties: { key: keySchema, method: { const: 'update' } } }] },
              { type: 'object', required: ['key', 'method'], properties: { key: keysSchema, method: { const: 'delete' } } },
            ],
          }),
          responses: {
            201: answer('The new todo', ref('RuleAnswer')),
            200: answer('method "update": the updated todo; method "delete": the keys deleted', { anyOf: [ref('RuleAnswer'), ref('Removed')] }),
            ...errors(400, 404, 413, 415, 503, 507),
          },
        },
        put: {
          tags: ruleTags,
          summary: 'Update the todo whose key is in the body',
          requestBody: body({ allOf: [ref('RulePatch'), { type: 'object', required: ['key'], properties: { key: keySchema } }] }),
          responses: { 200: answer('The updated todo', ref('RuleAnswer')), ...errors(400, 404, 413, 415, 503, 507) },
        },
        delete: {
          tags: ruleTags,
          summary: 'Delete todos by key, given in the body or the query',
          parameters: [query('key', 'When there is no body: a key or a comma list', { type: 'string' })],
          requestBody: { required: false, ...json({ type: 'object', required: ['key'], properties: { key: keysSchema } }) },
          responses: { 200: answer('The keys that existed and are now deleted', ref('Removed')), ...errors(400, 404, 413, 415, 503, 507) },
        },
      },
      '/api/rule/{key}': {
        parameters: [keyParameter('key')],
        get: { tags: ruleTags, summary: 'One todo', responses: { 200: answer('The todo', ref('RuleAnswer')), ...errors(400, 404) } },
        put: {
          tags: ruleTags,
          summary: 'Update the fields given',
          requestBody: body(ref('RulePatch')),
          responses: { 200: answer('The updated todo', ref('RuleAnswer')), ...errors(400, 404, 413, 415, 503, 507) },
        },
        patch: {
          tags: ruleTags,
          summary: 'Update the fields given (as PUT)',
          requestBody: body(ref('RulePatch')),
          responses: { 200: answer('The updated todo', ref('RuleAnswer')), ...errors(400, 404, 413, 415, 503, 507) },
        },
        delete: { tags: ruleTags, summary: 'Delete one todo', responses: { 200: answer('Its key', ref('Removed')), ...errors(400, 404, 503, 507) } },
      },
      '/api/currentUser': {
        get: { tags: ruleTags, summary: 'The profile the frontend shows', responses: { 200: answer('The user', ref('CurrentUser')) } },
      },
      '/api/todos': {
        get: { tags: todoTags, summary: 'Every todo, oldest first', responses: { 200: answer('A bare array of todos', ref('TodoBackendList')) } },
        post: {
          tags: todoTags,
          summary: 'Create a todo',
          requestBody: body(ref('TodoBackendCreate')),
          responses: {
            201: { ...answer('The new todo', ref('TodoBackendTodo')), headers: { Location: { description: 'Its url', schema: { type: 'string', format: 'uri' } } } },
            ...errors(400, 413, 415, 503, 507),
          },
        },
        delete: { tags: todoTags, summary: 'Delete every todo', responses: { 204: { description: 'All gone' }, ...errors(503, 507) } },
      },
      '/api/todos/{id}': {
        parameters: [keyParameter('id')],
        get: { tags: todoTags, summary: 'One todo (follow its url)', responses: { 200: answer('The todo', ref('TodoBackendTodo')), ...errors(400, 404) } },
        patch: {
          tags: todoTags,
          summary: 'Change any of title, completed and order',
          requestBody: body(ref('TodoBackendPatch')),
          responses: { 200: answer('The updated todo', ref('TodoBackendTodo')), ...errors(400, 404, 413, 415, 503, 507) },
        },
        delete: { tags: todoTags, summary: 'Delete one todo', responses: { 204: { description: 'Deleted' }, ...errors(400, 404, 503, 507) } },
      },
      '/healthz': {
        get: {
          tags: healthTags,
          summary: 'The process answers (restart it when it does not); its pid tells the processes behind one port apart',
          responses: { 200: answer('Alive', health('ok', { pid: { type: 'integer', minimum: 1 } })) },
        },
      },
      '/readyz': {
        get: {
          tags: healthTags,
          summary: 'The store answers too (send traffic only while it does): a database round trip for PostgreSQL',
          responses: { 200: answer('Ready', health('ready')), 503: answer('The store does not answer (DATABASE_UNAVAILABLE, STORE_UNAVAILABLE)', ref('Error')) },
        },
      },
      '/api/openapi.json': {
        get: { tags: docTags, summary: 'This OpenAPI document', responses: { 200: answer('OpenAPI 3.1', { type: 'object', required: ['openapi', 'info', 'paths'] }) } },
      },
      '/api/docs': {
        get: {
          tags: docTags,
          summary: 'A reference page for this document (RapiDoc, served from this server)',
          responses: { 200: { description: 'An HTML page', content: { 'text/html': { schema: { type: 'string' } } } } },
        },
      },
    },
    components: { schemas: { ...components(inputs, 'input'), ...components(outputs, 'output') } },
  };
}

let document: Buffer | undefined;

/** The document as JSON bytes, built on first use: a cold start does not pay for it. */
export function openApiJson(): Buffer {
  return (document ??= Buffer.from(JSON.stringify(buildDocument())));
}

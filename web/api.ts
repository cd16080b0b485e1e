// The /api/rule contract, the same one the course's Ant Design Pro frontend uses.

export type Status = 0 | 1 | 2 | 3;
export const STATUSES: readonly Status[] = [0, 1, 2, 3];
export const DONE: Status = 2;
export const IN_PROGRESS: Status = 1;

export interface Todo {
  key: number;
  name: string;
  desc: string;
  status: Status;
  createdAt: string;
  updatedAt: string;
}

export interface User {
  name: string;
  avatar: string;
}

export type Sorter = 'updatedAt_descend' | 'updatedAt_ascend';

export interface ListQuery {
  current: number;
  pageSize: number;
  name: string;
  desc: string;
  status: Status | null;
  sorter: Sorter;
}

export interface TodoPage {
  data: Todo[];
  total: number;
}

/** A failed call. `message` is the server's errorMessage; empty when the server was not reached. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError('', 0);
  }
  const payload = await response.json().catch(() => null);
  if (!response.ok || payload?.success === false) {
    throw new ApiError(payload?.errorMessage ?? `${response.status} ${response.statusText}`, response.status);
  }
  return payload as T;
}

export function listTodos(query: ListQuery): Promise<TodoPage> {
  const params = new URLSearchParams({ current: String(query.current), pageSize: String(query.pageSize), sorter: query.sorter });
  if (query.name) params.set('name', query.name);
  if (query.desc) params.set('desc', query.desc);
  if (query.status !== null) params.set('status', String(query.status));
  return call('GET', `/api/rule?${params}`);
}

export const createTodo = async (fields: { name: string; desc: string }) =>
  (await call<{ data: Todo }>('POST', '/api/rule', fields)).data;

// PUT with the key in the body, as the course's frontend does: FC 2.0's HTTP trigger has no PATCH.
export const updateTodo = async (key: number, fields: Partial<Pick<Todo, 'name' | 'desc' | 'status'>>) =>
  (await call<{ data: Todo }>('PUT', '/api/rule', { key, ...fields })).data;

export const deleteTodos = async (keys: number[]) =>
  (await call<{ data: { removed: number[] } }>('DELETE', '/api/rule', { key: keys })).data.removed;

export const currentUser = () => call<User>('GET', '/api/currentUser');

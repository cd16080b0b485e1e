/**
 * The todo record as the course's Ant Design Pro frontend knows it (its `/api/rule` "rule").
 * Flat on purpose: every field is a primitive, so a frozen record is immutable all the way down,
 * which the stores and the JSON caches built on their records rely on.
 */
export interface Todo {
  key: number;
  name: string;
  desc: string;
  status: TodoStatus;
  owner: string;
  href: string;
  avatar: string;
  callNo: number;
  progress: number;
  disabled: boolean;
  /** Where the todo goes in a list its client orders (the Todo-Backend `order`); absent when never set. */
  order?: number;
  createdAt: string;
  updatedAt: string;
}

/** 0 closed, 1 in progress, 2 done, 3 paused (the frontend's 关闭 / 进行中 / 已完成 / 暂停). */
export type TodoStatus = 0 | 1 | 2 | 3;

/** Everything but the key, which the store assigns. */
export type TodoDraft = Omit<Todo, 'key'>;

/** The fields an update may change; `updatedAt` is always set by the service. */
export type TodoPatch = Partial<Omit<Todo, 'key' | 'createdAt'>> & { updatedAt: string };

export interface User {
  userid: string;
  name: string;
  avatar: string;
  [extra: string]: unknown;
}

export const SORTABLE_FIELDS = ['key', 'name', 'status', 'callNo', 'progress', 'createdAt', 'updatedAt'] as const;
export type SortField = (typeof SORTABLE_FIELDS)[number];

/** What a store's `list` answers: filter, sort, then one page. */
export interface ListQuery {
  /** Case-insensitive substring of `name`. */
  name?: string;
  /** Case-insensitive substring of `desc`. */
  desc?: string;
  /** Any of these statuses. */
  status?: TodoStatus[];
  /** Defaults to newest first (key descending, as keys grow with time). */
  sort?: { field: SortField; order: 'ascend' | 'descend' };
  /** 1-based page number. */
  current: number;
  pageSize: number;
}

export interface Page<T> {
  data: T[];
  total: number;
}

import todos from './001-todos';
import todoOrder from './002-todo-order';

/**
 * The database schema, version by version. Each migration runs once, in order, in one
 * transaction with the others pending. Never edit one that has shipped: add the next.
 */
export const MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  { version: 1, name: 'todos', sql: todos },
  { version: 2, name: 'todo order', sql: todoOrder },
];

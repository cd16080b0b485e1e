import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, DONE, IN_PROGRESS, createTodo, deleteTodos, listTodos, updateTodo, type ListQuery, type Todo, type TodoPage } from '../api';
import { LangContext, MESSAGES, initialLang, rememberLang, type Lang } from '../i18n';
import { ConfirmDelete } from './confirm-delete';
import { Filters } from './filters';
import { Header } from './header';
import { Pagination } from './pagination';
import { TodoForm, type TodoFields } from './todo-form';
import { TodoItem } from './todo-item';

type Dialog = { kind: 'create' } | { kind: 'edit'; todo: Todo } | { kind: 'delete'; todos: Todo[] };

const FIRST_QUERY: ListQuery = { current: 1, pageSize: 10, name: '', desc: '', status: null, sorter: 'updatedAt_descend' };

export function App() {
  const [lang, setLang] = useState<Lang>(initialLang);
  const t = MESSAGES[lang];
  const [query, setQuery] = useState(FIRST_QUERY);
  const [page, setPage] = useState<TodoPage | null>(null);
  const [loading, setLoading] = useState(true);
  // null: no error; '' the server was not reached; otherwise the server's errorMessage.
  const [loadError, setLoadError] = useState<string | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [notice, setNotice] = useState('');
  const [actionError, setActionError] = useState('');
  const latestLoad = useRef(0);
  const loadedOnce = useRef(false);

  const message = (error: unknown) => (error as ApiError).message || t.networkError;

  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = t.title;
  }, [lang]);

  const load = useCallback(async (wanted: ListQuery) => {
    const ticket = ++latestLoad.current;
    setLoading(true);
    try {
      const result = await listTodos(wanted);
      if (ticket !== latestLoad.current) return; // an older answer than the one on screen
      const lastPage = Math.max(1, Math.ceil(result.total / wanted.pageSize));
      if (wanted.current > lastPage) return setQuery({ ...wanted, current: lastPage }); // deletes emptied this page
      setPage(result);
      setLoadError(null);
      setSelected((keys) => new Set(result.data.map((todo) => todo.key).filter((key) => keys.has(key))));
    } catch (error) {
      if (ticket === latestLoad.current) setLoadError((error as ApiError).message);
    } finally {
      if (ticket === latestLoad.current) setLoading(false);
    }
  }, []);

  useEffect(() => void load(query), [query]);
  const reload = () => setQuery((current) => ({ ...current }));

  // When the focused control disappears (its todo was deleted), continue from the list heading.
  useEffect(() => {
    if (loadedOnce.current && document.activeElement === document.body) document.getElementById('list-heading')?.focus();
    loadedOnce.current = page !== null;
  }, [page]);

  const report = (text: string) => {
    setActionError('');
    setNotice(text);
  };

  const saveNew = async (fields: TodoFields) => {
    const todo = await createTodo({ name: fields.name, desc: fields.desc });
    setDialog(null);
    report(t.created(todo.name));
    setQuery((current) => ({ ...current, current: 1 }));
  };

  /** A 404 means someone else deleted it: show the list as it is now, and let the dialog say why. */
  const refreshIfGone = (error: unknown): never => {
    if (error instanceof ApiError && error.status === 404) reload();
    throw error;
  };

  const saveEdit = (key: number) => async (fields: TodoFields) => {
    const todo = await updateTodo(key, fields).catch(refreshIfGone);
    setDialog(null);
    report(t.saved(todo.name));
    reload();
  };

  const toggleDone = async (todo: Todo) => {
    setNotice('');
    try {
      const saved = await updateTodo(todo.key, { status: todo.status === DONE ? IN_PROGRESS : DONE });
      report(saved.status === DONE ? t.done(saved.name) : t.reopened(saved.name));
    } catch (error) {
      setActionError(message(error));
    }
    reload();
  };

  const remove = (todos: Todo[]) => async () => {
    const removed = await deleteTodos(todos.map((todo) => todo.key)).catch(refreshIfGone);
    setDialog(null);
    report(t.deleted(removed.length));
    reload();
  };

  const switchLang = () => {
    const next = lang === 'zh' ? 'en' : 'zh';
    rememberLang(next);
    setLang(next);
  };

  const todos = page?.data ?? [];
  const filtered = Boolean(query.name || query.desc || query.status !== null);
  const allSelected = todos.length > 0 && todos.every((todo) => selected.has(todo.key));
  const select = (key: number, on: boolean) =>
    setSelected((keys) => {
      const next = new Set(keys);
      if (on) next.add(key);
      else next.delete(key);
      return next;
    });

  return (
    <LangContext.Provider value={lang}>
      <Header onSwitchLang={switchLang} />
      <main class="page">
        <div class="toolbar">
          <button type="button" class="primary" onClick={() => setDialog({ kind: 'create' })}>
            {t.newTodo}
          </button>
        </div>
        <Filters value={query} onChange={(fields) => setQuery({ ...query, ...fields, current: 1 })} />
        <p class="notice" role="status">
          {notice}
        </p>
        {actionError && (
          <div class="alert" role="alert">
            <span>{actionError}</span>
            <button type="button" onClick={() => setActionError('')}>
              {t.dismiss}
            </button>
          </div>
        )}
        <section class="list" aria-labelledby="list-heading" aria-busy={loading}>
          <div class="list-head">
            <h2 id="list-heading" tabIndex={-1}>
              {t.listHeading}
            </h2>
            {loading && <span class="loading">{t.loading}</span>}
          </div>
          {loadError !== null && (
            <div class="alert" role="alert">
              <span>
                {t.loadFailed} {loadError || t.networkError}
              </span>
              <button type="button" onClick={reload}>
                {t.retry}
              </button>
            </div>
          )}
          {todos.length > 0 && (
            <div class="bulk">
              <label class="check">
                <input
                  type="checkbox"
                  checked={allSelected}
                  indeterminate={selected.size > 0 && !allSelected}
                  onChange={(event) => setSelected(new Set(event.currentTarget.checked ? todos.map((todo) => todo.key) : []))}
                />
                {t.selectAll}
              </label>
              {selected.size > 0 && <span>{t.selected(selected.size)}</span>}
              <button
                type="button"
                class="danger"
                disabled={selected.size === 0}
                onClick={() => setDialog({ kind: 'delete', todos: todos.filter((todo) => selected.has(todo.key)) })}
              >
                {t.deleteSelected}
              </button>
            </div>
          )}
          {page && page.total === 0 && loadError === null && (
            <div class="empty">
              <p>{filtered ? t.noMatch : t.empty}</p>
              {filtered ? (
                <button type="button" onClick={() => setQuery({ ...FIRST_QUERY, pageSize: query.pageSize, sorter: query.sorter })}>
                  {t.clearFilters}
                </button>
              ) : (
                <button type="button" class="primary" onClick={() => setDialog({ kind: 'create' })}>
                  {t.newTodo}
                </button>
              )}
            </div>
          )}
          {todos.length > 0 && (
            <ul class="todos">
              {todos.map((todo) => (
                <TodoItem
                  key={todo.key}
                  todo={todo}
                  selected={selected.has(todo.key)}
                  onSelect={(on) => select(todo.key, on)}
                  onToggleDone={() => toggleDone(todo)}
                  onEdit={() => setDialog({ kind: 'edit', todo })}
                  onDelete={() => setDialog({ kind: 'delete', todos: [todo] })}
                />
              ))}
            </ul>
          )}
          {page && page.total > 0 && (
            <Pagination
              current={query.current}
              pageSize={query.pageSize}
              total={page.total}
              onChange={(current, pageSize) => setQuery({ ...query, current, pageSize })}
            />
          )}
        </section>
      </main>
      <footer class="app-footer">
        <a href="/api/docs">{t.apiDocs}</a>
      </footer>
      {dialog?.kind === 'create' && <TodoForm onSubmit={saveNew} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'edit' && <TodoForm todo={dialog.todo} onSubmit={saveEdit(dialog.todo.key)} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'delete' && (
        <ConfirmDelete names={dialog.todos.map((todo) => todo.name)} onConfirm={remove(dialog.todos)} onClose={() => setDialog(null)} />
      )}
    </LangContext.Provider>
  );
}

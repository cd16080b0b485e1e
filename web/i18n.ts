import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

export type Lang = 'zh' | 'en';

const en = {
  title: 'Todos',
  switchTo: '中文',
  switchToLabel: '切换到中文',
  signedInAs: 'Signed in as',
  newTodo: 'New todo',
  filters: 'Search and filter',
  name: 'Name',
  desc: 'Description',
  descOptional: 'Description (optional)',
  status: 'Status',
  anyStatus: 'Any status',
  statuses: ['Closed', 'In progress', 'Done', 'Paused'],
  sort: 'Sort',
  newest: 'Updated: newest first',
  oldest: 'Updated: oldest first',
  search: 'Search',
  reset: 'Reset',
  listHeading: 'Todo list',
  selectAll: 'Select all on this page',
  select: (name: string) => `Select “${name}”`,
  selected: (n: number) => `${n} selected`,
  deleteSelected: 'Delete selected',
  updated: 'Updated',
  markDone: 'Mark done',
  reopen: 'Reopen',
  edit: 'Edit',
  delete: 'Delete',
  cancel: 'Cancel',
  save: 'Save',
  create: 'Create',
  close: 'Close',
  createTitle: 'New todo',
  editTitle: 'Edit todo',
  nameRequired: 'Please enter a name.',
  confirmTitle: 'Delete?',
  confirmOne: (name: string) => `Delete “${name}”? This cannot be undone.`,
  confirmMany: (n: number) => `Delete ${n} todos? This cannot be undone.`,
  loading: 'Loading…',
  empty: 'No todos yet. Create the first one!',
  noMatch: 'No todos match the search.',
  clearFilters: 'Clear search',
  retry: 'Try again',
  loadFailed: 'Could not load the todos:',
  networkError: 'The server cannot be reached. Check the connection and try again.',
  dismiss: 'Dismiss',
  total: (n: number) => `${n} ${n === 1 ? 'todo' : 'todos'} in total`,
  pagination: 'Pagination',
  previous: 'Previous',
  next: 'Next',
  pageOf: (page: number, pages: number) => `Page ${page} of ${pages}`,
  pageSize: 'Per page',
  created: (name: string) => `Created “${name}”.`,
  saved: (name: string) => `Saved “${name}”.`,
  done: (name: string) => `Marked “${name}” as done.`,
  reopened: (name: string) => `Reopened “${name}”.`,
  deleted: (n: number) => (n === 1 ? 'Deleted 1 todo.' : `Deleted ${n} todos.`),
  apiDocs: 'API reference',
};

export type Messages = typeof en;

const zh: Messages = {
  title: '待办事项',
  switchTo: 'English',
  switchToLabel: 'Switch to English',
  signedInAs: '当前用户',
  newTodo: '新建待办',
  filters: '搜索与筛选',
  name: '名称',
  desc: '描述',
  descOptional: '描述（可选）',
  status: '状态',
  anyStatus: '全部状态',
  statuses: ['关闭', '进行中', '已完成', '暂停'],
  sort: '排序',
  newest: '更新时间：最新在前',
  oldest: '更新时间：最早在前',
  search: '搜索',
  reset: '重置',
  listHeading: '待办列表',
  selectAll: '全选本页',
  select: (name) => `选择“${name}”`,
  selected: (n) => `已选 ${n} 项`,
  deleteSelected: '删除所选',
  updated: '更新于',
  markDone: '标记完成',
  reopen: '重新打开',
  edit: '编辑',
  delete: '删除',
  cancel: '取消',
  save: '保存',
  create: '创建',
  close: '关闭',
  createTitle: '新建待办',
  editTitle: '编辑待办',
  nameRequired: '请输入名称。',
  confirmTitle: '确认删除？',
  confirmOne: (name) => `删除“${name}”？删除后无法恢复。`,
  confirmMany: (n) => `删除这 ${n} 项待办？删除后无法恢复。`,
  loading: '加载中…',
  empty: '还没有待办，来新建第一条吧！',
  noMatch: '没有符合条件的待办。',
  clearFilters: '清除搜索',
  retry: '重试',
  loadFailed: '无法加载待办：',
  networkError: '无法连接服务器，请检查网络后重试。',
  dismiss: '关闭提示',
  total: (n) => `共 ${n} 项`,
  pagination: '分页',
  previous: '上一页',
  next: '下一页',
  pageOf: (page, pages) => `第 ${page} / ${pages} 页`,
  pageSize: '每页',
  created: (name) => `已创建“${name}”。`,
  saved: (name) => `已保存“${name}”。`,
  done: (name) => `“${name}”已完成。`,
  reopened: (name) => `已重新打开“${name}”。`,
  deleted: (n) => `已删除 ${n} 项待办。`,
  apiDocs: 'API 接口文档',
};

export const MESSAGES: Record<Lang, Messages> = { en, zh };

const STORAGE_KEY = 'todo.lang';

/** The remembered choice, else the browser's: Chinese for any zh-* language, English otherwise. */
export function initialLang(): Lang {
  const saved = readSaved();
  if (saved === 'zh' || saved === 'en') return saved;
  return navigator.languages.concat(navigator.language)[0]?.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

export function rememberLang(lang: Lang): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Storage can be disabled (private mode, policies); the switch still works for this visit.
  }
}

function readSaved(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export const LangContext = createContext<Lang>('en');

export const useLang = () => useContext(LangContext);
export const useMessages = () => MESSAGES[useLang()];

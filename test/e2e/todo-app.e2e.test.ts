import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startServer, type RunningServer } from '../server-process';
import { accessibilityViolations, api, eventually, launchChromium, screenshot, tabTo } from './harness';

jest.setTimeout(60_000);

const VIEWPORTS = [
  { label: 'desktop', viewport: { width: 1280, height: 800 }, isMobile: false, hasTouch: false },
  { label: 'phone', viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true },
] as const;

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser?.close());

describe.each(VIEWPORTS)('the web app on a $label', ({ label, viewport, isMobile, hasTouch }) => {
  let server: RunningServer;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server?.stop());

  /** A fresh browser profile per test: nothing remembered, every console error and foreign request noted. */
  async function open(locale = 'en-US', url = server.url): Promise<Page> {
    context = await browser.newContext({ viewport, isMobile, hasTouch, locale });
    page = await context.newPage();
    problems = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('request', (request) => {
      if (!request.url().startsWith(url)) problems.push(`request to another host: ${request.url()}`);
    });
    await page.goto(url);
    await page.getByRole('heading', { level: 2 }).first().waitFor();
    return page;
  }

  afterEach(async () => {
    await context?.close();
  });

  const item = (name: string) => page.locator('li.todo').filter({ has: page.getByRole('heading', { name, exact: true }) });
  const names = () => page.locator('li.todo h3').allTextContents();
  const notice = () => page.getByRole('status').filter({ hasText: /\S/ }).first().textContent();

  async function expectNoHorizontalScroll(): Promise<void> {
    const [scrollWidth, innerWidth] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
  }

  async function search(name: string, desc = ''): Promise<void> {
    await page.getByRole('searchbox', { name: 'Name' }).fill(name);
    await page.getByRole('searchbox', { name: 'Description' }).fill(desc);
    await page.getByRole('button', { name: 'Search' }).click();
  }

  test('shows the todos, the current user and our icons, loading nothing from elsewhere', async () => {
    await open();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Todos');
    expect(await page.title()).toBe('Todos');
    await eventually(async () => expect(await page.locator('.user-name').textContent()).toBe('Serverless'));
    await eventually(async () => expect(await page.locator('.user img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0));
    await item('欢迎使用 Serverless 待办事项').waitFor();
    expect(await item('欢迎使用 Serverless 待办事项').locator('.badge').textContent()).toBe('In progress');

    for (const rel of ['icon', 'apple-touch-icon']) {
      const href = await page.locator(`link[rel="${rel}"]`).getAttribute('href');
      const response = await page.request.get(`${server.url}${href}`);
      expect(response.status()).toBe(200);
      expect(response.headers()['content-type']).toBe('image/png');
    }
    await screenshot(page, `${label}-list`);
    await expectNoHorizontalScroll();
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });

  test('creates a todo, saying inline that a name is required', async () => {
    await open();
    await page.getByRole('button', { name: 'New todo' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'New todo' });
    await dialog.waitFor();
    const nameBox = dialog.getByRole('textbox', { name: 'Name' });
    expect(await nameBox.evaluate((el) => el === document.activeElement)).toBe(true);

    await nameBox.press('Enter');
    await dialog.getByText('Please enter a name.').waitFor();
    expect(await nameBox.getAttribute('aria-invalid')).toBe('true');
    expect(await nameBox.evaluate((el) => el === document.activeElement)).toBe(true);
    await screenshot(page, `${label}-create-validation`);
    await expectNoHorizontalScroll();
    expect(await accessibilityViolations(page)).toEqual([]);

    await dialog.getByRole('textbox', { name: 'Description (optional)' }).fill('Milk, eggs and bread');
    await nameBox.fill(`Buy groceries ${label}`);
    expect(await dialog.getByText('Please enter a name.').count()).toBe(0);
    await nameBox.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await item(`Buy groceries ${label}`).waitFor();
    expect((await names())[0]).toBe(`Buy groceries ${label}`);
    expect(await item(`Buy groceries ${label}`).textContent()).toContain('Milk, eggs and bread');
    expect(await notice()).toBe(`Created “Buy groceries ${label}”.`);
    expect(problems).toEqual([]);
  });

  test('edits a todo: name, description and status', async () => {
    const { data } = await api<{ data: { key: number } }>(server.url, 'POST', '/api/rule', { name: `Draft ${label}`, desc: 'old' });
    await open();
    await item(`Draft ${label}`).getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit todo' });
    await dialog.waitFor();
    expect(await dialog.getByRole('textbox', { name: 'Name' }).inputValue()).toBe(`Draft ${label}`);
    await dialog.getByRole('textbox', { name: 'Name' }).fill(`Final ${label}`);
    await dialog.getByRole('textbox', { name: 'Description (optional)' }).fill('new words');
    await dialog.getByRole('combobox', { name: 'Status' }).selectOption({ label: 'Paused' });
    await screenshot(page, `${label}-edit`);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });

    await eventually(async () => expect(await item(`Final ${label}`).locator('.badge').textContent()).toBe('Paused'));
    expect(await item(`Final ${label}`).textContent()).toContain('new words');
    const saved = await api<{ data: { name: string; status: number } }>(server.url, 'GET', `/api/rule/${data.key}`);
    expect(saved.data).toMatchObject({ name: `Final ${label}`, desc: 'new words', status: 3 });
  });

  test('marks a todo done and reopens it', async () => {
    const name = `Water the plants ${label}`;
    await api(server.url, 'POST', '/api/rule', { name });
    await open();
    await item(name).getByRole('button', { name: 'Mark done' }).click();
    await eventually(async () => expect(await item(name).locator('.badge').textContent()).toBe('Done'));
    expect(await notice()).toBe(`Marked “${name}” as done.`);

    await item(name).getByRole('button', { name: 'Reopen' }).click();
    await eventually(async () => expect(await item(name).locator('.badge').textContent()).toBe('In progress'));
    await item(name).getByRole('button', { name: 'Mark done' }).waitFor();
  });

  test('deletes a todo only after confirmation', async () => {
    const name = `Old idea ${label}`;
    await api(server.url, 'POST', '/api/rule', { name });
    await open();
    await item(name).getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete?' });
    await dialog.getByText(`Delete “${name}”? This cannot be undone.`).waitFor();
    await screenshot(page, `${label}-confirm-delete`);
    expect(await accessibilityViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await item(name).count()).toBe(1);

    await item(name).getByRole('button', { name: 'Delete' }).click();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await item(name).waitFor({ state: 'detached' });
    expect(await notice()).toBe('Deleted 1 todo.');
    await eventually(async () => expect(await page.evaluate(() => document.activeElement?.id)).toBe('list-heading'));
  });

  test('deletes several selected todos in one go', async () => {
    for (const n of [1, 2, 3]) await api(server.url, 'POST', '/api/rule', { name: `batch ${label} ${n}` });
    await open();
    await search(`batch ${label}`);
    await eventually(async () => expect(await names()).toEqual([3, 2, 1].map((n) => `batch ${label} ${n}`)));
    await page.getByRole('checkbox', { name: `Select “batch ${label} 1”` }).check();
    await page.getByRole('checkbox', { name: `Select “batch ${label} 3”` }).check();
    await page.getByText('2 selected').waitFor();
    await page.getByRole('button', { name: 'Delete selected' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete?' });
    await dialog.getByText('Delete 2 todos? This cannot be undone.').waitFor();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await eventually(async () => expect(await names()).toEqual([`batch ${label} 2`]));
    expect(await notice()).toBe('Deleted 2 todos.');

    // "Select all on this page" then delete: the list is empty, and says so.
    await page.getByRole('checkbox', { name: 'Select all on this page' }).check();
    await page.getByRole('button', { name: 'Delete selected' }).click();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('No todos match the search.').waitFor();
  });

  test('searches by name and by description, and filters by status', async () => {
    await api(server.url, 'POST', '/api/rule', { name: `find ${label} apple`, desc: 'red fruit' });
    await api(server.url, 'POST', '/api/rule', { name: `find ${label} banana`, desc: 'yellow fruit', status: 2 });
    await api(server.url, 'POST', '/api/rule', { name: `find ${label} carrot`, desc: 'orange vegetable', status: 3 });
    await open();

    await search(`find ${label}`);
    await eventually(async () => expect(await names()).toHaveLength(3));
    expect(await page.getByText('3 todos in total').count()).toBe(1);
    await search(`find ${label}`, 'FRUIT');
    await eventually(async () => expect(await names()).toEqual([`find ${label} banana`, `find ${label} apple`]));

    await page.getByRole('combobox', { name: 'Status' }).selectOption({ label: 'Done' });
    await eventually(async () => expect(await names()).toEqual([`find ${label} banana`]));
    await screenshot(page, `${label}-search`);
    expect(await accessibilityViolations(page)).toEqual([]); // done todos are greyed, still readable

    await page.getByRole('combobox', { name: 'Status' }).selectOption({ label: 'Paused' });
    await page.getByText('No todos match the search.').waitFor();
    await screenshot(page, `${label}-no-match`);
    await page.getByRole('button', { name: 'Clear search' }).click();
    await eventually(async () => expect(await names()).toContain(`find ${label} carrot`));
    expect(await page.getByRole('searchbox', { name: 'Name' }).inputValue()).toBe('');
  });

  test('sorts by updated time, newest first unless asked otherwise', async () => {
    for (const n of ['a', 'b', 'c']) {
      await api(server.url, 'POST', '/api/rule', { name: `sort ${label} ${n}` });
      await new Promise((wait) => setTimeout(wait, 5)); // distinct timestamps
    }
    const { data } = await api<{ data: { key: number }[] }>(server.url, 'GET', `/api/rule?name=${encodeURIComponent(`sort ${label} a`)}`);
    await api(server.url, 'PATCH', `/api/rule/${data[0].key}`, { desc: 'touched last' });
    await open();
    await search(`sort ${label}`);
    await eventually(async () => expect(await names()).toEqual(['a', 'c', 'b'].map((n) => `sort ${label} ${n}`)));
    await page.getByRole('combobox', { name: 'Sort' }).selectOption({ label: 'Updated: oldest first' });
    await eventually(async () => expect(await names()).toEqual(['b', 'c', 'a'].map((n) => `sort ${label} ${n}`)));
  });

  test('pages through the list and changes the page size', async () => {
    for (let n = 1; n <= 25; n++) await api(server.url, 'POST', '/api/rule', { name: `page ${label} ${String(n).padStart(2, '0')}` });
    await open();
    await search(`page ${label}`);
    await page.getByText('25 todos in total').waitFor();
    await page.getByText('Page 1 of 3').waitFor();
    expect(await names()).toHaveLength(10);
    expect((await names())[0]).toBe(`page ${label} 25`);
    expect(await page.getByRole('button', { name: 'Previous' }).isDisabled()).toBe(true);

    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('Page 2 of 3').waitFor();
    await eventually(async () => expect((await names())[0]).toBe(`page ${label} 15`));
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('Page 3 of 3').waitFor();
    await eventually(async () => expect(await names()).toHaveLength(5));
    expect(await page.getByRole('button', { name: 'Next' }).isDisabled()).toBe(true);
    await screenshot(page, `${label}-paging`);
    await expectNoHorizontalScroll();

    await page.getByRole('combobox', { name: 'Per page' }).selectOption('50');
    await page.getByText('Page 1 of 1').waitFor();
    await eventually(async () => expect(await names()).toHaveLength(25));
  });

  test("shows the server's error message when it refuses a change", async () => {
    await open();
    // Too long for the server (at most 200 characters); the browser leaves that rule to it.
    await page.getByRole('button', { name: 'New todo' }).first().click();
    const create = page.getByRole('dialog', { name: 'New todo' });
    await create.getByRole('textbox', { name: 'Name' }).fill('x'.repeat(201));
    await create.getByRole('button', { name: 'Create' }).click();
    await eventually(async () => expect(await create.getByRole('alert').textContent()).toBe('name must be at most 200 characters'));
    await screenshot(page, `${label}-server-error`);
    await page.keyboard.press('Escape');
    await create.waitFor({ state: 'detached' });

    // Deleted by someone else while on screen: editing it answers 404, and the page says so.
    const name = `vanishing ${label}`;
    const { data } = await api<{ data: { key: number } }>(server.url, 'POST', '/api/rule', { name });
    await page.reload();
    await item(name).getByRole('button', { name: 'Edit' }).click();
    await api(server.url, 'DELETE', `/api/rule/${data.key}`);
    const edit = page.getByRole('dialog', { name: 'Edit todo' });
    await edit.getByRole('textbox', { name: 'Name' }).fill(`${name} again`);
    await edit.getByRole('button', { name: 'Save' }).click();
    await eventually(async () => expect(await edit.getByRole('alert').textContent()).toBe(`No todo with key ${data.key}`));
    await item(name).waitFor({ state: 'detached' }); // the list was refreshed
    await edit.getByRole('button', { name: 'Cancel' }).click();

    // The same for marking one done from the list.
    const other = `vanishing too ${label}`;
    const created = await api<{ data: { key: number } }>(server.url, 'POST', '/api/rule', { name: other });
    await page.reload();
    await item(other).waitFor();
    await api(server.url, 'DELETE', `/api/rule/${created.data.key}`);
    await item(other).getByRole('button', { name: 'Mark done' }).click();
    await eventually(async () => expect(await page.getByRole('alert').first().textContent()).toContain(`No todo with key ${created.data.key}`));
    await item(other).waitFor({ state: 'detached' });
  });

  test('invites to create the first todo when there are none, and says when the server is unreachable', async () => {
    const lonely = await startServer();
    try {
      await api(lonely.url, 'DELETE', '/api/rule/1'); // the welcome todo
      await open('en-US', lonely.url);
      await page.getByText('No todos yet. Create the first one!').waitFor();
      await screenshot(page, `${label}-empty`);
      await page.locator('.empty').getByRole('button', { name: 'New todo' }).click();
      await page.getByRole('dialog', { name: 'New todo' }).waitFor();
      await page.keyboard.press('Escape');
      expect(problems).toEqual([]);

      await lonely.stop();
      await page.getByRole('button', { name: 'Search' }).click();
      const alert = page.getByRole('alert');
      await eventually(async () =>
        expect(await alert.textContent()).toContain('Could not load the todos: The server cannot be reached. Check the connection and try again.'),
      );
      await alert.getByRole('button', { name: 'Try again' }).waitFor();
      await screenshot(page, `${label}-offline`);
      expect(await accessibilityViolations(page)).toEqual([]);
    } finally {
      await lonely.stop();
    }
  });

  test('speaks Chinese to a Chinese browser, and remembers a switch of language', async () => {
    const name = `买菜 ${label}`;
    await api(server.url, 'POST', '/api/rule', { name, desc: '牛奶、鸡蛋和面包' });
    await open('zh-CN');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('待办事项');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await item(name).waitFor();
    expect(await item(name).locator('.badge').textContent()).toBe('进行中');
    const statusNames = await page.getByRole('combobox', { name: '状态' }).locator('option').allTextContents();
    expect(statusNames).toEqual(['全部状态', '关闭', '进行中', '已完成', '暂停']);
    await screenshot(page, `${label}-chinese`);
    await expectNoHorizontalScroll();
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Switch to English' }).click();
    await eventually(async () => expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Todos'));
    await page.reload();
    await eventually(async () => expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Todos'));
    await page.getByRole('button', { name: '切换到中文' }).click();
    await eventually(async () => expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('待办事项'));
    await page.reload();
    await eventually(async () => expect(await page.getByRole('button', { name: '新建待办' }).count()).toBeGreaterThan(0));
  });

  test('can be used with the keyboard alone', async () => {
    const name = `keyboard ${label}`;
    await open();
    const focusedText = () => page.evaluate(() => document.activeElement?.textContent ?? '');

    await tabTo(page, /New todo/);
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).toBe('solid'); // a visible focus ring
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'New todo' });
    await dialog.waitFor();
    await page.keyboard.type(name);
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await item(name).waitFor();
    // Focus moves back as the dialog unmounts; under load that can trail the DOM by a moment.
    await eventually(async () => expect(await focusedText()).toBe('New todo')); // back where the user started

    await tabTo(page, /Mark done/); // the newest todo comes first
    expect(await page.evaluate(() => document.activeElement?.closest('li')?.querySelector('h3')?.textContent)).toBe(name);
    await page.keyboard.press('Enter');
    await eventually(async () => expect(await item(name).locator('.badge').textContent()).toBe('Done'));

    await tabTo(page, /^\s*Delete\s*$/);
    await page.keyboard.press('Enter');
    const confirm = page.getByRole('dialog', { name: 'Delete?' });
    await confirm.waitFor();
    expect(await focusedText()).toBe('Cancel'); // the safe choice has the focus
    await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'detached' });
    await eventually(async () => expect(await focusedText()).toBe('Delete'));
    expect(await item(name).count()).toBe(1);

    await page.keyboard.press('Enter');
    await confirm.waitFor();
    await page.keyboard.press('Tab');
    expect(await focusedText()).toBe('Delete');
    await page.keyboard.press('Enter');
    await item(name).waitFor({ state: 'detached' });
    await eventually(async () => expect(await page.evaluate(() => document.activeElement?.id)).toBe('list-heading'));
    expect(problems).toEqual([]);
  });
});

import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AxeResults, RunOptions } from 'axe-core';
import { chromium, type Browser, type Page } from 'playwright-core';

const ROOT = resolve(__dirname, '../..');
export const ARTIFACTS = join(ROOT, 'test-artifacts');

/** Debian's chromium; flags keep it from reaching the network on its own. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Calls the API the way any client would, to arrange data behind the page's back. */
export async function api<T = { data: unknown }>(base: string, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Saves the page as test-artifacts/<name>.png; dialogs are shot as the viewport the user sees. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const dialogOpen = await page.evaluate(() => document.querySelector('dialog[open]') !== null);
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: !dialogOpen });
}

/** Presses Tab until the focused element's accessible text matches, as a keyboard user would. */
export async function tabTo(page: Page, text: RegExp, limit = 40): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return el ? `${el.getAttribute('aria-label') ?? ''} ${el.textContent ?? ''} ${el.id ? (document.querySelector(`label[for="${el.id}"]`)?.textContent ?? '') : ''}` : '';
    });
    if (text.test(focused)) return;
  }
  throw new Error(`Tab never reached ${text}`);
}

/** Retries an assertion until the page catches up (it renders after each server answer). */
export async function eventually(assertion: () => Promise<void> | void, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((wait) => setTimeout(wait, 50));
    }
  }
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
type AxeWindow = { axe: { run(context: Document, options: RunOptions): Promise<AxeResults> } };

/** What axe-core finds against WCAG 2.1 A/AA (labels, names, contrast, roles, ...) on the page as it is now. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE); // through the debugger protocol, so the page's CSP does not apply
  const { violations } = await page.evaluate(() =>
    (window as unknown as AxeWindow).axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }),
  );
  return violations.map((found) => `${found.id}: ${found.help} at ${found.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}

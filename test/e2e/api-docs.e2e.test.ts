import type { Browser, Page } from 'playwright-core';
import { startServer, type RunningServer } from '../server-process';
import { eventually, launchChromium, screenshot } from './harness';

// /api/docs in Chromium: RapiDoc renders the OpenAPI document from this server alone, under the
// app's CSP, and the web app's footer leads there.

jest.setTimeout(60_000);

let browser: Browser;
let server: RunningServer;
beforeAll(async () => {
  browser = await launchChromium();
  server = await startServer();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** A page that notes console errors (CSP violations among them), page errors and requests to other hosts. */
async function openPage(): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('request', (request) => {
    if (!request.url().startsWith(server.url) && !request.url().startsWith('data:')) problems.push(`request to another host: ${request.url()}`);
  });
  return { page, problems };
}

/** The text RapiDoc renders inside its shadow root. */
const renderedText = (page: Page) => page.evaluate(() => document.querySelector('rapi-doc')?.shadowRoot?.textContent ?? '');

it('renders every operation of the document, loading nothing from another host', async () => {
  const { page, problems } = await openPage();
  await page.goto(`${server.url}/api/docs`);
  const document = await (await fetch(`${server.url}/api/openapi.json`)).json();
  const summaries: string[] = Object.values(document.paths as Record<string, Record<string, { summary?: string }>>).flatMap((item) =>
    Object.values(item).flatMap((operation) => (operation.summary ? [operation.summary] : [])),
  );
  await eventually(async () => {
    const text = await renderedText(page);
    for (const summary of summaries) expect(text).toContain(summary);
  }, 15_000);
  expect(await renderedText(page)).toContain('todolist-backend API');
  await screenshot(page, 'api-docs');
  expect(problems).toEqual([]);
  await page.close();
});

it("is linked from the web app's footer", async () => {
  const { page, problems } = await openPage();
  await page.goto(server.url);
  await page.getByRole('contentinfo').getByRole('link', { name: 'API reference' }).click();
  await page.waitForURL(`${server.url}/api/docs`);
  await eventually(async () => expect(await renderedText(page)).toContain('Every todo, oldest first'), 15_000);
  expect(problems).toEqual([]);
  await page.close();
});

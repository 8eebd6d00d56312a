import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { createLogger, createServiceApp } from '@rt/http';
import { launchChromium } from '@rt/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOpenApiDocument, openApiDocsPlugin } from '../src/server/index.js';

const ARTIFACTS = new URL('../test-artifacts/', import.meta.url);
const app = createServiceApp({ name: 'docs-browser', logger: createLogger('docs-browser', 'silent') });
let browser: Awaited<ReturnType<typeof launchChromium>>;
let base: string;

beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  await app.register(openApiDocsPlugin);
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await app.close();
});

describe('/docs in Chromium', () => {
  it('renders every operation of the committed document under the strict CSP, without network', async () => {
    const page = await browser.context.newPage();
    const problems: string[] = [];
    const outside: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on(
      'request',
      (r) => !r.url().startsWith(base) && !r.url().startsWith('data:') && outside.push(r.url()),
    );
    await page.goto(`${base}/docs`);
    const operations = Object.values(loadOpenApiDocument().paths).flatMap((item) => Object.keys(item)).length;
    await expect.poll(() => page.locator('.opblock').count(), { timeout: 20_000 }).toBe(operations);
    await page.screenshot({ path: new URL('docs.png', ARTIFACTS).pathname, fullPage: true });
    expect(outside).toEqual([]);
    expect(problems).toEqual([]);
  }, 60_000);
});

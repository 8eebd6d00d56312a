import { mkdir } from 'node:fs/promises';
import { launchChromium } from '@rt/testing';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleRole, type ConsoleTarget, startConsoleTarget } from './support/console-target.js';

// The operator console in Debian's Chromium (installed by .ci/run when missing), driven by
// playwright-core. Screenshots land in test-artifacts/ of this package (or CONSOLE_ARTIFACTS_DIR).
const ARTIFACTS = process.env.CONSOLE_ARTIFACTS_DIR
  ? new URL(`file://${process.env.CONSOLE_ARTIFACTS_DIR.replace(/\/?$/, '/')}`)
  : new URL('../test-artifacts/', import.meta.url);

let target: ConsoleTarget;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  target = await startConsoleTarget();
  browser = await launchChromium({ viewport: { width: 1360, height: 900 } });
  context = browser.context;
  page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(20_000);
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('console', (msg) => {
    // A refused API call is logged by Chromium as a failed resource; that is the point of some steps.
    if (msg.type() === 'error' && !/status of (401|403|409)/.test(msg.text())) pageErrors.push(msg.text());
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await target?.close();
});

const shot = (name: string) =>
  page.screenshot({ path: new URL(`${name}.png`, ARTIFACTS).pathname, fullPage: true });

async function signIn(role: ConsoleRole) {
  // Start from a signed-out page: a restored session would otherwise race the new sign-in.
  if (page.url().startsWith('http')) await page.evaluate('sessionStorage.clear()');
  await page.goto(target.consoleUrl);
  await page.getByLabel('Operator token').waitFor({ state: 'visible' });
  await page.getByLabel('Operator token').fill(await target.mintToken(role));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect.poll(() => page.locator('#who-role').textContent()).toBe(role);
}

describe('operator console in Chromium', () => {
  it('refuses a forged token and keeps the token out of localStorage', async () => {
    await page.goto(target.consoleUrl);
    const forged = (await target.mintToken('admin')).replace(/\.[^.]+$/, '.AAAA');
    await page.getByLabel('Operator token').fill(forged);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('#login-error').textContent()).toMatch(/OPERATOR_TOKEN_INVALID/);
    expect(await page.evaluate('localStorage.length')).toBe(0);
  });

  it('a migrator starts a migration of the demo tenant, watches it reach committed and sees the report', async () => {
    await signIn('migrator');
    const row = page.locator(`tr[data-tenant="${target.demo.clientKey}"]`);
    await expect.poll(() => row.locator('td').nth(5).textContent()).toMatch(/iB|B$/);
    await shot('01-tenants-migrator');

    await row.getByRole('button', { name: `Migrate ${target.demo.clientKey}` }).click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await dialog.getByLabel('Target region').selectOption(target.demo.targetRegion);
    expect(await dialog.getByLabel('Commit automatically once verified').isChecked()).toBe(true);
    await dialog.getByRole('button', { name: 'Start migration' }).click();

    const migration = page.locator('#migrations-body tr[data-migration]').first();
    if (target.paced) {
      await expect
        .poll(() => migration.getAttribute('data-state'), { timeout: 30_000 })
        .toMatch(/copying|verifying/);
      // Live progress: counters and an ETA computed from the progress rate between polls.
      await expect
        .poll(() => migration.locator('td.eta').textContent(), { timeout: 30_000 })
        .toMatch(/\d+ (s|min)/);
      expect(await migration.locator('td').nth(4).textContent()).toMatch(/\d+ \/ \d/);
      expect(await migration.locator('progress').getAttribute('value')).not.toBe('0');
    }
    await shot('02-migration-in-progress');

    await expect.poll(() => migration.getAttribute('data-state'), { timeout: 60_000 }).toBe('committed');
    const report = page.locator('[data-report]');
    await expect.poll(() => report.textContent()).toMatch(/committedAt/);
    expect(await report.textContent()).toMatch(/verified/);
    expect(await page.locator('.events li').count()).toBeGreaterThanOrEqual(5);
    await shot('03-migration-committed-report');

    await page.getByRole('link', { name: 'Tenants' }).click();
    await expect
      .poll(() => page.locator(`tr[data-tenant="${target.demo.clientKey}"] td`).nth(1).textContent())
      .toBe(target.demo.targetRegion);
  }, 120_000);

  it('an admin purges a pending deletion after confirming, and the audit log records it', async (ctx) => {
    const pending = target.pendingDeletion;
    if (!pending) return ctx.skip();
    await signIn('admin');
    await page.getByRole('link', { name: 'Deletions' }).click();
    const row = page.locator('#deletions-body tr', { hasText: pending.clientKey });
    await expect.poll(() => row.locator('time').first().isVisible()).toBe(true);
    const purge = row.getByRole('button', { name: `Purge ${pending.clientKey} now` });

    await purge.click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    expect(await row.textContent()).toMatch(/pending/);

    await purge.click();
    await page.getByRole('dialog').getByRole('button', { name: 'Purge now' }).click();
    await expect
      .poll(() => page.locator('#status').textContent())
      .toContain(`Purge of ${pending.clientKey} queued`);

    await page.getByRole('link', { name: 'Audit log' }).click();
    const audit = page.locator('#audit-body');
    await expect.poll(() => audit.textContent()).toMatch(/purge/);
    expect(await audit.textContent()).toMatch(/migrations\.start/);
    await shot('04-audit-log');
  }, 60_000);

  it('a viewer sees everything and can press nothing; the API refuses the viewer too', async () => {
    await signIn('viewer');
    await expect.poll(() => page.locator('#tenants-body tr[data-tenant]').count()).toBeGreaterThan(1);
    expect(await page.locator('#readonly-note').isVisible()).toBe(true);
    expect(await page.locator('#tenants-body button').count()).toBe(0);
    await shot('05-tenants-viewer');

    await page.getByRole('link', { name: 'Migrations' }).click();
    await expect.poll(() => page.locator('#migrations-body tr[data-migration]').count()).toBeGreaterThan(0);
    expect(await page.locator('#migrations-body button', { hasText: /Cancel|Commit/ }).count()).toBe(0);

    await page.getByRole('link', { name: 'Deletions' }).click();
    await expect.poll(() => page.locator('#deletions-body tr[data-deletion]').count()).toBeGreaterThan(0);
    expect(await page.locator('#deletions-body button').count()).toBe(0);
    await shot('06-deletions-viewer');

    // Hidden buttons are convenience; the ops API is the guard.
    // (Browser code as a string: this package's TypeScript has no DOM types.)
    const status = await page.evaluate(`(async () => {
      const res = await fetch('/ops/v1/migrations', {
        method: 'POST',
        headers: { authorization: 'Bearer ' + sessionStorage.getItem('rt-ops-token'), 'content-type': 'application/json' },
        body: JSON.stringify({ clientKey: ${JSON.stringify(target.demo.clientKey)}, targetRegion: 'EU', autoCommit: true }),
      });
      return res.status;
    })()`);
    expect(status).toBe(403);
  }, 60_000);

  it('raised no script errors or CSP violations', () => {
    expect(pageErrors).toEqual([]);
  });
});

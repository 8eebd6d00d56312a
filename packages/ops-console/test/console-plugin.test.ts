import { createLogger, createServiceApp } from '@rt/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opsConsolePlugin } from '../src/index.js';

const app = createServiceApp({ name: 'console-test', logger: createLogger('console-test', 'silent') });

beforeAll(async () => {
  await app.register(opsConsolePlugin, { prefix: '/ops/console', apiBase: '/ops/v1' });
  await app.ready();
});
afterAll(() => app.close());

describe('opsConsolePlugin', () => {
  it('redirects to the trailing slash so relative asset URLs resolve under the prefix', async () => {
    const res = await app.inject({ method: 'GET', url: '/ops/console' });
    expect(res.statusCode).toBe(301);
    expect(res.headers.location).toBe('/ops/console/');
  });

  it('serves the page and its modules with a strict CSP and revalidation', async () => {
    const page = await app.inject({ method: 'GET', url: '/ops/console/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toContain('<meta name="rt-ops-api" content="/ops/v1">');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    for (const [file, type] of [
      ['console.js', /javascript/],
      ['model.js', /javascript/],
      ['console.css', /text\/css/],
    ] as const) {
      const res = await app.inject({ method: 'GET', url: `/ops/console/${file}` });
      expect(res.statusCode, file).toBe(200);
      expect(res.headers['content-type'], file).toMatch(type);
      const again = await app.inject({
        method: 'GET',
        url: `/ops/console/${file}`,
        headers: { 'if-none-match': String(res.headers.etag) },
      });
      expect(again.statusCode, file).toBe(304);
    }
  });

  it('serves nothing else under the prefix', async () => {
    for (const url of [
      '/ops/console/../package.json',
      '/ops/console/fake-ops-api.ts',
      '/ops/console/%2e%2e/src',
    ]) {
      expect((await app.inject({ method: 'GET', url })).statusCode, url).toBe(404);
    }
  });

  it('refuses an API base that is not a same-origin path', async () => {
    const other = createServiceApp({ name: 'x', logger: createLogger('x', 'silent') });
    await expect(
      other.register(opsConsolePlugin, { prefix: '/c', apiBase: 'https://evil.example/ops' }).ready(),
    ).rejects.toThrow(/apiBase/);
    await other.close();
  });
});

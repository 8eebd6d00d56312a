import { createLogger, createServiceApp } from '@rt/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOpenApiDocument, openApiDocsPlugin } from '../src/server/index.js';

const app = createServiceApp({ name: 'docs-test', logger: createLogger('docs-test', 'silent') });

beforeAll(async () => {
  await app.register(openApiDocsPlugin);
  await app.ready();
});
afterAll(() => app.close());

describe('openApiDocsPlugin', () => {
  it('serves the committed document at /openapi.json', async () => {
    const res = await app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toEqual(loadOpenApiDocument());
  });

  it('serves an interactive reference at /docs with every asset from this server (works offline)', async () => {
    let res = await app.inject({ method: 'GET', url: '/docs' });
    for (let hops = 0; res.statusCode >= 300 && res.statusCode < 400 && hops < 3; hops++) {
      res = await app.inject({
        method: 'GET',
        url: new URL(String(res.headers.location), 'http://x/docs/').pathname,
      });
    }
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/https?:/);
    // A page's own policies (the router's API headers leave them to the pages).
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
    const scripts = [...res.body.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    for (const src of scripts) {
      expect(src, 'no CDN').not.toMatch(/^(https?:)?\/\//);
      const asset = await app.inject({ method: 'GET', url: new URL(src, 'http://x/docs/static/').pathname });
      expect(asset.statusCode, src).toBe(200);
    }
    const initializer = await app.inject({ method: 'GET', url: '/docs/static/swagger-initializer.js' });
    expect(initializer.statusCode).toBe(200);
    const spec = await app.inject({ method: 'GET', url: '/docs/json' });
    expect(spec.json().openapi).toBe('3.1.0');
  });
});

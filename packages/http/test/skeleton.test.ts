import { describe, expect, it } from 'vitest';
import { appCounter, createServiceApp, startMetricsListener } from '../src/index.js';

describe('service skeleton', () => {
  it('serves metrics only on the private listener, never on the app port', async () => {
    const app = createServiceApp({ name: 'skeleton-test', logLevel: 'silent' });
    app.get('/ok', { config: { public: true } }, async () => ({ ok: true }));
    await app.ready();
    const counter = appCounter(app, 'skeleton_things_total', 'things');
    appCounter(app, 'skeleton_things_total', 'things').inc();
    counter.inc();
    expect((await app.inject({ url: '/ok' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/metrics' })).statusCode).toBe(404);
    const listener = await startMetricsListener(app, { host: '127.0.0.1', port: 0 });
    try {
      const res = await fetch(`${listener.url}/metrics`);
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).toContain('http_request_duration_seconds');
      expect(text).toMatch(/skeleton_things_total\{service="skeleton-test"\} 2/);
      expect((await fetch(`${listener.url}/ok`)).status).toBe(404);
    } finally {
      await listener.close();
      await app.close();
    }
  });

  it('answers a path the router cannot decode with 400 PATH_NOT_CANONICAL, like every other error', async () => {
    const app = createServiceApp({ name: 'skeleton-test', logLevel: 'silent' });
    app.get('/items/:id', { config: { public: true } }, async () => ({ ok: true }));
    const res = await app.inject({ url: '/items/%c0%ae' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'PATH_NOT_CANONICAL' });
    await app.close();
  });
});

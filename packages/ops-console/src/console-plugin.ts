import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
// @rt/http declares the `config.public` route flag (routes without a token).
import type {} from '@rt/http';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** The console's static files (a fixed list: nothing else under the prefix is served). */
const FILES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'console.js': 'text/javascript; charset=utf-8',
  'model.js': 'text/javascript; charset=utf-8',
  'console.css': 'text/css; charset=utf-8',
};

/** Where the files live (same relative place from src/ and dist/). */
const PUBLIC_DIR = new URL('../public/', import.meta.url);

// The page runs only its own scripts and styles and talks only to its own origin (the ops API);
// nothing may frame it (clickjacking of the purge button).
const CONSOLE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Options of {@link opsConsolePlugin}. */
export interface OpsConsoleOptions {
  /** Base path of the ops API the page calls (default `/ops/v1`, same origin). */
  apiBase?: string;
}

interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

/**
 * Serves the operator console (one static page, plain ES modules + CSS, loaded into memory at
 * registration). The page needs no auth; every data call it makes goes to the ops API with the
 * operator's bearer token. Register under a prefix:
 * `await app.register(opsConsolePlugin, { prefix: '/ops/console' })`.
 */
export async function opsConsolePlugin(app: FastifyInstance, options: OpsConsoleOptions = {}): Promise<void> {
  const apiBase = options.apiBase ?? '/ops/v1';
  if (!/^\/[A-Za-z0-9/_-]*$/.test(apiBase))
    throw new Error(`opsConsolePlugin: apiBase must be a path, got ${apiBase}`);
  const assets = new Map<string, Asset>();
  for (const [name, type] of Object.entries(FILES)) {
    let text = readFileSync(new URL(name, PUBLIC_DIR), 'utf8');
    if (name === 'index.html') text = text.replace('content="/ops/v1"', `content="${apiBase}"`);
    const body = Buffer.from(text);
    assets.set(name, {
      body,
      type,
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
    });
  }

  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('content-security-policy', CONSOLE_CSP);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('cross-origin-opener-policy', 'same-origin');
    return payload;
  });

  const send =
    (name: string) => async (request: { headers: Record<string, unknown> }, reply: FastifyReply) => {
      const asset = assets.get(name);
      if (!asset) return reply.status(404).send({ code: 'ROUTE_NOT_FOUND', message: 'not found' });
      reply.header('cache-control', 'no-cache').header('etag', asset.etag);
      if (request.headers['if-none-match'] === asset.etag) return reply.status(304).send();
      return reply.type(asset.type).send(asset.body);
    };

  // `/ops/console` → `/ops/console/` so the page's relative URLs resolve under the prefix.
  app.get('', { config: { public: true } }, async (request, reply) =>
    reply.redirect(`${request.url.split('?')[0]}/`, 301),
  );
  app.get('/', { config: { public: true }, prefixTrailingSlash: 'slash' }, send('index.html'));
  for (const name of Object.keys(FILES)) {
    app.get(`/${name}`, { config: { public: true } }, send(name));
  }
}

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { jemallocPath } from '../src/allocator.js';
import { serviceEntry } from '../src/processes.js';
import { SERVICES } from '../src/stack-config.js';
import { alive, descendants, type SpawnedStack, spawnStack, waitReady } from './support/stack.js';

/**
 * The README's first command, end to end: `npm start` brings up both regions, every service is
 * ready, and Ctrl-C (SIGINT) leaves no process behind. Runs on its own ports and databases so a
 * developer's running stack is not disturbed.
 */
let stack: SpawnedStack | undefined;

afterAll(async () => {
  await stack?.stop();
});

describe('npm start', () => {
  it('brings up both regions, every service ready, and stops cleanly on Ctrl-C', async () => {
    stack = spawnStack({ label: 'stack', redisDbs: [10, 11] });
    await stack.ready();
    const { ports } = stack;
    expect(stack.output()).toContain(`EU router   http://127.0.0.1:${ports.eu}`);
    expect(stack.output()).toContain(`US router   http://127.0.0.1:${ports.us}`);

    // Readiness is eventually consistent (first queries warm up connections): poll, bounded.
    for (const base of [ports.eu, ports.us]) {
      for (let offset = 0; offset <= 5; offset++) {
        expect(await waitReady(`http://127.0.0.1:${base + offset}`), `:${base + offset}/readyz`).toMatch(
          /^200 .*"status":"ready"/,
        );
      }
    }
    // Without FORGE_JWKS_URL the stack runs a local FIT signer the routers trust (app and
    // environment passed through as FORGE_APP_ID / FORGE_ENVIRONMENT_*).
    const signer = `http://127.0.0.1:${ports.forgeSigner}`;
    expect(stack.output()).toContain(`Forge FIT signer  ${signer}`);
    const minted = await fetch(`${signer}/fit`, {
      method: 'POST',
      body: JSON.stringify({
        installationId: 'ari:cloud:ecosystem::installation/local-1',
        cloudId: 'local-1',
        accountId: 'dev',
      }),
    });
    const { token } = (await minted.json()) as { token: string };
    const viaForge = await fetch(`${stack.euUrl}/api/v1/layouts`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(viaForge.status).toBe(200);
    const forged = await fetch(`${stack.euUrl}/api/v1/layouts`, {
      headers: { authorization: `Bearer ${token.slice(0, -4)}AAAA` },
    });
    expect(forged.status).toBe(401);

    const unauthenticated = await fetch(`http://127.0.0.1:${ports.eu + 1}/api/v1/layouts`);
    expect(unauthenticated.status).toBe(401);
    expect(((await unauthenticated.json()) as { code: string }).code).toBe('INTERNAL_TOKEN_MISSING');

    const pids = descendants(stack.process.pid!);
    expect(pids.length).toBeGreaterThanOrEqual(12);
    // Every service allocates with jemalloc where Debian installed it (as in the images), and
    // the launcher says which allocator they run on.
    const entries = SERVICES.map(({ name }) => serviceEntry(name, false));
    const services = pids.filter((pid) => {
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        return entries.some((entry) => cmdline.includes(entry));
      } catch {
        return false;
      }
    });
    expect(services).toHaveLength(12);
    const onJemalloc = services.filter((pid) =>
      readFileSync(`/proc/${pid}/maps`, 'utf8').includes('libjemalloc'),
    );
    if (jemallocPath()) {
      expect(onJemalloc).toEqual(services);
      expect(stack.output()).toContain('services allocate with jemalloc');
    } else {
      expect(onJemalloc).toEqual([]);
      expect(stack.output()).toContain("services allocate with glibc's malloc");
    }
    stack.process.kill('SIGINT');
    expect(await stack.exited).toBe(0);
    const gone = Date.now() + 10_000;
    while (pids.some(alive) && Date.now() < gone) await new Promise((r) => setTimeout(r, 100));
    const survivors = pids.filter(alive).map((pid) => {
      try {
        return execFileSync('ps', ['-o', 'pid=,cmd=', '-p', String(pid)], { encoding: 'utf8' }).trim();
      } catch {
        return String(pid);
      }
    });
    expect(survivors).toEqual([]);
    expect(stack.output()).toContain('stopped.');
  }, 180_000);
});

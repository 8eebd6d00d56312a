import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dropDatabase } from '@rt/db';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The README's first command, end to end: `npm start` brings up both regions, every service is
 * ready, and Ctrl-C (SIGINT) leaves no process behind. Runs on its own ports and databases so a
 * developer's running stack is not disturbed.
 */
const root = fileURLToPath(new URL('../../../', import.meta.url));
const suffix = randomBytes(3).toString('hex');
const stateDir = mkdtempSync(join(tmpdir(), 'rt-stack-'));
const ports = { eu: 18080 + Math.floor(Math.random() * 900), s3: 0 };
ports.s3 = ports.eu + 950;
const env = {
  ...process.env,
  EU_ROUTER_PORT: String(ports.eu),
  US_ROUTER_PORT: String(ports.eu + 10),
  S3_PORT: String(ports.s3),
  STACK_STATE_DIR: stateDir,
  DIRECTORY_DATABASE: `rt_t_stack_dir_${suffix}`,
  EU_DATABASE: `rt_t_stack_eu_${suffix}`,
  US_DATABASE: `rt_t_stack_us_${suffix}`,
  LOG_LEVEL: 'warn',
};
const adminUrl = process.env.DATABASE_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
let stack: ChildProcess | undefined;

const descendants = (pid: number): number[] => {
  try {
    const out = execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' });
    const children = out
      .split('\n')
      .map((s) => Number(s.trim()))
      .filter(Boolean);
    return children.flatMap((c) => [c, ...descendants(c)]);
  } catch {
    return [];
  }
};
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

afterAll(async () => {
  if (stack?.pid && alive(stack.pid)) stack.kill('SIGKILL');
  for (const db of [env.DIRECTORY_DATABASE, env.EU_DATABASE, env.US_DATABASE]) {
    const url = new URL(adminUrl);
    url.pathname = `/${db}`;
    await dropDatabase(url.toString()).catch(() => undefined);
  }
  rmSync(stateDir, { recursive: true, force: true });
});

describe('npm start', () => {
  it('brings up both regions, every service ready, and stops cleanly on Ctrl-C', async () => {
    stack = spawn(
      process.execPath,
      ['--conditions=development', '--import', 'tsx', 'packages/devstack/src/cli.ts'],
      {
        cwd: root,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    stack.stdout?.on('data', (d) => {
      output += d;
    });
    stack.stderr?.on('data', (d) => {
      output += d;
    });
    const exited = new Promise<number | null>((resolve) => stack!.once('exit', (code) => resolve(code)));
    const deadline = Date.now() + 120_000;
    while (!output.includes('Press Ctrl-C to stop.')) {
      if (Date.now() > deadline || stack.exitCode !== null)
        throw new Error(`stack did not come up:\n${output}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(output).toContain(`EU router   http://127.0.0.1:${ports.eu}`);
    expect(output).toContain(`US router   http://127.0.0.1:${ports.eu + 10}`);

    // Readiness is eventually consistent (first queries warm up connections): poll, bounded.
    const ready = async (port: number) => {
      let last = '';
      for (const until = Date.now() + 30_000; Date.now() < until; ) {
        const res = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined);
        last = res ? `${res.status} ${await res.text()}` : 'no answer';
        if (res?.status === 200) return last;
        await new Promise((r) => setTimeout(r, 500));
      }
      return last;
    };
    for (const base of [ports.eu, ports.eu + 10]) {
      for (let offset = 0; offset <= 5; offset++) {
        expect(await ready(base + offset), `:${base + offset}/readyz`).toMatch(/^200 .*"status":"ready"/);
      }
    }
    const unauthenticated = await fetch(`http://127.0.0.1:${ports.eu + 1}/api/v1/layouts`);
    expect(unauthenticated.status).toBe(401);
    expect(((await unauthenticated.json()) as { code: string }).code).toBe('INTERNAL_TOKEN_MISSING');

    const pids = descendants(stack.pid!);
    expect(pids.length).toBeGreaterThanOrEqual(12);
    stack.kill('SIGINT');
    expect(await exited).toBe(0);
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
    expect(output).toContain('stopped.');
  }, 180_000);
});

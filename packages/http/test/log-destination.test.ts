import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { LOG_FLUSH_MS } from '../src/index.js';

// A process's log lines as they leave it: through the buffered stdout destination every logger of
// a service shares (see logDestination). Each case runs in a process of its own, because that
// destination is standard output itself and because exits and kills are part of what is tested.
const cwd = fileURLToPath(new URL('..', import.meta.url));
const children: ChildProcess[] = [];

/** Runs `body` in a new process with `log` (createLogger) and `writes()` (its write calls so far). */
function run(body: string, env: Record<string, string> = {}, prelude = '') {
  const script = `
    import fs from 'node:fs';
    let calls = 0;
    for (const name of ['write', 'writeSync']) {
      const original = fs[name];
      fs[name] = (fd, ...rest) => { if (fd === 1) calls++; return original(fd, ...rest); };
    }
    const writes = () => calls;
    ${prelude}
    const { createLogger } = await import('./src/index.ts');
    const log = createLogger('destination-test', 'info');
    ${body}`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => {
    stdout += d;
  });
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  const lines = () =>
    stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { msg: string; n?: number; level: number });
  const exited = new Promise<number | string | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal)),
  );
  return { child, lines, stderr: () => stderr, exited };
}

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

describe('the log destination', () => {
  it('writes a burst of lines in a few write calls, all of them, in order, before a plain exit', async () => {
    const p = run(`
      for (let n = 0; n < 200; n++) log.info({ n }, 'line');
      process.stderr.write('writes:' + writes());
      process.exit(0);`);
    expect(await p.exited).toBe(0);
    const lines = p.lines();
    expect(lines.map((l) => l.n)).toEqual(Array.from({ length: 200 }, (_, n) => n));
    // Unbuffered, pino writes once per line (200 calls); buffered, the lines wait in memory
    // until 16 KiB are collected — and the exit flushes what is left.
    expect(Number(/writes:(\d+)/.exec(p.stderr())?.[1])).toBeLessThan(10);
  });

  it("writes a quiet process's line without waiting for more lines to fill the buffer", async () => {
    const p = run(`
      log.info('alone');
      setInterval(() => {}, 1000);`);
    // The process stays up: only the periodic flush can write a line shorter than the buffer.
    for (let waited = 0; !p.lines().length; waited += 50) {
      if (waited > 20 * LOG_FLUSH_MS) throw new Error(`no line after ${waited} ms: ${p.stderr()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(p.lines()).toEqual([expect.objectContaining({ msg: 'alone', level: 30 })]);
    expect(p.child.exitCode).toBeNull();
  });

  it('writes a fatal line, and the lines before it, even when the process is killed right after', async () => {
    const p = run(`
      log.info('before');
      log.fatal('giving up');
      process.kill(process.pid, 'SIGKILL');`);
    expect(await p.exited).toBe('SIGKILL');
    expect(p.lines().map((l) => l.msg)).toEqual(['before', 'giving up']);
  });

  it("loses no batch and keeps the order when fatal comes while libuv's thread pool is busy", async () => {
    // The pool's one thread waits in open() on a FIFO nobody writes to, as it would on a slow
    // DNS lookup or disk: a batch handed to the pool would never be written, and a flush at
    // fatal would write the later lines before it. Batches are written on the main thread.
    const dir = mkdtempSync(join(tmpdir(), 'rt-log-'));
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    try {
      const p = run(
        `
        fs.open(${JSON.stringify(fifo)}, 'r', () => {});
        for (let n = 0; n < 200; n++) log.info({ n }, 'line');
        log.fatal('giving up');
        process.kill(process.pid, 'SIGKILL');`,
        { UV_THREADPOOL_SIZE: '1' },
      );
      expect(await p.exited).toBe('SIGKILL');
      const lines = p.lines();
      expect(lines.slice(0, 200).map((l) => l.n)).toEqual(Array.from({ length: 200 }, (_, n) => n));
      expect(lines.slice(200).map((l) => l.msg)).toEqual(['giving up']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes to a blocking standard output, even after process.stdout made it non-blocking', async () => {
    // A full pipe then waits for its reader instead of sonic-boom's 100 ms sleep of the process.
    const p = run(
      `
      log.info('line');
      process.stderr.write('nonblocking:' + before + ',' + nonBlocking());`,
      {},
      `
      const nonBlocking = () => (parseInt(fs.readFileSync('/proc/self/fdinfo/1', 'utf8').match(/flags:\\s+(\\d+)/)[1], 8) & 0o4000) !== 0;
      process.stdout;
      const before = nonBlocking();`,
    );
    expect(await p.exited).toBe(0);
    expect(p.stderr()).toContain('nonblocking:true,false');
  });

  it('writes what is buffered when the process dies of an uncaught exception', async () => {
    const p = run(`
      log.error('about to fail');
      setTimeout(() => { throw new Error('crash'); }, 0);`);
    expect(await p.exited).toBe(1);
    expect(p.lines().map((l) => l.msg)).toEqual(['about to fail']);
  });
});

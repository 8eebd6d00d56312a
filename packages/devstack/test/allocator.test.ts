import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { allocatorEnv, jemallocPath, SERVICE_MALLOC_CONF } from '../src/allocator.js';
import { allocatorOf } from '../src/stack-config.js';

/** What a Node process started with `env` prints running `script`. */
const nodeOutput = (env: Record<string, string>, script: string): string =>
  execFileSync(process.execPath, ['-e', script], { env: { ...process.env, ...env }, encoding: 'utf8' });

/** The shared objects a Node process started with `env` has mapped. */
const mappedLibraries = (env: Record<string, string>): string =>
  nodeOutput(env, "process.stdout.write(require('fs').readFileSync('/proc/self/maps','utf8'))");

/** The names of a Node process's threads, once it has allocated 64 MiB and run for half a second. */
const threadNames = (env: Record<string, string>): string[] =>
  nodeOutput(
    env,
    `const fs = require('fs'); const kept = []; for (let i = 0; i < 64; i++) kept.push(Buffer.alloc(1 << 20));
     setTimeout(() => process.stdout.write(fs.readdirSync('/proc/self/task')
       .map((t) => fs.readFileSync('/proc/self/task/' + t + '/comm', 'utf8').trim()).join(',')), 500);`,
  ).split(',');

describe("the services' allocator", () => {
  it('is jemalloc or glibc, and nothing else', () => {
    expect(allocatorOf('jemalloc')).toBe('jemalloc');
    expect(allocatorOf('glibc')).toBe('glibc');
    expect(allocatorEnv('glibc')).toEqual({});
    expect(() => allocatorOf('tcmalloc')).toThrow(/STACK_ALLOCATOR must be jemalloc or glibc/);
  });

  // Debian's redis-server depends (through redis-tools) on libjemalloc2: a machine that runs the stack has it.
  it.skipIf(!jemallocPath())('is preloaded into a service process where Debian installed it', () => {
    const env = allocatorEnv('jemalloc');
    expect(env.LD_PRELOAD).toContain(jemallocPath()!);
    expect(env.MALLOC_CONF).toBe(SERVICE_MALLOC_CONF);
    // jemalloc took its settings: its background thread runs (a mistyped MALLOC_CONF is only a
    // warning to jemalloc).
    expect(threadNames(env)).toContain('jemalloc_bg_thd');
    expect(mappedLibraries(env)).toContain('libjemalloc.so.2');
    expect(mappedLibraries({})).not.toContain('libjemalloc.so.2');
  });

  it('is what the images preload, in every service image alike', () => {
    const dockerfile = readFileSync(
      fileURLToPath(new URL('../../../services/Dockerfile', import.meta.url)),
      'utf8',
    );
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    const preload = /^\s*LD_PRELOAD=(\S+)\s*\\?$/m.exec(runtime)?.[1];
    expect(preload).toBe('libjemalloc.so.2');
    // jemalloc's settings, as the local stack passes them beside its preload.
    expect(/^\s*MALLOC_CONF=(\S+)\s*\\?$/m.exec(runtime)?.[1]).toBe(SERVICE_MALLOC_CONF);
    // Installed before the service is named, so the six images share that layer.
    expect(runtime.indexOf('apt-get install -y --no-install-recommends libjemalloc2')).toBeGreaterThan(0);
    expect(runtime.indexOf('libjemalloc2')).toBeLessThan(runtime.search(/^ARG SERVICE$/m));
    // The bare name resolves the way the images use it (where Debian's package is installed).
    if (jemallocPath()) expect(mappedLibraries({ LD_PRELOAD: preload! })).toContain('libjemalloc.so.2');
  });
});

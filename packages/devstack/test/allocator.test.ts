import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { allocatorEnv, jemallocPath } from '../src/allocator.js';
import { loadStackConfig } from '../src/stack-config.js';

/** The shared objects a Node process started with `env` has mapped. */
const mappedLibraries = (env: Record<string, string>): string =>
  execFileSync(
    process.execPath,
    ['-e', "process.stdout.write(require('fs').readFileSync('/proc/self/maps','utf8'))"],
    {
      env: { ...process.env, ...env },
      encoding: 'utf8',
    },
  );

describe("the services' allocator", () => {
  const saved = process.env.STACK_ALLOCATOR;
  afterEach(() => {
    if (saved === undefined) delete process.env.STACK_ALLOCATOR;
    else process.env.STACK_ALLOCATOR = saved;
  });

  it('is jemalloc by default, glibc on request, and nothing else', () => {
    delete process.env.STACK_ALLOCATOR;
    expect(loadStackConfig('/nonexistent').allocator).toBe('jemalloc');
    process.env.STACK_ALLOCATOR = 'glibc';
    expect(loadStackConfig('/nonexistent').allocator).toBe('glibc');
    expect(allocatorEnv('glibc')).toEqual({});
    process.env.STACK_ALLOCATOR = 'tcmalloc';
    expect(() => loadStackConfig('/nonexistent')).toThrow(/STACK_ALLOCATOR must be jemalloc or glibc/);
  });

  // Debian's redis-server depends (through redis-tools) on libjemalloc2: a machine that runs the stack has it.
  it.skipIf(!jemallocPath())('is preloaded into a service process where Debian installed it', () => {
    const env = allocatorEnv('jemalloc');
    expect(env.LD_PRELOAD).toContain(jemallocPath()!);
    expect(mappedLibraries(env)).toContain('libjemalloc.so.2');
    expect(mappedLibraries({})).not.toContain('libjemalloc.so.2');
  });
});

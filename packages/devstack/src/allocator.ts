import { existsSync } from 'node:fs';

/** Debian's multiarch directory of each architecture Node runs on here and in the images. */
const MULTIARCH: Readonly<Record<string, string>> = { x64: 'x86_64-linux-gnu', arm64: 'aarch64-linux-gnu' };

/**
 * Debian's jemalloc (package `libjemalloc2`, which Debian's `redis-server` pulls in through
 * `redis-tools`), which the service images preload (services/Dockerfile), or undefined where it
 * is not installed.
 *
 * Why the services run on it: under the soak's mixed traffic, glibc's malloc kept the memory of
 * freed Buffers (sockets' reads, answers, upload chunks) in the routers' heap — their RSS outside
 * V8's heap grew from about 25 to 80 MiB in 5 minutes, and `malloc_trim(0)` gave 55–60 MiB of it
 * back at once, so it was free memory, not live objects. With jemalloc, which returns unused pages
 * to the system after a few seconds, it stayed within a few MiB.
 */
export function jemallocPath(): string | undefined {
  const triplet = MULTIARCH[process.arch];
  const path = triplet && `/usr/lib/${triplet}/libjemalloc.so.2`;
  return path && existsSync(path) ? path : undefined;
}

/**
 * The environment that makes a service process allocate as in the images: `LD_PRELOAD` of
 * jemalloc when `allocator` is `jemalloc` and the library is installed (added to any preload
 * already set), else nothing (glibc's malloc).
 */
export function allocatorEnv(allocator: 'jemalloc' | 'glibc'): Record<string, string> {
  const path = allocator === 'jemalloc' ? jemallocPath() : undefined;
  if (!path) return {};
  return { LD_PRELOAD: [process.env.LD_PRELOAD, path].filter(Boolean).join(':') };
}

import { existsSync } from 'node:fs';

/** Debian's multiarch directory of each architecture Node runs on here and in the images. */
const MULTIARCH: Readonly<Record<string, string>> = { x64: 'x86_64-linux-gnu', arm64: 'aarch64-linux-gnu' };

/**
 * Debian's jemalloc (package `libjemalloc2`, which Debian's `redis-server` pulls in through
 * `redis-tools`), which the service images preload (services/Dockerfile), or undefined where it
 * is not installed.
 *
 * Why the services run on it: under the soak's mixed traffic, glibc's malloc kept the memory of
 * freed Buffers (sockets' reads, answers, upload chunks) in the routers' heap — glibc's heap grew
 * from about 21 to 85 MiB in 5 minutes, and `malloc_trim(0)` gave 55–61 MiB of RSS back at once,
 * so it was free memory, not live objects. jemalloc returns unused pages to the system after a few
 * seconds: the routers' memory outside V8's heap grew by 1–9 MiB in five router runs of eight
 * (20, 23 and 70 MiB in the other three), against 16–46 MiB in four of four on glibc (README, soak).
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

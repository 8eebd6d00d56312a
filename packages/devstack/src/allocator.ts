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
 * so it was free memory, not live objects. jemalloc returns unused pages to the system after its
 * decay time (10 s; in a quiet process only with its background thread, see SERVICE_MALLOC_CONF):
 * the routers' memory outside V8's heap grew by 1–9 MiB in five router runs of eight
 * (20, 23 and 70 MiB in the other three), against 16–46 MiB in four of four on glibc (README, soak).
 */
export function jemallocPath(): string | undefined {
  const triplet = MULTIARCH[process.arch];
  const path = triplet && `/usr/lib/${triplet}/libjemalloc.so.2`;
  return path && existsSync(path) ? path : undefined;
}

/**
 * jemalloc's settings in the images (`MALLOC_CONF`): a background thread returns freed pages
 * after jemalloc's decay time (10 s) whether or not the process allocates again. Without it
 * jemalloc purges only on its own allocation calls, so a process that went quiet after a burst —
 * the worker after a residency migration's copy, a theme service after its first reads — kept the
 * burst's memory: +24% to +51% RSS for the soak's workers after its migration, their memory
 * outside V8's heap 67 → 94 MiB; with the thread 59 → 60.
 */
export const SERVICE_MALLOC_CONF = 'background_thread:true';

/**
 * V8's heap settings of every service process, on the command line (`node <flags> server.js`;
 * Node refuses all but `--max-semi-space-size` in NODE_OPTIONS), in the images
 * (services/Dockerfile's CMD) and the local stack alike. A service's memory stays where its load puts it instead of following the
 * collector's own rhythm (measured in the soak, see the README):
 *
 * - a young generation of a fixed size, two 8 MiB semi-spaces: V8 otherwise grows it up to two
 *   16 MiB ones under load and hands it back when a process goes quiet, which alone moved an idle
 *   service's RSS by a third. (Even at a fixed size V8 gives the idle semi-space back while a
 *   process allocates slowly: with 16 MiB ones the quiet services still moved by 16 MiB.)
 * - a full collection once the old generation has grown by 20% over what the last one left
 *   (V8's own factor goes up to 4 on a large host): a router's old space otherwise held up to
 *   twice its live objects in garbage between collections;
 * - no memory reducer: in a container the task's memory is reserved whether or not the process
 *   gives pages back, so shrinking when idle only makes the next burst grow it again.
 */
export const SERVICE_NODE_FLAGS: readonly string[] = [
  '--min-semi-space-size=8',
  '--max-semi-space-size=8',
  '--heap-growing-percent=20',
  '--no-memory-reducer',
];

/**
 * The environment that makes a service process allocate as in the images: `LD_PRELOAD` of
 * jemalloc and its settings ({@link SERVICE_MALLOC_CONF}) when `allocator` is `jemalloc` and
 * the library is installed (added to any preload already set), else nothing (glibc's malloc).
 */
export function allocatorEnv(allocator: 'jemalloc' | 'glibc'): Record<string, string> {
  const path = allocator === 'jemalloc' ? jemallocPath() : undefined;
  if (!path) return {};
  return {
    LD_PRELOAD: [process.env.LD_PRELOAD, path].filter(Boolean).join(':'),
    MALLOC_CONF: SERVICE_MALLOC_CONF,
  };
}

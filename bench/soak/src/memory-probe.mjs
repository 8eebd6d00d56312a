/**
 * Loaded into every process of the soak's stack (NODE_OPTIONS=--import): every 5 s appends the
 * process's own view of its memory — RSS, V8 heap used and reserved (by space), external and
 * ArrayBuffer memory, and the garbage collector's pauses so far — to
 * `<RT_SOAK_MEMORY_DIR>/<pid>.jsonl`, so the soak can tell live objects from a heap V8 merely
 * sized up, or from memory outside the heap. Diagnostic only.
 */
import { appendFileSync } from 'node:fs';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';
import { isMainThread } from 'node:worker_threads';

const dir = process.env.RT_SOAK_MEMORY_DIR;
// The main thread only: a process started from source also runs tsx's module hooks on a thread of
// their own, whose heap would otherwise be written to the same file.
if (dir && isMainThread) {
  const file = `${dir}/${process.pid}.jsonl`;
  // The main thread's garbage-collection pauses so far, ms: all of them, and the major ones.
  let gcMs = 0;
  let majorGcMs = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcMs += entry.duration;
      if (entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) majorGcMs += entry.duration;
    }
  }).observe({ entryTypes: ['gc'] });
  const write = () => {
    const spaces = Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name, s.space_size]));
    appendFileSync(
      file,
      `${JSON.stringify({ t: Date.now(), ...process.memoryUsage(), spaces, gcMs, majorGcMs })}\n`,
    );
  };
  write();
  setInterval(write, 5000).unref();
}

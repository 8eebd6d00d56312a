/**
 * Loaded into every process of the soak's stack (NODE_OPTIONS=--import): every 5 s appends the
 * process's own view of its memory — RSS, V8 heap used and reserved (by space), external and
 * ArrayBuffer memory — to `<RT_SOAK_MEMORY_DIR>/<pid>.jsonl`, so the soak can tell live objects
 * from a heap V8 merely sized up, or from memory outside the heap. Diagnostic only.
 */
import { appendFileSync } from 'node:fs';
import { getHeapSpaceStatistics } from 'node:v8';
import { isMainThread } from 'node:worker_threads';

const dir = process.env.RT_SOAK_MEMORY_DIR;
// The main thread only: a process started from source also runs tsx's module hooks on a thread of
// their own, whose heap would otherwise be written to the same file.
if (dir && isMainThread) {
  const file = `${dir}/${process.pid}.jsonl`;
  const write = () => {
    const spaces = Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name, s.space_size]));
    appendFileSync(file, `${JSON.stringify({ t: Date.now(), ...process.memoryUsage(), spaces })}\n`);
  };
  write();
  setInterval(write, 5000).unref();
}

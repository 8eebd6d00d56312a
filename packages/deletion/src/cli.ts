import type { Command } from 'commander';
import type { DeletionView } from './ops.js';

/** The slice of the ops CLI's HTTP client these commands use (JSON in, JSON out; throws on 4xx/5xx). */
export interface DeletionCliClient {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
}

/** Where the commands write: results to `out`, the progress bar to `progress` (a TTY line). */
export interface DeletionCliOutput {
  out: (line: string) => void;
  progress: (line: string) => void;
  /** Poll interval of `purge` while waiting (ms). */
  pollMs?: number;
  /** Give up waiting after this long (ms); the purge itself continues in the worker. */
  waitTimeoutMs?: number;
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));

/** One table line per deletion. */
export function formatDeletionRow(d: DeletionView): string {
  const regions = Object.entries(d.receipt?.regions ?? {})
    .map(([id, r]) => `${id}:${r.rows}r/${r.objects}o`)
    .join(' ');
  return [pad(d.state, 9), pad(d.dueAt, 24), pad(d.clientKey, 38), pad(d.reason, 11), regions].join(' ');
}

/** A text progress bar with per-region counts. */
export function formatProgress(d: DeletionView): string {
  const width = 20;
  const filled = Math.round((d.percent / 100) * width);
  const regions = Object.entries(d.receipt?.regions ?? {})
    .map(([id, r]) => `${id}${r.done ? '✓' : '…'} rows ${r.rows} objects ${r.objects}`)
    .join(' | ');
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(d.percent).padStart(3)}% ${d.state} ${regions}`;
}

/**
 * Adds `deletions list` and `purge <clientKey>` to the ops CLI program. `purge` asks the API to
 * delete now and then follows the deletion with a progress bar until it is done.
 */
export function deletionCommands(
  program: Command,
  client: DeletionCliClient,
  output: DeletionCliOutput,
): void {
  const deletions = program.command('deletions').description('tenant deletion schedule');
  deletions
    .command('list')
    .description('pending and finished deletions with their due dates')
    .option('--state <state>', 'pending | running | done | cancelled')
    .option('--client-key <clientKey>', 'only this tenant')
    .option('--json', 'print JSON')
    .action(async (opts: { state?: string; clientKey?: string; json?: boolean }) => {
      const q = new URLSearchParams();
      if (opts.state) q.set('state', opts.state);
      if (opts.clientKey) q.set('clientKey', opts.clientKey);
      const qs = q.toString();
      const { items } = await client.get<{ items: DeletionView[] }>(`/ops/v1/deletions${qs ? `?${qs}` : ''}`);
      if (opts.json) {
        output.out(JSON.stringify(items, null, 2));
        return;
      }
      output.out(
        [pad('STATE', 9), pad('DUE', 24), pad('CLIENT KEY', 38), pad('REASON', 11), 'REMOVED'].join(' '),
      );
      for (const d of items) output.out(formatDeletionRow(d));
    });

  program
    .command('purge <clientKey>')
    .description('delete a tenant now (role admin; audited) and follow the progress')
    .option('--no-wait', 'return once the purge is queued')
    .action(async (clientKey: string, opts: { wait: boolean }) => {
      const res = await client.post<{ deletion: DeletionView; created: boolean; enqueued: boolean }>(
        `/ops/v1/tenants/${encodeURIComponent(clientKey)}/purge`,
      );
      output.out(`deletion ${res.deletion.id} ${res.deletion.state}${res.enqueued ? ' (queued)' : ''}`);
      if (!opts.wait) return;
      const deadline = Date.now() + (output.waitTimeoutMs ?? 15 * 60_000);
      let view = res.deletion;
      for (;;) {
        output.progress(formatProgress(view));
        if (view.state === 'done' || view.state === 'cancelled') break;
        if (Date.now() > deadline) {
          output.out('still running; follow with `deletions list`');
          return;
        }
        await new Promise((r) => setTimeout(r, output.pollMs ?? 1000));
        view = await client.get<DeletionView>(`/ops/v1/deletions/${view.id}`);
      }
      output.out(view.state === 'done' ? `purged ${clientKey}` : `deletion of ${clientKey} was cancelled`);
    });
}

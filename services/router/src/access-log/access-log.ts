import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { BatchedLines, logDestination } from '@rt/http';

/**
 * One line of the access log — the only place a client IP is written (kept 14 days by the
 * retention job). No token, no query string, no user id.
 */
export interface AccessLogEntry {
  /** ISO time the response finished. */
  time: string;
  method: string;
  /** The matched route pattern (e.g. `/api/v1/layouts/*`), never the raw URL. */
  route: string;
  status: number;
  durationMs: number;
  ip: string;
  tenantId: string | null;
  requestId: string;
}

/** Characters JSON.stringify writes as they are (no `"`, `\\`, control characters or surrogates). */
const JSON_PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
/**
 * `JSON.stringify(text)`: quoted as it is when it holds nothing JSON escapes (what the fields of
 * an access log line almost always are), else by JSON.stringify itself.
 */
const json = (text: string): string => (JSON_PLAIN.test(text) ? `"${text}"` : JSON.stringify(text));
const jsonNumber = (n: number): string => (Number.isFinite(n) ? String(n) : 'null');

/**
 * An entry as its JSON text — exactly `JSON.stringify(entry)` (after `head`'s fields, for sinks
 * that tag their lines), but built from the known fields in their order instead of walking an
 * object: one line is written per request.
 */
export function accessLogJson(entry: AccessLogEntry, head = ''): string {
  return `{${head}"time":${json(entry.time)},"method":${json(entry.method)},"route":${json(entry.route)},"status":${jsonNumber(entry.status)},"durationMs":${jsonNumber(entry.durationMs)},"ip":${json(entry.ip)},"tenantId":${entry.tenantId === null ? 'null' : json(entry.tenantId)},"requestId":${json(entry.requestId)}}`;
}

/** Where access log lines go (daily files by default; the retention issue may plug a table). */
export interface AccessLogWriter {
  write(entry: AccessLogEntry): void;
  close(): Promise<void>;
}

/** File name of a UTC day's access log. */
export const accessLogFileName = (time: Date): string => `access-${time.toISOString().slice(0, 10)}.log`;

/**
 * JSON lines, one file per UTC day (`access-YYYY-MM-DD.log`) under `directory`; the file switches
 * at midnight UTC and retention deletes whole files. Lines are batched ({@link BatchedLines}: up to
 * `flushMs` or 64 Ki characters, about 200 lines) so the hot path does not pay one write call per
 * request.
 */
export class DailyFileAccessLog implements AccessLogWriter {
  private stream?: WriteStream;
  private day = '';
  /** `YYYY-MM-DD` of the open file. */
  private dayPrefix = '';
  private readonly batch: BatchedLines;
  /** Files of earlier days still being written out: `close` waits for them too. */
  private ending = new Set<Promise<void>>();

  constructor(
    private readonly directory: string,
    private readonly now: () => Date = () => new Date(),
    flushMs = 200,
  ) {
    mkdirSync(directory, { recursive: true, mode: 0o750 });
    this.batch = new BatchedLines((text) => this.stream?.write(text), { maxChars: 64 * 1024, flushMs });
  }

  write(entry: AccessLogEntry): void {
    // The clock is read only when the entry's own UTC day (its ISO time) is not the open file's.
    if (!this.dayPrefix || !entry.time.startsWith(this.dayPrefix)) {
      const name = accessLogFileName(this.now());
      if (name !== this.day) {
        // The earlier day's lines go to the earlier day's file.
        this.batch.flushSync();
        if (this.stream) this.end(this.stream);
        this.stream = createWriteStream(join(this.directory, name), { flags: 'a', mode: 0o640 });
        this.day = name;
        this.dayPrefix = name.slice('access-'.length, 'access-'.length + 10);
      }
    }
    this.batch.write(`${accessLogJson(entry)}\n`);
  }

  /** Ends a file; until its last line is written out, {@link close} waits for it. */
  private end(stream: WriteStream): Promise<void> {
    const ended = new Promise<void>((resolve) => stream.end(() => resolve()));
    this.ending.add(ended);
    void ended.then(() => this.ending.delete(ended));
    return ended;
  }

  async close(): Promise<void> {
    this.batch.flushSync();
    const stream = this.stream;
    this.stream = undefined;
    if (stream) this.end(stream);
    await Promise.all(this.ending);
  }
}

/** Keeps entries in memory (tests, or a process that does not want an access log). */
export class MemoryAccessLog implements AccessLogWriter {
  readonly entries: AccessLogEntry[] = [];
  write(entry: AccessLogEntry): void {
    this.entries.push(entry);
  }
  async close(): Promise<void> {}
}

/**
 * JSON lines on a stream (stdout in containers): the platform ships them to the region's
 * access-log group, whose retention (14 days) is enforced by the log service itself
 * (`ACCESS_LOG_SINK=stdout`, as the CDK stacks deploy the router).
 */
export class StreamAccessLog implements AccessLogWriter {
  /**
   * By default the process's log destination (@rt/http): access lines are written in batches
   * with the application's log lines, not one write call per request.
   */
  constructor(private readonly stream: { write(line: string): unknown } = logDestination()) {}
  write(entry: AccessLogEntry): void {
    this.stream.write(`${accessLogJson(entry, '"log":"access",')}\n`);
  }
  async close(): Promise<void> {}
}

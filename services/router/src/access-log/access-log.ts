import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';

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

/** Where access log lines go (daily files by default; the retention issue may plug a table). */
export interface AccessLogWriter {
  write(entry: AccessLogEntry): void;
  close(): Promise<void>;
}

/** File name of a UTC day's access log. */
export const accessLogFileName = (time: Date): string => `access-${time.toISOString().slice(0, 10)}.log`;

/**
 * JSON lines, one file per UTC day (`access-YYYY-MM-DD.log`) under `directory`, appended through a
 * buffered stream; the file switches at midnight UTC. Retention deletes whole files.
 */
export class DailyFileAccessLog implements AccessLogWriter {
  private stream?: WriteStream;
  private day = '';

  constructor(
    private readonly directory: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    mkdirSync(directory, { recursive: true, mode: 0o750 });
  }

  write(entry: AccessLogEntry): void {
    const name = accessLogFileName(this.now());
    if (name !== this.day || !this.stream) {
      this.stream?.end();
      this.stream = createWriteStream(join(this.directory, name), { flags: 'a', mode: 0o640 });
      this.day = name;
    }
    this.stream.write(`${JSON.stringify(entry)}\n`);
  }

  close(): Promise<void> {
    const stream = this.stream;
    this.stream = undefined;
    return new Promise((resolve) => (stream ? stream.end(() => resolve()) : resolve()));
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

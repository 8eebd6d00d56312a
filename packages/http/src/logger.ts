import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import pino, { type Logger, type LoggerOptions } from 'pino';
import { isoTimeOf } from './iso-time.js';

/**
 * Paths redacted from every log line: credentials and secrets. Together with the request
 * serializer below (no remote address, no query string), this keeps tokens, secrets and IP
 * addresses out of every log except the router's dedicated access log.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-forge-oauth-system"]',
  'req.headers["x-forge-oauth-user"]',
  // The system token as the router passes it to the services (@rt/confluence FORGE_TOKEN_HEADER).
  'req.headers["x-rt-forge-token"]',
  '*.sharedSecret',
  '*.secret',
  '*.token',
  '*.password',
  '*.jwt',
  'sharedSecret',
  'token',
];

/** Strips the query string, which may carry `?jwt=`. */
export function pathOnly(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/** Longest a log line waits in the process's buffer before it is written (ms). */
export const LOG_FLUSH_MS = 250;
/** Lines are written together once this many characters (16 Ki, UTF-16 units) are waiting. */
const LOG_BUFFER_CHARS = 16 * 1024;

/**
 * Lines collected in one string and handed to `sink` as one write: once `maxChars` are waiting,
 * at the latest after `flushMs`, and whenever {@link flushSync} is called. The process's standard
 * output ({@link logDestination}) and the router's access log files batch their lines through it.
 * Not sonic-boom's own collecting (`minLength`): it measures its whole pending buffer again on
 * every write (`Buffer.byteLength` of a string that grows line by line, flattened each time),
 * with a line per request 2% of the router's instructions per request. Appending here costs a
 * string concatenation; a batch is measured once, when it is written.
 */
export class BatchedLines implements pino.DestinationStream {
  #pending = '';
  #timer: NodeJS.Timeout | undefined;
  readonly #sink: (text: string) => void;
  readonly #maxChars: number;
  readonly #flushMs: number;

  constructor(sink: (text: string) => void, options: { maxChars: number; flushMs: number }) {
    this.#sink = sink;
    this.#maxChars = options.maxChars;
    this.#flushMs = options.flushMs;
  }

  write(line: string): void {
    this.#pending += line;
    if (this.#pending.length >= this.#maxChars) this.flushSync();
    else if (!this.#timer) {
      this.#timer = setTimeout(() => this.flushSync(), this.#flushMs);
      this.#timer.unref();
    }
  }

  /** Writes what is waiting, then calls back (pino's `logger.flush(cb)`). */
  flush(cb?: (err?: Error) => void): void {
    this.flushSync();
    cb?.();
  }

  /** Hands what is waiting to the sink, now (pino calls it after a `fatal` line). */
  flushSync(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (!this.#pending) return;
    const text = this.#pending;
    this.#pending = '';
    this.#sink(text);
  }
}

let stdoutDestination: BatchedLines | undefined;

/**
 * Standard output as every logger of the process writes to it: lines collected up to 16 KiB
 * ({@link BatchedLines}) and written together — at the latest after {@link LOG_FLUSH_MS}, at once
 * for `fatal` (pino flushes it), and at exit — instead of one write call per line. A service logs
 * a line per request at `info` (the router an access line), and each write is a system call into
 * the pipe the container runtime (or `npm start`) reads: one per request on the read path.
 *
 * Synchronous writes of the batches (pino's destination, sonic-boom, in synchronous mode), not
 * sonic-boom's asynchronous mode: an asynchronous batch is written by libuv's thread pool, and a
 * flush at `fatal` or at exit writes only what is still waiting — the batch in the pool's hands
 * (40-odd lines, more than a pipe writes atomically) is lost or lands after the lines that
 * followed it whenever the pool is busy (a slow DNS lookup or file access is enough). A process
 * killed outright (SIGKILL, out of memory) loses at most the last {@link LOG_FLUSH_MS} of lines.
 * https://github.com/pinojs/pino/blob/main/docs/asynchronous.md
 */
export function logDestination(): pino.DestinationStream {
  if (!stdoutDestination) {
    // A synchronous sonic-boom without `minLength`: each batch is written before `write` returns.
    const stdout = pino.destination({ dest: 1, minLength: 0, sync: true });
    const destination = new BatchedLines((text) => stdout.write(text), {
      maxChars: LOG_BUFFER_CHARS,
      flushMs: LOG_FLUSH_MS,
    });
    // Node opens standard output non-blocking once anything touches process.stdout (every service
    // does), and sonic-boom meets a full pipe in synchronous mode by putting the whole process to
    // sleep for 100 ms (EAGAIN) — the event loop of a service whose log reader lags behind. A
    // blocking descriptor waits only until the reader has made room (files have no handle here).
    // https://docs.libuv.org/en/v1.x/stream.html#c.uv_stream_set_blocking (POSIX stdio)
    const handle = process.stdout as unknown as { _handle?: { setBlocking?(blocking: boolean): number } };
    handle._handle?.setBlocking?.(true);
    // pino registers its exit flush for asynchronous destinations only.
    process.once('exit', () => {
      try {
        destination.flushSync();
      } catch {
        // Standard output closed (EPIPE): nothing left to write to.
      }
    });
    stdoutDestination = destination;
  }
  return stdoutDestination;
}

/** pino options for a service: JSON, named, redacted, no IP addresses. */
export function loggerOptions(name: string, level: string): LoggerOptions {
  const isoTime = isoTimeOf();
  return {
    name,
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: {
      req: (req: FastifyRequest) => ({ id: req.id, method: req.method, url: pathOnly(req.url) }),
      res: (res: FastifyReply) => ({ statusCode: res.statusCode }),
      err: pino.stdSerializers.err,
    },
    base: { service: name },
    // pino.stdTimeFunctions.isoTime's format, formatted once a second (a line per request).
    timestamp: () => `,"time":"${isoTime(Date.now())}"`,
  };
}

/** Creates a standalone logger (worker, CLI) with the same rules. */
export function createLogger(name: string, level = 'info'): FastifyBaseLogger {
  return pino(loggerOptions(name, level), logDestination()) as unknown as FastifyBaseLogger;
}

type LogMethod = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
type Bindings = Record<string, unknown>;

/**
 * A request's logger that becomes a real pino child (with the request id bound) only when the
 * request logs something at an enabled level. Fastify would otherwise build a child — bindings
 * serialised, redaction wired — for every request, though at production's level almost none
 * logs: on the router's hot path that was a measurable share of each request's CPU.
 */
class LazyChildLogger {
  #real: FastifyBaseLogger | undefined;
  readonly #parent: FastifyBaseLogger;
  readonly #bindings: Bindings;
  constructor(parent: FastifyBaseLogger, bindings: Bindings) {
    this.#parent = parent;
    this.#bindings = bindings;
  }
  #logger(): FastifyBaseLogger {
    this.#real ??= this.#parent.child(this.#bindings);
    return this.#real;
  }
  #log(method: LogMethod, args: unknown[]): void {
    if (!this.isLevelEnabled(method)) return;
    (this.#logger()[method] as (...a: unknown[]) => void)(...args);
  }
  get level(): string {
    return (this.#real ?? this.#parent).level;
  }
  set level(level: string) {
    this.#logger().level = level;
  }
  isLevelEnabled(level: string): boolean {
    // A logger without levels (a test's plain object) logs everything it is given.
    return ((this.#real ?? this.#parent) as Partial<Logger>).isLevelEnabled?.(level) ?? true;
  }
  fatal(...args: unknown[]): void {
    this.#log('fatal', args);
  }
  error(...args: unknown[]): void {
    this.#log('error', args);
  }
  warn(...args: unknown[]): void {
    this.#log('warn', args);
  }
  info(...args: unknown[]): void {
    this.#log('info', args);
  }
  debug(...args: unknown[]): void {
    this.#log('debug', args);
  }
  trace(...args: unknown[]): void {
    this.#log('trace', args);
  }
  silent(): void {}
  child(bindings: Bindings, options?: Record<string, unknown>): FastifyBaseLogger {
    return this.#logger().child(bindings, options);
  }
  bindings(): Bindings {
    return (this.#logger() as unknown as { bindings(): Bindings }).bindings();
  }
}

/**
 * Fastify's `childLoggerFactory`: a {@link LazyChildLogger} for every request, or a real child
 * when the route asks for options of its own (a route `logLevel`).
 */
export function lazyChildLoggerFactory(
  logger: FastifyBaseLogger,
  bindings: Bindings,
  options: object,
): FastifyBaseLogger {
  if (Object.keys(options).length) return logger.child(bindings, options);
  return new LazyChildLogger(logger, bindings) as unknown as FastifyBaseLogger;
}

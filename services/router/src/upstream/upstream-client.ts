import { Readable } from 'node:stream';
import { Agent, type Dispatcher, errors } from 'undici';

/**
 * The router's one HTTP client for the requests it passes on (to this region's services and to
 * other regions' routers): undici's `Agent`, a keep-alive pool per origin, driven through its
 * `dispatch` handler API (https://undici.nodejs.org/#/docs/api/Dispatcher?id=dispatcherdispatchoptions-handler).
 *
 * Why not `undici.request` or @fastify/reply-from on top of it: both turn every answer into a
 * stream, and Fastify then pipes that stream into the client's response. The answers the router
 * passes on are nearly all small JSON documents read on every page view; an answer with a
 * `Content-Length` of at most {@link BUFFERED_ANSWER_BYTES} is read whole here (it is on its way
 * already) and sent as one Buffer. Larger answers, and answers without a length, still stream,
 * with backpressure in both directions, so an image download never sits in memory whole.
 */

/** Largest answer read whole before it is sent on; larger or unsized answers stream. */
export const BUFFERED_ANSWER_BYTES = 256 * 1024;

export type HeaderMap = Record<string, string | string[] | undefined>;

/** An upstream answer: its whole body (small or empty answers) or its body as a stream. */
export interface UpstreamAnswer {
  statusCode: number;
  headers: HeaderMap;
  /** The whole body when it was sized at most {@link BUFFERED_ANSWER_BYTES}, or had none. */
  body: Buffer | undefined;
  /** Otherwise the body as it arrives (destroying it aborts the upstream request). */
  stream: Readable | undefined;
}

export interface UpstreamRequest {
  /** `http(s)://host:port` of the service or router. */
  origin: string;
  /** Path and query, already canonical. */
  path: string;
  method: string;
  /** Sent as they are, but for undefined values: the caller left out what never goes upstream. */
  headers: HeaderMap;
  /** The request body, streamed (absent: none). */
  body?: Readable;
}

export interface UpstreamClientOptions {
  /** Connections kept per origin. */
  connections?: number;
  keepAliveTimeoutMs?: number;
  /** Time allowed for the answer's headers (then {@link isUpstreamTimeout}). */
  headersTimeoutMs?: number;
  /** Time allowed between two pieces of the answer's body. */
  bodyTimeoutMs?: number;
}

/**
 * The upstream did not answer in time: no connection, no answer's headers, or a pause in a body
 * read whole (a streamed body's pause breaks off the answer already under way instead).
 */
export const isUpstreamTimeout = (err: unknown): boolean =>
  err instanceof errors.HeadersTimeoutError ||
  err instanceof errors.ConnectTimeoutError ||
  err instanceof errors.BodyTimeoutError;

const EMPTY = Buffer.alloc(0);

/** An answer's body while it streams: reading resumes the upstream socket, destroying aborts it. */
class UpstreamBody extends Readable {
  finished = false;
  constructor(private readonly controller: Dispatcher.DispatchController) {
    // As undici's own body streams: a socket read (up to 64 KiB) fits without pausing the socket.
    super({ highWaterMark: 64 * 1024 });
  }
  override _read(): void {
    this.controller.resume();
  }
  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    if (!this.finished) this.controller.abort(error ?? new Error('the answer was not read to its end'));
    done(error);
  }
}

/** One request's handler: buffers a small answer, streams any other. */
class AnswerHandler implements Dispatcher.DispatchHandler {
  private chunks: Buffer[] | undefined;
  private stream: UpstreamBody | undefined;
  private statusCode = 0;
  private headers: HeaderMap = {};
  private answered = false;

  constructor(
    private readonly bodiless: boolean,
    private readonly deliver: (answer: UpstreamAnswer) => void,
    private readonly fail: (error: Error) => void,
  ) {}

  /** Defined so that undici drives this handler through its current API (it tests for this method). */
  onRequestStart(): void {}

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: HeaderMap): void {
    // 1xx answers (102, 103 Early Hints) are interim: the final answer follows on this request.
    if (statusCode < 200) return;
    this.statusCode = statusCode;
    this.headers = headers;
    const length = headers['content-length'];
    const declared = typeof length === 'string' ? Number(length) : Number.NaN;
    if (this.bodiless || statusCode === 204 || statusCode === 304 || declared <= BUFFERED_ANSWER_BYTES) {
      this.chunks = [];
      return;
    }
    this.stream = new UpstreamBody(controller);
    this.answered = true;
    this.deliver({ statusCode, headers, body: undefined, stream: this.stream });
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.chunks) this.chunks.push(chunk);
    else if (this.stream && !this.stream.push(chunk)) controller.pause();
  }

  onResponseEnd(): void {
    if (this.stream) {
      this.stream.finished = true;
      this.stream.push(null);
      return;
    }
    const chunks = this.chunks ?? [];
    const body = chunks.length === 0 ? EMPTY : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    this.answered = true;
    this.deliver({ statusCode: this.statusCode, headers: this.headers, body, stream: undefined });
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    if (this.stream) {
      this.stream.finished = true;
      this.stream.destroy(error);
    } else if (!this.answered) {
      this.answered = true;
      this.fail(error);
    }
  }
}

export class UpstreamClient {
  private readonly agent: Agent;

  constructor(opts: UpstreamClientOptions = {}) {
    const keepAlive = opts.keepAliveTimeoutMs ?? 30_000;
    this.agent = new Agent({
      connections: opts.connections ?? 128,
      pipelining: 1,
      // undici keeps one timer per connection and only refreshes it while the delay (and the
      // kind of timer) stays the same; each change allocates a new one, which lives on in its
      // timer list long enough to outlive the young generation (a quarter of what the router's
      // scavenges promoted at 10 tenants). With equal delays the step from headers to body
      // reuses the timer; the idle step still takes one of Node's timers and the next request a
      // new one of undici's (undici lib/dispatcher/client-h1.js, `Parser.setTimeout`). The
      // keep-alive delay is the upstream's hint capped at ours (Fastify's 72 s → 30 s).
      keepAliveTimeout: keepAlive,
      keepAliveMaxTimeout: keepAlive,
      headersTimeout: opts.headersTimeoutMs ?? keepAlive,
      bodyTimeout: opts.bodyTimeoutMs ?? keepAlive,
    });
  }

  /**
   * Sends one request. Exactly one of `onAnswer` and `onError` is called; after a streamed
   * answer has been handed over, a later failure destroys its stream instead.
   */
  send(
    request: UpstreamRequest,
    onAnswer: (answer: UpstreamAnswer) => void,
    onError: (error: Error) => void,
  ): void {
    this.agent.dispatch(
      {
        origin: request.origin,
        path: request.path,
        method: request.method as Dispatcher.HttpMethod,
        headers: request.headers as Record<string, string | string[]>,
        body: request.body ?? null,
      },
      new AnswerHandler(request.method === 'HEAD', onAnswer, onError),
    );
  }

  /** Aborts what is in flight and closes every connection. */
  destroy(): Promise<void> {
    return this.agent.destroy();
  }
}

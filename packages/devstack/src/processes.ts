import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { SERVICE_NODE_FLAGS } from './allocator.js';

/** A service process of the local stack. */
export interface ManagedProcess {
  label: string;
  child: ChildProcess;
  log: WriteStream;
  exited: Promise<number | null>;
}

/**
 * Starts a service — from its TypeScript source (tsx, `development` export condition), or with
 * `built` from its production build as the image starts it (`node <SERVICE_NODE_FLAGS>
 * services/<name>/dist/server.js`, the packages it imports resolved to their own builds) — with
 * its output written to `<logDir>/<label>.log` and, when `echo` is set, to the console prefixed.
 */
export function startService(options: {
  root: string;
  label: string;
  /** Service directory name under `services/`. */
  service: string;
  built: boolean;
  env: Record<string, string>;
  logDir: string;
  echo: boolean;
}): ManagedProcess {
  mkdirSync(options.logDir, { recursive: true });
  const log = createWriteStream(join(options.logDir, `${options.label}.log`), { flags: 'a' });
  const child = spawn(process.execPath, serviceArgs(options.service, options.built), {
    cwd: options.root,
    // RT_PARENT_PID: the service stops by itself if this launcher dies without stopping it.
    env: { ...process.env, ...options.env, RT_PARENT_PID: String(process.pid) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const echoLines = () => lineEcho(options.label, (text) => process.stdout.write(text));
  const forward = (stream: NodeJS.ReadableStream | null) => {
    const echo = options.echo ? echoLines() : undefined;
    if (echo) stream?.once('end', () => echo(null));
    return (chunk: Buffer) => {
      log.write(chunk);
      echo?.(chunk);
    };
  };
  child.stdout?.on('data', forward(child.stdout));
  const forwardError = forward(child.stderr);
  child.stderr?.on('data', (chunk: Buffer) => {
    forwardError(chunk);
    if (!options.echo) process.stderr.write(`[${options.label}] ${chunk}`);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { label: options.label, child, log, exited };
}

/**
 * Echoes a process's output line by line, each line prefixed with its label. A service writes its
 * log lines in batches (see @rt/http's logDestination) and a pipe may hand a batch over in pieces
 * that end inside a line: a piece's unfinished last line waits for the rest.
 */
export function lineEcho(label: string, out: (text: string) => void): (chunk: Buffer | null) => void {
  // A piece may also end inside a character of several bytes.
  const decoder = new StringDecoder('utf8');
  let partial = '';
  return (chunk) => {
    // null: the output ended; an unfinished last line is echoed as it is.
    const lines = (partial + (chunk ? decoder.write(chunk) : `${decoder.end()}\n`)).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (line) out(`[${label}] ${line}\n`);
  };
}

/**
 * Node's arguments for a service: V8's heap settings of the images (see SERVICE_NODE_FLAGS), then
 * the production build as the image's CMD names it, or the TypeScript source through tsx.
 */
export const serviceArgs = (service: string, built: boolean): string[] =>
  built
    ? [...SERVICE_NODE_FLAGS, serviceEntry(service, true)]
    : [...SERVICE_NODE_FLAGS, '--conditions=development', '--import', 'tsx', serviceEntry(service, false)];

/** Entry point of a service, relative to the repository root: its source or its build. */
export const serviceEntry = (service: string, built: boolean): string =>
  built ? `services/${service}/dist/server.js` : `services/${service}/src/server.ts`;

/** Polls `url` until it answers 2xx or the deadline passes. */
export async function waitForHttp(url: string, timeoutMs: number, isDead: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    if (isDead()) throw new Error(`process exited before ${url} answered`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
      lastError = `HTTP ${res.status}`;
    } catch (err) {
      lastError = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms (${lastError})`);
}

/** Stops processes with SIGTERM, then SIGKILL after a grace period. */
export async function stopAll(processes: ManagedProcess[], graceMs = 8000): Promise<void> {
  await Promise.all(
    processes.map(async (p) => {
      if (p.child.exitCode !== null || p.child.signalCode !== null) return;
      p.child.kill('SIGTERM');
      const timer = setTimeout(() => p.child.kill('SIGKILL'), graceMs);
      await p.exited;
      clearTimeout(timer);
      p.log.end();
    }),
  );
}

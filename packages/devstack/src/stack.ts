import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDatabase, migrateDatabase } from '@rt/db';
import { allocatorEnv } from './allocator.js';
import { checkPostgres, checkRedis, PrerequisiteMissing } from './preflight.js';
import { type ManagedProcess, serviceEntry, startService, stopAll, waitForHttp } from './processes.js';
import { startEmbeddedS3 } from './s3.js';
import {
  directoryUrl,
  regionDatabaseUrl,
  routerUrl,
  SERVICES,
  type StackConfig,
  serviceEnv,
  serviceUrl,
} from './stack-config.js';

/** A running local stack. */
export interface RunningStack {
  processes: ManagedProcess[];
  s3Endpoint: string;
  /** Registers something to close when the stack stops (e.g. the demo's fake Confluence). */
  onStop(close: () => Promise<unknown>): void;
  stop(): Promise<void>;
}

type Say = (line: string) => void;

/**
 * Brings up the two-region stack: checks Postgres and Redis, creates and migrates the
 * directory and regional databases, starts the embedded S3 server with a bucket per region,
 * then every service of every region as its own process (from source, or with `built` from the
 * production builds), waiting for each to be healthy.
 */
export async function startStack(
  config: StackConfig,
  options: { root: string; echo: boolean; say: Say; built?: boolean },
): Promise<RunningStack> {
  const { say } = options;
  const built = options.built ?? false;
  if (built) {
    const missing = SERVICES.map(({ name }) => serviceEntry(name, true)).filter(
      (entry) => !existsSync(join(options.root, entry)),
    );
    if (missing.length)
      throw new PrerequisiteMissing(
        `--built starts the production builds, and ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing: run \`npm run build\` first.`,
      );
  }
  say('checking PostgreSQL and Redis …');
  await checkPostgres(config.adminDatabaseUrl);
  await checkRedis(config.redisUrl);

  const databases: Array<[string, 'directory' | 'regional']> = [
    [directoryUrl(config), 'directory'],
    ...config.regions.map((r): [string, 'regional'] => [regionDatabaseUrl(config, r), 'regional']),
  ];
  for (const [url, kind] of databases) {
    const created = await ensureDatabase(url);
    const { applied } = await migrateDatabase(url, kind);
    say(
      `database ${new URL(url).pathname.slice(1)}: ${created ? 'created' : 'exists'}, ${applied.length} migration(s) applied`,
    );
  }

  const s3 = await startEmbeddedS3({
    host: config.host,
    port: config.s3Port,
    directory: join(config.stateDir, 's3'),
    buckets: config.regions.map((r) => r.bucket),
  });
  say(`embedded S3 at ${s3.endpoint} (buckets ${config.regions.map((r) => r.bucket).join(', ')})`);

  // The allocator the images preload (see allocatorEnv), where this machine has it.
  const allocation = allocatorEnv(config.allocator);
  say(
    allocation.LD_PRELOAD
      ? `services allocate with jemalloc (${allocation.LD_PRELOAD}), as in the images`
      : config.allocator === 'jemalloc'
        ? "services allocate with glibc's malloc (jemalloc, Debian's libjemalloc2, is not installed)"
        : "services allocate with glibc's malloc (STACK_ALLOCATOR=glibc)",
  );

  const processes: ManagedProcess[] = [];
  const extra: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    await stopAll(processes);
    await s3.close();
    for (const close of extra) await close().catch(() => undefined);
  };
  try {
    for (const region of config.regions) {
      const started = SERVICES.map(({ name }) => {
        const p = startService({
          root: options.root,
          label: `${region.id.toLowerCase()}-${name}`,
          service: name,
          built,
          env: { ...serviceEnv(config, region, name), ...allocation },
          logDir: join(config.stateDir, 'logs'),
          echo: options.echo,
        });
        processes.push(p);
        return { name, p };
      });
      await Promise.all(
        started.map(({ name, p }) =>
          waitForHttp(
            `${serviceUrl(config, region, name)}/healthz`,
            60_000,
            () => p.child.exitCode !== null,
          ).catch((err) => {
            throw new Error(
              `${p.label} failed to start: ${err.message} (log: ${join(config.stateDir, 'logs', `${p.label}.log`)})`,
            );
          }),
        ),
      );
      say(
        `region ${region.id}: router ${routerUrl(config, region)} (+ ${SERVICES.length - 1} services) healthy`,
      );
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { processes, s3Endpoint: s3.endpoint, stop, onStop: (close) => extra.push(close) };
}
